package io.sfu.bench.forward;

import io.sfu.bench.JvmFlags;
import io.sfu.core.forward.ConsumerSpec;
import org.agrona.concurrent.SystemNanoClock;
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
 * The forwarding core with VP8 temporal layers, as {@link ForwardingBenchmark} measures it without: one decrypted
 * packet of an L1T3 track ({@link LayeredVideoPacketSource}, its layers told by the payload descriptor or by the
 * dependency descriptor) in, to {@code fanOut} subscribers of which every other one (the first included) receives
 * the base layer alone: their packets of the upper layers are dropped, the rest renumbered (sequence number,
 * picture id and TL0PICIDX) and sent. One operation is one incoming packet.
 *
 * <p>Run: {@code java -jar sfu-bench/target/benchmarks.jar 'io.sfu.bench.forward.TemporalLayerBenchmark' -prof gc
 * -wi 2 -i 3 -w 2s -r 2s}; {@code gc.alloc.rate.norm} should be about 0 B/op.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.AGRONA, JvmFlags.GHASH})
public class TemporalLayerBenchmark {

    /** An agent with one L1T3 publisher and {@code fanOut} subscribers, and the decrypted packet it keeps receiving. */
    @State(Scope.Thread)
    public static class Room extends LayeredRoom {
        @Param({"PAYLOAD", "DEPENDENCY"})
        public Vp8LayerDescriptor descriptor;

        /** Subscribers of the base layer alone, and of every layer. */
        int baseLayerSubscribers;
        int allLayerSubscribers;

        @Setup(Level.Trial)
        public void setUp() {
            int dependencyDescriptorId = descriptor == Vp8LayerDescriptor.DEPENDENCY
                ? LayeredVideoPacketSource.DEPENDENCY_DESCRIPTOR_ID : 0;
            buildRig(new ForwardingRig(fanOut, crypto, output, SystemNanoClock.INSTANCE, 1024, dependencyDescriptorId,
                subscriber -> subscriber % 2 == 0 ? 0 : ConsumerSpec.ALL_TEMPORAL_LAYERS), fanOut);
            baseLayerSubscribers = (fanOut + 1) / 2;
            allLayerSubscribers = fanOut - baseLayerSubscribers;
            start(new LayeredVideoPacketSource(ForwardingRig.PUBLISHER_SSRC, descriptor), fanOut);
        }
    }

    @Benchmark
    public long forward(Room room, CpuTime cpu) {
        cpu.op();
        long n = room.forwardNext();
        room.expected += LayeredVideoPacketSource.temporalIdOf(n) == 0
            ? room.baseLayerSubscribers + room.allLayerSubscribers : room.allLayerSubscribers;
        return room.output.rtpBytes;
    }
}
