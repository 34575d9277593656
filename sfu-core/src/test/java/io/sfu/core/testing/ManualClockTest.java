package io.sfu.core.testing;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ManualClockTest {

    @Test
    void standsStillUntilTheTestMovesIt() {
        ManualClock clock = new ManualClock(5_000L);

        assertThat(clock.nanoTime()).isEqualTo(5_000L);
        assertThat(clock.nanoTime()).isEqualTo(5_000L);
        assertThat(clock.advanceNs(7)).isEqualTo(5_007L);
        assertThat(clock.advanceMs(2)).isEqualTo(2_005_007L);
        assertThat(clock.advance(Duration.ofSeconds(1))).isEqualTo(1_002_005_007L);
        clock.setNs(42L);
        assertThat(clock.nanoTime()).isEqualTo(42L);
    }

    @Test
    void countsReadsAndWakesATestWaitingForThemOnAnotherThread() throws Exception {
        ManualClock clock = new ManualClock();
        CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> {
            try {
                return clock.awaitReads(3, Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });

        clock.nanoTime();
        clock.nanoTime();
        clock.nanoTime();

        assertThat(waited.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(clock.reads()).isEqualTo(3);
    }

    @Test
    void waitingForReadsThatNeverComeEndsAtTheTimeout() throws Exception {
        ManualClock clock = new ManualClock();
        clock.nanoTime();

        assertThat(clock.awaitReads(1, Duration.ZERO)).isTrue();
        assertThat(clock.awaitReads(2, Duration.ofMillis(20))).isFalse();
    }
}
