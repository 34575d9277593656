package io.sfu.core.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Validation of {@link SrtpConfig} (each bad value is refused with the setting's name), and the error names. */
class SrtpConfigTest {

    @Test
    void defaultsAreDocumentedValues() {
        assertThat(SrtpConfig.defaults().maxSsrcs()).isEqualTo(1024);
        assertThat(SrtpConfig.defaults().replayWindowBits()).isEqualTo(1024);
    }

    @ParameterizedTest
    @ValueSource(ints = {63, 0, -64, 100, 32_832})
    void replayWindowMustBeAMultipleOf64InRange(int bits) {
        assertThatThrownBy(() -> SrtpConfig.defaults().withReplayWindowBits(bits))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("srtp.replayWindowBits").hasMessageContaining(Integer.toString(bits));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65_537})
    void maxSsrcsMustBeInRange(int max) {
        assertThatThrownBy(() -> SrtpConfig.defaults().withMaxSsrcs(max))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("srtp.maxSsrcs").hasMessageContaining(Integer.toString(max));
    }

    @Test
    void withReturnsAChangedCopy() {
        SrtpConfig config = SrtpConfig.defaults().withMaxSsrcs(3).withReplayWindowBits(64);
        assertThat(config.maxSsrcs()).isEqualTo(3);
        assertThat(config.replayWindowBits()).isEqualTo(64);
        assertThat(SrtpConfig.defaults().maxSsrcs()).isEqualTo(1024);
    }

    @Test
    void everyErrorCodeHasItsOwnName() {
        int[] codes = {SrtpError.MALFORMED, SrtpError.AUTHENTICATION_FAILED, SrtpError.REPLAYED, SrtpError.SSRC_LIMIT,
            SrtpError.NO_CAPACITY, SrtpError.NOT_HEAP_BUFFER};
        Set<String> names = new HashSet<>();
        for (int code : codes) {
            assertThat(code).isNegative();
            names.add(SrtpError.describe(code));
        }
        assertThat(names).hasSize(codes.length).doesNotContain("ok");
        assertThat(SrtpError.describe(42)).isEqualTo("ok");
    }
}
