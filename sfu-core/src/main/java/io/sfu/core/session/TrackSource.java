package io.sfu.core.session;

import java.util.Optional;

/**
 * What a track carries, as its publisher says in its offer ({@code sources} by mid): a camera or a microphone by
 * default, or a shared screen (and its sound). Subscribers' downlink estimates serve a shared screen's video before
 * other video, after the dominant speaker's.
 */
public enum TrackSource {
    CAMERA("camera"),
    MICROPHONE("microphone"),
    SCREEN("screen"),
    SCREEN_AUDIO("screenAudio"),
    /** A data channel: its messages. */
    DATA("data");

    private final String wireName;

    TrackSource(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in the API. */
    public String wireName() {
        return wireName;
    }

    /** The source of the API name {@code name}, if it is one. */
    public static Optional<TrackSource> fromWire(String name) {
        for (TrackSource source : values()) {
            if (source.wireName.equals(name)) {
                return Optional.of(source);
            }
        }
        return Optional.empty();
    }

    /** What a track of {@code kind} carries when its publisher did not say. */
    public static TrackSource defaultFor(TrackKind kind) {
        return kind == TrackKind.AUDIO ? MICROPHONE : kind == TrackKind.DATA ? DATA : CAMERA;
    }
}
