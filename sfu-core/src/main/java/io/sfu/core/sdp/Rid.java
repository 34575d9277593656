package io.sfu.core.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RTP stream identifier with its restrictions, RFC 8851 §10:
 * <pre>
 * rid-syntax        = %s"a=rid:" rid-id SP rid-dir [ rid-pt-param-list / rid-param-list ]
 * rid-id            = 1*(alpha-numeric / "-" / "_")
 * rid-dir           = %s"send" / %s"recv"
 * rid-pt-param-list = SP rid-fmt-list *( ";" rid-param )
 * rid-param-list    = SP rid-param *( ";" rid-param )
 * rid-fmt-list      = %s"pt=" fmt *( "," fmt )
 * rid-param         = 1*(alpha-numeric / "-") [ "=" param-val ]    ; max-width, max-height, max-fps, max-br, ...
 * param-val         = *( %x20-3A / %x3C-7E )
 * </pre>
 * The {@code pt=} list is kept apart from the other restrictions (in order; a null value means a bare name).
 */
public record Rid(String id, RidDirection direction, List<Integer> payloadTypes, Map<String, String> restrictions)
    implements TypedAttribute {

    /** @throws IllegalArgumentException when a field would not parse back */
    public Rid {
        if (!isRidId(id)) {
            throw new IllegalArgumentException("rid id must be 1*(ALPHA / DIGIT / '-' / '_'), was '" + id + "'");
        }
        if (direction == null) {
            throw new IllegalArgumentException("rid direction must not be null");
        }
        payloadTypes = List.copyOf(payloadTypes);
        for (int pt : payloadTypes) {
            if (pt < 0 || pt > 127) {
                throw new IllegalArgumentException("payload type must be 0..127, was " + pt);
            }
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : restrictions.entrySet()) {
            if (!isParamName(e.getKey()) || "pt".equals(e.getKey())) {
                throw new IllegalArgumentException("rid restriction name '" + e.getKey() + "' is not valid");
            }
            if (e.getValue() != null && !isParamValue(e.getValue())) {
                throw new IllegalArgumentException("rid restriction value '" + e.getValue() + "' is not valid");
            }
            copy.put(e.getKey(), e.getValue());
        }
        restrictions = Collections.unmodifiableMap(copy);
    }

    /** A rid without restrictions, e.g. {@code a=rid:q send}. */
    public Rid(String id, RidDirection direction) {
        this(id, direction, List.of(), Map.of());
    }

    /** @return the value of a restriction such as {@code max-width}, or null when absent or bare */
    public String restriction(String name) {
        return restrictions.get(name);
    }

    /** @return this rid with the opposite direction and the same restrictions, as an answerer accepts it */
    public Rid reversed() {
        return new Rid(id, direction.reverse(), payloadTypes, restrictions);
    }

    static boolean isRidId(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isAlphaNumeric(c) && c != '-' && c != '_') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlphaNumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean isParamName(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isAlphaNumeric(c) && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isParamValue(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E || c == ';') {
                return false;
            }
        }
        return true;
    }

    /** Parses the value of {@code a=rid}. */
    public static Rid parse(String value) {
        SdpText.checkValue(value, "rid");
        int space = value.indexOf(' ');
        if (space < 0) {
            throw new SdpParseException("rid needs '<id> send|recv'");
        }
        String id = value.substring(0, space);
        if (!isRidId(id)) {
            throw new SdpParseException("rid id '" + SdpText.abbreviate(id) + "' is not alphanumeric, '-' or '_'");
        }
        String rest = value.substring(space + 1);
        int space2 = rest.indexOf(' ');
        RidDirection direction = RidDirection.parse(space2 < 0 ? rest : rest.substring(0, space2));
        List<Integer> pts = new ArrayList<>();
        LinkedHashMap<String, String> params = new LinkedHashMap<>();
        if (space2 >= 0) {
            String list = rest.substring(space2 + 1);
            String[] pieces = list.split(";", -1);
            for (int i = 0; i < pieces.length; i++) {
                String piece = pieces[i];
                int eq = piece.indexOf('=');
                String name = eq < 0 ? piece : piece.substring(0, eq);
                String v = eq < 0 ? null : piece.substring(eq + 1);
                if (!isParamName(name)) {
                    throw new SdpParseException("rid restriction '" + SdpText.abbreviate(piece) + "' has a bad name");
                }
                if ("pt".equals(name)) {
                    if (i != 0 || v == null) {
                        throw new SdpParseException("rid pt= must be the first restriction and have a value");
                    }
                    for (String fmt : v.split(",", -1)) {
                        pts.add(SdpText.parsePayloadType(fmt));
                    }
                    continue;
                }
                if (v != null && !isParamValue(v)) {
                    throw new SdpParseException("rid restriction '" + SdpText.abbreviate(piece) + "' has a bad value");
                }
                if (params.containsKey(name)) {
                    throw new SdpParseException("rid restriction '" + name + "' appears twice");
                }
                params.put(name, v);
            }
        }
        return new Rid(id, direction, pts, params);
    }

    @Override
    public String attributeName() {
        return AttributeNames.RID;
    }

    @Override
    public String attributeValue() {
        StringBuilder sb = new StringBuilder(id).append(' ').append(direction.sdpValue());
        char sep = ' ';
        if (!payloadTypes.isEmpty()) {
            sb.append(sep).append("pt=");
            for (int i = 0; i < payloadTypes.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(payloadTypes.get(i));
            }
            sep = ';';
        }
        for (Map.Entry<String, String> e : restrictions.entrySet()) {
            sb.append(sep).append(e.getKey());
            if (e.getValue() != null) {
                sb.append('=').append(e.getValue());
            }
            sep = ';';
        }
        return sb.toString();
    }
}
