package io.sfu.core.session;

/**
 * Counters of one track of one participant, as the media engine measures them: what it received for a published
 * track, or what it sent for a subscribed one. {@code layer} is the rid currently received or forwarded, or null;
 * {@code dropped} counts the packets not delivered to a subscriber because its send failed (socket full) or the
 * codec was not negotiated with it; {@code retransmitted} the packets sent to a subscriber again in answer to its
 * NACKs, and {@code retransmitsRefused} those its NACKs asked for that were not sent again (asked for twice within a
 * round trip, beyond the cap of one NACK, or over the retransmission budget); {@code downlinkEstimateBps} the
 * estimate of the subscriber's downlink the SFU chooses its layers by (0 until its first transport-wide feedback);
 * {@code temporalLayer} the highest temporal layer received (published) or forwarded (subscribed, with every layer
 * below it), or -1 when the stream carries no temporal layers; for a subscribed track, {@code targetLayer} the rid it
 * aims at (and switches to at that layer's next keyframe), or null, {@code allocatedBps} its share of the
 * downlink estimate (0 for audio or before feedback), and {@code spatialLayer} the highest spatial layer of SVC
 * forwarded (with every layer below it), or -1 when the stream carries no spatial layers.
 */
public record TrackStats(String trackId, Direction direction, long packets, long bytes, long lost, long nacks,
                         long plis, long bitrateBps, String layer, long dropped, long retransmitted,
                         long retransmitsRefused, long downlinkEstimateBps, int temporalLayer,
                         String targetLayer, long allocatedBps, int spatialLayer) {

    /** Counters without a spatial layer. */
    public TrackStats(String trackId, Direction direction, long packets, long bytes, long lost, long nacks, long plis,
                      long bitrateBps, String layer, long dropped, long retransmitted, long retransmitsRefused,
                      long downlinkEstimateBps, int temporalLayer, String targetLayer, long allocatedBps) {
        this(trackId, direction, packets, bytes, lost, nacks, plis, bitrateBps, layer, dropped, retransmitted,
            retransmitsRefused, downlinkEstimateBps, temporalLayer, targetLayer, allocatedBps, -1);
    }

    /** Counters without a target. */
    public TrackStats(String trackId, Direction direction, long packets, long bytes, long lost, long nacks, long plis,
                      long bitrateBps, String layer, long dropped, long retransmitted, long retransmitsRefused,
                      long downlinkEstimateBps, int temporalLayer) {
        this(trackId, direction, packets, bytes, lost, nacks, plis, bitrateBps, layer, dropped, retransmitted,
            retransmitsRefused, downlinkEstimateBps, temporalLayer, null, 0);
    }

    /** Counters without a temporal layer. */
    public TrackStats(String trackId, Direction direction, long packets, long bytes, long lost, long nacks, long plis,
                      long bitrateBps, String layer, long dropped, long retransmitted, long retransmitsRefused,
                      long downlinkEstimateBps) {
        this(trackId, direction, packets, bytes, lost, nacks, plis, bitrateBps, layer, dropped, retransmitted,
            retransmitsRefused, downlinkEstimateBps, -1);
    }

    /** Counters without a downlink estimate. */
    public TrackStats(String trackId, Direction direction, long packets, long bytes, long lost, long nacks, long plis,
                      long bitrateBps, String layer, long dropped, long retransmitted, long retransmitsRefused) {
        this(trackId, direction, packets, bytes, lost, nacks, plis, bitrateBps, layer, dropped, retransmitted,
            retransmitsRefused, 0);
    }

    /** Counters without retransmissions. */
    public TrackStats(String trackId, Direction direction, long packets, long bytes, long lost, long nacks, long plis,
                      long bitrateBps, String layer, long dropped) {
        this(trackId, direction, packets, bytes, lost, nacks, plis, bitrateBps, layer, dropped, 0, 0);
    }

    /** Counters with nothing dropped. */
    public TrackStats(String trackId, Direction direction, long packets, long bytes, long lost, long nacks, long plis,
                      long bitrateBps, String layer) {
        this(trackId, direction, packets, bytes, lost, nacks, plis, bitrateBps, layer, 0);
    }

    /** Whether the participant publishes the track or receives it. */
    public enum Direction {
        PUBLISHED,
        SUBSCRIBED
    }

    /** Counters of a track the engine has not measured yet. */
    public static TrackStats empty(String trackId, Direction direction) {
        return new TrackStats(trackId, direction, 0, 0, 0, 0, 0, 0, null);
    }
}
