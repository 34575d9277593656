package io.sfu.client;

/** The kind of a track, as the SDP media type of its m-line names it. */
public enum MediaKind {
    AUDIO("audio"),
    VIDEO("video");

    private final String sdpName;

    MediaKind(String sdpName) {
        this.sdpName = sdpName;
    }

    /** The SDP media type ({@code audio} or {@code video}). */
    public String sdpName() {
        return sdpName;
    }

    /** The kind of an SDP media type, or null for anything else (an application m-line, say). */
    public static MediaKind ofSdpName(String media) {
        for (MediaKind kind : values()) {
            if (kind.sdpName.equals(media)) {
                return kind;
            }
        }
        return null;
    }
}
