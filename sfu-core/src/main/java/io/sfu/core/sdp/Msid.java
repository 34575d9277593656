package io.sfu.core.sdp;

import java.util.List;

/**
 * The media stream identification, RFC 8830 §2: {@code a=msid:<msid-id> [<msid-appdata>]}, in WebRTC the
 * MediaStream id and the track id (RFC 8829 §5.2.1); a stream id of {@code -} means no stream.
 */
public record Msid(String streamId, String trackId) implements TypedAttribute {

    private static final int MAX_LENGTH = 64;

    /**
     * @param trackId the application data (track id), or null when absent
     * @throws IllegalArgumentException unless the ids are 1 to 64 token characters
     */
    public Msid {
        requireId(streamId, "msid stream id");
        if (trackId != null) {
            requireId(trackId, "msid track id");
        }
    }

    private static void requireId(String id, String what) {
        SdpText.requireToken(id, what);
        if (id.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " is longer than " + MAX_LENGTH);
        }
    }

    /** Parses the value of {@code a=msid} (also the value of an {@code a=ssrc:<ssrc> msid:} attribute). */
    public static Msid parse(String value) {
        SdpText.checkValue(value, "msid");
        List<String> f = SdpText.splitSpaces(value, "msid");
        if (f.size() > 2) {
            throw new SdpParseException("msid has " + f.size() + " fields, at most 2 (stream id, track id)");
        }
        for (String id : f) {
            if (!SdpText.isToken(id) || id.length() > MAX_LENGTH) {
                throw new SdpParseException("msid id '" + SdpText.abbreviate(id) + "' is not 1 to 64 token characters");
            }
        }
        return new Msid(f.get(0), f.size() == 2 ? f.get(1) : null);
    }

    @Override
    public String attributeName() {
        return AttributeNames.MSID;
    }

    @Override
    public String attributeValue() {
        return trackId == null ? streamId : streamId + ' ' + trackId;
    }
}
