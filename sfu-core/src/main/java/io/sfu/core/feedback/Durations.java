package io.sfu.core.feedback;

/** Duration conversions shared by the feedback units. */
final class Durations {
    static final long NANOS_PER_SECOND = 1_000_000_000L;

    private Durations() {
    }

    /**
     * {@code durationNs × unitsPerSecond / 10⁹}, rounded toward zero, split into whole seconds and the rest so that
     * it cannot overflow for any duration and any rate below 2³¹ (a plain product overflows after about a day at
     * 90 kHz).
     */
    static long toUnits(long durationNs, long unitsPerSecond) {
        return durationNs / NANOS_PER_SECOND * unitsPerSecond
            + durationNs % NANOS_PER_SECOND * unitsPerSecond / NANOS_PER_SECOND;
    }
}
