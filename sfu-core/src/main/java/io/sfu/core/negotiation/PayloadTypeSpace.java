package io.sfu.core.negotiation;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The payload type numbers of one subscriber session and the format each means: a number keeps one meaning for the
 * whole session (RFC 3264 §8.3.2; BUNDLE, RFC 8843 §9.1).
 */
final class PayloadTypeSpace {
    /** Every payload type number given out in this session and what it means; a meaning never changes. */
    private final Map<Integer, Format> formats = new TreeMap<>();

    PayloadTypeSpace copy() {
        PayloadTypeSpace c = new PayloadTypeSpace();
        c.formats.putAll(formats);
        return c;
    }

    /** @return the session's number for the codec's format, the publisher's own number when it can */
    int allocate(NegotiatedCodec codec) {
        return allocate(Format.of(codec), codec.payloadType());
    }

    /** @return the session's number for the RTX of the format numbered {@code associatedPayloadType} */
    int allocateRtx(int clockRate, int associatedPayloadType, int preferred) {
        return allocate(Format.rtx(clockRate, associatedPayloadType), preferred);
    }

    /**
     * The publisher's number when free or already this format, else the format's number in the session, else
     * a free dynamic number (96-127, then 35-63).
     */
    private int allocate(Format format, int preferred) {
        if (isDynamic(preferred)) {
            Format current = formats.get(preferred);
            if (current == null || current.equals(format)) {
                formats.put(preferred, format);
                return preferred;
            }
        }
        for (Map.Entry<Integer, Format> e : formats.entrySet()) {
            if (e.getValue().equals(format)) {
                return e.getKey();
            }
        }
        for (int pt = 96; pt <= 127; pt++) {
            if (formats.putIfAbsent(pt, format) == null) {
                return pt;
            }
        }
        for (int pt = 35; pt <= 63; pt++) {
            if (formats.putIfAbsent(pt, format) == null) {
                return pt;
            }
        }
        throw new IllegalStateException("the subscriber session has given out every dynamic payload type");
    }

    /** RFC 3551 §6 dynamic range, without 64-95 where RTCP packet types collide under rtcp-mux (RFC 5761 §4). */
    private static boolean isDynamic(int pt) {
        return (pt >= 96 && pt <= 127) || (pt >= 35 && pt <= 63);
    }

    /** A media format as one payload type number means it in this session. */
    private record Format(String name, int clockRate, int channels, Map<String, String> parameters) {
        static Format of(NegotiatedCodec c) {
            return new Format(c.name().toLowerCase(Locale.ROOT), c.clockRate(), c.channels(), c.parameters());
        }

        static Format rtx(int clockRate, int associatedPayloadType) {
            return new Format("rtx", clockRate, 0, Map.of("apt", Integer.toString(associatedPayloadType)));
        }
    }
}
