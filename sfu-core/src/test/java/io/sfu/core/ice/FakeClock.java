package io.sfu.core.ice;

import org.agrona.concurrent.NanoClock;

import java.util.concurrent.TimeUnit;

/** A clock the test moves by hand. */
final class FakeClock implements NanoClock {
    private long nowNs;

    FakeClock(long startNs) {
        this.nowNs = startNs;
    }

    @Override
    public long nanoTime() {
        return nowNs;
    }

    long advanceMs(long ms) {
        nowNs += TimeUnit.MILLISECONDS.toNanos(ms);
        return nowNs;
    }

    void setMs(long ms) {
        nowNs = TimeUnit.MILLISECONDS.toNanos(ms);
    }
}
