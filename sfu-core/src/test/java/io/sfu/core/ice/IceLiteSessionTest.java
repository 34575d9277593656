package io.sfu.core.ice;

import io.sfu.core.stun.StunAddress;
import io.sfu.core.testing.ManualClock;
import io.sfu.core.stun.StunMessage;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The server-side ICE state, driven by a real {@link IceClient} in memory with a fake clock: connection,
 * nomination, following a moved peer, consent expiry and ICE restart.
 */
class IceLiteSessionTest {
    private static final IceCredentials SERVER = IceCredentials.of("srvUfrag", "serverPasswordOf24Chars+");
    private static final IceCredentials CLIENT = IceCredentials.of("cli1", "clientPasswordOf24Chars/");
    private static final long PRIORITY = IceClient.priority(IceClient.PEER_REFLEXIVE_TYPE_PREFERENCE, 65535, 1);

    private final ManualClock clock = new ManualClock(TimeUnit.SECONDS.toNanos(1000));
    private final IceLiteSession session = new IceLiteSession(SERVER, clock);
    private final IceLiteResponder responder = new IceLiteResponder();
    private final IceCheckResult result = new IceCheckResult();
    private final StunMessage message = new StunMessage();
    private final UnsafeBuffer wire = new UnsafeBuffer(new byte[512]);
    private final UnsafeBuffer reply = new UnsafeBuffer(new byte[512]);
    private final StunAddress clientAddress = new StunAddress().set(new InetSocketAddress("192.0.2.10", 50000));
    private final StunAddress movedAddress = new StunAddress().set(new InetSocketAddress("198.51.100.3", 61000));

    @Test
    void clientConnectsAndNominatesThroughTheSession() {
        session.remoteCredentials(CLIENT);
        IceClient client = newClient(CLIENT, SERVER);
        client.start(clock.nanoTime());

        IceCheckStatus status = exchange(client, clientAddress);

        assertThat(status).isEqualTo(IceCheckStatus.VALID);
        assertThat(result.useCandidate()).isTrue();
        assertThat(result.priority()).isEqualTo(PRIORITY);
        assertThat(result.remoteUfrag()).isEqualTo("cli1");
        assertThat(result.selectedTupleChanged()).isTrue();
        assertThat(session.hasSelectedTuple()).isTrue();
        assertThat(session.selectedTuple()).isEqualTo(clientAddress);
        assertThat(session.isSelectedTuple(new byte[] {(byte) 192, 0, 2, 10}, 0, 4, 50000)).isTrue();
        assertThat(session.lastConsentNs()).isEqualTo(clock.nanoTime());
        assertThat(client.state()).isEqualTo(IceClient.State.CONNECTED);
        assertThat(client.mappedAddress()).isEqualTo(clientAddress);
    }

    @Test
    void wrongPasswordGets401AndChangesNothing() {
        session.remoteCredentials(CLIENT);
        IceClient client = newClient(CLIENT, IceCredentials.of("srvUfrag", "notTheServerPassword1234"));
        client.start(clock.nanoTime());
        long consentBefore = session.lastConsentNs();
        clock.advanceMs(10);

        IceCheckStatus status = exchange(client, clientAddress);

        assertThat(status).isEqualTo(IceCheckStatus.UNAUTHORIZED);
        assertThat(result.selectedTupleChanged()).isFalse();
        assertThat(session.hasSelectedTuple()).isFalse();
        assertThat(session.selections()).isZero();
        assertThat(session.lastConsentNs()).isEqualTo(consentBefore);
        assertThat(session.localCredentials()).isEqualTo(SERVER);
        assertThat(session.remoteCredentials()).isEqualTo(CLIENT);
        assertThat(client.state()).isEqualTo(IceClient.State.FAILED);
        assertThat(client.failure()).isEqualTo(IceClient.Failure.ERROR_RESPONSE);
        assertThat(client.lastErrorCode()).isEqualTo(401);
    }

