package io.sfu.core.turn;

import io.sfu.core.buffer.PacketPool;
import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.logging.RateLimitedLog;
import io.sfu.core.net.Handoff;
import io.sfu.core.net.MediaOutput;
import io.sfu.core.net.MediaSocket;
import io.sfu.core.net.RelayOutput;
import io.sfu.core.stun.StunAttributeType;
import io.sfu.core.stun.StunMessageType;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An embedded TURN server (RFC 8656) that relays only toward the SFU itself, for clients whose network lets
 * nothing out but one port: allocations over UDP and TCP on one port number, and over TLS on a port of its own
 * when a certificate is given ({@link TlsListener}), authenticated with the long-term mechanism (RFC 8489 §9.2) over
 * short-lived {@link TurnCredentials}.
 *
 * <p>What a client sends toward the SFU's media address (a Send indication or ChannelData) is handed to the media
 * socket's receive thread stamped with the allocation's relayed address as its source, so ICE, DTLS and forwarding
 * see a relay candidate's path like any other; what the SFU sends to a relayed address ({@link MediaOutput}) goes
 * back to the client as ChannelData, or a Data indication while no channel is bound. The relayed address is the
 * relay address's IP with the port of a UDP socket bound for the allocation and never read: the kernel keeps
 * it unique, so it never stands for another peer, and nothing from outside is relayed.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Channel Number        |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                       Application Data                        /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *                             RFC 8656 §12.4: ChannelData (padded to 4 bytes on TCP, §12.5)
 * </pre>
 * One thread reads the UDP socket and the TCP and TLS connections, answers requests and sweeps expired state; any
 * thread may send toward a client. Every input is bounded: allocations in all and per participant, lifetimes,
 * channels per allocation, TCP and TLS connections (one cap for both), the time to finish a TLS handshake, the
 * message length on a stream, the bytes queued toward a TCP or TLS client, the rate of failed authentications. What
 * is refused or dropped is counted.
 *
 * <p>This class holds the sockets, the loop and the path toward clients; {@link TurnStreams} the TCP and TLS
 * connections, {@link TurnRequests} handles what clients send and {@link TurnAllocations} holds the allocations.
 */
public final class TurnServer implements RelayOutput, AutoCloseable {
    private static final ByteOrder BIG_ENDIAN = ByteOrder.BIG_ENDIAN;
    private static final Logger LOG = LoggerFactory.getLogger(TurnServer.class);
    private static final RateLimitedLog ERRORS = new RateLimitedLog(LOG);

    /** RFC 8656 §18.7: the protocol number of UDP, the only relayed transport. */
    static final int TRANSPORT_UDP = 17;
    static final int MIN_CHANNEL = 0x4000;
    static final int MAX_CHANNEL = 0x4FFF;
    static final int CHANNEL_HEADER = 4;
    /** Channels one allocation may bind: the SFU has few media addresses. */
    static final int MAX_CHANNELS = 8;
    /** The longest message read: a Send indication carrying a whole packet slot, with its attributes. */
    static final int MAX_MESSAGE = PacketSlot.CAPACITY + 256;
    /** RFC 8656 §9: permissions last 300 s; §12: channels 600 s. */
    static final long PERMISSION_LIFETIME_NS = TimeUnit.SECONDS.toNanos(300);
    static final long CHANNEL_LIFETIME_NS = TimeUnit.SECONDS.toNanos(600);
    private static final long SWEEP_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(500);
    /** A TLS client finishes its handshake within this or is closed: a handshake costs the server thread work. */
    static final long TLS_HANDSHAKE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    /** Tries at a free UDP port whose number TCP has free too, when any port will do. */
    private static final int BIND_ATTEMPTS = 16;

