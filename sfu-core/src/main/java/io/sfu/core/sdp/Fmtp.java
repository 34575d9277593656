package io.sfu.core.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Format parameters of an RTP payload type, RFC 8866 §6.15: {@code a=fmtp:<payload type> <parameters>}, the
 * parameters being the usual {@code key=value;key=value} list (RFC 4855 §3) kept in order, e.g.
 * {@code level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f} or {@code apt=96}. A piece
 * without {@code =} (RED's {@code 111/111}, RFC 2198) maps to a null value.
 */
public record Fmtp(int payloadType, Map<String, String> parameters) implements TypedAttribute {

    /**
     * @param parameters in writing order; a null value writes the key alone
     * @throws IllegalArgumentException when the payload type is out of range or a key or value would not parse back
     */
    public Fmtp {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type must be 0..127, was " + payloadType);
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            String key = SdpText.requireLineSafe(e.getKey(), "fmtp key");
            if (key.isEmpty() || key.indexOf(';') >= 0 || key.indexOf('=') >= 0 || key.indexOf(' ') >= 0) {
                throw new IllegalArgumentException("fmtp key must be non-empty without ';', '=' or spaces: " + key);
            }
            String v = e.getValue();
            if (v != null) {
                SdpText.requireLineSafe(v, "fmtp value");
                if (v.indexOf(';') >= 0 || (!v.isEmpty() && (v.charAt(0) == ' ' || v.charAt(v.length() - 1) == ' '))) {
                    throw new IllegalArgumentException("fmtp value must not hold ';' or outer spaces: " + v);
                }
            }
            copy.put(key, v);
        }
        parameters = Collections.unmodifiableMap(copy);
    }

    /** The fmtp of an RTX payload type, RFC 4588 §8.6: {@code apt=<associated payload type>}. */
    public static Fmtp rtx(int payloadType, int associatedPayloadType) {
        LinkedHashMap<String, String> p = new LinkedHashMap<>();
        p.put("apt", Integer.toString(associatedPayloadType));
        return new Fmtp(payloadType, p);
    }

    /** @return the value of the parameter whose key matches ignoring case (RFC 4855 §3), or null */
    public String parameter(String key) {
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            if (e.getKey().equalsIgnoreCase(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * @return the RTX associated payload type ({@code apt}), or -1 when absent
     * @throws SdpParseException when {@code apt} is not a payload type
     */
    public int associatedPayloadType() {
        String apt = parameter("apt");
        return apt == null ? -1 : SdpText.parsePayloadType(apt);
    }

    /** Parses the value of {@code a=fmtp}. */
    public static Fmtp parse(String value) {
        SdpText.checkValue(value, "fmtp");
        int space = value.indexOf(' ');
        if (space < 0) {
            throw new SdpParseException("fmtp needs '<payload type> <parameters>'");
        }
        int pt = SdpText.parsePayloadType(value.substring(0, space));
        LinkedHashMap<String, String> params = new LinkedHashMap<>();
        String list = value.substring(space + 1);
        int start = 0;
        while (start <= list.length()) {
            int semi = list.indexOf(';', start);
            int end = semi < 0 ? list.length() : semi;
            String piece = list.substring(start, end).trim();
            if (!piece.isEmpty()) {
                int eq = piece.indexOf('=');
                String key = (eq < 0 ? piece : piece.substring(0, eq)).trim();
                String v = eq < 0 ? null : piece.substring(eq + 1).trim();
                if (key.isEmpty() || key.indexOf(' ') >= 0) {
                    throw new SdpParseException("fmtp parameter '" + SdpText.abbreviate(piece) + "' has a bad key");
                }
                if (params.containsKey(key)) {
                    throw new SdpParseException("fmtp parameter '" + SdpText.abbreviate(key) + "' appears twice");
                }
                params.put(key, v);
            }
            start = end + 1;
        }
        if (params.isEmpty()) {
            throw new SdpParseException("fmtp has no parameters");
        }
        return new Fmtp(pt, params);
    }

    @Override
    public String attributeName() {
        return AttributeNames.FMTP;
    }

    @Override
    public String attributeValue() {
        StringBuilder sb = new StringBuilder().append(payloadType).append(' ');
        boolean first = true;
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            if (!first) {
                sb.append(';');
            }
            first = false;
            sb.append(e.getKey());
            if (e.getValue() != null) {
                sb.append('=').append(e.getValue());
            }
        }
        return sb.toString();
    }
}
