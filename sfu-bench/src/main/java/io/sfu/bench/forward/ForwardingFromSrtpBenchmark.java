package io.sfu.bench.forward;

import io.sfu.bench.JvmFlags;
import io.sfu.core.buffer.PacketPool;
import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.net.DatagramKind;
import io.sfu.core.rtp.RtpPacket;
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
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * The whole forwarding path from an SRTP packet in a pooled slot: {@code enqueue(slot)} and one duty cycle
 * ({@code doWork()}: unprotect, route, rewrite and protect per subscriber, send, release the slot), {@code fanOut}
 * subscribers, {@code crypto} on every leg.
 *
 * <p>Every operation needs a packet the receive side has not seen (its replay window rejects repeats), so each
 * operation makes its own: copies the browser-like packet into a fresh slot, sets the next sequence number and
 * protects it as the publishing browser would. {@link #inputOnly} measures exactly that preparation alone, so the
 * forwarding cost is {@code 1/forwardFromSrtp − 1/inputOnly} (in seconds per packet). This is preferred over a
 * pre-protected ring because the sequence number then never repeats or jumps back (a ring that starts over
 * needs the receive context reset, and the producer's statistics, NACK generator and the consumers' rewriters
 * would see the stream restart), the memory used does not grow with the iteration length, and the packet is in
 * cache as it is when the receive thread just wrote it.
 *
 * <p>Run: {@code java -jar sfu-bench/target/benchmarks.jar 'io.sfu.bench.forward.ForwardingFromSrtpBenchmark'
 * -prof gc -wi 2 -i 3 -w 2s -r 2s}. Both also report the CPU time per operation ({@link CpuTime}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.AGRONA, JvmFlags.GHASH})
@State(Scope.Thread)
public class ForwardingFromSrtpBenchmark extends ForwardingRoom {
    @Param({"10"})
    public int fanOut;

    @Param({"AEAD_AES_128_GCM"})
    public Crypto crypto;

    private final PacketPool pool = new PacketPool(64);
    private final UnsafeBuffer template = new UnsafeBuffer(new byte[PacketSlot.CAPACITY]);
    private final RtpPacket packet = new RtpPacket();
    private int length;
    /** Packets prepared by {@link #inputOnly}, which forwards nothing. */
    private long preparedOnly;

    @Setup(Level.Trial)
    public void setUp() {
        buildRig(fanOut, crypto);
        length = rig.source.write(template, 0);
        receive(0);
        output.requireKeyframeReachedAll(fanOut);
        // later packets start from the delta-frame layout
        if (!packet.wrap(template, 0, length)) {
            throw new IllegalStateException("not RTP");
        }
        rig.source.advance(packet, 1);
    }

    /** Fails the run unless every slot of the iteration came back to the pool. */
    @TearDown(Level.Iteration)
    public void checkEverySlotReleased() {
        if (pool.inUse() != 0) {
            throw new IllegalStateException("slots in use after the iteration: " + pool.inUse());
        }
    }

    /** A slot holding packet {@code n} protected by the publishing browser, addressed to the publisher transport. */
    private PacketSlot protectedPacket(long n) {
        PacketSlot slot = pool.acquire();
        UnsafeBuffer buffer = slot.buffer();
        buffer.putBytes(0, template, 0, length);
        if (packet.wrap(buffer, 0, length)) {
            rig.source.advance(packet, n);
        }
        int protectedLength = rig.publisherPeerSend.protectRtp(buffer, 0, length);
        slot.data(0, protectedLength).kind(DatagramKind.RTP.ordinal());
        return slot;
    }

    private void receive(long n) {
        PacketSlot slot = protectedPacket(n);
        if (!rig.publisher.onMedia(slot)) {
            slot.release();
            throw new IllegalStateException("agent queue full");
        }
        rig.agent.doWork();
    }

    @Benchmark
    public long forwardFromSrtp(CpuTime cpu) {
        cpu.op();
        long n = ++packets;
        receive(n);
        return output.rtpBytes;
    }

    /** The per-operation preparation of {@link #forwardFromSrtp} alone: slot, copy, next sequence, protect. */
    @Benchmark
    public int inputOnly(CpuTime cpu) {
        cpu.op();
        PacketSlot slot = protectedPacket(++preparedOnly);
        int protectedLength = slot.length();
        slot.release();
        return protectedLength;
    }
}
