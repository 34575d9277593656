package io.sfu.bench.forward;

import io.sfu.core.rtp.RtpPacket;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The JMH state of the benchmarks whose subscribers take some of a layered track's packets: the one decrypted packet
 * the agent keeps receiving, turned into the next one each time, and the count of packets to subscribers expected.
 */
@State(Scope.Thread)
public abstract class LayeredRoom extends ForwardingRoom {
    /** A track's packets as {@link LayeredVideoPacketSource} and {@link SvcVideoPacketSource} write them. */
    interface Source {
        /** Writes packet 0, a keyframe's first, at {@code offset}; returns its length. */
        int write(MutableDirectBuffer buffer, int offset);

        /** Writes the layout of the packets after it at {@code offset}; returns its length. */
        int writeDelta(MutableDirectBuffer buffer, int offset);

        /** Turns the packet laid out by {@link #writeDelta} into packet {@code n > 0}, without allocating. */
        void advance(RtpPacket packet, long n);
    }

    @Param({"1", "10"})
    public int fanOut;

    /** No crypto by default: what is measured is the selection (ForwardingBenchmark has the rest). */
    @Param({"NONE"})
    public Crypto crypto;

    final UnsafeBuffer input = new UnsafeBuffer(new byte[2048]);
    final RtpPacket packet = new RtpPacket();
    private Source source;
    private int length;
    private long nowNs;
    /** Packets to subscribers the packets sent in so far should have made. */
    long expected;

    /** Sends {@code layered}'s keyframe to the {@code fanOut} subscribers of the rig built, and lays out the rest. */
    void start(Source layered, int fanOut) {
        source = layered;
        nowNs = System.nanoTime();
        int keyframe = source.write(input, 0);
        rig.agent.onRtp(rig.publisher, input, 0, keyframe, nowNs);
        output.requireKeyframeReachedAll(fanOut);
        length = source.writeDelta(input, 0);
        if (!packet.wrap(input, 0, length)) {
            throw new IllegalStateException("not RTP");
        }
    }

    /**
     * Sends the next packet in (with a duty cycle of the agent every {@link ForwardingBenchmark#DUTY_CYCLE_PACKETS}
     * packets, on the clock read then); returns its number.
     */
    long forwardNext() {
        long n = ++packets;
        if ((n & (ForwardingBenchmark.DUTY_CYCLE_PACKETS - 1)) == 0) {
            nowNs = System.nanoTime();
            rig.agent.doWork();
        }
        source.advance(packet, n);
        rig.agent.onRtp(rig.publisher, input, 0, length, nowNs);
        return n;
    }

    @Override
    long expectedForwards() {
        return expected;
    }
}
