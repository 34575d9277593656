package io.sfu.core.rtp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RtpSequenceNumbersTest {

    @Test
    void diffIsSignedAcrossTheWrap() {
        assertThat(RtpSequenceNumbers.diff(0, 65535)).isEqualTo(1);
        assertThat(RtpSequenceNumbers.diff(65535, 0)).isEqualTo(-1);
        assertThat(RtpSequenceNumbers.diff(10, 5)).isEqualTo(5);
        assertThat(RtpSequenceNumbers.diff(5, 10)).isEqualTo(-5);
        assertThat(RtpSequenceNumbers.diff(32767, 0)).isEqualTo(32767);
        assertThat(RtpSequenceNumbers.diff(32768, 0)).isEqualTo(-32768);
    }

    @Test
    void newerMeansLessThanHalfTheSpaceAhead() {
        assertThat(RtpSequenceNumbers.isNewer(1, 65535)).isTrue();
        assertThat(RtpSequenceNumbers.isNewer(65535, 1)).isFalse();
        assertThat(RtpSequenceNumbers.isNewer(7, 7)).isFalse();
        assertThat(RtpSequenceNumbers.isNewer(32767, 0)).isTrue();
        assertThat(RtpSequenceNumbers.isNewer(32768, 0)).isFalse();
        assertThat(RtpSequenceNumbers.latest(65530, 3)).isEqualTo(3);
        assertThat(RtpSequenceNumbers.latest(3, 65530)).isEqualTo(3);
    }

    @Test
    void addWrapsBothWays() {
        assertThat(RtpSequenceNumbers.add(65535, 1)).isZero();
        assertThat(RtpSequenceNumbers.add(0, -1)).isEqualTo(65535);
        assertThat(RtpSequenceNumbers.add(100, 17)).isEqualTo(117);
    }
}
