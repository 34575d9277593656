package io.sfu.core.dtls;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.sfu.core.testing.ManualClock;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CipherSuite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Real DTLS handshakes between a server and a client endpoint over in-memory links. */
class DtlsEndpointTest {

    private static final DtlsCertificate SERVER_CERTIFICATE = DtlsCertificate.generate("server", java.time.Instant.now());
    private static final DtlsCertificate CLIENT_CERTIFICATE = DtlsCertificate.generate("client", java.time.Instant.now());
    private static final DtlsCertificate STRANGER_CERTIFICATE = DtlsCertificate.generate("stranger", java.time.Instant.now());
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TrackingExecutor executor = new TrackingExecutor(4);

    @AfterEach
    void shutDown() throws InterruptedException {
        executor.close();
    }

    /** A server and a client wired to each other. */
    private final class Peers {
        final Wire toServer;
        final Wire toClient;
        final DtlsEndpoint server;
        final DtlsEndpoint client;

        Peers(DtlsConfig serverConfig, DtlsConfig clientConfig, Wire toServer, Wire toClient,
              DtlsCertificate serverExpects, DtlsCertificate clientExpects) {
            this.toServer = toServer;
            this.toClient = toClient;
            server = new DtlsEndpoint(DtlsRole.SERVER, SERVER_CERTIFICATE, fingerprintOf(serverExpects), toClient,
                executor, serverConfig);
            client = new DtlsEndpoint(DtlsRole.CLIENT, CLIENT_CERTIFICATE, fingerprintOf(clientExpects), toServer,
                executor, clientConfig);
            toServer.connect(server);
            toClient.connect(client);
        }

        Peers(DtlsConfig serverConfig, DtlsConfig clientConfig) {
            this(serverConfig, clientConfig, new Wire(), new Wire(), CLIENT_CERTIFICATE, SERVER_CERTIFICATE);
        }
    }

    private static DtlsFingerprint fingerprintOf(DtlsCertificate certificate) {
        return DtlsFingerprint.parse(certificate.fingerprint());
    }

    private static DtlsConfig.Builder fast() {
        return DtlsConfig.builder().initialRetransmitMillis(50).handshakeTimeout(WAIT);
    }

