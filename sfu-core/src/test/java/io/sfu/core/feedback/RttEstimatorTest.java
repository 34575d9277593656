package io.sfu.core.feedback;

import io.sfu.core.testing.Allocations;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RttEstimatorTest {
    private static final long MS = 1_000_000L;
    private static final int UNITS_PER_MS = 65536 / 1000; // 65.536, rounded down

    @Test
    void rfc3550ExampleGivesSixPointOneTwoFiveSeconds() throws IOException {
        Properties example = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/feedback/rfc3550-6.4.1-rtt-example.properties")) {
            example.load(in);
        }
        int arrival = Integer.parseUnsignedInt(example.getProperty("arrival"), 16);
        int lsr = Integer.parseUnsignedInt(example.getProperty("lsr"), 16);
        long dlsr = Long.parseLong(example.getProperty("dlsr"), 16);
        long delayUnits = Long.parseLong(example.getProperty("delay"), 16);
        long delayNs = Long.parseLong(example.getProperty("delayNs"));

        RttEstimator rtt = new RttEstimator();
        assertThat(rtt.onReportBlock(lsr, dlsr, arrival)).isEqualTo(delayNs);
        assertThat(NtpTime.compactToNanos(delayUnits)).isEqualTo(delayNs);
        assertThat(rtt.smoothedRttNs()).isEqualTo(delayNs);
        assertThat(rtt.latestRttNs()).isEqualTo(delayNs);
    }

    @Test
    void blockWithoutSenderReportGivesNoSample() {
        RttEstimator rtt = new RttEstimator();
        assertThat(rtt.onReportBlock(0, 0, 0x1234_0000)).isEqualTo(RttEstimator.NO_SAMPLE);
        assertThat(rtt.hasSample()).isFalse();
        assertThat(rtt.smoothedRttNs()).isEqualTo(RttEstimator.DEFAULT_INITIAL_RTT_NS);
        assertThat(rtt.latestRttNs()).isEqualTo(RttEstimator.DEFAULT_INITIAL_RTT_NS);
    }

    @Test
    void smoothingMovesAnEighthOfTheWayTowardEachSample() {
        RttEstimator rtt = new RttEstimator();
        int lsr = 0x1000_0000;
        rtt.onReportBlock(lsr, 0, lsr + 0x2000); // 0x2000 / 65536 s = 125 ms
        assertThat(rtt.smoothedRttNs()).isEqualTo(125 * MS);
        rtt.onReportBlock(lsr, 0, lsr + 0x4000); // 250 ms
        assertThat(rtt.latestRttNs()).isEqualTo(250 * MS);
        assertThat(rtt.smoothedRttNs()).isEqualTo(125 * MS + 125 * MS / 8);
        assertThat(rtt.sampleCount()).isEqualTo(2);
    }

    @Test
    void ntpMiddleBitsWrappingBetweenReportAndArrivalStillGiveTheDelay() {
        RttEstimator rtt = new RttEstimator();
        assertThat(rtt.onReportBlock(0xFFFF_F000, 0x0800, 0x0000_1000)).isEqualTo(NtpTime.compactToNanos(0x1800));
    }

    @Test
    void slightlyNegativeIsTakenAsZeroButFarNegativeOrHugeIsRejected() {
        RttEstimator rtt = new RttEstimator();
        int lsr = 0x1000_0000;
        assertThat(rtt.onReportBlock(lsr, UNITS_PER_MS, lsr)).as("1 ms of DLSR rounding").isZero();
        assertThat(rtt.onReportBlock(lsr, 100 * UNITS_PER_MS, lsr)).isEqualTo(RttEstimator.NO_SAMPLE);
        assertThat(rtt.onReportBlock(lsr, 0, lsr + 11 * 65536)).as("11 s").isEqualTo(RttEstimator.NO_SAMPLE);
        assertThat(rtt.rejectedCount()).isEqualTo(2);
        assertThat(rtt.sampleCount()).isEqualTo(1);
    }

    @Test
    void initialValueIsValidatedByName() {
        assertThat(new RttEstimator(30 * MS).smoothedRttNs()).isEqualTo(30 * MS);
        assertThatThrownBy(() -> new RttEstimator(-1)).hasMessageContaining("initialRttNs");
    }

    @Test
    void takingSamplesAllocatesNothing() {
        RttEstimator rtt = new RttEstimator();
        int[] i = {0};
        long[] sink = new long[1];
        assertThat(Allocations.bytesPerRun(() -> {
            int lsr = 0x1000_0000 + i[0]++;
            sink[0] += rtt.onReportBlock(lsr, 0x100, lsr + 0x1000 + (i[0] & 0xFF)) + rtt.smoothedRttNs();
        })).isLessThan(0.01);
    }
}
