package io.sfu.core.feedback;

/**
 * Conversions between nanoseconds and the NTP formats of RTCP (RFC 3550 §4): the 64-bit timestamp of sender
 * reports, seconds since 1900 in 32.32 fixed point, and its "compact" middle 32 bits (16.16 fixed point) used by
 * LSR, DLSR and round-trip times.
 */
public final class NtpTime {
    /** Seconds from the NTP epoch (1900-01-01) to the Unix epoch (1970-01-01). */
    public static final long UNIX_EPOCH_OFFSET_SECONDS = 2_208_988_800L;
    /** One second in compact NTP units (1/65536 s). */
    public static final long COMPACT_UNITS_PER_SECOND = 1L << 16;

    private static final long NANOS_PER_SECOND = Durations.NANOS_PER_SECOND;

    private NtpTime() {
    }

    /** The 64-bit NTP timestamp of the wall-clock instant {@code unixNs} nanoseconds after the Unix epoch. */
    public static long fromUnixNanos(long unixNs) {
        long seconds = Math.floorDiv(unixNs, NANOS_PER_SECOND);
        long nanos = Math.floorMod(unixNs, NANOS_PER_SECOND);
        return ((seconds + UNIX_EPOCH_OFFSET_SECONDS) << 32) | ((nanos << 32) / NANOS_PER_SECOND);
    }

    /** The 64-bit NTP timestamp {@code durationNs} (not negative) after {@code ntpTimestamp}. */
    public static long plusNanos(long ntpTimestamp, long durationNs) {
        long seconds = durationNs / NANOS_PER_SECOND;
        long nanos = durationNs % NANOS_PER_SECOND;
        return ntpTimestamp + (seconds << 32) + ((nanos << 32) / NANOS_PER_SECOND);
    }

    /** The middle 32 bits of a 64-bit NTP timestamp (LSR, RFC 3550 §6.4.1). */
    public static int middle32(long ntpTimestamp) {
        return (int) (ntpTimestamp >>> 16);
    }

    /** A non-negative duration in nanoseconds as compact NTP units (1/65536 s), without overflow for any input. */
    public static long nanosToCompact(long durationNs) {
        return Durations.toUnits(durationNs, COMPACT_UNITS_PER_SECOND);
    }

    /** A duration in compact NTP units (1/65536 s) as nanoseconds. */
    public static long compactToNanos(long compactUnits) {
        return (compactUnits >> 16) * NANOS_PER_SECOND + (((compactUnits & 0xFFFF) * NANOS_PER_SECOND) >> 16);
    }
}
