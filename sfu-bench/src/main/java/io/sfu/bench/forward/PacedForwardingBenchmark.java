package io.sfu.bench.forward;

import io.sfu.bench.JvmFlags;
import io.sfu.core.forward.Leg;
import io.sfu.core.rtcp.Remb;
import io.sfu.core.rtp.RtpPacket;
import org.agrona.concurrent.CachedNanoClock;
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
 * The forwarding core with every subscriber paced, as {@link ForwardingBenchmark} measures it unpaced: each
 * subscriber's downlink estimate is 1.67 Mbit/s (its REMB), so its pacer (2.5 Mbit/s) lets about 3 of a burst of
 * {@value #BURST} 1,100-octet packets go at once and queues the rest, which the agent's next duty cycle, 32 ms later
 * on the benchmark's clock, sends. One operation is one burst: the duty cycle, then {@value #BURST} packets in;
 * packets forwarded per second per core = ops/s × {@value #BURST} × fanOut.
 *
 * <p>Run: {@code java -jar sfu-bench/target/benchmarks.jar 'io.sfu.bench.forward.PacedForwardingBenchmark' -prof gc
 * -wi 2 -i 3 -w 2s -r 2s}; {@code gc.alloc.rate.norm} should be about 0 B/op.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.AGRONA, JvmFlags.GHASH})
public class PacedForwardingBenchmark {
    static final int BURST = 8;
    static final long BURST_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(32);
    static final long ESTIMATE_BPS = 1_666_667;

    /** An agent with one publisher and {@code fanOut} paced subscribers, on a clock the benchmark moves. */
    @State(Scope.Thread)
    public static class Room extends ForwardingRoom {
        @Param({"1", "10"})
        public int fanOut;

        @Param({"AEAD_AES_128_GCM"})
        public Crypto crypto;

        final CachedNanoClock clock = new CachedNanoClock();
        final UnsafeBuffer input = new UnsafeBuffer(new byte[2048]);
        final RtpPacket packet = new RtpPacket();
        int length;

        @Setup(Level.Trial)
        public void setUp() {
            clock.update(System.nanoTime());
            buildRig(new ForwardingRig(fanOut, crypto, output, clock, 1024), fanOut);
            length = rig.source.write(input, 0);
            if (!packet.wrap(input, 0, length)) {
                throw new IllegalStateException("not RTP");
            }
            rig.agent.onRtp(rig.publisher, input, 0, length, clock.nanoTime());
            output.requireKeyframeReachedAll(fanOut);
            UnsafeBuffer remb = new UnsafeBuffer(new byte[64]);
            for (int i = 0; i < fanOut; i++) {
                int rembLength = Remb.write(remb, 0, 0x77, ESTIMATE_BPS,
                    new int[] {ForwardingRig.subscriberSsrc(i)}, 1);
                rig.agent.onRtcp(rig.subscribers[i], remb, 0, rembLength, clock.nanoTime());
            }
            // what is measured is the paced path: a first burst must leave packets waiting
            burst(this);
            if (rig.subscribers[0].pacerQueued() == 0) {
                throw new IllegalStateException("a burst of " + BURST + " packets left nothing waiting: not paced");
            }
        }

        /** Every packet sent in to every subscriber, less what waits in their pacers now. */
        @Override
        long expectedForwards() {
            long waiting = 0;
            for (Leg subscriber : rig.subscribers) {
                waiting += subscriber.pacerQueued();
            }
            return super.expectedForwards() - waiting;
        }
    }

    @Benchmark
    public long forward(Room room, CpuTime cpu) {
        cpu.op();
        return burst(room);
    }

    private static long burst(Room room) {
        room.clock.advance(BURST_INTERVAL_NS);
        long now = room.clock.nanoTime();
        room.rig.agent.doWork();
        for (int i = 0; i < BURST; i++) {
            long n = ++room.packets;
            room.rig.source.advance(room.packet, n);
            room.rig.agent.onRtp(room.rig.publisher, room.input, 0, room.length, now);
        }
        return room.output.rtpBytes;
    }
}
