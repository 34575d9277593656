package io.sfu.bench.forward;

import io.sfu.bench.JvmFlags;
import io.sfu.core.forward.ConsumerSpec;
import org.agrona.concurrent.SystemNanoClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * The forwarding core with spatial layers, as {@link TemporalLayerBenchmark} measures temporal ones: one decrypted
 * packet of an L3T3 track ({@link SvcVideoPacketSource}: VP9 by its payload descriptor, or AV1 by the dependency
 * descriptor, by {@code descriptor}) in, to {@code fanOut} subscribers of which
 * subscriber {@code i} takes the spatial layers up to {@code i % 3}: the packets of the layers above are dropped,
 * the rest renumbered, the end of each picture marked for it, and sent. One operation is one incoming packet.
 *
 * <p>Run: {@code java -jar sfu-bench/target/benchmarks.jar 'io.sfu.bench.forward.SvcBenchmark' -prof gc
 * -wi 2 -i 3 -w 2s -r 2s}; {@code gc.alloc.rate.norm} should be about 0 B/op.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.AGRONA, JvmFlags.GHASH})
public class SvcBenchmark {

    /** An agent with one L3T3 publisher and {@code fanOut} subscribers, and the decrypted packet it keeps receiving. */
    @State(Scope.Thread)
    public static class Room extends LayeredRoom {
        /** Subscribers that take spatial layer n (and those below it), by n. */
        final int[] takers = new int[SvcVideoPacketSource.SPATIAL_LAYERS];

        @Param({"PAYLOAD", "DEPENDENCY"})
        public SvcLayerDescriptor descriptor;

        @Setup(Level.Trial)
        public void setUp() {
            boolean dependencies = descriptor == SvcLayerDescriptor.DEPENDENCY;
            buildRig(new ForwardingRig(fanOut, crypto, output, SystemNanoClock.INSTANCE, 1024,
                dependencies ? SvcVideoPacketSource.DEPENDENCY_DESCRIPTOR_ID : 0,
                subscriber -> ConsumerSpec.ALL_TEMPORAL_LAYERS, dependencies ? "AV1" : "VP9",
                dependencies ? SvcVideoPacketSource.AV1_PAYLOAD_TYPE : SvcVideoPacketSource.VP9_PAYLOAD_TYPE,
                subscriber -> subscriber % SvcVideoPacketSource.SPATIAL_LAYERS), fanOut);
            for (int subscriber = 0; subscriber < fanOut; subscriber++) {
                for (int layer = 0; layer <= subscriber % SvcVideoPacketSource.SPATIAL_LAYERS; layer++) {
                    takers[layer]++;
                }
            }
            start(new SvcVideoPacketSource(ForwardingRig.PUBLISHER_SSRC, descriptor), fanOut);
        }
    }

    @Benchmark
    public long forward(Room room, CpuTime cpu) {
        cpu.op();
        room.expected += room.takers[SvcVideoPacketSource.spatialIdOf(room.forwardNext())];
        return room.output.rtpBytes;
    }
}
