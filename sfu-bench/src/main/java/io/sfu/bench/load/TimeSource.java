package io.sfu.bench.load;

/** Unix-epoch nanoseconds for probe send and arrival times; {@link WallClock} in a run, a settable clock in tests. */
@FunctionalInterface
public interface TimeSource {
    long epochNanos();
}
