package io.sfu.core.testing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AllocationsTest {
    private static volatile Object sink;

    @Test
    void seesAnAllocatingLoop() {
        assertThat(Allocations.bytesPerRun(() -> sink = new byte[64])).isGreaterThanOrEqualTo(64.0);
    }

    @Test
    void seesNothingInAPureLoop() {
        int[] counter = new int[1];
        assertThat(Allocations.bytesPerRun(() -> counter[0]++)).isLessThan(0.01);
    }
}
