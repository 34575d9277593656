package io.sfu.core.forward;

/**
 * Counters of one published or forwarded track, as the control plane reads them. The forwarding agent keeps its
 * own plain counters on the hot path and publishes them here once a second, so readers on other threads see a
 * consistent, at most a second old, picture without the hot path paying for a fence per packet.
 */
public final class TrackCounters {
    private volatile long packets;
    private volatile long bytes;
    private volatile long lost;
    private volatile long nacks;
    private volatile long plis;
    private volatile long bitrateBps;
    private volatile long dropped;
    private volatile long retransmitted;
    private volatile long retransmitsRefused;
    private volatile long downlinkEstimateBps;
    private volatile int layer = -1;
    private volatile int temporalLayer = -1;
    private volatile int targetLayer = -1;
    private volatile long allocatedBps;
    private volatile long temporalLayerDrops;
    private volatile int spatialLayer = -1;
    private volatile long spatialLayerDrops;

    void publish(long packets, long bytes, long lost, long nacks, long plis, long bitrateBps, long dropped,
                 long retransmitted, long retransmitsRefused, int layer) {
        this.packets = packets;
        this.bytes = bytes;
        this.lost = lost;
        this.nacks = nacks;
        this.plis = plis;
        this.bitrateBps = bitrateBps;
        this.dropped = dropped;
        this.retransmitted = retransmitted;
        this.retransmitsRefused = retransmitsRefused;
        this.layer = layer;
    }

    public long packets() {
        return packets;
    }

    public long bytes() {
        return bytes;
    }

    /** Packets lost on the way in (published) or reported lost by the subscriber (forwarded). */
    public long lost() {
        return lost;
    }

    /** NACKs sent to the publisher (published) or received from the subscriber (forwarded). */
    public long nacks() {
        return nacks;
    }

    /** Keyframe requests sent to the publisher (published) or received from the subscriber (forwarded). */
    public long plis() {
        return plis;
    }

    public long bitrateBps() {
        return bitrateBps;
    }

    /**
     * For a subscription, packets not forwarded to its subscriber because its send failed (socket full) or its codec
     * was absent; for a published track, packets received again after they had been forwarded (copies a publisher
     * sends on its RTX stream to probe its uplink), which are not forwarded twice.
     */
    public long dropped() {
        return dropped;
    }

    /** Packets sent again in answer to NACKs. */
    public long retransmitted() {
        return retransmitted;
    }

    /**
     * Packets a subscriber's NACKs asked for that were not sent again: repeated within a round trip, beyond the cap
     * of one NACK, or over the retransmission budget.
     */
    public long retransmitsRefused() {
        return retransmitsRefused;
    }

    /** The estimate of the subscriber's downlink (forwarded tracks), 0 before its first transport-wide feedback. */
    public long downlinkEstimateBps() {
        return downlinkEstimateBps;
    }

    void downlinkEstimateBps(long bps) {
        this.downlinkEstimateBps = bps;
    }

    /** Index of the simulcast layer received (published: the highest active) or forwarded; -1 when none. */
    public int layer() {
        return layer;
    }

    void target(int targetLayer, long allocatedBps) {
        this.targetLayer = targetLayer;
        this.allocatedBps = allocatedBps;
    }

    /** Index of the simulcast layer a subscription aims at (it switches at that layer's next keyframe); -1: none. */
    public int targetLayer() {
        return targetLayer;
    }

    /**
     * What a video subscription may take of its subscriber's downlink estimate (its share: the layer it aims at is
     * the highest that fits), 0 for audio or before the first feedback.
     */
    public long allocatedBps() {
        return allocatedBps;
    }

    void temporalLayer(int temporalLayer, long drops) {
        this.temporalLayer = temporalLayer;
        this.temporalLayerDrops = drops;
    }

    /**
     * The highest temporal layer (TID) received (published) or forwarded (subscribed, with every layer below it);
     * -1 when the stream carries no temporal layer indices, or nothing arrived or went out yet.
     */
    public int temporalLayer() {
        return temporalLayer;
    }

    /** Packets not forwarded to the subscriber because their temporal layer was above the one it receives. */
    public long temporalLayerDrops() {
        return temporalLayerDrops;
    }

    void spatialLayer(int spatialLayer, long drops) {
        this.spatialLayer = spatialLayer;
        this.spatialLayerDrops = drops;
    }

    /**
     * The highest spatial layer (VP9's SID, or the dependency descriptor's) forwarded, with every layer below it
     * (subscribed tracks); -1 when the stream carries no spatial layer indices, or nothing went out yet.
     */
    public int spatialLayer() {
        return spatialLayer;
    }

    /** Packets not forwarded to the subscriber because their spatial layer was above the one it receives. */
    public long spatialLayerDrops() {
        return spatialLayerDrops;
    }
}
