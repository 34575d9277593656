package io.sfu.core.turn;

import io.sfu.core.buffer.PacketPool;
import io.sfu.core.net.MediaOutput;
import io.sfu.core.net.MediaSocket;
import io.sfu.core.stun.StunAttributeType;
import io.sfu.core.stun.StunErrorCode;
import io.sfu.core.stun.StunMessage;
import io.sfu.core.stun.StunMessageType;
import io.sfu.core.stun.StunMessageWriter;
import io.sfu.core.testing.Allocations;
import io.sfu.core.testing.Await;
import org.agrona.concurrent.UnsafeBuffer;
import io.sfu.core.testing.ManualClock;
import io.sfu.core.testing.SelfSignedCertificate;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded TURN server over real loopback sockets, UDP, TCP and TLS: the long-term credential challenge,
 * allocations that relay only toward the SFU's media socket (data reaching its handler from the relayed address, the
 * SFU's answers reaching the client as Data indications or ChannelData), refresh, expiry and delete, and every
 * refusal counted.
 */
@Timeout(30)
class TurnServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final byte[] SECRET = "a-secret-of-enough-bytes".getBytes(StandardCharsets.UTF_8);
    private static final String REALM = "sfu.test";

    /** A packet the media handler got: its bytes and the source it was stamped with. */
    private record Received(byte[] data, InetSocketAddress source) {
    }

    /** What the TLS listener presents: a certificate for 127.0.0.1, and what a client that trusts it uses. */
    private static SSLContext serverContext;
    private static SSLContext clientContext;

    private final PacketPool pool = new PacketPool(64);
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final List<TurnTestClient> clients = new ArrayList<>();
    private MediaSocket media;
    private TurnServer turn;
    private MediaOutput output;

    @BeforeAll
    static void makeCertificate() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create("EC");
        serverContext = certificate.serverContext();
        clientContext = certificate.trustingContext();
    }

    @BeforeEach
    void start() throws IOException {
        media = MediaSocket.bind(new InetSocketAddress("127.0.0.1", 0), pool);
        media.start(slot -> {
            received.add(new Received(Arrays.copyOfRange(slot.array(), slot.offset(), slot.offset() + slot.length()),
                slot.source()));
            return false;
        });
        startTurn(TurnServer.Settings.defaults(REALM, SECRET));
    }

    private void startTurn(TurnServer.Settings settings) throws IOException {
        startTurn(settings, Clock.systemUTC());
    }

    private void startTurn(TurnServer.Settings settings, Clock clock) throws IOException {
        startTurn(settings, clock, SystemNanoClock.INSTANCE);
    }

    /** Starts the server with a TLS listener too, presenting {@link #CERTIFICATE}. */
    private void startTurn(TurnServer.Settings settings, Clock clock, NanoClock nanoClock) throws IOException {
        if (turn != null) {
            turn.close();
        }
        turn = TurnServer.bind(new InetSocketAddress("127.0.0.1", 0), InetAddress.getByName("127.0.0.1"),
            List.of(media.localAddress()), pool, settings, clock, nanoClock,
            new TurnServer.TlsListener(0, serverContext));
        turn.start(media);
        output = new MediaOutput(media, null, turn);
    }

    @AfterEach
    void stop() throws IOException {
        for (TurnTestClient client : clients) {
            client.close();
        }
        turn.close();
        media.close();
        assertThat(pool.inUse()).as("packet slots in use after close").isZero();
    }

    private TurnTestClient client(String transport) throws IOException {
        TurnTestClient client = switch (transport) {
            case "tcp" -> TurnTestClient.tcp(turn.localAddress());
            case "tls" -> TurnTestClient.tls(turn.tlsAddress(), clientContext);
            default -> TurnTestClient.udp(turn.localAddress());
        };
        clients.add(client);
        return client;
    }

    /** A client holding the credentials the signaling side would give participant {@code id}, valid a minute. */
    private TurnTestClient authorised(String transport, String id) throws IOException {
        return authorised(transport, id, 60);
    }

    private TurnTestClient authorised(String transport, String id, long validSeconds) throws IOException {
        TurnTestClient client = client(transport);
        String username = TurnCredentials.username(System.currentTimeMillis() / 1000 + validSeconds, id);
        client.credentials(username, TurnCredentials.password(SECRET, username));
        return client;
    }

    private Received nextReceived() throws InterruptedException {
        Received r = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(r).as("a packet at the media handler").isNotNull();
        return r;
    }

    private static StunMessage read(byte[] bytes) {
        StunMessage message = new StunMessage();
        assertThat(message.wrap(new UnsafeBuffer(bytes), 0, bytes.length)).as("well-formed STUN").isTrue();
        return message;
    }

    private static byte[] data(StunMessage message) {
        int at = message.findAttribute(StunAttributeType.DATA);
        assertThat(at).as("DATA").isNotNegative();
        byte[] bytes = new byte[message.attributeValueLength(at)];
        message.buffer().getBytes(message.attributeValueOffset(at), bytes);
        return bytes;
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp", "tls"})
    void anAllocateWithoutCredentialsIsChallengedWithRealmAndNonce(String transport) throws IOException {
        TurnTestClient client = client(transport);

        StunMessage answer = client.allocate();

        assertThat(answer.messageClass()).isEqualTo(StunMessageType.CLASS_ERROR_RESPONSE);
        assertThat(answer.errorCode()).isEqualTo(StunErrorCode.UNAUTHORIZED);
        assertThat(answer.realm()).isEqualTo(REALM);
        assertThat(answer.nonce()).isNotEmpty();
        assertThat(turn.allocations()).isZero();
    }

    /**
     * A challenge is several times the size of the request it answers, and a UDP source can be forged: beyond a
     * bounded rate first requests over UDP go unanswered (counted), while TCP, whose source cannot be forged, is
     * still answered.
     */
    @Test
    void aFloodOfFirstRequestsOverUdpIsAnsweredAtABoundedRateAndTcpStillGetsItsChallenge() throws IOException {
        TurnTestClient flooder = client("udp");
        byte[] buffer = new byte[512];
        // two rate windows' worth and one more: however the flood straddles a window's start, one goes unanswered
        for (int i = 0; i < 2 * TurnAuthenticator.UDP_CHALLENGES_PER_SECOND + 1; i++) {
            StunMessageWriter w = flooder.request(StunMessageType.METHOD_ALLOCATE, StunMessageType.CLASS_REQUEST,
                buffer).uint32Attribute(StunAttributeType.REQUESTED_TRANSPORT, TurnServer.TRANSPORT_UDP << 24);
            flooder.sendSigned(w, buffer);
        }
        Await.until("first requests beyond the rate left unanswered", WAIT,
            () -> turn.challengesThrottledCount() > 0);

        StunMessage answer = client("tcp").allocate();

        assertThat(answer.errorCode()).isEqualTo(StunErrorCode.UNAUTHORIZED);
        assertThat(answer.nonce()).isNotEmpty();
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp", "tls"})
    void validCredentialsGetARelayedAddressAndTheDefaultLifetime(String transport) throws IOException {
        TurnTestClient client = authorised(transport, "alice");

        StunMessage answer = client.allocateWithChallenge();

        assertThat(answer.messageType()).isEqualTo(
            StunMessageType.of(StunMessageType.METHOD_ALLOCATE, StunMessageType.CLASS_SUCCESS_RESPONSE));
        assertThat(client.signedByServer(answer)).as("answer signed with the long-term key").isTrue();
        InetSocketAddress relayed = TurnTestClient.relayed(answer);
        assertThat(relayed.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(relayed.getPort()).isNotEqualTo(media.localAddress().getPort());
        int lifetimeAt = answer.findAttribute(StunAttributeType.LIFETIME);
        assertThat(answer.buffer().getInt(answer.attributeValueOffset(lifetimeAt), java.nio.ByteOrder.BIG_ENDIAN))
            .isBetween(599, 600);
        assertThat(turn.allocations()).isEqualTo(1);
        assertThat(turn.usage("alice")).isNotNull();
    }

    @Test
    void expiredOrWronglySignedCredentialsAreUnauthorizedAndCounted() throws IOException {
        TurnTestClient expired = client("udp");
        String old = TurnCredentials.username(System.currentTimeMillis() / 1000 - 1, "alice");
        expired.credentials(old, TurnCredentials.password(SECRET, old));
        TurnTestClient forged = client("udp");
        String username = TurnCredentials.username(System.currentTimeMillis() / 1000 + 60, "mallory");
        forged.credentials(username, TurnCredentials.password("another-secret-of-bytes".getBytes(), username));

        assertThat(expired.allocateWithChallenge().errorCode()).isEqualTo(StunErrorCode.UNAUTHORIZED);
        assertThat(forged.allocateWithChallenge().errorCode()).isEqualTo(StunErrorCode.UNAUTHORIZED);

        assertThat(turn.unauthorizedCount()).isEqualTo(2);
        assertThat(turn.allocations()).isZero();
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp", "tls"})
    void aPermissionOrChannelTowardAnythingButTheSfuIsForbidden(String transport) throws IOException {
        TurnTestClient client = authorised(transport, "alice");
        client.allocateWithChallenge();

        StunMessage permission = client.createPermission(new InetSocketAddress("127.0.0.2", 9));
        StunMessage channel = client.channelBind(0x4000, new InetSocketAddress("127.0.0.1", 9));

        assertThat(permission.errorCode()).isEqualTo(StunErrorCode.FORBIDDEN);
        assertThat(channel.errorCode()).isEqualTo(StunErrorCode.FORBIDDEN);
        assertThat(turn.forbiddenPeerCount()).isEqualTo(2);
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp", "tls"})
    void aSendIndicationReachesTheMediaHandlerFromTheRelayedAddressAndTheAnswerComesBackAsData(String transport)
        throws Exception {
        TurnTestClient client = authorised(transport, "alice");
        InetSocketAddress relayed = TurnTestClient.relayed(client.allocateWithChallenge());
        InetSocketAddress sfu = media.localAddress();
        assertThat(client.createPermission(sfu).messageClass()).isEqualTo(StunMessageType.CLASS_SUCCESS_RESPONSE);

        client.sendIndication(sfu, new byte[] {1, 2, 3, 4, 5});
        Received atSfu = nextReceived();
        assertThat(atSfu.data()).containsExactly(1, 2, 3, 4, 5);
        assertThat(atSfu.source()).isEqualTo(relayed);

        assertThat(output.send(ByteBuffer.wrap(new byte[] {9, 8, 7}), atSfu.source())).isTrue();
        StunMessage data = read(client.receive());
        assertThat(data.messageType()).isEqualTo(
            StunMessageType.of(StunMessageType.METHOD_DATA, StunMessageType.CLASS_INDICATION));
        assertThat(data(data)).containsExactly(9, 8, 7);
        assertThat(turn.usage("alice").bytesToSfu()).isEqualTo(5);
        assertThat(turn.usage("alice").bytesToClient()).isEqualTo(3);
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp", "tls"})
    void channelDataGoesBothWaysOnceAChannelIsBound(String transport) throws Exception {
        TurnTestClient client = authorised(transport, "alice");
        InetSocketAddress relayed = TurnTestClient.relayed(client.allocateWithChallenge());
        InetSocketAddress sfu = media.localAddress();
        assertThat(client.channelBind(0x4001, sfu).messageClass())
            .isEqualTo(StunMessageType.CLASS_SUCCESS_RESPONSE);

        client.sendChannelData(0x4001, new byte[] {1, 2, 3, 4, 5, 6, 7});
        Received atSfu = nextReceived();
        assertThat(atSfu.data()).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(atSfu.source()).isEqualTo(relayed);

        assertThat(output.send(ByteBuffer.wrap(new byte[] {9, 8, 7}), relayed)).isTrue();
        assertThat(client.receive()).containsExactly(0x40, 0x01, 0, 3, 9, 8, 7);
    }

    @Test
    void sendingToARelayedAddressAllocatesNothing() throws Exception {
        TurnTestClient client = authorised("udp", "alice");
        InetSocketAddress relayed = TurnTestClient.relayed(client.allocateWithChallenge());
        client.channelBind(0x4001, media.localAddress());
        ByteBuffer packet = ByteBuffer.allocate(200);

        double bytes = Allocations.bytesPerRun(() -> {
            packet.clear();
            output.send(packet, relayed);
        });

        assertThat(bytes).as("bytes per relayed send").isZero();
        assertThat(turn.bytesToClientCount()).isPositive();
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp", "tls"})
    void aRefreshWithLifetimeZeroDeletesTheAllocation(String transport) throws IOException {
        TurnTestClient client = authorised(transport, "alice");
        InetSocketAddress relayed = TurnTestClient.relayed(client.allocateWithChallenge());

        StunMessage answer = client.refresh(0);

        assertThat(answer.messageClass()).isEqualTo(StunMessageType.CLASS_SUCCESS_RESPONSE);
        assertThat(turn.allocations()).isZero();
        assertThat(turn.sendIfRelayed(ByteBuffer.wrap(new byte[] {1}), relayed)).isEqualTo(TurnServer.NOT_RELAYED);
        assertThat(turn.usage("alice")).isNull();
        assertThat(portIsFree(relayed)).as("the relay port closed").isTrue();
    }

    @Test
    void aParticipantsRelayedTrafficOutlivesAReplacedAllocationUntilItHasLeftAndHoldsNone() throws Exception {
        InetSocketAddress sfu = media.localAddress();
        turn.participantJoined("alice");
        TurnTestClient first = authorised("udp", "alice");
        first.allocateWithChallenge();
        first.createPermission(sfu);
        first.sendIndication(sfu, new byte[] {1, 2, 3, 4, 5});
        nextReceived();
        first.refresh(0);

        assertThat(turn.usage("alice")).as("usage of a participant still in its room").isNotNull();
        TurnTestClient second = authorised("tcp", "alice");
        second.allocateWithChallenge();
        second.createPermission(sfu);
        second.sendIndication(sfu, new byte[] {6, 7, 8});
        Received atSfu = nextReceived();
        assertThat(output.send(ByteBuffer.wrap(new byte[] {9, 9}), atSfu.source())).isTrue();
        second.receive();
        TurnServer.Usage usage = turn.usage("alice");
        assertThat(usage.bytesToSfu()).isEqualTo(8);
        assertThat(usage.packetsToSfu()).isEqualTo(2);
        assertThat(usage.bytesToClient()).isEqualTo(2);
        assertThat(usage.packetsToClient()).isEqualTo(1);

        turn.participantLeft("alice");
        assertThat(turn.usage("alice")).as("usage while an allocation is left").isSameAs(usage);
        second.refresh(0);
        assertThat(turn.usage("alice")).as("usage once it left and holds none").isNull();
    }

    @Test
    void anAllocationNotRefreshedExpiresAtItsLifetimeAndItsRelayPortIsFreed() throws Exception {
        ManualClock clock = new ManualClock();
        startTurn(TurnServer.Settings.defaults(REALM, SECRET), Clock.systemUTC(), clock);
        InetSocketAddress relayed = TurnTestClient.relayed(authorised("udp", "alice").allocateWithChallenge());
        long lifetime = TurnServer.Settings.DEFAULT_LIFETIME.toSeconds();

        clock.advance(Duration.ofSeconds(lifetime - 1));
        awaitSweep(clock);
        assertThat(turn.allocations()).as("allocations a second before the lifetime ends").isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        Await.until("the allocation expired", WAIT, () -> turn.allocations() == 0);

        assertThat(turn.allocationsExpiredCount()).isEqualTo(1);
        assertThat(turn.usage("alice")).isNull();
        assertThat(turn.sendIfRelayed(ByteBuffer.wrap(new byte[] {1}), relayed)).isEqualTo(TurnServer.NOT_RELAYED);
        assertThat(portIsFree(relayed)).as("the relay port closed").isTrue();
    }

    @Test
    void aRefreshGivesTheAllocationANewLifetimeFromNow() throws Exception {
        ManualClock clock = new ManualClock();
        startTurn(TurnServer.Settings.defaults(REALM, SECRET), Clock.systemUTC(), clock);
        TurnTestClient client = authorised("udp", "alice");
        client.allocateWithChallenge();
        long lifetime = TurnServer.Settings.DEFAULT_LIFETIME.toSeconds();

        clock.advance(Duration.ofSeconds(lifetime - 10));
        assertThat(client.refresh((int) lifetime).messageClass()).isEqualTo(StunMessageType.CLASS_SUCCESS_RESPONSE);
        clock.advance(Duration.ofSeconds(lifetime - 1));
        awaitSweep(clock);
        assertThat(turn.allocations()).as("allocations past the first lifetime, within the refreshed one").isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        Await.until("the refreshed allocation expired", WAIT, () -> turn.allocations() == 0);
        assertThat(turn.allocationsExpiredCount()).isEqualTo(1);
    }

    /** Waits until a sweep that read the clock after now has finished: the one after it has read the clock too. */
    private static void awaitSweep(ManualClock clock) throws InterruptedException {
        assertThat(clock.awaitReads(clock.reads() + 2, WAIT)).as("two sweeps").isTrue();
    }

    private static boolean portIsFree(InetSocketAddress address) {
        try (DatagramSocket socket = new DatagramSocket(address)) {
            return socket.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aPlainTcpClientOnTheTlsPortIsClosedUnansweredAndCounted() throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(turn.tlsAddress());
            plain.setSoTimeout((int) WAIT.toMillis());
            byte[] buffer = new byte[512];
            TurnTestClient builder = client("udp");
            int length = builder.request(StunMessageType.METHOD_BINDING, StunMessageType.CLASS_REQUEST, buffer)
                .length();
            plain.getOutputStream().write(buffer, 0, length);

            assertThat(readUntilClosed(plain.getInputStream())).as("bytes answered").isZero();
        }
        Await.until("the connection closed", WAIT, () -> turn.connections() == 0);
        assertThat(turn.tlsFailureCount()).isEqualTo(1);
    }

    @Test
    void aTlsClientThatClosesEndsItsAllocationAndIsNoFailure() throws IOException {
        TurnTestClient client = authorised("tls", "alice");
        client.allocateWithChallenge();
        assertThat(turn.connections()).isEqualTo(1);

        client.close();

        Await.until("the connection closed", WAIT, () -> turn.connections() == 0);
        assertThat(turn.allocations()).isZero();
        assertThat(turn.tlsFailureCount()).isZero();
    }

    @Test
    void aTlsClientThatDoesNotFinishItsHandshakeInTimeIsClosed() throws Exception {
        ManualClock clock = new ManualClock();
        startTurn(TurnServer.Settings.defaults(REALM, SECRET), Clock.systemUTC(), clock);
        try (Socket silent = new Socket()) {
            silent.connect(turn.tlsAddress());
            silent.setSoTimeout((int) WAIT.toMillis());
            Await.until("the connection accepted", WAIT, () -> turn.connections() == 1);

            clock.advanceNs(TurnServer.TLS_HANDSHAKE_TIMEOUT_NS - 1_000_000_000L);
            awaitSweep(clock);
            assertThat(turn.connections()).as("connections a second before the deadline").isEqualTo(1);

            clock.advance(Duration.ofSeconds(2));
            assertThat(readUntilClosed(silent.getInputStream())).as("bytes sent").isZero();
        }
        assertThat(turn.connections()).isZero();
        assertThat(turn.tlsFailureCount()).isEqualTo(1);
    }

    /** Reads until the server closes the connection; the bytes read. */
    private static int readUntilClosed(InputStream in) throws IOException {
        int total = 0;
        try {
            for (int n = in.read(new byte[256]); n >= 0; n = in.read(new byte[256])) {
                total += n;
            }
        } catch (java.net.SocketException reset) {
            // a reset is a close too
        }
        return total;
    }

    @Test
    void aParticipantBeyondItsAllocationQuotaIsRefused() throws IOException {
        startTurn(new TurnServer.Settings(REALM, SECRET, 8, 1, TurnServer.Settings.DEFAULT_LIFETIME,
            TurnServer.Settings.MAX_LIFETIME, TurnServer.Settings.DEFAULT_NONCE_LIFETIME, 8, 64 * 1024, 100));
        authorised("udp", "alice").allocateWithChallenge();

        StunMessage second = authorised("udp", "alice").allocateWithChallenge();

        assertThat(second.errorCode()).isEqualTo(StunErrorCode.ALLOCATION_QUOTA_REACHED);
        assertThat(turn.quotaRefusalCount()).isEqualTo(1);
        assertThat(turn.allocations()).isEqualTo(1);
    }

    @Test
    void malformedMessagesAreDroppedAndCountedAndAStreamOfGarbageIsClosed() throws Exception {
        TurnTestClient udp = client("udp");
        udp.send(new byte[] {0, 1, 0, 4, 1, 2, 3}, 7);
        udp.send(new byte[] {(byte) 0x80, 1, 2, 3, 4, 5, 6, 7}, 8);
        Await.until("two malformed datagrams counted", WAIT, () -> turn.malformedCount() == 2);

        try (Socket tcp = new Socket()) {
            tcp.connect(turn.localAddress());
            tcp.setSoTimeout((int) WAIT.toMillis());
            tcp.getOutputStream().write(new byte[] {(byte) 0xC0, 0, 0, 4, 1, 2, 3, 4});
            InputStream in = tcp.getInputStream();
            assertThat(in.read()).as("the connection closed").isEqualTo(-1);
        }
        assertThat(turn.malformedCount()).isEqualTo(3);
        // the server goes on serving
        assertThat(client("udp").allocate().errorCode()).isEqualTo(StunErrorCode.UNAUTHORIZED);
    }

    @Test
    void randomBytesNeverBreakTheServerAndAreCountedNotAnswered() throws Exception {
        java.util.Random random = new java.util.Random(8656);
        TurnTestClient udp = client("udp");
        for (int i = 0; i < 500; i++) {
            byte[] junk = new byte[1 + random.nextInt(1200)];
            random.nextBytes(junk);
            // half of them look like STUN or ChannelData at first glance
            junk[0] = (byte) (i % 2 == 0 ? random.nextInt(0x50) : junk[0]);
            udp.send(junk, junk.length);
        }
        for (int i = 0; i < 20; i++) {
            try (Socket tcp = new Socket()) {
                tcp.connect(turn.localAddress());
                byte[] junk = new byte[1 + random.nextInt(5000)];
                random.nextBytes(junk);
                tcp.getOutputStream().write(junk);
            }
        }
        // a request after the junk is answered: the server goes on
        TurnTestClient client = authorised("udp", "alice");
        assertThat(client.allocateWithChallenge().messageClass()).isEqualTo(StunMessageType.CLASS_SUCCESS_RESPONSE);
        assertThat(turn.failureCount()).isZero();
        assertThat(turn.malformedCount() + turn.droppedToSfuCount()).isPositive();
        assertThat(received).isEmpty();
    }

    @Test
    void aRequestWithAnUnknownComprehensionRequiredAttributeIsAnswered420NamingIt() throws IOException {
        TurnTestClient client = authorised("udp", "alice");
        byte[] buffer = new byte[512];
        // EVEN-PORT (RFC 8656 §18.7), which this server does not offer
        client.sendSigned(client.request(StunMessageType.METHOD_ALLOCATE, StunMessageType.CLASS_REQUEST, buffer)
            .uint32Attribute(StunAttributeType.REQUESTED_TRANSPORT, TurnServer.TRANSPORT_UDP << 24)
            .attribute(0x0018, new byte[] {(byte) 0x80}), buffer);

        StunMessage answer = client.receiveStun();

        assertThat(answer.errorCode()).isEqualTo(StunErrorCode.UNKNOWN_ATTRIBUTE);
        assertThat(answer.unknownAttributesCount()).isEqualTo(1);
        assertThat(answer.unknownAttribute(0)).isEqualTo(0x0018);
        assertThat(turn.allocations()).isZero();
    }

    @Test
    void aNonceOlderThanItsLifetimeIsStaleAndTheAnswerCarriesAFreshOne() throws IOException {
        MovableClock clock = restartOnAMovableClock();
        TurnTestClient client = authorised("udp", "alice", 3600);
        client.allocate();
        String first = client.nonce;
        clock.advance(TurnServer.Settings.DEFAULT_NONCE_LIFETIME.plusSeconds(1));

        StunMessage stale = client.allocate();

        assertThat(stale.errorCode()).isEqualTo(StunErrorCode.STALE_NONCE);
        assertThat(stale.nonce()).isNotEqualTo(first);
        assertThat(client.allocate().messageClass()).isEqualTo(StunMessageType.CLASS_SUCCESS_RESPONSE);
    }

    @Test
    void credentialsThatExpireDuringTheSessionNoLongerRefresh() throws IOException {
        MovableClock clock = restartOnAMovableClock();
        TurnTestClient client = authorised("udp", "alice", 60);
        client.allocateWithChallenge();
        clock.advance(Duration.ofSeconds(61));

        assertThat(client.refresh(600).errorCode()).isEqualTo(StunErrorCode.UNAUTHORIZED);
        assertThat(turn.unauthorizedCount()).isEqualTo(1);
    }

    /** Restarts the server with the default settings on a clock the test moves. */
    private MovableClock restartOnAMovableClock() throws IOException {
        MovableClock clock = new MovableClock();
        startTurn(TurnServer.Settings.defaults(REALM, SECRET), clock);
        return clock;
    }

    /** A wall clock the test moves forward, for nonce and credential expiry. */
    private static final class MovableClock extends Clock {
        private volatile java.time.Instant now = java.time.Instant.now();

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    @Test
    void closingTheTcpConnectionDeletesItsAllocation() throws IOException {
        TurnTestClient client = authorised("tcp", "alice");
        client.allocateWithChallenge();
        assertThat(turn.allocations()).isEqualTo(1);

        client.close();

        Await.until("the allocation deleted", WAIT, () -> turn.allocations() == 0);
    }
}
