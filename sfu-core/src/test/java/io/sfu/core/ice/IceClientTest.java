package io.sfu.core.ice;

import io.sfu.core.stun.StunAddress;
import io.sfu.core.stun.StunIntegrity;
import io.sfu.core.stun.StunMessage;
import io.sfu.core.stun.StunMessageType;
import io.sfu.core.stun.StunMessageWriter;
import io.sfu.core.testing.Allocations;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The controlling client: what its checks carry, its retransmission schedule, response matching, consent. */
class IceClientTest {
    private static final IceCredentials SERVER = IceCredentials.of("srvUfrag", "serverPasswordOf24Chars+");
    private static final IceCredentials CLIENT = IceCredentials.of("cli1", "clientPasswordOf24Chars/");
    private static final long PRIORITY = 1_845_501_695L;

    private final StunMessage message = new StunMessage();
    private final StunIntegrity integrity = new StunIntegrity();
    private final UnsafeBuffer wire = new UnsafeBuffer(new byte[512]);
    private final UnsafeBuffer reply = new UnsafeBuffer(new byte[512]);

    @Test
    void checkCarriesEveryAttributeIceRequires() {
        IceClient client = new IceClient(CLIENT, SERVER, PRIORITY, new SplittableRandom(1));
        client.start(0);

        int length = client.pollTransmit(0, wire, 0, 512);

        assertThat(message.wrap(wire, 0, length)).isTrue();
        assertThat(message.isBindingRequest()).isTrue();
        assertThat(message.username()).isEqualTo("srvUfrag:cli1");
        assertThat(message.priority()).isEqualTo(PRIORITY);
        assertThat(message.hasIceControlling()).isTrue();
        assertThat(message.iceControllingTieBreaker()).isEqualTo(client.tieBreaker());
        assertThat(message.hasIceControlled()).isFalse();
        assertThat(message.useCandidate()).isTrue();
        assertThat(integrity.checkMessageIntegrity(message, SERVER.key())).isTrue();
        assertThat(integrity.checkFingerprint(message)).isTrue();
    }