    @Test
    void wrongPasswordAfterSelectionLeavesSelectionAndConsentAlone() {
        Checks good = Checks.from(CLIENT, SERVER);
        good.useCandidate = true;
        handle(good, clientAddress);
        long consent = session.lastConsentNs();
        clock.advanceMs(1000);
        Checks bad = Checks.from(CLIENT, SERVER);
        bad.useCandidate = true;
        bad.key = IceCredentials.of("x1234", "attackerPasswordOf24Chr+").key();

        assertThat(handle(bad, movedAddress)).isEqualTo(IceCheckStatus.UNAUTHORIZED);
        assertThat(session.selectedTuple()).isEqualTo(clientAddress);
        assertThat(session.lastConsentNs()).isEqualTo(consent);
        assertThat(session.selections()).isEqualTo(1);
    }

    @Test
    void onlyUseCandidateSelectsATuple() {
        Checks plain = Checks.from(CLIENT, SERVER);

        assertThat(handle(plain, clientAddress)).isEqualTo(IceCheckStatus.VALID);
        assertThat(session.hasSelectedTuple()).isFalse();
        assertThat(result.selectedTupleChanged()).isFalse();

        Checks nominating = Checks.from(CLIENT, SERVER);
        nominating.useCandidate = true;
        assertThat(handle(nominating, clientAddress)).isEqualTo(IceCheckStatus.VALID);
        assertThat(session.selectedTuple()).isEqualTo(clientAddress);
        assertThat(result.selectedTupleChanged()).isTrue();

        assertThat(handle(nominating, clientAddress)).isEqualTo(IceCheckStatus.VALID);
        assertThat(result.selectedTupleChanged()).as("a repeated nomination is no change").isFalse();
        assertThat(session.selections()).isEqualTo(1);
    }

    @Test
    void peerThatMovesIsFollowed() {
        Checks nominating = Checks.from(CLIENT, SERVER);
        nominating.useCandidate = true;
        handle(nominating, clientAddress);

        Checks plainFromNewAddress = Checks.from(CLIENT, SERVER);
        assertThat(handle(plainFromNewAddress, movedAddress)).isEqualTo(IceCheckStatus.VALID);
        assertThat(session.selectedTuple()).as("no nomination, no move").isEqualTo(clientAddress);

        assertThat(handle(nominating, movedAddress)).isEqualTo(IceCheckStatus.VALID);
        assertThat(result.selectedTupleChanged()).isTrue();
        assertThat(session.selectedTuple()).isEqualTo(movedAddress);
        assertThat(session.isSelectedTuple(clientAddress)).isFalse();
        assertThat(session.selections()).isEqualTo(2);
    }

    @Test
    void consentExpiresThirtySecondsAfterTheLastCheckOnTheSelectedPair() {
        Checks nominating = Checks.from(CLIENT, SERVER);
        nominating.useCandidate = true;
        handle(nominating, clientAddress);
        long selectedAt = clock.nanoTime();

        clock.advanceMs(20_000);
        Checks consentCheck = Checks.from(CLIENT, SERVER);
        handle(consentCheck, clientAddress);
        long refreshedAt = clock.nanoTime();
        assertThat(session.lastConsentNs()).isEqualTo(refreshedAt);

        clock.advanceMs(5_000);
        handle(consentCheck, movedAddress);
        assertThat(session.lastConsentNs()).as("a check off the selected pair is no consent").isEqualTo(refreshedAt);

        long thirtySeconds = TimeUnit.SECONDS.toNanos(30);
        assertThat(session.isConsentExpired(selectedAt + thirtySeconds)).isFalse();
        assertThat(session.isConsentExpired(refreshedAt + thirtySeconds - 1)).isFalse();
        assertThat(session.isConsentExpired(refreshedAt + thirtySeconds)).isTrue();
    }

    @Test
    void sessionThatIsNeverNominatedExpiresToo() {
        long createdAt = clock.nanoTime();
        handle(Checks.from(CLIENT, SERVER), clientAddress);

        assertThat(session.isConsentExpired(createdAt + TimeUnit.SECONDS.toNanos(30) - 1)).isFalse();
        assertThat(session.isConsentExpired(createdAt + TimeUnit.SECONDS.toNanos(30))).isTrue();
    }

