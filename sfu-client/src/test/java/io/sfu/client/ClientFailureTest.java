package io.sfu.client;

import static io.sfu.client.ClientTests.fastConfig;
import static io.sfu.client.ClientTests.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.ExecutionException;

import io.sfu.core.dtls.DtlsCertificate;
import io.sfu.core.dtls.DtlsFingerprint;
import io.sfu.core.dtls.DtlsHandshakeException;
import io.sfu.core.ice.IceClient;
import io.sfu.core.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How a connection fails: wrong fingerprints, wrong ICE credentials, silence, and misuse of the negotiation. */
class ClientFailureTest {
    private static final DtlsCertificate STRANGER = DtlsCertificate.generate();

    private MiniSfu sfu;
    private ClientIoLoop loop;

    @BeforeEach
    void start() throws Exception {
        sfu = new MiniSfu();
        loop = ClientIoLoop.start(ClientIoLoopConfig.defaults());
    }

    @AfterEach
    void stop() throws Exception {
        loop.close();
        sfu.close();
    }

    private static ClientConnectionException failureOf(ClientPeerConnection pc) {
        Throwable thrown = catchThrowable(() -> get(pc.connected()));
        assertThat(thrown).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ClientConnectionException.class);
        return (ClientConnectionException) thrown.getCause();
    }

    @Test
    void aFingerprintInTheAnswerThatIsNotTheServersFailsTheHandshakeAtTheClient() throws Exception {
        MiniSfu.Transport transport = sfu.newTransport();
        ClientPeerConnection pc = loop.newPeerConnection(fastConfig().build(), null);
        String answer = transport.answer(pc.createOffer(List.of(TrackSpec.audio("a0"))));
        String forged = answer.replace(sfu.certificate().fingerprint(), STRANGER.fingerprint());
        assertThat(forged).isNotEqualTo(answer);

        pc.applyAnswer(forged);

        ClientConnectionException failure = failureOf(pc);
        assertThat(failure.reason()).isEqualTo(ClientConnectionException.Reason.DTLS_FAILED);
        assertThat(failure.dtlsReason()).isEqualTo(DtlsHandshakeException.Reason.FINGERPRINT_MISMATCH);
        assertThat(pc.state()).isEqualTo(ClientState.FAILED);
        assertThat(pc.failure()).isSameAs(failure);
        assertThat(pc.srtpProfile()).isNull();
    }

    @Test
    void aClientCertificateThatIsNotTheOneSignalledFailsTheHandshakeAtTheServer() throws Exception {
        MiniSfu.Transport transport = sfu.newTransport();
        transport.fingerprintOverride = List.of(DtlsFingerprint.parse(STRANGER.fingerprint()));
        ClientPeerConnection pc = loop.newPeerConnection(fastConfig().build(), null);
        pc.applyAnswer(transport.answer(pc.createOffer(List.of(TrackSpec.audio("a0")))));

        Throwable server = catchThrowable(() -> get(transport.handshake));
        assertThat(server).hasCauseInstanceOf(DtlsHandshakeException.class);
        assertThat(((DtlsHandshakeException) server.getCause()).reason())
            .isEqualTo(DtlsHandshakeException.Reason.FINGERPRINT_MISMATCH);
        ClientConnectionException failure = failureOf(pc);
        assertThat(failure.reason()).isEqualTo(ClientConnectionException.Reason.DTLS_FAILED);
        assertThat(failure.dtlsReason()).isEqualTo(DtlsHandshakeException.Reason.ALERT_RECEIVED);
    }

    @Test
    void aWrongIcePasswordIsAnsweredWith401AndFailsWithoutDtls() throws Exception {
        MiniSfu.Transport transport = sfu.newTransport();
        ClientTests.Recorder recorder = new ClientTests.Recorder();
        ClientPeerConnection pc = loop.newPeerConnection(fastConfig().build(), recorder);
        String answer = transport.answer(pc.createOffer(List.of(TrackSpec.audio("a0"))));
        String forged = answer.replace("a=ice-pwd:" + transport.localIce.pwd(), "a=ice-pwd:WrongPasswordWrongPassword");
        assertThat(forged).isNotEqualTo(answer);

        pc.applyAnswer(forged);

        ClientConnectionException failure = failureOf(pc);
        assertThat(failure.reason()).isEqualTo(ClientConnectionException.Reason.ICE_ERROR_RESPONSE);
        assertThat(failure.stunErrorCode()).isEqualTo(401);
        assertThat(transport.unauthorizedChecks.get()).isPositive();
        assertThat(recorder.states).containsExactly(ClientState.CHECKING, ClientState.FAILED);
        assertThat(transport.handshake).isNotDone();
    }

    @Test
    void checksNobodyAnswersTimeOut() throws Exception {
        try (DatagramChannel silent = DatagramChannel.open()) {
            silent.bind(new InetSocketAddress(InetAddress.getByName(MiniSfu.LOOPBACK), 0));
            int silentPort = ((InetSocketAddress) silent.getLocalAddress()).getPort();
            MiniSfu.Transport transport = sfu.newTransport();
            IceClient.Config ice = IceClient.Config.retransmission(5_000_000L, 3, 2);
            ClientPeerConnection pc = loop.newPeerConnection(fastConfig().iceConfig(ice).build(), null);
            String answer = transport.answer(pc.createOffer(List.of(TrackSpec.audio("a0"))))
                .replace(" " + sfu.address().getPort() + " typ host", " " + silentPort + " typ host");

            pc.applyAnswer(answer);

            ClientConnectionException failure = failureOf(pc);
            assertThat(failure.reason()).isEqualTo(ClientConnectionException.Reason.ICE_TIMEOUT);
            assertThat(pc.remoteAddress().getPort()).isEqualTo(silentPort);
            assertThat(transport.checks.get()).isZero();
        }
    }

    @Test
    void consentExpiresWhenTheServerStopsAnswering() throws Exception {
        // a check every 20 ms; one second without an answer ends consent (long enough not to end it while the
        // fixture is busy with the handshake on a loaded machine)
        IceClient.Config ice = IceClient.Config.consent(20_000_000L, 1_000_000_000L);
        ClientTests.Recorder recorder = new ClientTests.Recorder();
        ClientTests.Publisher p = ClientTests.publish(loop, sfu, List.of(TrackSpec.audio("a0")),
            fastConfig().iceConfig(ice).build(), recorder);
        int checksWhileConnected = p.transport().checks.get();

        p.transport().ignoreChecks = true;

        Await.until("the connection to fail once consent expired", ClientTests.TIMEOUT,
            () -> p.pc().state() == ClientState.FAILED);
        assertThat(p.pc().failure().reason()).isEqualTo(ClientConnectionException.Reason.CONSENT_EXPIRED);
        assertThat(recorder.states).endsWith(ClientState.CONNECTED, ClientState.FAILED);
        assertThat(checksWhileConnected).isPositive();
    }

    @Test
    void closingBeforeTheConnectionCompletesFailsTheFutureAsClosedAndReleasesTheSocket() throws Exception {
        ClientPeerConnection pc = loop.newPeerConnection(fastConfig().build(), null);
        pc.createOffer(List.of(TrackSpec.audio("a0")));

        get(pc.closeAsync());

        assertThat(failureOf(pc).reason()).isEqualTo(ClientConnectionException.Reason.CLOSED);
        assertThat(pc.state()).isEqualTo(ClientState.CLOSED);
        assertThat(pc.isChannelOpen()).isFalse();
        assertThatThrownBy(() -> pc.createOffer(List.of(TrackSpec.audio("a1"))))
            .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void negotiationMisuseIsRefused() throws Exception {
        MiniSfu.Transport transport = sfu.newTransport();
        ClientPeerConnection publisher = loop.newPeerConnection(fastConfig().build(), null);
        assertThatThrownBy(() -> publisher.applyAnswer("v=0\r\n")).isInstanceOf(IllegalStateException.class);
        String offer = publisher.createOffer(List.of(TrackSpec.audio("a0")));
        assertThatThrownBy(() -> publisher.acceptOffer(offer)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> publisher.applyAnswer("not sdp")).isInstanceOf(IllegalArgumentException.class);
        String answer = transport.answer(offer);
        assertThatThrownBy(() -> publisher.applyAnswer(answer.replace("a=setup:passive", "a=setup:active")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("setup");
        assertThatThrownBy(() -> publisher.applyAnswer(answer
            .replace("a=candidate:1 1 udp 2130706431 127.0.0.1", "a=candidate:1 1 udp 2130706431 example.invalid")
            .replace("c=IN IP4 127.0.0.1", "c=IN IP4 0.0.0.0")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("candidate");
        assertThatThrownBy(() -> publisher.createOffer(List.of(TrackSpec.audio("a0"), TrackSpec.audio("a0"))))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> publisher.createOffer(List.of(TrackSpec.video("a0"))))
            .isInstanceOf(IllegalArgumentException.class);

        publisher.applyAnswer(answer);
        get(publisher.connected());
        String reoffer = publisher.createOffer(List.of(TrackSpec.audio("a0")));
        String otherServer = transport.answer(reoffer).replace(sfu.certificate().fingerprint(), STRANGER.fingerprint());
        assertThatThrownBy(() -> publisher.applyAnswer(otherServer))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fingerprint");
        ClientPeerConnection subscriber = loop.newPeerConnection(fastConfig().build(), null);
        String sfuOffer = sfu.newTransport().subscriberOffer("p1", java.util.Arrays.asList((MiniSfu.PublishedInfo) null));
        assertThatThrownBy(() -> subscriber.acceptOffer(sfuOffer.replace("a=setup:actpass", "a=setup:active")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("setup");
        subscriber.acceptOffer(sfuOffer);
        assertThatThrownBy(() -> subscriber.createOffer(List.of(TrackSpec.audio("a0"))))
            .isInstanceOf(IllegalStateException.class);
    }
}
