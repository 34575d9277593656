package io.sfu.core.feedback;

import io.sfu.core.testing.Allocations;
import org.junit.jupiter.api.Test;

import static io.sfu.core.feedback.RetransmissionLimiter.ALLOWED;
import static io.sfu.core.feedback.RetransmissionLimiter.REFUSED_PER_NACK;
import static io.sfu.core.feedback.RetransmissionLimiter.REFUSED_REPEAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each rule of the limiter at its boundary: one resend per round trip, a cap per NACK, a byte budget. */
class RetransmissionLimiterTest {
    private static final long MS = 1_000_000L;
    private static final long RTT_NS = 80 * MS;

    private long now = 5_000 * MS;

    /** A limiter whose budget never binds, for the other two rules. */
    private static RetransmissionLimiter unbudgeted(int maxPerNack) {
        return new RetransmissionLimiter(512, 1000, Long.MAX_VALUE / 16, maxPerNack);
    }

    @Test
    void aPacketIsResentAtMostOncePerRoundTrip() {
        RetransmissionLimiter limiter = unbudgeted(64);
        limiter.onNack(now, 0);
        assertThat(limiter.admit(100, now, RTT_NS)).isEqualTo(ALLOWED);
        limiter.onResent(100, now);

        limiter.onNack(now + RTT_NS - 1, 0);
        assertThat(limiter.admit(100, now + RTT_NS - 1, RTT_NS)).isEqualTo(REFUSED_REPEAT);
        assertThat(limiter.admit(101, now + RTT_NS - 1, RTT_NS)).as("another packet").isEqualTo(ALLOWED);

        limiter.onNack(now + RTT_NS, 0);
        assertThat(limiter.admit(100, now + RTT_NS, RTT_NS)).isEqualTo(ALLOWED);
        assertThat(limiter.refusedRepeat()).isEqualTo(1);
        assertThat(limiter.refused()).isEqualTo(1);
    }

    @Test
    void theSameNumberTwiceInOneNackIsResentOnceEvenWithoutARoundTripEstimate() {
        RetransmissionLimiter limiter = unbudgeted(64);
        limiter.onNack(now, 0);
        limiter.onResent(7, now);

        assertThat(limiter.admit(7, now, 0)).isEqualTo(REFUSED_REPEAT);
        assertThat(limiter.admit(7, now + RetransmissionLimiter.MIN_REPEAT_INTERVAL_NS - 1, 0))
            .isEqualTo(REFUSED_REPEAT);
        assertThat(limiter.admit(7, now + RetransmissionLimiter.MIN_REPEAT_INTERVAL_NS, 0)).isEqualTo(ALLOWED);
    }

    @Test
    void aRoundTripEstimateBeyondASecondIsTakenAsASecond() {
        RetransmissionLimiter limiter = unbudgeted(64);
        limiter.onNack(now, 0);
        limiter.onResent(7, now);

        long later = now + RetransmissionLimiter.MAX_REPEAT_INTERVAL_NS;
        assertThat(limiter.admit(7, later, 30_000 * MS)).isEqualTo(ALLOWED);
    }

    @Test
    void aSequenceNumberAFullTableAgoDoesNotCountAsARepeat() {
        RetransmissionLimiter limiter = unbudgeted(64);
        limiter.onNack(now, 0);
        limiter.onResent(3, now);

        assertThat(limiter.admit(3 + 512, now, RTT_NS)).isEqualTo(ALLOWED);
    }

    @Test
    void oneNackGetsAtMostItsCapOfResendsAndTheNextNackStartsAgain() {
        RetransmissionLimiter limiter = unbudgeted(3);
        limiter.onNack(now, 0);
        for (int seq = 0; seq < 3; seq++) {
            assertThat(limiter.admit(seq, now, RTT_NS)).isEqualTo(ALLOWED);
            limiter.onResent(seq, now);
        }
        assertThat(limiter.admit(3, now, RTT_NS)).isEqualTo(REFUSED_PER_NACK);

        limiter.onNack(now, 0);
        assertThat(limiter.admit(3, now, RTT_NS)).isEqualTo(ALLOWED);
        assertThat(limiter.refusedPerNack()).isEqualTo(1);
    }

