package io.sfu.core.sdp;

import java.util.Locale;

/** The media type of an RTP m-line ({@code m=audio}, {@code m=video}; RFC 8866 §5.14), parsed and written by name. */
public enum MediaKind {
    AUDIO,
    VIDEO;

    /** The media type as the m-line writes it: the name in lower case. */
    private final String sdpName = name().toLowerCase(Locale.ROOT);

    /** @return the media type of the m-line, e.g. {@code video} */
    public String sdpName() {
        return sdpName;
    }

    /** @return the kind of that media type, or null for any other ({@code application}, {@code text}, ...) */
    public static MediaKind fromSdpName(String media) {
        return SdpText.byWord(values(), MediaKind::sdpName, media);
    }
}
