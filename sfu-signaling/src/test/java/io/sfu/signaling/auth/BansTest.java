package io.sfu.signaling.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfu.core.testing.ManualClock;
import io.sfu.signaling.TestServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The ban list: bans end on time, a token stays refused until it expires, and the list is bounded. */
class BansTest {
    private final ManualClock time = TestServer.wallClockNow();
    private final Clock clock = TestServer.asWallClock(time);

    @Test
    void aBanEndsOnTimeAndTheTokenOnlyWhenItExpires() {
        Bans bans = new Bans(clock);
        Instant tokenExpiry = clock.instant().plusSeconds(100);
        assertThat(bans.ban("r1", "mallory", 10, "jti-1", tokenExpiry)).isTrue();

        assertThat(bans.refusal("r1", "mallory", "jti-2")).contains("banned from room r1 for 10 more seconds");
        assertThat(bans.refusal("r2", "mallory", null)).as("another room").isNull();
        assertThat(bans.refusal("r1", "alice", null)).as("another identity").isNull();
        assertThat(bans.refusal("r1", "alice", "jti-1")).as("the banned join's token, whoever uses it")
            .contains("banned participant");

        time.advance(Duration.ofSeconds(10));
        assertThat(bans.refusal("r1", "mallory", "jti-2")).isNull();
        assertThat(bans.refusal("r1", "mallory", "jti-1")).isNotNull();
        time.advance(Duration.ofSeconds(90));
        assertThat(bans.refusal("r1", "mallory", "jti-1")).isNull();
    }

    @Test
    void aShorterBanLeavesALongerOneInPlace() {
        Bans bans = new Bans(clock);
        bans.ban("r1", "mallory", 100, null, null);
        bans.ban("r1", "mallory", 10, null, null);
        time.advance(Duration.ofSeconds(50));
        assertThat(bans.refusal("r1", "mallory", null)).isNotNull();
    }

    @Test
    void aFullListRefusesOneMoreBanAndChangesNothingUntilBansExpire() {
        Bans bans = new Bans(clock, 2);
        assertThat(bans.ban("r1", "a", 10, null, null)).isTrue();
        assertThat(bans.ban("r1", "b", 20, null, null)).isTrue();

        assertThat(bans.ban("r1", "c", 10, null, null)).isFalse();
        assertThat(bans.refusal("r1", "c", null)).isNull();
        assertThat(bans.ban("r1", "a", 30, null, null)).as("renewing a ban takes no room").isTrue();

        time.advance(Duration.ofSeconds(20));
        assertThat(bans.ban("r1", "c", 10, null, null)).as("b expired").isTrue();
        assertThat(bans.refusal("r1", "c", null)).isNotNull();
    }

    @Test
    void theTokenListIsBoundedToo() {
        Bans bans = new Bans(clock, 1);
        Instant expiry = clock.instant().plusSeconds(100);
        assertThat(bans.ban("r1", "a", 10, "jti-a", expiry)).isTrue();
        assertThat(bans.ban("r1", "a", 10, "jti-b", expiry)).isFalse();
        assertThat(bans.refusal("r1", "x", "jti-b")).isNull();
    }
}