    /**
     * The bounds and credentials of the server.
     *
     * @param realm                the REALM of the long-term credentials
     * @param secret               the key of the credentials' HMAC, shared with the signaling side
     * @param maxAllocations       allocations at once; one more is answered 508
     * @param maxAllocationsPerUser allocations of one participant at once; one more is answered 486
     * @param defaultLifetime      an allocation's lifetime when the client asks for none or less
     * @param maxLifetime          the longest lifetime granted
     * @param nonceLifetime        how long a NONCE stays valid (then 438)
     * @param maxTcpConnections    TCP connections at once; one more is closed as soon as accepted
     * @param tcpWriteBufferBytes  bytes queued toward one TCP client; a message that does not fit is dropped whole
     * @param failedAuthsPerSecond requests with wrong credentials answered per second; more are dropped unanswered
     */
    public record Settings(String realm, byte[] secret, int maxAllocations, int maxAllocationsPerUser,
                           Duration defaultLifetime, Duration maxLifetime, Duration nonceLifetime,
                           int maxTcpConnections, int tcpWriteBufferBytes, int failedAuthsPerSecond) {
        public static final int DEFAULT_MAX_ALLOCATIONS = 1024;
        public static final int DEFAULT_MAX_ALLOCATIONS_PER_USER = 4;
        /** RFC 8656 §3.2 recommends 10 minutes. */
        public static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(600);
        public static final Duration MAX_LIFETIME = Duration.ofSeconds(3600);
        public static final Duration DEFAULT_NONCE_LIFETIME = Duration.ofSeconds(600);
        public static final int DEFAULT_MAX_TCP_CONNECTIONS = 1024;
        public static final int DEFAULT_TCP_WRITE_BUFFER_BYTES = 256 * 1024;
        public static final int DEFAULT_FAILED_AUTHS_PER_SECOND = 100;

        public Settings {
            if (realm == null || realm.isEmpty() || realm.length() > 127) {
                throw new IllegalArgumentException("realm must have 1 to 127 characters");
            }
            if (secret == null || secret.length < 16) {
                throw new IllegalArgumentException("secret must have at least 16 bytes");
            }
            if (maxAllocations < 1 || maxAllocationsPerUser < 1 || maxTcpConnections < 1
                || failedAuthsPerSecond < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
            if (tcpWriteBufferBytes < MAX_MESSAGE) {
                throw new IllegalArgumentException("tcpWriteBufferBytes must hold one message: " + tcpWriteBufferBytes);
            }
            if (defaultLifetime.toSeconds() < 1 || maxLifetime.compareTo(defaultLifetime) < 0
                || nonceLifetime.toSeconds() < 1) {
                throw new IllegalArgumentException("lifetimes must be positive, the maximum at least the default");
            }
        }

        /** The defaults with {@code realm} and {@code secret}. */
        public static Settings defaults(String realm, byte[] secret) {
            return new Settings(realm, secret, DEFAULT_MAX_ALLOCATIONS, DEFAULT_MAX_ALLOCATIONS_PER_USER,
                DEFAULT_LIFETIME, MAX_LIFETIME, DEFAULT_NONCE_LIFETIME, DEFAULT_MAX_TCP_CONNECTIONS,
                DEFAULT_TCP_WRITE_BUFFER_BYTES, DEFAULT_FAILED_AUTHS_PER_SECOND);
        }
    }

    /**
     * TURN over TLS (RFC 8656 §3.1, {@code turns:} URLs): the listener's port (0: any free one) and the context
     * whose certificate it presents.
     */
    public record TlsListener(int port, SSLContext context) {
        public TlsListener {
            if (port < 0 || port > 65535 || context == null) {
                throw new IllegalArgumentException("a TLS listener needs a port and a context");
            }
        }
    }

    /**
     * Relayed traffic of one participant, from its first allocation until it left and holds none (the participant
     * is the one its credentials name).
     */
    public static final class Usage {
        final AtomicLong bytesToSfu = new AtomicLong();
        final AtomicLong bytesToClient = new AtomicLong();
        final AtomicLong packetsToSfu = new AtomicLong();
        final AtomicLong packetsToClient = new AtomicLong();
        volatile int allocations;

        /** The participant's allocations now. */
        public int allocations() {
            return allocations;
        }

        /** Bytes the participant's clients relayed toward the SFU. */
        public long bytesToSfu() {
            return bytesToSfu.get();
        }

        /** Bytes the SFU relayed toward the participant's clients. */
        public long bytesToClient() {
            return bytesToClient.get();
        }

        /** Packets the participant's clients relayed toward the SFU. */
        public long packetsToSfu() {
            return packetsToSfu.get();
        }

        /** Packets the SFU relayed toward the participant's clients. */
        public long packetsToClient() {
            return packetsToClient.get();
        }
    }

    private final DatagramChannel udp;
    private final ServerSocketChannel tcpServer;
    /** The TURN-over-TLS listener and what it presents; both null when TLS is off. */
    private final ServerSocketChannel tlsServer;
    private final SSLContext tlsContext;
    private final Selector selector;
    private final Settings settings;
    private final NanoClock nanoClock;
    private final TurnCounters counters = new TurnCounters();
    private final TurnAllocations allocations = new TurnAllocations(counters);
    private final TurnRequests requests;
    private final Thread thread;
    private final Consumer<SelectionKey> onReady = this::onReady;

    private final TurnStreams streams;
    // server thread
    private final ByteBuffer udpIn = ByteBuffer.allocate(MAX_MESSAGE);
    private volatile boolean closed;

    private TurnServer(DatagramChannel udp, ServerSocketChannel tcpServer, ServerSocketChannel tlsServer,
                       Selector selector, PacketPool pool, Settings settings, Clock clock, NanoClock nanoClock,
                       SSLContext tlsContext, InetAddress relayIp, List<InetSocketAddress> sfuAddresses) {
        this.udp = udp;
        this.tcpServer = tcpServer;
        this.tlsServer = tlsServer;
        this.tlsContext = tlsContext;
        this.selector = selector;
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.requests = new TurnRequests(this, allocations, counters, pool, settings, clock, nanoClock, relayIp,
            sfuAddresses);
        this.streams = new TurnStreams(selector, settings, nanoClock, counters, allocations, requests);
        this.thread = new Thread(this::run, "sfu-turn");
        thread.setDaemon(true);
    }



    /**
     * Binds the UDP socket and the TCP listener on {@code local} (port 0: the TCP listener takes the UDP port's
     * number), without TLS, timing lifetimes on the system's monotonic clock.
     *
     * @param relayIp      the IP of the relayed addresses: one the clients can name (the announced address)
     * @param sfuAddresses the SFU's media addresses: the only peers permissions, channels and data may name
     */
    public static TurnServer bind(InetSocketAddress local, InetAddress relayIp, List<InetSocketAddress> sfuAddresses,
                                  PacketPool pool, Settings settings, Clock clock) throws IOException {
        return bind(local, relayIp, sfuAddresses, pool, settings, clock, SystemNanoClock.INSTANCE, null);
    }

    /**
     * Binds the UDP socket, the TCP listener and, with {@code tls}, the TURN-over-TLS listener.
     *
     * @param clock     the wall clock of credentials and nonces
     * @param nanoClock the monotonic clock of lifetimes (allocations, permissions, channels, TLS handshakes)
     * @param tls       the TLS listener, or null for none
     */
    public static TurnServer bind(InetSocketAddress local, InetAddress relayIp, List<InetSocketAddress> sfuAddresses,
                                  PacketPool pool, Settings settings, Clock clock, NanoClock nanoClock,
                                  TlsListener tls) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return bindOnce(local, relayIp, sfuAddresses, pool, settings, clock, nanoClock, tls);
            } catch (java.net.BindException e) {
                // port 0: the UDP port was any free one, and TCP may have that number taken; try another
                if (local.getPort() != 0 || attempt == BIND_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static TurnServer bindOnce(InetSocketAddress local, InetAddress relayIp,
                                       List<InetSocketAddress> sfuAddresses, PacketPool pool, Settings settings,
                                       Clock clock, NanoClock nanoClock, TlsListener tls) throws IOException {
        boolean v4 = local.getAddress() instanceof Inet4Address;
        DatagramChannel udp = v4 ? DatagramChannel.open(StandardProtocolFamily.INET) : DatagramChannel.open();
        ServerSocketChannel tcp = null;
        ServerSocketChannel tlsServer = null;
        Selector selector = null;
        try {
            udp.setOption(StandardSocketOptions.SO_RCVBUF, 1024 * 1024);
            udp.bind(local);
            udp.configureBlocking(false);
            InetSocketAddress bound = (InetSocketAddress) udp.getLocalAddress();
            tcp = listen(v4, new InetSocketAddress(local.getAddress(), bound.getPort()));
            selector = Selector.open();
            udp.register(selector, SelectionKey.OP_READ, udp);
            tcp.register(selector, SelectionKey.OP_ACCEPT, tcp);
            if (tls != null) {
                tlsServer = listen(v4, new InetSocketAddress(local.getAddress(), tls.port()));
                tlsServer.register(selector, SelectionKey.OP_ACCEPT, tlsServer);
            }
        } catch (IOException | RuntimeException e) {
            udp.close();
            for (java.io.Closeable c : new java.io.Closeable[] {tcp, tlsServer, selector}) {
                if (c != null) {
                    c.close();
                }
            }
            throw e;
        }
        return new TurnServer(udp, tcp, tlsServer, selector, pool, settings, clock, nanoClock,
            tls == null ? null : tls.context(), relayIp, sfuAddresses);
    }

    private static ServerSocketChannel listen(boolean v4, InetSocketAddress at) throws IOException {
        ServerSocketChannel listener = v4 ? ServerSocketChannel.open(StandardProtocolFamily.INET)
            : ServerSocketChannel.open();
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(at, 128);
            listener.configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
        return listener;
    }

    /** Starts serving; data toward the SFU is handed over to {@code media}'s receive thread. */
    public void start(MediaSocket media) {
        requests.start(media);
        thread.start();
    }

    /** The UDP socket's address; the TCP listener has the same port number. */
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) udp.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("TURN server is closed", e);
        }
    }

    /** The TURN-over-TLS listener's address, or null when TLS is off. */
    public InetSocketAddress tlsAddress() {
        try {
            return tlsServer == null ? null : (InetSocketAddress) tlsServer.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("TURN server is closed", e);
        }
    }

    /** True while any allocation exists: lets the media output skip the lookup when nobody relays. */
    @Override
    public boolean relaying() {
        return allocations.size() > 0;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Toward the client (any thread)

    /**
     * Sends {@code datagram}'s remaining bytes to the client of the allocation whose relayed address is
     * {@code target}: {@link #SENT}, {@link #DROPPED} (counted) or {@link #NOT_RELAYED}. Never waits.
     */
    @Override
    public int sendIfRelayed(ByteBuffer datagram, InetSocketAddress target) {
        TurnAllocation a = allocations.relayedTo(target);
        if (a == null) {
            return NOT_RELAYED;
        }
        int length = datagram.remaining();
        InetSocketAddress peer = a.lastPeer;
        boolean sent = false;
        if (peer != null && length > 0 && length <= PacketSlot.CAPACITY) {
            synchronized (a) {
                sent = !a.deleted && sendLocked(a, datagram, length, peer);
            }
        }
        datagram.position(datagram.limit());
        if (!sent) {
            counters.droppedToClient.incrementAndGet();
            return DROPPED;
        }
        counters.bytesToClient.addAndGet(length);
        a.usage.bytesToClient.addAndGet(length);
        a.usage.packetsToClient.incrementAndGet();
        return SENT;
    }

    /** Frames the data as ChannelData or a Data indication (RFC 8656 §11.4, §12.4) and sends it. */
    private boolean sendLocked(TurnAllocation a, ByteBuffer datagram, int length, InetSocketAddress peer) {
        int channel = a.lastChannel;
        int total;
        if (channel != 0) {
            a.outBuffer.putShort(0, (short) channel, BIG_ENDIAN);
            a.outBuffer.putShort(2, (short) length, BIG_ENDIAN);
            datagram.get(a.out, CHANNEL_HEADER, length);
            total = CHANNEL_HEADER + length;
            if (a.tcp != null) {
                int padded = (total + 3) & ~3;
                for (int i = total; i < padded; i++) {
                    a.out[i] = 0;
                }
                total = padded;
            }
        } else {
            if (a.permissionExpiresNs - nanoClock.nanoTime() < 0) {
                return false;
            }
            datagram.get(a.data, 0, length);
            long sequence = ++a.sequence;
            for (int i = 0; i < 8; i++) {
                a.transactionId[4 + i] = (byte) (sequence >>> (8 * i));
            }
            a.peer.set(peer);
            total = a.writer.wrap(a.outBuffer, 0, a.out.length)
                .header(StunMessageType.of(StunMessageType.METHOD_DATA, StunMessageType.CLASS_INDICATION),
                    a.transactionId)
                .xorAddress(StunAttributeType.XOR_PEER_ADDRESS, a.peer)
                .attribute(StunAttributeType.DATA, a.data, 0, length)
                .length();
        }
        a.outView.limit(total).position(0);
        if (a.tcp == null) {
            try {
                return udp.send(a.outView, a.clientAddress) > 0;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
        return streams.queue(a.tcp, a.outView);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Server thread

    private void run() {
        Handoff.selectLoop(selector, () -> !closed, onReady, streams.closeRequests, streams::close, SWEEP_INTERVAL_NS,
            this::sweep, counters.failures, ERRORS, "TURN server loop failed; it goes on");
    }

    private void onReady(SelectionKey key) {
        Object attachment = key.attachment();
        if (attachment == udp) {
            readUdp();
            return;
        }
        if (attachment == tcpServer || attachment == tlsServer) {
            streams.acceptAll((ServerSocketChannel) attachment, attachment == tlsServer ? tlsContext : null);
            return;
        }
        streams.onReady(key, (TurnConnection) attachment);
    }

    private void readUdp() {
        for (int i = 0; i < 64; i++) {
            udpIn.clear();
            InetSocketAddress from;
            try {
                from = (InetSocketAddress) udp.receive(udpIn);
            } catch (IOException e) {
                LOG.debug("TURN receive: {}", e.toString());
                continue;
            }
            if (from == null) {
                return;
            }
            requests.onMessage(udpIn.array(), udpIn.position(), from, null);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Answers and expiry

    /** Sends an answer to a client: over its TCP connection, else in a datagram to {@code to}. */
    void reply(ByteBuffer answer, InetSocketAddress to, TurnConnection tcp) {
        if (tcp != null) {
            streams.queue(tcp, answer);
            return;
        }
        try {
            udp.send(answer, to);
        } catch (IOException | RuntimeException e) {
            LOG.debug("TURN answer to {} failed: {}", to, e.toString());
        }
    }

    /** Expires allocations and channels; closes connections that allocate nothing, or finish no TLS handshake. */
    private void sweep(long selectNow) {
        long now = nanoClock.nanoTime();
        allocations.sweep(now);
        streams.sweep(now);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Counters

    /** Allocations now. */
    public int allocations() {
        return allocations.size();
    }

    public long allocationsCreatedCount() {
        return counters.allocationsCreated.get();
    }

    /** Allocations deleted because their lifetime ran out without a Refresh. */
    public long allocationsExpiredCount() {
        return counters.allocationsExpired.get();
    }

    /** Requests with wrong or expired credentials (a first request without any is not counted). */
    public long unauthorizedCount() {
        return requests.auth().unauthorizedCount();
    }

    /** Failed authentications beyond the rate answered, dropped unanswered. */
    public long authThrottledCount() {
        return requests.auth().authThrottledCount();
    }

    /** First requests over UDP beyond {@link TurnAuthenticator#UDP_CHALLENGES_PER_SECOND}, left unanswered. */
    public long challengesThrottledCount() {
        return requests.auth().challengesThrottledCount();
    }

    /** Allocations or channels refused for a quota (508, 486). */
    public long quotaRefusalCount() {
        return counters.quotaRefusals.get();
    }

    /** Requests or data naming a peer other than the SFU's media addresses (403 or dropped). */
    public long forbiddenPeerCount() {
        return counters.forbiddenPeers.get();
    }

    /** Messages that were neither well-formed STUN nor ChannelData, or of a method not served. */
    public long malformedCount() {
        return counters.malformed.get();
    }

    /** Data toward the SFU dropped: no allocation, channel or permission, no slot, or a full hand-over queue. */
    public long droppedToSfuCount() {
        return counters.droppedToSfu.get();
    }

    /** Data toward clients dropped: no permission, a full TCP buffer, or a send the kernel refused. */
    public long droppedToClientCount() {
        return counters.droppedToClient.get();
    }

    public long bytesToSfuCount() {
        return counters.bytesToSfu.get();
    }

    public long bytesToClientCount() {
        return counters.bytesToClient.get();
    }

    /** TCP and TLS connections open now. */
    public int connections() {
        return streams.count();
    }

    /** TCP and TLS connections closed at accept, beyond the limit. */
    public long tcpRefusedCount() {
        return counters.tcpRefused.get();
    }

    /** TLS connections closed for a failed or late handshake, bytes that are not TLS, or a TLS error. */
    public long tlsFailureCount() {
        return counters.tlsFailures.get();
    }

    /** Failures of the server loop or of handling one message (each logged; the loop went on). */
    public long failureCount() {
        return counters.failures.get();
    }

    /**
     * The relayed traffic of a participant since its first allocation, or null: kept while it holds allocations or
     * is in a room ({@link #participantJoined}).
     */
    public Usage usage(String participantId) {
        return allocations.usage(participantId);
    }

    /** The participant joined a room: its usage outlives a replaced allocation, so its counters never restart. */
    public void participantJoined(String participantId) {
        allocations.joined(participantId);
    }

    /** The participant left: its usage is forgotten once it holds no allocation. */
    public void participantLeft(String participantId) {
        allocations.left(participantId);
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        Handoff.join(thread);
        streams.closeAll();
        allocations.deleteAll();
        Handoff.closeQuietly(udp, LOG, "TURN socket");
        Handoff.closeQuietly(tcpServer, LOG, "TURN listener");
        if (tlsServer != null) {
            Handoff.closeQuietly(tlsServer, LOG, "TURN TLS listener");
        }
        Handoff.closeQuietly(selector, LOG, "TURN selector");
    }
}
