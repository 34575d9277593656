package io.sfu.core.sdp;

import java.util.List;

/**
 * The media stream identification, RFC 8830 §2: {@code a=msid:<msid-id> [<msid-appdata>]}, in WebRTC the
 * MediaStream id and the track id (RFC 8829 §5.2.1); a stream id of {@code -} means no stream. RFC 8830 makes each
 * id 1 to 64 token characters; real stacks write others ({@code user951303519@host-3d57845c}), so any visible
 * US-ASCII character is read, and a third field is ignored.
 */
public record Msid(String streamId, String trackId) implements TypedAttribute {

    private static final int MAX_LENGTH = 64;

    /**
     * @param trackId the application data (track id), or null when absent
     * @throws IllegalArgumentException unless the ids are 1 to 64 visible US-ASCII characters
     */
    public Msid {
        requireId(streamId, "msid stream id");
        if (trackId != null) {
            requireId(trackId, "msid track id");
        }
    }

    private static void requireId(String id, String what) {
        if (!SdpText.isVisible(id, MAX_LENGTH)) {
            throw new IllegalArgumentException(what + " must be 1 to " + MAX_LENGTH
                + " visible US-ASCII characters, was '" + id + "'");
        }
    }

    /** Parses the value of {@code a=msid} (also the value of an {@code a=ssrc:<ssrc> msid:} attribute). */
    public static Msid parse(String value) {
        SdpText.checkValue(value, "msid");
        List<String> f = SdpText.splitSpaces(value, "msid");
        for (String id : f.subList(0, Math.min(2, f.size()))) {
            if (!SdpText.isVisible(id, MAX_LENGTH)) {
                throw new SdpParseException("msid id '" + SdpText.abbreviate(id) + "' is not 1 to " + MAX_LENGTH
                    + " visible characters");
            }
        }
        return new Msid(f.get(0), f.size() >= 2 ? f.get(1) : null);
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
