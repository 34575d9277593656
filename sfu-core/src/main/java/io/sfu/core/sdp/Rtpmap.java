package io.sfu.core.sdp;

/**
 * The payload type mapping, RFC 8866 §6.6:
 * <pre>
 * a=rtpmap:&lt;payload type&gt; &lt;encoding name&gt;/&lt;clock rate&gt;[/&lt;encoding parameters&gt;]
 * </pre>
 * For audio the encoding parameters are the channel count ({@code opus/48000/2}); 0 here means absent.
 */
public record Rtpmap(int payloadType, String encodingName, int clockRate, int channels) implements TypedAttribute {

    /** @throws IllegalArgumentException when a field is out of range or the name is not a token */
    public Rtpmap {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type must be 0..127, was " + payloadType);
        }
        if (!SdpText.isToken(encodingName)) {
            throw new IllegalArgumentException("encoding name must be a token, was '" + encodingName + "'");
        }
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate must be positive");
        }
        if (channels < 0) {
            throw new IllegalArgumentException("channels must not be negative");
        }
    }

    /** A mapping without encoding parameters (video). */
    public Rtpmap(int payloadType, String encodingName, int clockRate) {
        this(payloadType, encodingName, clockRate, 0);
    }

    /** @return true when the encoding name matches ignoring case (names are case-insensitive, RFC 4855 §3) */
    public boolean is(String name) {
        return encodingName.equalsIgnoreCase(name);
    }

    /** Parses the value of {@code a=rtpmap}. */
    public static Rtpmap parse(String value) {
        SdpText.checkValue(value, "rtpmap");
        int space = value.indexOf(' ');
        if (space < 0) {
            throw new SdpParseException("rtpmap needs '<payload type> <encoding>/<clock rate>'");
        }
        int pt = SdpText.parsePayloadType(value.substring(0, space));
        String encoding = value.substring(space + 1);
        int slash1 = encoding.indexOf('/');
        if (slash1 < 0) {
            throw new SdpParseException("rtpmap encoding '" + SdpText.abbreviate(encoding) + "' has no clock rate");
        }
        String name = encoding.substring(0, slash1);
        if (!SdpText.isToken(name)) {
            throw new SdpParseException("rtpmap encoding name '" + SdpText.abbreviate(name) + "' is not a token");
        }
        int slash2 = encoding.indexOf('/', slash1 + 1);
        String rate = slash2 < 0 ? encoding.substring(slash1 + 1) : encoding.substring(slash1 + 1, slash2);
        int clockRate = SdpText.parseInt(rate, Integer.MAX_VALUE, "rtpmap clock rate");
        if (clockRate == 0) {
            throw new SdpParseException("rtpmap clock rate must not be 0");
        }
        int channels = 0;
        if (slash2 >= 0) {
            channels = SdpText.parseInt(encoding.substring(slash2 + 1), 255, "rtpmap channels");
            if (channels == 0) {
                throw new SdpParseException("rtpmap channels must not be 0");
            }
        }
        return new Rtpmap(pt, name, clockRate, channels);
    }

    @Override
    public String attributeName() {
        return AttributeNames.RTPMAP;
    }

    @Override
    public String attributeValue() {
        String base = payloadType + " " + encodingName + '/' + clockRate;
        return channels == 0 ? base : base + '/' + channels;
    }
}