    @Test
    void aPacketRefusedForAnotherReasonDoesNotUseTheCap() {
        RetransmissionLimiter limiter = unbudgeted(1);
        limiter.onNack(now, 0);
        assertThat(limiter.admit(9, now, RTT_NS)).isEqualTo(ALLOWED);
        // fetched but over budget, or gone from the history: not resent, so not counted against the NACK

        assertThat(limiter.admit(10, now, RTT_NS)).isEqualTo(ALLOWED);
    }

    @Test
    void onACongestedDownlinkTheBudgetIsNoMoreThanTheHeadroomLeft() {
        RetransmissionLimiter limiter = new RetransmissionLimiter(512, 50, 200_000, 64);
        // the floor would allow 25,000 bytes a second; 40 kbit/s of headroom allows 5,000
        limiter.onNack(now, 150_000, 40_000);

        assertThat(limiter.spend(5_000)).isTrue();
        assertThat(limiter.spend(1)).isFalse();
        assertThat(limiter.refusedBudget()).isEqualTo(1);
    }

    @Test
    void theBudgetIsAShareOfTheBitrateAndHoldsOneSecondOfIt() {
        RetransmissionLimiter limiter = new RetransmissionLimiter(512, 50, 8_000, 64);
        // 50 % of 1 Mbit/s: 62,500 bytes a second
        limiter.onNack(now, 1_000_000);
        assertThat(limiter.spend(62_000)).isTrue();
        assertThat(limiter.spend(500)).isTrue();
        assertThat(limiter.spend(1)).isFalse();
        assertThat(limiter.refusedBudget()).isEqualTo(1);

        now += 100 * MS;
        limiter.onNack(now, 1_000_000);
        assertThat(limiter.spend(6_250)).as("a tenth of a second refills a tenth").isTrue();
        assertThat(limiter.spend(1)).isFalse();

        now += 10_000 * MS;
        limiter.onNack(now, 1_000_000);
        assertThat(limiter.spend(62_501)).as("ten idle seconds still hold one second").isFalse();
        assertThat(limiter.spend(62_500)).isTrue();
    }

    @Test
    void aStreamWithoutAKnownBitrateGetsTheFloor() {
        RetransmissionLimiter limiter = new RetransmissionLimiter(512, 50, 8_000, 64);
        limiter.onNack(now, 0);

        assertThat(limiter.spend(1_000)).isTrue();
        assertThat(limiter.spend(1)).isFalse();
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new RetransmissionLimiter(500)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> new RetransmissionLimiter(512, 0, 8_000, 64)).hasMessageContaining("budgetPercent");
        assertThatThrownBy(() -> new RetransmissionLimiter(512, 1001, 8_000, 64)).hasMessageContaining("budgetPercent");
        assertThatThrownBy(() -> new RetransmissionLimiter(512, 50, 8_000, 0)).hasMessageContaining("maxPerNack");
    }

    @Test
    void answeringNacksAllocatesNothing() {
        RetransmissionLimiter limiter = new RetransmissionLimiter(512);
        int[] seq = {0};
        long[] clock = {now};
        limiter.onNack(clock[0], 2_000_000);

        double bytes = Allocations.bytesPerRun(() -> {
            clock[0] += MS;
            limiter.onNack(clock[0], 2_000_000);
            for (int i = 0; i < 4; i++) {
                int s = seq[0]++ & 0xFFFF;
                if (limiter.admit(s, clock[0], RTT_NS) == ALLOWED && limiter.spend(1200)) {
                    limiter.onResent(s, clock[0]);
                }
            }
        });

        assertThat(bytes).isLessThan(1.0);
    }
}
