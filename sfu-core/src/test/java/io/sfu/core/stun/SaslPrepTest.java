package io.sfu.core.stun;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SASLprep as used for long-term passwords; cases from RFC 4013 §3 and RFC 5769 §2.4. */
class SaslPrepTest {
    @Test
    void examplesOfRfc4013Section3() {
        assertThat(SaslPrep.prepare("I\u00ADX")).as("soft hyphen mapped to nothing").isEqualTo("IX");
        assertThat(SaslPrep.prepare("user")).isEqualTo("user");
        assertThat(SaslPrep.prepare("USER")).as("case preserved").isEqualTo("USER");
        assertThat(SaslPrep.prepare("\u00AA")).as("NFKC").isEqualTo("a");
        assertThat(SaslPrep.prepare("\u2168")).as("NFKC").isEqualTo("IX");
        assertThatThrownBy(() -> SaslPrep.prepare("\u0007")).as("prohibited character")
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SaslPrep.prepare("\u0627\u0031")).as("bidi check")
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void passwordOfRfc5769Section24PreparesToTheMatrIX() {
        assertThat(SaslPrep.prepare("The\u00ADM\u00AAtr\u2168")).isEqualTo("TheMatrIX");
    }

    @Test
    void nonAsciiSpaceBecomesSpace() {
        assertThat(SaslPrep.prepare("a\u00A0b")).isEqualTo("a b");
    }
}
