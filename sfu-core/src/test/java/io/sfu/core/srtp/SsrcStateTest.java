package io.sfu.core.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ROC estimation of RFC 3711 §3.3.1 / Appendix A and the SRTCP index counter. */
class SsrcStateTest {

    @ParameterizedTest(name = "highest ROC {0} seq {1}, seq {2} -> ROC {3}")
    @CsvSource({
        "0, 100, 101, 0",
        "0, 65535, 0, 1",       // wrapped forward
        "1, 2, 65534, 0",       // late packet from before the wrap
        "1, 32766, 65535, 0",   // s_l < 2^15 and SEQ - s_l > 2^15
        "1, 32767, 65535, 1",   // SEQ - s_l = 2^15 exactly: not greater, same ROC
        "1, 32767, 0, 1",
        "1, 40000, 7231, 2",    // s_l >= 2^15 and s_l - 2^15 > SEQ
        "1, 40000, 7232, 1",
        "5, 65000, 64000, 5",
    })
    void guessesTheRolloverCounter(long roc, int highestSeq, int seq, long expectedRoc) {
        SsrcState state = new SsrcState(64);
        state.reset(1);
        state.acceptRtp(roc << 16 | highestSeq);
        assertThat(state.estimateRtpIndex(seq)).isEqualTo(expectedRoc << 16 | seq);
    }

    @Test
    void theFirstPacketHasRocZero() {
        SsrcState state = new SsrcState(64);
        state.reset(1);
        assertThat(state.estimateRtpIndex(65000)).isEqualTo(65000);
    }

    @Test
    void aPacketFromBeforeRocZeroHasNoIndex() {
        SsrcState state = new SsrcState(64);
        state.reset(1);
        state.acceptRtp(3);
        assertThat(state.estimateRtpIndex(65530)).isNegative();
    }

    @Test
    void srtcpIndexCountsFromZeroAndWrapsAt2To31() {
        SsrcState state = new SsrcState(0);
        state.reset(1);
        assertThat(state.takeSrtcpIndex()).isZero();
        assertThat(state.takeSrtcpIndex()).isEqualTo(1);
        state.nextSrtcpIndex = Integer.MAX_VALUE;
        assertThat(state.takeSrtcpIndex()).isEqualTo(Integer.MAX_VALUE);
        assertThat(state.takeSrtcpIndex()).isZero();
    }
}