    @Test
    void consentTimeoutIsConfigurableAndValidated() {
        IceLiteSession shortLived = new IceLiteSession(SERVER, clock, TimeUnit.SECONDS.toNanos(5));

        assertThat(shortLived.consentTimeoutNs()).isEqualTo(TimeUnit.SECONDS.toNanos(5));
        assertThat(shortLived.isConsentExpired(clock.nanoTime() + TimeUnit.SECONDS.toNanos(5))).isTrue();
        assertThatThrownBy(() -> new IceLiteSession(SERVER, clock, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consentTimeoutNs");
    }

    @Test
    void iceRestartRefusesTheOldCredentialsAndKeepsTheSelection() {
        session.remoteCredentials(CLIENT);
        IceClient client = newClient(CLIENT, SERVER);
        client.start(clock.nanoTime());
        exchange(client, clientAddress);
        IceCredentials newServer = IceCredentials.of("srvUfra2", "serverPasswordNumberTwo+");
        IceCredentials newClient = IceCredentials.of("cli2", "clientPasswordNumberTwo/");

        session.restart(newServer, newClient);

        Checks old = Checks.from(CLIENT, SERVER);
        old.useCandidate = true;
        assertThat(handle(old, movedAddress)).isEqualTo(IceCheckStatus.UNAUTHORIZED);
        Checks oldClientUfragNewPassword = Checks.from(CLIENT, newServer);
        assertThat(handle(oldClientUfragNewPassword, clientAddress)).as("old remote ufrag")
            .isEqualTo(IceCheckStatus.UNAUTHORIZED);
        assertThat(session.selectedTuple()).isEqualTo(clientAddress);

        clock.advanceMs(100);
        client.restart(newClient, newServer, clock.nanoTime());
        assertThat(exchange(client, movedAddress)).isEqualTo(IceCheckStatus.VALID);
        assertThat(session.selectedTuple()).isEqualTo(movedAddress);
        assertThat(client.state()).isEqualTo(IceClient.State.CONNECTED);
    }

    @Test
    void consentChecksKeepBothSidesAliveUntilTheServerGoesQuiet() {
        session.remoteCredentials(CLIENT);
        IceClient client = newClient(CLIENT, SERVER);
        client.start(clock.nanoTime());
        exchange(client, clientAddress);

        // two minutes of consent checks every 4 to 6 seconds, all answered
        long end = clock.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int checks = 0;
        while (clock.nanoTime() - end < 0) {
            clock.advanceMs(100);
            int length = client.pollTransmit(clock.nanoTime(), wire, 0, 512);
            if (length > 0) {
                checks++;
                deliver(client, length, clientAddress);
            }
            assertThat(session.isConsentExpired(clock.nanoTime())).isFalse();
        }
        assertThat(client.state()).isEqualTo(IceClient.State.CONNECTED);
        assertThat(checks).isBetween(120 / 6, 120 / 4 + 1);

        // then the server stops answering: both sides see consent expire
        long lastAnswer = client.lastConsentNs();
        while (client.state() == IceClient.State.CONNECTED) {
            clock.advanceMs(100);
            client.pollTransmit(clock.nanoTime(), wire, 0, 512);
        }
        assertThat(client.failure()).isEqualTo(IceClient.Failure.CONSENT_EXPIRED);
        assertThat(clock.nanoTime() - lastAnswer).isBetween(TimeUnit.SECONDS.toNanos(30),
            TimeUnit.SECONDS.toNanos(30) + TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(session.isConsentExpired(clock.nanoTime())).isTrue();
    }

    private IceClient newClient(IceCredentials local, IceCredentials remote) {
        return new IceClient(local, remote, PRIORITY, new SplittableRandom(42));
    }

    /** Sends the client's due check to the session and the response back; returns the session's verdict. */
    private IceCheckStatus exchange(IceClient client, StunAddress from) {
        int length = client.pollTransmit(clock.nanoTime(), wire, 0, 512);
        assertThat(length).isPositive();
        return deliver(client, length, from);
    }

    private IceCheckStatus deliver(IceClient client, int length, StunAddress from) {
        assertThat(message.wrap(wire, 0, length)).isTrue();
        IceCheckStatus status = session.handleBindingRequest(responder, message, from, reply, 0, 512, result);
        if (status.hasResponse()) {
            assertThat(message.wrap(reply, 0, result.responseLength())).isTrue();
            assertThat(client.onMessage(message, clock.nanoTime())).isTrue();
        }
        return status;
    }

    private IceCheckStatus handle(Checks checks, StunAddress from) {
        return session.handleBindingRequest(responder, checks.build(message), from, reply, 0, 512, result);
    }
}
