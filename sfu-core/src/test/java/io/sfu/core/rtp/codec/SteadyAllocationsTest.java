package io.sfu.core.rtp.codec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SteadyAllocationsTest {
    private static volatile Object sink;

    @Test
    void stillSeesAnAllocationInEveryCall() {
        assertThat(SteadyAllocations.bytesPerRun(() -> sink = new byte[16])).isGreaterThanOrEqualTo(16.0);
    }
}