    private static DtlsResult success(CompletableFuture<DtlsResult> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static DtlsHandshakeException failure(CompletableFuture<DtlsResult> future) throws Exception {
        try {
            DtlsResult result = future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return fail("expected the handshake to fail, got " + result);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(DtlsHandshakeException.class);
            return (DtlsHandshakeException) e.getCause();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {DtlsSrtpProfiles.AEAD_AES_128_GCM, DtlsSrtpProfiles.AEAD_AES_256_GCM,
        DtlsSrtpProfiles.AES128_CM_HMAC_SHA1_80, DtlsSrtpProfiles.AES128_CM_HMAC_SHA1_32})
    void bothSidesExportTheSameKeyingMaterialForEachSrtpProfile(int profile) throws Exception {
        Peers peers = new Peers(fast().build(), fast().srtpProfiles(profile).build());

        CompletableFuture<DtlsResult> serverFuture = peers.server.start();
        CompletableFuture<DtlsResult> clientFuture = peers.client.start();
        DtlsResult server = success(serverFuture);
        DtlsResult client = success(clientFuture);

        int expectedLength = 2 * (DtlsSrtpProfiles.keyLength(profile) + DtlsSrtpProfiles.saltLength(profile));
        assertThat(server.srtpProfileId()).isEqualTo(profile);
        assertThat(client.srtpProfileId()).isEqualTo(profile);
        assertThat(server.keyingMaterial()).hasSize(expectedLength).isEqualTo(client.keyingMaterial());
        assertThat(IntStream.range(0, expectedLength).map(i -> server.keyingMaterial()[i]).distinct().count())
            .as("keying material looks random").isGreaterThan(expectedLength / 4);
        assertThat(server.localMasterKey()).isEqualTo(client.remoteMasterKey()).hasSize(server.keyLength());
        assertThat(server.localMasterSalt()).isEqualTo(client.remoteMasterSalt()).hasSize(server.saltLength());
        assertThat(client.localMasterKey()).isEqualTo(server.remoteMasterKey()).isNotEqualTo(server.localMasterKey());
        assertThat(server.role()).isEqualTo(DtlsRole.SERVER);
        assertThat(client.role()).isEqualTo(DtlsRole.CLIENT);
        assertThat(server.peerFingerprint().toSdp()).isEqualTo(CLIENT_CERTIFICATE.fingerprint());
        assertThat(client.peerFingerprint().toSdp()).isEqualTo(SERVER_CERTIFICATE.fingerprint());
        assertThat(server.peerCertificate()).isEqualTo(CLIENT_CERTIFICATE.encoded());
        assertThat(server.cipherSuite()).isEqualTo(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)
            .isEqualTo(client.cipherSuite());
        assertThat(server.extendedMasterSecret()).isTrue();
        assertThat(client.extendedMasterSecret()).isTrue();
        assertThat(peers.server.state()).isEqualTo(DtlsEndpoint.State.CONNECTED);
        assertThat(peers.client.state()).isEqualTo(DtlsEndpoint.State.CONNECTED);
        assertThat(server.toString()).doesNotContain(String.format("%02X", server.keyingMaterial()[0] & 0xFF)
            + String.format("%02X", server.keyingMaterial()[1] & 0xFF) + String.format("%02X",
            server.keyingMaterial()[2] & 0xFF));
    }

    @Test
    void serverPicksTheFirstOfItsOwnProfilesThatTheClientOffers() throws Exception {
        Peers peers = new Peers(fast().build(), fast().srtpProfiles(DtlsSrtpProfiles.AES128_CM_HMAC_SHA1_32,
            DtlsSrtpProfiles.AES128_CM_HMAC_SHA1_80, DtlsSrtpProfiles.AEAD_AES_256_GCM).build());

        CompletableFuture<DtlsResult> serverFuture = peers.server.start();
        CompletableFuture<DtlsResult> clientFuture = peers.client.start();

        assertThat(success(serverFuture).srtpProfileId()).isEqualTo(DtlsSrtpProfiles.AEAD_AES_256_GCM);
        assertThat(success(clientFuture).srtpProfileId()).isEqualTo(DtlsSrtpProfiles.AEAD_AES_256_GCM);
    }

    @Test
    void clientCertificateNotMatchingTheServersExpectationFailsBothSidesAndClosesTheServer() throws Exception {
        Peers peers = new Peers(fast().build(), fast().build(), new Wire(), new Wire(), STRANGER_CERTIFICATE,
            SERVER_CERTIFICATE);
        CompletableFuture<Throwable> serverClosed = new CompletableFuture<>();
        peers.server.addCloseListener((endpoint, cause) -> serverClosed.complete(cause));

        CompletableFuture<DtlsResult> serverFuture = peers.server.start();
        CompletableFuture<DtlsResult> clientFuture = peers.client.start();

        DtlsHandshakeException serverFailure = failure(serverFuture);
        assertThat(serverFailure.reason()).isEqualTo(DtlsHandshakeException.Reason.FINGERPRINT_MISMATCH);
        assertThat(serverFailure.alertDescription()).isEqualTo(AlertDescription.bad_certificate);
        assertThat(serverFailure.getMessage()).contains(CLIENT_CERTIFICATE.fingerprint(), "bad_certificate");
        DtlsHandshakeException clientFailure = failure(clientFuture);
        assertThat(clientFailure.reason()).isEqualTo(DtlsHandshakeException.Reason.ALERT_RECEIVED);
        assertThat(clientFailure.alertDescription()).isEqualTo(AlertDescription.bad_certificate);
        assertThat(serverClosed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isSameAs(serverFailure);
        assertThat(peers.server.isClosed()).isTrue();
        assertThat(peers.client.isClosed()).isTrue();
        assertThat(executor.awaitIdle(WAIT)).isTrue();
    }

    @Test
    void serverCertificateNotMatchingTheClientsExpectationFailsBothSides() throws Exception {
        Peers peers = new Peers(fast().build(), fast().build(), new Wire(), new Wire(), CLIENT_CERTIFICATE,
            STRANGER_CERTIFICATE);

        CompletableFuture<DtlsResult> serverFuture = peers.server.start();
        CompletableFuture<DtlsResult> clientFuture = peers.client.start();

        DtlsHandshakeException clientFailure = failure(clientFuture);
        assertThat(clientFailure.reason()).isEqualTo(DtlsHandshakeException.Reason.FINGERPRINT_MISMATCH);
        assertThat(clientFailure.alertDescription()).isEqualTo(AlertDescription.bad_certificate);
        DtlsHandshakeException serverFailure = failure(serverFuture);
        assertThat(serverFailure.reason()).isEqualTo(DtlsHandshakeException.Reason.ALERT_RECEIVED);
        assertThat(serverFailure.alertDescription()).isEqualTo(AlertDescription.bad_certificate);
        assertThat(peers.server.isClosed()).isTrue();
        assertThat(peers.client.isClosed()).isTrue();
    }

    @Test
    void clientOfferingNoProfileTheServerSupportsFails() throws Exception {
        Peers peers = new Peers(fast().srtpProfiles(DtlsSrtpProfiles.AEAD_AES_128_GCM).build(),
            fast().srtpProfiles(DtlsSrtpProfiles.AES128_CM_HMAC_SHA1_80, DtlsSrtpProfiles.AES128_CM_HMAC_SHA1_32)
                .build());

        CompletableFuture<DtlsResult> serverFuture = peers.server.start();
        CompletableFuture<DtlsResult> clientFuture = peers.client.start();

        DtlsHandshakeException serverFailure = failure(serverFuture);
        assertThat(serverFailure.reason()).isEqualTo(DtlsHandshakeException.Reason.NO_COMMON_SRTP_PROFILE);
        assertThat(serverFailure.alertDescription()).isEqualTo(AlertDescription.handshake_failure);
        assertThat(serverFailure.getMessage()).contains("SRTP_AES128_CM_HMAC_SHA1_80");
        DtlsHandshakeException clientFailure = failure(clientFuture);
        assertThat(clientFailure.reason()).isEqualTo(DtlsHandshakeException.Reason.ALERT_RECEIVED);
        assertThat(clientFailure.alertDescription()).isEqualTo(AlertDescription.handshake_failure);
        assertThat(peers.server.isClosed()).isTrue();
    }

    @Test
    void handshakeCompletesOverALinkThatLosesAndReordersDatagrams() throws Exception {
        // 20% loss and 10% reordering each way; the seeds fix the link's choices, but thread timing decides how many
        // datagrams (retransmissions) meet them, so one drop and one reordering are also forced
        for (long seed : new long[] {11L, 2024L, 0xC0FFEEL}) {
            Wire toServer = new Wire(0.2, 0.1, seed);
            Wire toClient = new Wire(0.2, 0.1, seed * 31 + 7);
            toServer.delayOnce(datagram -> true);
            toClient.dropOnce(datagram -> true);
            DtlsConfig config = fast().handshakeTimeout(Duration.ofSeconds(60)).build();
            Peers peers = new Peers(config, config, toServer, toClient, CLIENT_CERTIFICATE, SERVER_CERTIFICATE);

            CompletableFuture<DtlsResult> serverFuture = peers.server.start();
            CompletableFuture<DtlsResult> clientFuture = peers.client.start();
            DtlsResult server = success(serverFuture);
            DtlsResult client = success(clientFuture);

            assertThat(client.keyingMaterial()).as("seed %d", seed).isEqualTo(server.keyingMaterial());
            assertThat(toServer.dropped() + toClient.dropped()).as("seed %d drops", seed).isPositive();
            assertThat(toServer.reordered() + toClient.reordered()).as("seed %d reorders", seed).isPositive();
            peers.client.close();
            peers.server.close();
        }
    }

    @Test
    void serverAnswersARetransmittedFinalFlightAfterItsOwnHandshakeCompleted() throws Exception {
        Wire toClient = new Wire();
        // the server's Finished: the only handshake record of epoch 1 the server sends
        toClient.dropOnce(datagram -> datagram[0] == 22 && datagram[3] == 0 && datagram[4] == 1);
        Peers peers = new Peers(fast().build(), fast().build(), new Wire(), toClient, CLIENT_CERTIFICATE,
            SERVER_CERTIFICATE);

        CompletableFuture<DtlsResult> serverFuture = peers.server.start();
        CompletableFuture<DtlsResult> clientFuture = peers.client.start();
        DtlsResult server = success(serverFuture);
        DtlsResult client = success(clientFuture);

        assertThat(toClient.dropped()).isEqualTo(1);
        assertThat(client.keyingMaterial()).isEqualTo(server.keyingMaterial());
        // the client could only finish because a drain task on the server answered its retransmission
        assertThat(executor.tasksStarted()).isGreaterThan(2);
        assertThat(peers.server.state()).isEqualTo(DtlsEndpoint.State.CONNECTED);
    }

    /** A plaintext handshake record (type 22, epoch 0) holding a certificate_verify (15). */
    private static boolean isCertificateVerify(byte[] datagram) {
        return datagram.length > 13 && datagram[0] == 22 && datagram[3] == 0 && datagram[4] == 0
            && datagram[13] == 15;
    }

    @Test
    void serverCompletesWhenTheClientsCertificateVerifyIsLostButItsChangeCipherSpecArrives() throws Exception {
        Wire toServer = new Wire();
        toServer.dropOnce(DtlsEndpointTest::isCertificateVerify);
        Peers peers = new Peers(fast().handshakeTimeout(Duration.ofSeconds(5)).build(),
            fast().handshakeTimeout(Duration.ofSeconds(5)).build(), toServer, new Wire(), CLIENT_CERTIFICATE,
            SERVER_CERTIFICATE);

        CompletableFuture<DtlsResult> serverFuture = peers.server.start();
        CompletableFuture<DtlsResult> clientFuture = peers.client.start();
        DtlsResult server = success(serverFuture);
        DtlsResult client = success(clientFuture);

        assertThat(toServer.dropped()).isEqualTo(1);
        assertThat(client.keyingMaterial()).isEqualTo(server.keyingMaterial());
        assertThat(peers.server.heldBackChangeCipherSpecs()).isPositive();
    }

    @Test
    void serverCompletesWhenTheClientsCertificateVerifyArrivesAfterItsChangeCipherSpec() throws Exception {
        Wire toServer = new Wire();
        toServer.delayOnce(DtlsEndpointTest::isCertificateVerify);
        Peers peers = new Peers(fast().handshakeTimeout(Duration.ofSeconds(5)).build(),
            fast().handshakeTimeout(Duration.ofSeconds(5)).build(), toServer, new Wire(), CLIENT_CERTIFICATE,
            SERVER_CERTIFICATE);

        CompletableFuture<DtlsResult> serverFuture = peers.server.start();
        CompletableFuture<DtlsResult> clientFuture = peers.client.start();
        DtlsResult server = success(serverFuture);
        DtlsResult client = success(clientFuture);

        assertThat(toServer.reordered()).isEqualTo(1);
        assertThat(toServer.dropped()).isZero();
        assertThat(client.keyingMaterial()).isEqualTo(server.keyingMaterial());
        assertThat(peers.server.heldBackChangeCipherSpecs()).isPositive();
    }

    @Test
    void flightsAreFragmentedToTheMtu() throws Exception {
        Peers small = new Peers(fast().mtuBytes(256).build(), fast().mtuBytes(256).build());
        CompletableFuture<DtlsResult> serverFuture = small.server.start();
        CompletableFuture<DtlsResult> clientFuture = small.client.start();
        assertThat(success(clientFuture).keyingMaterial()).isEqualTo(success(serverFuture).keyingMaterial());
        assertThat(small.toClient.largestDatagram()).isLessThanOrEqualTo(256).isGreaterThan(200);
        assertThat(small.toServer.largestDatagram()).isLessThanOrEqualTo(256).isGreaterThan(200);

        Peers normal = new Peers(fast().build(), fast().build());
        serverFuture = normal.server.start();
        clientFuture = normal.client.start();
        success(serverFuture);
        success(clientFuture);
        assertThat(normal.toClient.largestDatagram()).isLessThanOrEqualTo(DtlsConfig.DEFAULT_MTU_BYTES);
        // the certificate flight fits one default datagram but not one of 256 bytes
        assertThat(normal.toClient.largestDatagram()).isGreaterThan(256);
    }

    @Test
    void silentPeerFailsTheHandshakeAtTheDeadlineOfTheInjectedClockAndFreesTheThread() throws Exception {
        ManualClock clock = new ManualClock();
        DtlsConfig config = DtlsConfig.builder().clock(clock).initialRetransmitMillis(10)
            .handshakeTimeout(Duration.ofSeconds(10)).build();
        DtlsEndpoint server = new DtlsEndpoint(DtlsRole.SERVER, SERVER_CERTIFICATE, fingerprintOf(CLIENT_CERTIFICATE),
            (data, off, len) -> { }, executor, config);

        CompletableFuture<DtlsResult> future = server.start();
        // the handshake has waited for a ClientHello several times, while the injected clock stood still
        assertThat(clock.awaitReads(5, WAIT)).isTrue();
        assertThat(future).isNotDone();
        clock.advance(Duration.ofSeconds(10));

        DtlsHandshakeException failure = failure(future);
        assertThat(failure.reason()).isEqualTo(DtlsHandshakeException.Reason.TIMEOUT);
        assertThat(failure.getMessage()).contains("10000 ms");
        assertThat(executor.awaitIdle(WAIT)).isTrue();
        assertThat(server.isClosed()).isTrue();
    }

    @Test
    void aHandshakeThatWaitedForAThreadLongerThanItsTimeoutStillHasItsWholeDeadline() throws Exception {
        ManualClock clock = new ManualClock();
        List<Runnable> waitingForAThread = new java.util.concurrent.CopyOnWriteArrayList<>();
        Wire toServer = new Wire();
        Wire toClient = new Wire();
        DtlsEndpoint server = new DtlsEndpoint(DtlsRole.SERVER, SERVER_CERTIFICATE, fingerprintOf(CLIENT_CERTIFICATE),
            toClient, waitingForAThread::add, fast().clock(clock).handshakeTimeout(Duration.ofSeconds(10)).build());
        DtlsEndpoint client = new DtlsEndpoint(DtlsRole.CLIENT, CLIENT_CERTIFICATE, fingerprintOf(SERVER_CERTIFICATE),
            toServer, executor, fast().build());
        toServer.connect(server);
        toClient.connect(client);

        CompletableFuture<DtlsResult> serverFuture = server.start();
        CompletableFuture<DtlsResult> clientFuture = client.start();
        clock.advance(Duration.ofSeconds(20));
        executor.execute(waitingForAThread.get(0));

        assertThat(success(serverFuture).keyingMaterial()).isEqualTo(success(clientFuture).keyingMaterial());
    }

    @Test
    void startIfNewStartsTheHandshakeOnceHoweverOftenItIsCalled() throws Exception {
        DtlsEndpoint server = new DtlsEndpoint(DtlsRole.SERVER, SERVER_CERTIFICATE, fingerprintOf(CLIENT_CERTIFICATE),
            (data, off, len) -> { }, executor, fast().build());

        assertThat(server.startIfNew()).isTrue();
        assertThat(server.startIfNew()).isFalse();
        assertThat(server.state()).isEqualTo(DtlsEndpoint.State.HANDSHAKING);
        org.assertj.core.api.Assertions.assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
        server.close();

        assertThat(server.startIfNew()).isFalse();
        assertThat(failure(server.handshakeFuture()).reason()).isEqualTo(DtlsHandshakeException.Reason.CLOSED);
        assertThat(executor.awaitIdle(WAIT)).isTrue();
        assertThat(executor.tasksStarted()).isEqualTo(1);
    }

    @Test
    void peersThatStartAHandshakeAndFallSilentDoNotDelayOthers() throws Exception {
        // twice the eight threads that once served every handshake of the server
        int stalled = 16;
        HandshakeExecutor pool = DtlsEndpoint.newHandshakeExecutor(64, 16);
        try {
            ManualClock standingStill = new ManualClock();
            List<DtlsEndpoint> silent = new java.util.ArrayList<>();
            for (int i = 0; i < stalled; i++) {
                DtlsEndpoint server = new DtlsEndpoint(DtlsRole.SERVER, SERVER_CERTIFICATE,
                    fingerprintOf(CLIENT_CERTIFICATE), (data, off, len) -> { }, pool,
                    fast().clock(standingStill).build());
                server.offer(new byte[] {22, (byte) 0xFE, (byte) 0xFD}, 0, 3);
                server.startIfNew();
                silent.add(server);
            }
            io.sfu.core.testing.Await.until("every silent peer to hold a thread", WAIT,
                () -> pool.getActiveCount() == stalled);

            Wire toServer = new Wire();
            Wire toClient = new Wire();
            DtlsEndpoint server = new DtlsEndpoint(DtlsRole.SERVER, SERVER_CERTIFICATE,
                fingerprintOf(CLIENT_CERTIFICATE), toClient, pool, fast().build());
            DtlsEndpoint client = new DtlsEndpoint(DtlsRole.CLIENT, CLIENT_CERTIFICATE,
                fingerprintOf(SERVER_CERTIFICATE), toServer, pool, fast().build());
            toServer.connect(server);
            toClient.connect(client);
            CompletableFuture<DtlsResult> serverFuture = server.start();
            CompletableFuture<DtlsResult> clientFuture = client.start();

            assertThat(success(serverFuture).keyingMaterial()).isEqualTo(success(clientFuture).keyingMaterial());
            assertThat(silent).allMatch(endpoint -> endpoint.state() == DtlsEndpoint.State.HANDSHAKING);
            silent.forEach(DtlsEndpoint::close);
            client.close();
            server.close();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void silentPeerFailsTheHandshakeWithinTheRealDeadline() throws Exception {
        Duration timeout = Duration.ofMillis(300);
        DtlsEndpoint server = new DtlsEndpoint(DtlsRole.SERVER, SERVER_CERTIFICATE, fingerprintOf(CLIENT_CERTIFICATE),
            (data, off, len) -> { }, executor, DtlsConfig.builder().handshakeTimeout(timeout).build());

        long startNs = System.nanoTime();
        DtlsHandshakeException failure = failure(server.start());
        long elapsedNs = System.nanoTime() - startNs;

        assertThat(failure.reason()).isEqualTo(DtlsHandshakeException.Reason.TIMEOUT);
        assertThat(Duration.ofNanos(elapsedNs)).isGreaterThanOrEqualTo(timeout).isLessThan(Duration.ofSeconds(5));
        assertThat(executor.awaitIdle(WAIT)).isTrue();
        assertThat(server.isClosed()).isTrue();
    }

    @Test
    void closeDuringTheHandshakeEndsItAndTellsTheListenerOnce() throws Exception {
        ManualClock clock = new ManualClock();
        Wire toServer = new Wire();
        Wire toClient = new Wire();
        DtlsConfig config = fast().clock(clock).build();
        Peers peers = new Peers(config, config, toServer, toClient, CLIENT_CERTIFICATE, SERVER_CERTIFICATE);
        toClient.cut();
        AtomicInteger closes = new AtomicInteger();
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        peers.server.addCloseListener((endpoint, cause) -> {
            closes.incrementAndGet();
            closed.complete(cause);
        });

        CompletableFuture<DtlsResult> serverFuture = peers.server.start();
        CompletableFuture<DtlsResult> clientFuture = peers.client.start();
        // both are mid-handshake: the server has answered a ClientHello whose answer never arrives
        io.sfu.core.testing.Await.until("the server to answer the ClientHello", WAIT, () -> toClient.dropped() > 0);
        assertThat(serverFuture).isNotDone();
        peers.server.close();
        peers.server.close();

        assertThat(failure(serverFuture).reason()).isEqualTo(DtlsHandshakeException.Reason.CLOSED);
        assertThat(closed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isNull();
        peers.client.close();
        assertThat(failure(clientFuture).reason()).isEqualTo(DtlsHandshakeException.Reason.CLOSED);
        assertThat(executor.awaitIdle(WAIT)).isTrue();
        assertThat(closes).hasValue(1);
        assertThat(toClient.dropped()).isPositive();
        // the client retransmitted into the closed server until it was closed too; now nothing else sends
        long droppedBefore = peers.server.droppedDatagrams();
        assertThat(peers.server.offer(new byte[] {22}, 0, 1)).isFalse();
        assertThat(peers.server.droppedDatagrams()).isEqualTo(droppedBefore + 1);
    }

    @Test
    void peerCloseNotifyAfterTheHandshakeClosesTheEndpoint() throws Exception {
        Peers peers = new Peers(fast().build(), fast().build());
        CompletableFuture<Throwable> serverClosed = new CompletableFuture<>();
        peers.server.addCloseListener((endpoint, cause) -> serverClosed.complete(cause));
        CompletableFuture<DtlsResult> serverFuture = peers.server.start();
        CompletableFuture<DtlsResult> clientFuture = peers.client.start();
        success(serverFuture);
        success(clientFuture);

        peers.client.close();

        assertThat(serverClosed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isNull();
        assertThat(peers.server.isClosed()).isTrue();
        assertThat(peers.client.isClosed()).isTrue();
        assertThat(executor.awaitIdle(WAIT)).isTrue();
        // a listener added after the fact is told at once
        CompletableFuture<Throwable> late = new CompletableFuture<>();
        peers.server.addCloseListener((endpoint, cause) -> late.complete(cause));
        assertThat(late).isCompletedWithValue(null);
    }

    @Test
    void endpointClosedBeforeStartNeverRunsTheHandshake() throws Exception {
        DtlsEndpoint server = new DtlsEndpoint(DtlsRole.SERVER, SERVER_CERTIFICATE, fingerprintOf(CLIENT_CERTIFICATE),
            (data, off, len) -> { }, executor, DtlsConfig.defaults());

        server.close();

        assertThat(failure(server.start()).reason()).isEqualTo(DtlsHandshakeException.Reason.CLOSED);
        assertThat(executor.tasksStarted()).isZero();
    }

    @Test
    void recommendedExecutorRejectsRatherThanQueueingWithoutBound() throws Exception {
        java.util.concurrent.ExecutorService pool = DtlsEndpoint.newHandshakeExecutor(1, 1);
        try {
            CompletableFuture<Void> release = new CompletableFuture<>();
            CompletableFuture<String> threadName = new CompletableFuture<>();
            pool.execute(() -> {
                threadName.complete(Thread.currentThread().getName());
                release.join();
            });
            pool.execute(() -> { });
            DtlsEndpoint server = new DtlsEndpoint(DtlsRole.SERVER, SERVER_CERTIFICATE,
                fingerprintOf(CLIENT_CERTIFICATE), (data, off, len) -> { }, pool, DtlsConfig.defaults());

            assertThat(failure(server.start()).reason()).isEqualTo(DtlsHandshakeException.Reason.REJECTED);
            assertThat(threadName.get(5, TimeUnit.SECONDS)).startsWith("dtls-handshake-");
            release.complete(null);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void handshakeRejectedByTheExecutorFailsAndCloses() throws Exception {
        DtlsEndpoint server = new DtlsEndpoint(DtlsRole.SERVER, SERVER_CERTIFICATE, List.of(fingerprintOf(CLIENT_CERTIFICATE)),
            (data, off, len) -> { }, task -> {
                throw new RejectedExecutionException("full");
            }, DtlsConfig.defaults());

        assertThat(failure(server.start()).reason()).isEqualTo(DtlsHandshakeException.Reason.REJECTED);
        assertThat(server.isClosed()).isTrue();
    }
}
