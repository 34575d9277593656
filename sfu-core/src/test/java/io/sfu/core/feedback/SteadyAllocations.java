package io.sfu.core.feedback;

import io.sfu.core.testing.Allocations;

/**
 * Zero-allocation checks that tolerate a one-off JVM event: on a loaded machine the first
 * {@link Allocations#bytesPerRun} of a new piece of work sometimes counts a few kilobytes the work itself never
 * allocates (late compilation), while later measurements read 0. A real per-call allocation shows in every
 * measurement, so the least of three still catches it.
 */
final class SteadyAllocations {
    private static final int MEASUREMENTS = 3;

    private SteadyAllocations() {
    }

    /** The least of up to three {@link Allocations#bytesPerRun} measurements, stopping at the first zero. */
    static double bytesPerRun(Runnable work) {
        double least = Double.MAX_VALUE;
        for (int i = 0; i < MEASUREMENTS && least > 0; i++) {
            least = Math.min(least, Allocations.bytesPerRun(work));
        }
        return least;
    }
}
