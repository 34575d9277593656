package io.sfu.core.rtp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SequenceNumberUnwrapperTest {
    private final SequenceNumberUnwrapper unwrapper = new SequenceNumberUnwrapper();

    @Test
    void countsOnAcrossWrapArounds() {
        assertThat(unwrapper.unwrap(65534)).isEqualTo(65534);
        assertThat(unwrapper.unwrap(65535)).isEqualTo(65535);
        assertThat(unwrapper.unwrap(0)).isEqualTo(65536);
        assertThat(unwrapper.unwrap(1)).isEqualTo(65537);
        for (int i = 0; i < 3 * 65536; i += 1000) {
            unwrapper.unwrap((1 + i) & 0xFFFF);
        }
        assertThat(unwrapper.highest()).isEqualTo(65537 + 196000);
    }

    @Test
    void placesALatePacketBeforeTheWrapInsteadOfACycleAhead() {
        unwrapper.unwrap(65535);
        unwrapper.unwrap(1);

        assertThat(unwrapper.unwrap(0)).isEqualTo(65536);
        assertThat(unwrapper.unwrap(65534)).isEqualTo(65534);
        assertThat(unwrapper.highest()).isEqualTo(65537);
    }

    @Test
    void goesBelowTheFirstNumberForPacketsOlderThanIt() {
        unwrapper.unwrap(0);

        assertThat(unwrapper.unwrap(65535)).isEqualTo(-1);
        assertThat(unwrapper.highest()).isZero();
    }

    @Test
    void startsOverAfterAReset() {
        unwrapper.unwrap(100);
        unwrapper.unwrap(40000);
        unwrapper.reset();

        assertThat(unwrapper.hasStarted()).isFalse();
        assertThat(unwrapper.unwrap(5)).isEqualTo(5);
    }
}
