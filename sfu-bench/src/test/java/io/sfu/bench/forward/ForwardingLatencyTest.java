package io.sfu.bench.forward;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ForwardingLatencyTest {

    @Test
    void optionsDefaultToFanOutTenForTwentySecondsAtHalfLoad() {
        ForwardingLatency.Options options = ForwardingLatency.Options.parse();

        assertThat(options.fanOut()).isEqualTo(10);
        assertThat(options.seconds()).isEqualTo(20);
        assertThat(options.load()).isEqualTo(0.5);
        assertThat(options.out()).isNull();
    }

    @Test
    void optionsAreReadFromTheCommandLine() {
        ForwardingLatency.Options options = ForwardingLatency.Options.parse("--fanout", "3", "--seconds", "1.5",
            "--load", "0.25", "--warmup", "0", "--capacity-seconds", "2", "--out", "x.json");

        assertThat(options).isEqualTo(new ForwardingLatency.Options(3, 1.5, 0.25, 0, 2, Path.of("x.json")));
    }

    @Test
    void anInvalidSettingIsRejectedByName() {
        assertThatThrownBy(() -> ForwardingLatency.Options.parse("--load", "1.5"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--load");
        assertThatThrownBy(() -> ForwardingLatency.Options.parse("--fanout", "2.5"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--fanout");
        assertThatThrownBy(() -> ForwardingLatency.Options.parse("--seconds", "ten"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--seconds");
        assertThatThrownBy(() -> ForwardingLatency.Options.parse("--seconds"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--seconds");
        assertThatThrownBy(() -> ForwardingLatency.Options.parse("--rate", "5"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--rate");
    }

    @Test
    void aShortRunTimesEveryCopyOfEveryPacketAndStopsByItself() throws Exception {
        ForwardingLatency.Options options = new ForwardingLatency.Options(2, 0.5, 0.5, 0.2, 0.3, null);

        ForwardingLatency.Result result = ForwardingLatency.run(options);

        assertThat(result.capacityPps()).isPositive();
        assertThat(result.offeredPps()).isPositive().isLessThan(result.capacityPps());
        assertThat(result.packetsOffered()).isPositive();
        assertThat(result.samples()).isEqualTo(result.packetsOffered() * 2);
        assertThat(result.inboundDrops()).isZero();
        double[] percentiles = result.percentileNs();
        for (int i = 1; i < percentiles.length; i++) {
            assertThat(percentiles[i]).isGreaterThanOrEqualTo(percentiles[i - 1]);
        }
        assertThat(percentiles[0]).isPositive();
        assertThat(result.json()).contains("\"percentilesUs\": {\"50\": ", "\"99.9\": ", "\"100\": ",
            "\"capacityPacketsPerSecond\": ", "\"fanOut\": 2");
    }
}
