package io.sfu.bench.tools;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ScoreUnitsTest {
    @Test
    void timePerOperationScalesWithTheTimeUnit() {
        assertThat(ScoreUnits.convert(0.4, "us/op", "ns/op")).isCloseTo(400.0, within(1e-9));
        assertThat(ScoreUnits.convert(2500.0, "ns/op", "us/op")).isCloseTo(2.5, within(1e-12));
        assertThat(ScoreUnits.convert(1.0, "min/op", "s/op")).isCloseTo(60.0, within(1e-12));
    }

    @Test
    void operationsPerTimeScaleInverselyToTheTimeUnit() {
        assertThat(ScoreUnits.convert(3.0, "ops/us", "ops/s")).isCloseTo(3_000_000.0, within(1e-6));
        assertThat(ScoreUnits.convert(3_000_000.0, "ops/s", "ops/ms")).isCloseTo(3_000.0, within(1e-9));
    }

    @Test
    void timeAndThroughputUnitsDoNotConvert() {
        assertThat(ScoreUnits.convert(5.0, "ns/op", "ops/ns")).isNaN();
        assertThat(ScoreUnits.convert(5.0, "B/op", "ns/op")).isNaN();
        assertThat(ScoreUnits.convert(5.0, "furlongs", "furlongs")).isEqualTo(5.0);
    }
}
