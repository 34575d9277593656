package io.sfu.core.session;

/**
 * Counters of one track of one participant, as the media engine measures them: what it received for a published
 * track, or what it sent for a subscribed one. {@code layer} is the rid currently received or forwarded, or null.
 */
public record TrackStats(String trackId, Direction direction, long packets, long bytes, long lost, long nacks,
                         long plis, long bitrateBps, String layer) {

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
