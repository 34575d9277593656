package io.sfu.core.forward;

import io.sfu.core.rtp.codec.Vp9PayloadParser;

/**
 * Which spatial layers of a stream with spatial layers on one SSRC (VP9 SVC by its payload descriptor's SID, RFC
 * 9628; any codec, AV1 in practice, by the dependency descriptor's template) one consumer forwards, and which packet
 * ends a picture (a temporal unit) for its receiver. Its target is the lower of the
 * subscriber's preference and what its share of the downlink allows. Going down takes effect at the next picture:
 * a lower layer never refers to a higher one. Going up waits for a keyframe, whose picture starts every layer: in
 * L3T3 a layer frame also refers to its own layer's earlier pictures, which were not forwarded (the switch points
 * inter-layer prediction alone could offer are not used). A packet without a SID is always forwarded.
 */
final class SpatialLayerFilter {
    /** The highest spatial layer index the 3-bit SID can carry: a target of it forwards every layer. */
    static final int ALL = Vp9PayloadParser.MAX_SPATIAL_LAYERS - 1;

    /** How long after a switch a packet may come late from before it: 10 s of a 90 kHz clock, beyond any reorder. */
    static final int LATE_TICKS = 900_000;

    private int preferred = ALL;
    /** The subscriber's maxHeight for a stream with spatial layers, 0 when it named a layer (or nothing). */
    private int preferredHeight;
    private int allocated = ALL;
    private int target = ALL;
    /** The highest layer forwarded now, -1 before the first keyframe. */
    private int current = -1;
    /** The layer forwarded before the last switch, for late packets of the pictures before it; -1 for none. */
    private int previous = -1;
    private long switchTimestamp;
    /**
     * Whether the last switch is recent enough for a late packet to be from before it: RTP timestamps wrap, so an
     * old switch point would read as ahead of the pictures half the timestamp space later.
     */
    private boolean switchRemembered;
    private long newestTimestamp;

    /** The subscriber's {@code maxSpatialLayer}, 0 to {@link #ALL}. */
    void prefer(int maxSpatialLayer) {
        preferred = clamp(maxSpatialLayer);
        preferredHeight = 0;
        target = Math.min(preferred, allocated);
    }

    /** The subscriber's {@code maxHeight}: the highest layer no taller than it (see {@link #preferred}). */
    void preferHeight(int maxHeight) {
        preferred = ALL;
        preferredHeight = Math.max(1, maxHeight);
    }

    /**
     * The highest layer the subscriber wants: what it named, or by its maxHeight the highest layer of {@code stream}
     * no taller ({@link #ALL} while the stream's scalability structure did not give the heights).
     */
    int preferred(ProducerStream stream) {
        return preferredHeight > 0 ? stream.spatialLayerForHeight(preferredHeight) : preferred;
    }

    /** The spatial part of the subscriber's preference, for the consumer that replaces this one. */
    void preferAs(SpatialLayerFilter other) {
        preferred = other.preferred;
        preferredHeight = other.preferredHeight;
    }

    /** The highest layer the subscriber's share of its downlink allows. */
    void allocate(int spatialLayer) {
        allocated = clamp(spatialLayer);
    }

    int allocated() {
        return allocated;
    }

    /** Sets the target, the lower of what the subscriber wants of {@code stream} and what is allocated. */
    void aim(ProducerStream stream) {
        target = Math.min(preferred(stream), allocated);
    }

    /**
     * Whether the target lies above what is forwarded, among the layers {@code stream} sent: only a keyframe can take
     * the consumer there.
     */
    boolean awaitsKeyframe(ProducerStream stream) {
        return current >= 0 && Math.min(target, stream.highestSpatialLayerSeen()) > current;
    }

    /** The highest layer forwarded now (what the target was at the last switch), -1 before the first keyframe. */
    int current() {
        return current;
    }

    /**
     * Decides one packet of spatial layer {@code spatialId} (negative: the packet has none) of the picture with RTP
     * timestamp {@code timestamp}; {@code keyframe} when it starts a keyframe.
     */
    boolean admit(int spatialId, long timestamp, boolean keyframe) {
        if (spatialId < 0) {
            return true;
        }
        int ahead = (int) (timestamp - newestTimestamp);
        if (current < 0 || ahead > 0 || ahead == 0 && keyframe) {
            newestTimestamp = timestamp;
            if (current < 0 ? keyframe : target < current || keyframe && target > current) {
                previous = current;
                switchTimestamp = timestamp;
                switchRemembered = true;
                current = target;
            } else if (switchRemembered && (int) (timestamp - switchTimestamp) > LATE_TICKS) {
                switchRemembered = false;
            }
        }
        int forwarded = current;
        if (ahead < 0 && switchRemembered && (int) (timestamp - switchTimestamp) < 0) {
            // a late packet of a picture before the switch: decided as that picture's first packets were
            forwarded = previous;
        }
        return spatialId <= forwarded;
    }

    /**
     * Whether a forwarded packet (of layer {@code spatialId}, ending its layer frame when {@code endOfLayerFrame})
     * is the last of its picture for this consumer: the end of the highest layer forwarded, where RFC 9628 §4.1
     * wants the marker bit, and the AV1 RTP specification (§5.1, the end of a temporal unit); libwebrtc's receiver
     * takes it as the last spatial layer of the picture. Where the publisher sends no frame of that layer, its own
     * marker on the highest layer it sent stays.
     */
    boolean endsPicture(int spatialId, boolean endOfLayerFrame) {
        return endOfLayerFrame && spatialId >= 0 && spatialId == current;
    }

    /** Nothing is forwarded until the next keyframe (the consumer starts again there). */
    void reset() {
        current = -1;
        previous = -1;
        switchRemembered = false;
    }

    private static int clamp(int layer) {
        return Math.max(0, Math.min(ALL, layer));
    }
}
