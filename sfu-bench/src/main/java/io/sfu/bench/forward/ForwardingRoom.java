package io.sfu.bench.forward;

import org.agrona.concurrent.SystemNanoClock;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The JMH state both forwarding benchmarks build on: a {@link ForwardingRig} whose output is counted, and the number
 * of packets sent in. JMH runs the fixtures of this superclass too: after every iteration the run fails unless each
 * packet sent in reached each subscriber, so a benchmark never measures a path that silently drops.
 */
public abstract class ForwardingRoom {
    ForwardingRig rig;
    final CountingOutput output = new CountingOutput();
    /** Number of the last packet sent in; packet 0 (the keyframe) started the consumers. */
    long packets;
    private int subscribers;

    /**
     * Builds the room, {@code fanOut} subscribers on the system clock, with its commands applied; the benchmark
     * then sends the keyframe.
     */
    void buildRig(int fanOut, Crypto crypto) {
        subscribers = fanOut;
        rig = new ForwardingRig(fanOut, crypto, output, SystemNanoClock.INSTANCE, 1024);
        rig.applyCommands();
    }

    @Setup(Level.Iteration)
    public void markIteration() {
        output.markIteration(packets);
    }

    /** Fails the run unless every packet of the iteration reached every subscriber. */
    @TearDown(Level.Iteration)
    public void checkEveryPacketForwarded() {
        output.requireForwardedSinceMark(packets, subscribers);
    }
}