    @Test
    void retransmissionsDoubleTheRtoThenGiveUpAfterTheLastWait() {
        IceClient client = new IceClient(CLIENT, SERVER, PRIORITY, new SplittableRandom(2));
        client.start(0);
        List<Long> sentAtMs = new ArrayList<>();
        byte[] first = null;
        long failedAtMs = -1;
        for (long ms = 0; ms <= 60_000; ms++) {
            int length = client.pollTransmit(TimeUnit.MILLISECONDS.toNanos(ms), wire, 0, 512);
            if (length > 0) {
                sentAtMs.add(ms);
                byte[] bytes = Arrays.copyOf(wire.byteArray(), length);
                if (first == null) {
                    first = bytes;
                }
                assertThat(bytes).as("a retransmission repeats the request").isEqualTo(first);
            }
            if (failedAtMs < 0 && client.state() == IceClient.State.FAILED) {
                failedAtMs = ms;
            }
        }

        // RFC 8489 §6.2.1 with RTO 500 ms, Rc 7, Rm 16
        assertThat(sentAtMs).containsExactly(0L, 500L, 1_500L, 3_500L, 7_500L, 15_500L, 31_500L);
        assertThat(failedAtMs).isEqualTo(39_500L);
        assertThat(client.failure()).isEqualTo(IceClient.Failure.TIMEOUT);
        assertThat(client.nextDeadlineNs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void scheduleFollowsTheConfiguredRtoAndCount() {
        IceClient.Config config = IceClient.Config.retransmission(TimeUnit.MILLISECONDS.toNanos(100), 3, 2);
        IceClient client = new IceClient(CLIENT, SERVER, PRIORITY, new SplittableRandom(3), config);
        client.start(0);
        List<Long> sentAtMs = new ArrayList<>();
        for (long ms = 0; ms <= 1_000 && client.state() != IceClient.State.FAILED; ms++) {
            if (client.pollTransmit(TimeUnit.MILLISECONDS.toNanos(ms), wire, 0, 512) > 0) {
                sentAtMs.add(ms);
            }
            if (client.state() == IceClient.State.FAILED) {
                sentAtMs.add(-ms);
            }
        }

        assertThat(sentAtMs).containsExactly(0L, 100L, 300L, -500L);
    }

    @Test
    void validResponseConnectsAndSchedulesJitteredConsentChecks() {
        IceClient client = new IceClient(CLIENT, SERVER, PRIORITY, new SplittableRandom(4));
        client.start(0);
        int length = client.pollTransmit(0, wire, 0, 512);
        long answeredAt = TimeUnit.MILLISECONDS.toNanos(30);

        assertThat(client.onMessage(successResponse(length, SERVER), answeredAt)).isTrue();

        assertThat(client.state()).isEqualTo(IceClient.State.CONNECTED);
        assertThat(client.lastConsentNs()).isEqualTo(answeredAt);
        assertThat(client.mappedAddress().toString()).isEqualTo("192.0.2.10:50000");
        long nextCheck = client.nextDeadlineNs();
        assertThat(nextCheck - answeredAt).isBetween(TimeUnit.MILLISECONDS.toNanos(4_000),
            TimeUnit.MILLISECONDS.toNanos(6_000));
        assertThat(client.pollTransmit(nextCheck - 1, wire, 0, 512)).isZero();
        int consent = client.pollTransmit(nextCheck, wire, 0, 512);
        assertThat(consent).isPositive();
        assertThat(message.wrap(wire, 0, consent)).isTrue();
        assertThat(message.useCandidate()).as("consent checks do not nominate").isFalse();
        assertThat(integrity.checkMessageIntegrity(message, SERVER.key())).isTrue();
    }

    @Test
    void consentIntervalsSpreadOverEightyToOneHundredTwentyPercent() {
        IceClient client = new IceClient(CLIENT, SERVER, PRIORITY, new SplittableRandom(5));
        client.start(0);
        int length = client.pollTransmit(0, wire, 0, 512);
        client.onMessage(successResponse(length, SERVER), 0);
        long previous = 0;
        long shortest = Long.MAX_VALUE;
        long longest = 0;
        for (int i = 0; i < 200; i++) {
            long due = client.nextDeadlineNs();
            int consent = client.pollTransmit(due, wire, 0, 512);
            assertThat(consent).isPositive();
            shortest = Math.min(shortest, due - previous);
            longest = Math.max(longest, due - previous);
            previous = due;
            client.onMessage(successResponse(consent, SERVER), due);
        }

        assertThat(shortest).isBetween(TimeUnit.MILLISECONDS.toNanos(4_000), TimeUnit.MILLISECONDS.toNanos(4_300));
        assertThat(longest).isBetween(TimeUnit.MILLISECONDS.toNanos(5_700), TimeUnit.MILLISECONDS.toNanos(6_000));
        assertThat(client.state()).isEqualTo(IceClient.State.CONNECTED);
    }

    @Test
    void responsesThatAreNotTheAnswerAreLeftAlone() {
        IceClient client = new IceClient(CLIENT, SERVER, PRIORITY, new SplittableRandom(6));
        client.start(0);
        int length = client.pollTransmit(0, wire, 0, 512);
        byte[] otherTransaction = new byte[StunMessage.TRANSACTION_ID_LENGTH];
        wire.getBytes(StunMessage.TRANSACTION_ID_OFFSET, otherTransaction);
        otherTransaction[0] ^= 1;

        assertThat(client.onMessage(successResponse(length, CLIENT), 1)).as("signed with the wrong pwd").isFalse();
        assertThat(client.onMessage(successResponse(otherTransaction, SERVER), 1)).as("another transaction")
            .isFalse();
        assertThat(client.state()).isEqualTo(IceClient.State.CHECKING);
        assertThat(client.onMessage(successResponse(length, SERVER), 1)).isTrue();
        assertThat(client.state()).isEqualTo(IceClient.State.CONNECTED);
    }

    @Test
    void errorResponseFailsTheClientWithItsCode() {
        IceClient client = new IceClient(CLIENT, SERVER, PRIORITY, new SplittableRandom(7));
        client.start(0);
        int length = client.pollTransmit(0, wire, 0, 512);
        assertThat(message.wrap(wire, 0, length)).isTrue();
        int errorLength = new StunMessageWriter().wrap(reply, 0, 512)
            .header(StunMessageType.BINDING_ERROR_RESPONSE, message)
            .errorCode(487)
            .fingerprint(integrity)
            .length();
        assertThat(message.wrap(reply, 0, errorLength)).isTrue();

        assertThat(client.onMessage(message, 1)).isTrue();

        assertThat(client.state()).isEqualTo(IceClient.State.FAILED);
        assertThat(client.failure()).isEqualTo(IceClient.Failure.ERROR_RESPONSE);
        assertThat(client.lastErrorCode()).isEqualTo(487);
        assertThat(client.pollTransmit(TimeUnit.SECONDS.toNanos(10), wire, 0, 512)).isZero();
    }

    @Test
    void settingsOutOfRangeAreRefusedByName() {
        assertThatThrownBy(() -> new IceClient(CLIENT, SERVER, PRIORITY, new SplittableRandom(8),
            IceClient.Config.retransmission(0, 7, 16))).hasMessageContaining("ice.client.rtoNs");
        assertThatThrownBy(() -> new IceClient(CLIENT, SERVER, PRIORITY, new SplittableRandom(8),
            IceClient.Config.retransmission(IceClient.Config.DEFAULT_RTO_NS, 0, 16))).hasMessageContaining("ice.client.maxTransmissions");
        assertThatThrownBy(() -> new IceClient(CLIENT, SERVER, PRIORITY, new SplittableRandom(8),
            IceClient.Config.consent(IceClient.Config.DEFAULT_CONSENT_INTERVAL_NS, 1))).hasMessageContaining("ice.client.consentTimeoutNs");
        assertThatThrownBy(() -> new IceClient(CLIENT, SERVER, 0, new SplittableRandom(8)))
            .hasMessageContaining("priority");
        IceClient started = new IceClient(CLIENT, SERVER, PRIORITY, new SplittableRandom(8));
        started.start(0);
        assertThatThrownBy(() -> started.start(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void priorityFollowsRfc8445Formula() {
        assertThat(IceClient.priority(126, 65535, 1)).isEqualTo((126L << 24) + (65535L << 8) + 255);
        assertThat(IceClient.priority(IceClient.PEER_REFLEXIVE_TYPE_PREFERENCE, 65535, 1)).isEqualTo(1_862_270_975L);
    }

    @Test
    void sendingChecksAndReadingResponsesAllocatesNothing() {
        IceClient client = new IceClient(CLIENT, SERVER, PRIORITY, new SplittableRandom(9));
        client.start(0);
        StunMessage request = new StunMessage();
        StunMessage response = new StunMessage();
        StunMessageWriter writer = new StunMessageWriter();
        StunAddress mapped = new StunAddress().set(new InetSocketAddress("192.0.2.10", 50000));
        int[] missed = {0};

        double bytesPerRun = Allocations.bytesPerRun(() -> {
            long now = client.state() == IceClient.State.CHECKING ? 0 : client.nextDeadlineNs();
            int sent = client.pollTransmit(now, wire, 0, 512);
            request.wrap(wire, 0, sent);
            int length = writer.wrap(reply, 0, 512)
                .header(StunMessageType.BINDING_SUCCESS_RESPONSE, request)
                .xorMappedAddress(mapped)
                .messageIntegrity(integrity, SERVER.key())
                .fingerprint(integrity)
                .length();
            response.wrap(reply, 0, length);
            if (sent == 0 || !client.onMessage(response, now)) {
                missed[0]++;
            }
        });

        assertThat(missed[0]).isZero();
        assertThat(client.state()).isEqualTo(IceClient.State.CONNECTED);
        assertThat(bytesPerRun).isZero();
    }

    /** A success response to the request in {@code wire}, signed with {@code signer}'s pwd. */
    private StunMessage successResponse(int requestLength, IceCredentials signer) {
        StunMessage request = new StunMessage();
        assertThat(request.wrap(wire, 0, requestLength)).isTrue();
        byte[] transactionId = new byte[StunMessage.TRANSACTION_ID_LENGTH];
        request.copyTransactionId(transactionId, 0);
        return successResponse(transactionId, signer);
    }

    /** A success response for {@code transactionId}, signed with {@code signer}'s pwd. */
    private StunMessage successResponse(byte[] transactionId, IceCredentials signer) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        int length = new StunMessageWriter().wrap(buffer, 0, 256)
            .header(StunMessageType.BINDING_SUCCESS_RESPONSE, transactionId)
            .xorMappedAddress(new StunAddress().set(new InetSocketAddress("192.0.2.10", 50000)))
            .messageIntegrity(integrity, signer.key())
            .fingerprint(integrity)
            .length();
        StunMessage response = new StunMessage();
        assertThat(response.wrap(buffer, 0, length)).isTrue();
        return response;
    }
}
