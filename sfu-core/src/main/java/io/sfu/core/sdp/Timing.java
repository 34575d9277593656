package io.sfu.core.sdp;

import java.util.List;

/**
 * One time description, RFC 8866 §5.9-§5.11: a {@code t=<start> <stop>} line (NTP seconds, 0 for unbounded), its
 * {@code r=} repeat lines and an optional {@code z=} adjustment line, the latter two kept verbatim (WebRTC always
 * writes {@code t=0 0} and neither of the others).
 */
public record Timing(long start, long stop, List<String> repeats, String zone) {

    /** {@code t=0 0}: a permanent session, what WebRTC writes (RFC 8829 §5.2.1). */
    public static final Timing PERMANENT = new Timing(0, 0, List.of(), null);

    /**
     * @param repeats the values of the {@code r=} lines, possibly empty
     * @param zone    the value of the {@code z=} line, or null
     */
    public Timing {
        if (start < 0 || stop < 0) {
            throw new IllegalArgumentException("t= times must not be negative");
        }
        repeats = List.copyOf(repeats);
        for (String r : repeats) {
            SdpText.requireLineSafe(r, "r= value");
        }
        if (zone != null) {
            SdpText.requireLineSafe(zone, "z= value");
        }
    }

    /** Parses the value of a {@code t=} line. */
    public static Timing parse(String value) {
        SdpText.checkValue(value, "t=");
        List<String> f = SdpText.splitSpaces(value, "t=");
        if (f.size() != 2) {
            throw new SdpParseException("t= needs 2 fields (start stop), has " + f.size());
        }
        return new Timing(SdpText.parseNumber(f.get(0), Long.MAX_VALUE, "t= start time"),
            SdpText.parseNumber(f.get(1), Long.MAX_VALUE, "t= stop time"), List.of(), null);
    }
}
