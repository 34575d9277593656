package io.sfu.core.sdp;

/**
 * An RTP header extension mapping, RFC 8285 §7:
 * <pre>
 * a=extmap:&lt;value&gt;["/"&lt;direction&gt;] &lt;URI&gt; &lt;extensionattributes&gt;
 * </pre>
 * Ids 1-14 fit the one-byte header form and 1-255 the two-byte form; 4096-4351 may appear in offers and are
 * remapped by the answerer (RFC 8285 §5, §7). The direction is null when absent; the extension attributes are the
 * rest of the line (may hold spaces) or null.
 */
public record Extmap(int id, Direction direction, String uri, String extensionAttributes) implements TypedAttribute {

    /** @throws IllegalArgumentException when the id is out of range or a field would not parse back */
    public Extmap {
        if (!validId(id)) {
            throw new IllegalArgumentException("extmap id must be 1..255 or 4096..4351, was " + id);
        }
        SdpText.requireLineSafe(uri, "extmap URI");
        if (uri.isEmpty() || uri.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("extmap URI must be non-empty without spaces");
        }
        if (extensionAttributes != null) {
            SdpText.requireLineSafe(extensionAttributes, "extmap attributes");
            if (extensionAttributes.isEmpty()) {
                throw new IllegalArgumentException("extmap attributes must be null or non-empty");
            }
        }
    }

    /** A mapping without direction or extension attributes. */
    public Extmap(int id, String uri) {
        this(id, null, uri, null);
    }

    private static boolean validId(int id) {
        return (id >= 1 && id <= 255) || (id >= 4096 && id <= 4351);
    }

    /** Parses the value of {@code a=extmap}. */
    public static Extmap parse(String value) {
        SdpText.checkValue(value, "extmap");
        int space = value.indexOf(' ');
        if (space < 0) {
            throw new SdpParseException("extmap needs '<id>[/<direction>] <URI>'");
        }
        String head = value.substring(0, space);
        int slash = head.indexOf('/');
        int id = SdpText.parseInt(slash < 0 ? head : head.substring(0, slash), 4351, "extmap id");
        if (!validId(id)) {
            throw new SdpParseException("extmap id " + id + " is outside 1..255 and 4096..4351");
        }
        Direction direction = slash < 0 ? null : Direction.parse(head.substring(slash + 1));
        String rest = value.substring(space + 1);
        int space2 = rest.indexOf(' ');
        String uri = space2 < 0 ? rest : rest.substring(0, space2);
        if (uri.isEmpty()) {
            throw new SdpParseException("extmap has an empty URI");
        }
        String attributes = null;
        if (space2 >= 0) {
            attributes = rest.substring(space2 + 1);
            if (attributes.isEmpty()) {
                throw new SdpParseException("extmap has a trailing space");
            }
        }
        return new Extmap(id, direction, uri, attributes);
    }

    @Override
    public String attributeName() {
        return AttributeNames.EXTMAP;
    }

    @Override
    public String attributeValue() {
        StringBuilder sb = new StringBuilder().append(id);
        if (direction != null) {
            sb.append('/').append(direction.sdpName());
        }
        sb.append(' ').append(uri);
        if (extensionAttributes != null) {
            sb.append(' ').append(extensionAttributes);
        }
        return sb.toString();
    }
}
