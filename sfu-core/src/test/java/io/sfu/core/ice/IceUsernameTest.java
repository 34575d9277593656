package io.sfu.core.ice;

import io.sfu.core.stun.StunMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading the receiver's ufrag out of a check's USERNAME to find its session. */
class IceUsernameTest {
    private final StunMessage message = new StunMessage();

    @Test
    void localUfragIsFoundBeforeTheColon() {
        StunMessage check = withUsername("srvUfrag:cli1");

        assertThat(IceUsername.localUfragLength(check)).isEqualTo(8);
        assertThat(IceUsername.localUfragEquals(check, ascii("srvUfrag"))).isTrue();
        assertThat(IceUsername.localUfragEquals(check, ascii("srvUfra"))).isFalse();
        assertThat(IceUsername.localUfragEquals(check, ascii("srvUfrag:"))).isFalse();
        assertThat(IceUsername.remoteUfragLength(check)).isEqualTo(4);
        assertThat(IceUsername.remoteUfragOffset(check)).isEqualTo(check.usernameOffset() + 9);
    }

    @Test
    void hashOfTheUfragInACheckEqualsTheHashOfTheUfrag() {
        StunMessage check = withUsername("srvUfrag:cli1");

        assertThat(IceUsername.localUfragHash(check)).isEqualTo(IceUsername.hash(ascii("srvUfrag")))
            .isNotEqualTo(IceUsername.hash(ascii("srvUfrah")));
    }

    @Test
    void usernameWithoutAColonHasNoLocalUfrag() {
        StunMessage check = withUsername("srvUfrag");

        assertThat(IceUsername.localUfragLength(check)).isEqualTo(-1);
        assertThat(IceUsername.localUfragHash(check)).isZero();
        assertThat(IceUsername.remoteUfragOffset(check)).isEqualTo(-1);
        assertThat(IceUsername.matches(check, ascii("srvUfrag"), null)).isFalse();
    }

    @Test
    void matchesChecksTheRemoteUfragOnlyWhenKnown() {
        StunMessage check = withUsername("srvUfrag:cli1");

        assertThat(IceUsername.matches(check, ascii("srvUfrag"), null)).isTrue();
        assertThat(IceUsername.matches(check, ascii("srvUfrag"), ascii("cli1"))).isTrue();
        assertThat(IceUsername.matches(check, ascii("srvUfrag"), ascii("cli2"))).isFalse();
        assertThat(IceUsername.matches(check, ascii("srvUfrag"), ascii("cli"))).isFalse();
    }

    @Test
    void checkWithoutUsernameHasNoUfrag() {
        Checks checks = Checks.from(IceCredentials.of("cli1", "clientPasswordOf24Chars/"),
            IceCredentials.of("srvUfrag", "serverPasswordOf24Chars+"));
        checks.username = null;
        StunMessage check = checks.build(message);

        assertThat(IceUsername.localUfragLength(check)).isEqualTo(-1);
        assertThat(IceUsername.localUfragEquals(check, ascii("srvUfrag"))).isFalse();
    }

    private StunMessage withUsername(String username) {
        Checks checks = Checks.from(IceCredentials.of("cli1", "clientPasswordOf24Chars/"),
            IceCredentials.of("srvUfrag", "serverPasswordOf24Chars+"));
        checks.username = username;
        return checks.build(message);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
