package io.sfu.core.sdp;

/** The media type of an RTP m-line ({@code m=audio}, {@code m=video}; RFC 8866 §5.14), parsed and written by name. */
public enum MediaKind {
    AUDIO("audio"),
    VIDEO("video");

    private final String sdpName;

    MediaKind(String sdpName) {
        this.sdpName = sdpName;
    }

    /** @return the media type of the m-line, e.g. {@code video} */
    public String sdpName() {
        return sdpName;
    }

    /** @return the kind of that media type, or null for any other ({@code application}, {@code text}, ...) */
    public static MediaKind fromSdpName(String media) {
        for (MediaKind k : values()) {
            if (k.sdpName.equals(media)) {
                return k;
            }
        }
        return null;
    }
}
