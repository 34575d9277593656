package io.sfu.client;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.NanoClock;

/** A loop clock that moves only when the test advances it. */
final class ManualClock implements NanoClock {
    private final AtomicLong nowNs = new AtomicLong(5_000_000_000L);

    @Override
    public long nanoTime() {
        return nowNs.get();
    }

    void advance(Duration duration) {
        nowNs.addAndGet(duration.toNanos());
    }
}
