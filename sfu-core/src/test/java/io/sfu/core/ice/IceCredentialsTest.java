package io.sfu.core.ice;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ICE credentials: generated ones meet RFC 8445 §5.3, given ones are validated. */
class IceCredentialsTest {
    @Test
    void generatedCredentialsAreLongEnoughIceCharsAndDistinct() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            IceCredentials credentials = IceCredentials.random(random);
            assertThat(credentials.ufrag()).hasSize(IceCredentials.GENERATED_UFRAG_LENGTH)
                .matches("[A-Za-z0-9+/]+");
            assertThat(credentials.pwd()).hasSize(IceCredentials.GENERATED_PWD_LENGTH).matches("[A-Za-z0-9+/]+");
            assertThat(seen.add(credentials.ufrag() + credentials.pwd())).isTrue();
        }
    }

    @Test
    void givenCredentialsAreValidatedByName() {
        assertThat(IceCredentials.of("abcd", "0123456789012345678901").ufrag()).isEqualTo("abcd");
        assertThatThrownBy(() -> IceCredentials.of("abc", "0123456789012345678901"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ice-ufrag");
        assertThatThrownBy(() -> IceCredentials.of("abcd", "012345678901234567890"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ice-pwd");
        assertThatThrownBy(() -> IceCredentials.of("ab:d", "0123456789012345678901"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ice-ufrag");
        assertThatThrownBy(() -> IceCredentials.of("abcd", null))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ice-pwd");
        assertThatThrownBy(() -> IceCredentials.of("a".repeat(257), "0123456789012345678901"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void passwordStaysOutOfToStringAndUfragBytesAreACopy() {
        IceCredentials credentials = IceCredentials.of("abcd", "secretSecretSecret1234");

        assertThat(credentials.toString()).contains("abcd").doesNotContain("secret");
        credentials.ufragBytes()[0] = 'z';
        assertThat(credentials.ufragBytes()[0]).isEqualTo((byte) 'a');
        assertThat(credentials).isEqualTo(IceCredentials.of("abcd", "secretSecretSecret1234"))
            .isNotEqualTo(IceCredentials.of("abcd", "secretSecretSecret1235"));
    }
}
