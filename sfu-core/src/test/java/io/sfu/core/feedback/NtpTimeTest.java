package io.sfu.core.feedback;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NtpTimeTest {

    @Test
    void unixEpochIsSeventyYearsAfterTheNtpEpoch() {
        assertThat(NtpTime.fromUnixNanos(0)).isEqualTo(2_208_988_800L << 32);
    }

    @Test
    void fractionOfASecondFillsTheLowThirtyTwoBits() {
        long ntp = NtpTime.fromUnixNanos(1_500_000_000L);
        assertThat(ntp >>> 32).isEqualTo(2_208_988_801L);
        assertThat(ntp & 0xFFFF_FFFFL).isEqualTo(0x8000_0000L);
    }

    @Test
    void middleThirtyTwoBitsAreLowSecondsAndHighFraction() {
        assertThat(NtpTime.middle32(0x1234_5678_9ABC_DEF0L)).isEqualTo(0x5678_9ABC);
    }

    @Test
    void compactUnitsAreSixtyFiveThousandFiveHundredThirtySixthsOfASecond() {
        assertThat(NtpTime.nanosToCompact(1_500_000_000L)).isEqualTo(98_304);
        assertThat(NtpTime.compactToNanos(98_304)).isEqualTo(1_500_000_000L);
        // one unit is 15258.79 ns
        assertThat(NtpTime.nanosToCompact(15_258)).as("just under one unit").isZero();
        assertThat(NtpTime.nanosToCompact(15_259)).as("just over one unit").isEqualTo(1);
    }

    @Test
    void longDurationsConvertWithoutOverflow() {
        long hundredDaysNs = 100L * 86_400 * 1_000_000_000L;
        assertThat(NtpTime.nanosToCompact(hundredDaysNs)).isEqualTo(100L * 86_400 * 65_536);
        assertThat(NtpTime.compactToNanos(100L * 86_400 * 65_536)).isEqualTo(hundredDaysNs);
    }
}
