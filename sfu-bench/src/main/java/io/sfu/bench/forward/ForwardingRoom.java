package io.sfu.bench.forward;

import org.agrona.concurrent.SystemNanoClock;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The JMH state the forwarding benchmarks build on: a {@link ForwardingRig} whose output is counted, and the number
 * of packets sent in. JMH runs the fixtures of this superclass too: after every iteration the run fails unless each
 * packet sent in reached each subscriber it is for, so a benchmark never measures a path that silently drops.
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
        buildRig(new ForwardingRig(fanOut, crypto, output, SystemNanoClock.INSTANCE, 1024), fanOut);
    }

    /** As {@link #buildRig(int, Crypto)}, with a rig made by the caller on {@link #output}. */
    void buildRig(ForwardingRig built, int fanOut) {
        subscribers = fanOut;
        rig = built;
        rig.applyCommands();
    }

    /** Packets to subscribers the packets sent in so far should have made: each to every subscriber. */
    long expectedForwards() {
        return packets * subscribers;
    }

    @Setup(Level.Iteration)
    public void markIteration() {
        output.markIteration(expectedForwards());
    }

    /** Fails the run unless every packet of the iteration reached every subscriber it is for. */
    @TearDown(Level.Iteration)
    public void checkEveryPacketForwarded() {
        output.requireForwardedSinceMark(expectedForwards());
    }
}
