package io.sfu.bench.forward;

import io.sfu.bench.JvmFlags;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.srtp.SrtpContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * The forwarding core from one decrypted RTP packet in to one packet out per subscriber: {@code
 * ForwardingAgent.onRtp} on the benchmark thread (which is the agent's thread: it also runs the agent's duty
 * cycle, and so its timers, every {@value #DUTY_CYCLE_PACKETS} packets), with a browser-like 1,100-octet VP8
 * packet and {@code fanOut} subscribers, each leg rewritten and protected with {@code crypto}. One operation is
 * one incoming packet, so packets forwarded per second per core = ops/s × fanOut.
 *
 * <p>{@link #srtpProtectOnly} is the crypto ceiling beside it: protecting the same packet with the same profile
 * and nothing else, so fanOut × its cost is what the crypto alone would take with one hot context;
 * {@link #srtpProtectEachSubscriber} protects it with {@code fanOut} contexts of their own, as forwarding does.
 * Each also reports the CPU time per operation ({@link CpuTime}), the figure to trust on a busy machine.
 *
 * <p>Run: {@code java -jar sfu-bench/target/benchmarks.jar 'io.sfu.bench.forward.ForwardingBenchmark' -prof gc
 * -wi 2 -i 3 -w 2s -r 2s}; {@code gc.alloc.rate.norm} should be about 0 B/op.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.AGRONA, JvmFlags.GHASH})
public class ForwardingBenchmark {
    /** Packets between two runs of the agent's duty cycle (which reads the clock and runs due timers). */
    static final int DUTY_CYCLE_PACKETS = 32;

    /** An agent with one publisher and {@code fanOut} subscribers, and the decrypted packet it keeps receiving. */
    @State(Scope.Thread)
    public static class Room extends ForwardingRoom {
        @Param({"1", "10", "100"})
        public int fanOut;

        @Param({"NONE", "AEAD_AES_128_GCM", "AES128_CM_HMAC_SHA1_80"})
        public Crypto crypto;

        final UnsafeBuffer input = new UnsafeBuffer(new byte[2048]);
        final RtpPacket packet = new RtpPacket();
        int length;
        long nowNs;

        @Setup(Level.Trial)
        public void setUp() {
            buildRig(fanOut, crypto);
            length = rig.source.write(input, 0);
            if (!packet.wrap(input, 0, length)) {
                throw new IllegalStateException("not RTP");
            }
            nowNs = System.nanoTime();
            rig.agent.onRtp(rig.publisher, input, 0, length, nowNs);
            output.requireKeyframeReachedAll(fanOut);
        }
    }

    /** A sending context of {@code crypto}'s profile and the same packet the room forwards. */
    @State(Scope.Thread)
    public static class Protect {
        @Param({"AEAD_AES_128_GCM", "AES128_CM_HMAC_SHA1_80"})
        public Crypto crypto;

        SrtpContext sender;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
        final RtpPacket packet = new RtpPacket();
        int length;
        long packets;

        @Setup(Level.Trial)
        public void setUp() {
            sender = sendingContext(crypto, 0);
            length = new VideoPacketSource(ForwardingRig.subscriberSsrc(0)).write(buffer, 0);
            if (!packet.wrap(buffer, 0, length)) {
                throw new IllegalStateException("not RTP");
            }
        }
    }

    /**
     * {@code fanOut} sending contexts with keys of their own, as the subscribers of a room have, and one packet
     * buffer per context: the crypto of one forwarded packet without the forwarding around it.
     */
    @State(Scope.Thread)
    public static class ProtectEach {
        @Param({"10", "100"})
        public int fanOut;

        @Param({"AEAD_AES_128_GCM", "AES128_CM_HMAC_SHA1_80"})
        public Crypto crypto;

        SrtpContext[] senders;
        UnsafeBuffer[] buffers;
        RtpPacket[] packets;
        int length;
        long count;

        @Setup(Level.Trial)
        public void setUp() {
            senders = new SrtpContext[fanOut];
            buffers = new UnsafeBuffer[fanOut];
            packets = new RtpPacket[fanOut];
            for (int i = 0; i < fanOut; i++) {
                senders[i] = sendingContext(crypto, i);
                buffers[i] = new UnsafeBuffer(new byte[2048]);
                length = new VideoPacketSource(ForwardingRig.subscriberSsrc(i)).write(buffers[i], 0);
                packets[i] = new RtpPacket();
                if (!packets[i].wrap(buffers[i], 0, length)) {
                    throw new IllegalStateException("not RTP");
                }
            }
        }
    }

    static SrtpContext sendingContext(Crypto crypto, int seed) {
        byte[] key = new byte[crypto.profile().masterKeyLength()];
        byte[] salt = new byte[crypto.profile().masterSaltLength()];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (seed * 7 + i);
        }
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) (seed * 13 + i);
        }
        return SrtpContext.forSending(crypto.profile(), key, salt);
    }

    @Benchmark
    public long forward(Room room, CpuTime cpu) {
        cpu.op();
        long n = ++room.packets;
        if ((n & (DUTY_CYCLE_PACKETS - 1)) == 0) {
            room.nowNs = System.nanoTime();
            room.rig.agent.doWork();
        }
        room.rig.source.advance(room.packet, n);
        room.rig.agent.onRtp(room.rig.publisher, room.input, 0, room.length, room.nowNs);
        return room.output.rtpBytes;
    }

    /**
     * The crypto ceiling: SRTP-protects the {@value VideoPacketSource#PACKET_BYTES}-octet packet in place with the
     * next sequence number, always with the same context.
     */
    @Benchmark
    public int srtpProtectOnly(Protect protect, CpuTime cpu) {
        cpu.op();
        protect.packet.sequenceNumber((int) (++protect.packets & 0xFFFF));
        return protect.sender.protectRtp(protect.buffer, 0, protect.length);
    }

    /**
     * The crypto of one forwarded packet: protects the packet once with each of {@code fanOut} contexts (each
     * with its own key schedule and GHASH tables, which no longer all fit in the core's caches), in place.
     */
    @Benchmark
    public int srtpProtectEachSubscriber(ProtectEach each, CpuTime cpu) {
        cpu.op();
        int sequence = (int) (++each.count & 0xFFFF);
        int result = 0;
        for (int i = 0; i < each.senders.length; i++) {
            each.packets[i].sequenceNumber(sequence);
            result += each.senders[i].protectRtp(each.buffers[i], 0, each.length);
        }
        return result;
    }
}
