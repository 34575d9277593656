package io.sfu.core.turn;

import io.sfu.core.buffer.PacketPool;
import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.logging.RateLimitedLog;
import io.sfu.core.net.Handoff;
import io.sfu.core.net.MediaOutput;
import io.sfu.core.net.MediaSocket;
import io.sfu.core.net.RelayOutput;
import io.sfu.core.net.TcpOutbox;
import io.sfu.core.stun.StunAddress;
import io.sfu.core.stun.StunAttributeType;
import io.sfu.core.stun.StunErrorCode;
import io.sfu.core.stun.StunIntegrity;
import io.sfu.core.stun.StunKey;
import io.sfu.core.stun.StunMessage;
import io.sfu.core.stun.StunMessageType;
import io.sfu.core.stun.StunMessageWriter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An embedded TURN server (RFC 8656) that relays only toward the SFU itself, for clients whose network lets
 * nothing out but one port: allocations over UDP and TCP on one port number, authenticated with the long-term
 * mechanism (RFC 8489 §9.2) over short-lived {@link TurnCredentials}.
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
 * One thread reads the UDP socket and the TCP connections, answers requests and sweeps expired state; any thread
 * may send toward a client. Every input is bounded: allocations in all and per participant, lifetimes, channels per
 * allocation, TCP connections, the message length on TCP, the bytes queued toward a TCP client, the rate of
 * failed authentications. What is refused or dropped is counted.
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
    private static final int RELAY_RECEIVE_BUFFER = 1024;
    /** Tries at a free UDP port whose number TCP has free too, when any port will do. */
    private static final int BIND_ATTEMPTS = 16;
    private static final byte[] SOFTWARE = "sfu".getBytes(StandardCharsets.US_ASCII);

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

    /** Relayed traffic of one participant while it holds allocations. */
    public static final class Usage {
        final AtomicLong bytesToSfu = new AtomicLong();
        final AtomicLong bytesToClient = new AtomicLong();
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
    }

    private final DatagramChannel udp;
    private final ServerSocketChannel tcpServer;
    private final Selector selector;
    private final PacketPool pool;
    private final Settings settings;
    private final TurnAuthenticator auth;
    private final InetAddress relayIp;
    private final List<InetSocketAddress> sfuAddresses;
    private final Thread thread;
    private final Consumer<SelectionKey> onReady = this::onReady;
    private MediaSocket media;

    // server thread
    private final Map<Object, TurnAllocation> byClient = new HashMap<>();
    private final Map<String, Usage> usageByParticipant = new ConcurrentHashMap<>();
    private final List<TurnConnection> connections = new ArrayList<>();
    private final ByteBuffer udpIn = ByteBuffer.allocate(MAX_MESSAGE);
    private final UnsafeBuffer inBuffer = new UnsafeBuffer(new byte[0]);
    private final byte[] reply = new byte[1024];
    private final UnsafeBuffer replyBuffer = new UnsafeBuffer(reply);
    private final StunMessage message = new StunMessage();
    private final StunMessageWriter writer = new StunMessageWriter();
    private final StunIntegrity integrity = new StunIntegrity();
    private final StunAddress address = new StunAddress();
    /** The unknown comprehension-required attributes of the request at hand, for a 420. */
    private final int[] unknownTypes = new int[8];

    /** Relayed address to allocation; written by the server thread, read by senders. */
    private final ConcurrentHashMap<InetSocketAddress, TurnAllocation> byRelayed = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<TurnConnection> closeRequests = new ConcurrentLinkedQueue<>();
    private volatile int allocationCount;
    private volatile boolean closed;

    private final AtomicLong allocationsCreated = new AtomicLong();
    private final AtomicLong allocationsExpired = new AtomicLong();
    private final AtomicLong quotaRefusals = new AtomicLong();
    private final AtomicLong forbiddenPeers = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong droppedToSfu = new AtomicLong();
    private final AtomicLong droppedToClient = new AtomicLong();
    private final AtomicLong bytesToSfu = new AtomicLong();
    private final AtomicLong bytesToClient = new AtomicLong();
    private final AtomicLong tcpRefused = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    private TurnServer(DatagramChannel udp, ServerSocketChannel tcpServer, Selector selector, PacketPool pool,
                       Settings settings, Clock clock, InetAddress relayIp, List<InetSocketAddress> sfuAddresses) {
        this.udp = udp;
        this.tcpServer = tcpServer;
        this.selector = selector;
        this.pool = pool;
        this.settings = settings;
        this.auth = new TurnAuthenticator(settings, clock);
        this.relayIp = relayIp;
        this.sfuAddresses = List.copyOf(sfuAddresses);
        this.thread = new Thread(this::run, "sfu-turn");
        thread.setDaemon(true);
    }

    /**
     * Binds the UDP socket and the TCP listener on {@code local} (port 0: the TCP listener takes the UDP port's
     * number).
     *
     * @param relayIp      the IP of the relayed addresses: one the clients can name (the announced address)
     * @param sfuAddresses the SFU's media addresses: the only peers permissions, channels and data may name
     */
    public static TurnServer bind(InetSocketAddress local, InetAddress relayIp, List<InetSocketAddress> sfuAddresses,
                                  PacketPool pool, Settings settings, Clock clock) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return bindOnce(local, relayIp, sfuAddresses, pool, settings, clock);
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
                                       Clock clock) throws IOException {
        boolean v4 = local.getAddress() instanceof Inet4Address;
        DatagramChannel udp = v4 ? DatagramChannel.open(StandardProtocolFamily.INET) : DatagramChannel.open();
        ServerSocketChannel tcp = null;
        Selector selector = null;
        try {
            udp.setOption(StandardSocketOptions.SO_RCVBUF, 1024 * 1024);
            udp.bind(local);
            udp.configureBlocking(false);
            InetSocketAddress bound = (InetSocketAddress) udp.getLocalAddress();
            tcp = v4 ? ServerSocketChannel.open(StandardProtocolFamily.INET) : ServerSocketChannel.open();
            tcp.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            tcp.bind(new InetSocketAddress(local.getAddress(), bound.getPort()), 128);
            tcp.configureBlocking(false);
            selector = Selector.open();
            udp.register(selector, SelectionKey.OP_READ, udp);
            tcp.register(selector, SelectionKey.OP_ACCEPT, tcp);
        } catch (IOException | RuntimeException e) {
            udp.close();
            if (tcp != null) {
                tcp.close();
            }
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
        return new TurnServer(udp, tcp, selector, pool, settings, clock, relayIp, sfuAddresses);
    }

    /** Starts serving; data toward the SFU is handed over to {@code media}'s receive thread. */
    public void start(MediaSocket media) {
        this.media = media;
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

    /** True while any allocation exists: lets the media output skip the lookup when nobody relays. */
    @Override
    public boolean relaying() {
        return allocationCount > 0;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Toward the client (any thread)

    /**
     * Sends {@code datagram}'s remaining bytes to the client of the allocation whose relayed address is
     * {@code target}: {@link #SENT}, {@link #DROPPED} (counted) or {@link #NOT_RELAYED}. Never waits.
     */
    @Override
    public int sendIfRelayed(ByteBuffer datagram, InetSocketAddress target) {
        TurnAllocation a = byRelayed.get(target);
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
            droppedToClient.incrementAndGet();
            return DROPPED;
        }
        bytesToClient.addAndGet(length);
        a.usage.bytesToClient.addAndGet(length);
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
            if (a.permissionExpiresNs - System.nanoTime() < 0) {
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
        return queueTcp(a.tcp, a.outView);
    }

    /** Queues a whole message toward a TCP client, writing at once when nothing waits before it. */
    private boolean queueTcp(TurnConnection c, ByteBuffer message) {
        int status = c.outbox.queue(message, false);
        if (status == TcpOutbox.FAILED) {
            requestClose(c);
        }
        return status == TcpOutbox.QUEUED;
    }

    private void requestClose(TurnConnection c) {
        if (c.outbox.startClosing()) {
            closeRequests.add(c);
            selector.wakeup();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Server thread

    private void run() {
        Handoff.selectLoop(selector, () -> !closed, onReady, closeRequests, this::closeConnection, SWEEP_INTERVAL_NS,
            this::sweep, failures, ERRORS, "TURN server loop failed; it goes on");
    }

    private void onReady(SelectionKey key) {
        Object attachment = key.attachment();
        if (attachment == udp) {
            readUdp();
            return;
        }
        if (attachment == tcpServer) {
            acceptAll();
            return;
        }
        TurnConnection c = (TurnConnection) attachment;
        try {
            if (key.isReadable()) {
                readTcp(c);
            }
            if (!c.closed && key.isValid() && key.isWritable() && c.outbox.flush() == TcpOutbox.FAILED) {
                requestClose(c);
            }
        } catch (CancelledKeyException | IOException e) {
            closeConnection(c);
        }
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
            onMessage(udpIn.array(), udpIn.position(), from, null);
        }
    }

    private void acceptAll() {
        SocketChannel channel;
        try {
            while ((channel = tcpServer.accept()) != null) {
                if (connections.size() >= settings.maxTcpConnections()) {
                    tcpRefused.incrementAndGet();
                    Handoff.closeQuietly(channel, LOG, "TURN connection");
                    continue;
                }
                try {
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    TurnConnection c = new TurnConnection(channel, (InetSocketAddress) channel.getRemoteAddress(),
                        System.nanoTime(), new TcpOutbox(channel, selector, settings.tcpWriteBufferBytes()));
                    c.key = channel.register(selector, SelectionKey.OP_READ, c);
                    c.outbox.key(c.key);
                    connections.add(c);
                } catch (IOException | RuntimeException e) {
                    LOG.debug("TURN accept: {}", e.toString());
                    Handoff.closeQuietly(channel, LOG, "TURN connection");
                }
            }
        } catch (IOException e) {
            LOG.debug("TURN accept: {}", e.toString());
        }
    }

    /** Reads what is waiting and cuts it into messages (RFC 8656 §6.2: STUN and ChannelData on a stream). */
    private void readTcp(TurnConnection c) throws IOException {
        ByteBuffer in = c.in;
        if (c.channel.read(in) < 0) {
            closeConnection(c);
            return;
        }
        while (in.position() >= CHANNEL_HEADER) {
            byte[] array = in.array();
            int first = array[0] & 0xFF;
            int declared = ((array[2] & 0xFF) << 8) | (array[3] & 0xFF);
            int length;
            if (first < 0x40) {
                length = StunMessage.HEADER_LENGTH + declared;
            } else if (first < 0x50) {
                length = (CHANNEL_HEADER + declared + 3) & ~3;
            } else {
                length = -1;
            }
            if (length < 0 || length > MAX_MESSAGE) {
                // the stream cannot be resynchronised
                malformed.incrementAndGet();
                closeConnection(c);
                return;
            }
            if (in.position() < length) {
                return;
            }
            onMessage(array, length, c.remote, c);
            if (c.closed) {
                return;
            }
            in.flip().position(length);
            in.compact();
        }
    }

    /** One message from a client: ChannelData, a Send indication or a request. */
    private void onMessage(byte[] array, int length, InetSocketAddress from, TurnConnection tcp) {
        inBuffer.wrap(array, 0, length);
        int first = array[0] & 0xFF;
        if (first >= 0x40 && first < 0x50) {
            onChannelData(inBuffer, length, tcp != null ? tcp : from);
            return;
        }
        if (!message.wrap(inBuffer, 0, length)) {
            malformed.incrementAndGet();
            return;
        }
        int method = message.method();
        int messageClass = message.messageClass();
        Object client = tcp != null ? tcp : from;
        if (messageClass == StunMessageType.CLASS_INDICATION && method == StunMessageType.METHOD_SEND) {
            onSend(byClient.get(client));
            return;
        }
        if (messageClass != StunMessageType.CLASS_REQUEST) {
            malformed.incrementAndGet();
            return;
        }
        int unknown = unknownComprehensionRequired();
        if (unknown > 0) {
            // RFC 8489 §6.3.1.1: a request with a comprehension-required attribute not understood is answered 420
            malformed.incrementAndGet();
            finish(response(method, StunMessageType.CLASS_ERROR_RESPONSE).errorCode(StunErrorCode.UNKNOWN_ATTRIBUTE)
                .unknownAttributes(unknownTypes, unknown), null, from, tcp);
            return;
        }
        switch (method) {
            case StunMessageType.METHOD_BINDING -> answerBinding(from, tcp);
            case StunMessageType.METHOD_ALLOCATE -> onAllocate(client, from, tcp);
            case StunMessageType.METHOD_REFRESH, StunMessageType.METHOD_CREATE_PERMISSION,
                StunMessageType.METHOD_CHANNEL_BIND -> onAllocationRequest(method, byClient.get(client), from, tcp);
            default -> {
                malformed.incrementAndGet();
                answerError(StunErrorCode.BAD_REQUEST, from, tcp, null);
            }
        }
    }

    private void onChannelData(UnsafeBuffer in, int length, Object client) {
        TurnAllocation a = byClient.get(client);
        int number = in.getShort(0, BIG_ENDIAN) & 0xFFFF;
        int dataLength = in.getShort(2, BIG_ENDIAN) & 0xFFFF;
        int index = a == null ? -1 : a.channelIndex(number);
        if (index < 0 || dataLength > length - CHANNEL_HEADER) {
            droppedToSfu.incrementAndGet();
            return;
        }
        InetSocketAddress peer = a.channelPeers[index];
        a.lastPeer = peer;
        a.lastChannel = number;
        handOver(a, in, CHANNEL_HEADER, dataLength);
    }

    private void onSend(TurnAllocation a) {
        int peerAt = message.findAttribute(StunAttributeType.XOR_PEER_ADDRESS);
        int dataAt = message.findAttribute(StunAttributeType.DATA);
        if (a == null || peerAt < 0 || dataAt < 0 || !message.address(peerAt, true, address)) {
            droppedToSfu.incrementAndGet();
            return;
        }
        InetSocketAddress peer = sfuAddress(address);
        if (peer == null || a.permissionExpiresNs - System.nanoTime() < 0) {
            forbiddenPeers.incrementAndGet();
            droppedToSfu.incrementAndGet();
            return;
        }
        if (a.lastPeer != peer) {
            a.lastPeer = peer;
            int channel = a.channelFor(peer);
            a.lastChannel = channel < 0 ? 0 : a.channelNumbers[channel];
        }
        handOver(a, message.buffer(), message.attributeValueOffset(dataAt), message.attributeValueLength(dataAt));
    }

    /** Copies the data into a pooled slot stamped with the relayed address and queues it for the media thread. */
    private void handOver(TurnAllocation a, DirectBuffer in, int offset, int length) {
        PacketSlot slot = length > 0 && length <= PacketSlot.CAPACITY ? pool.acquire() : null;
        if (slot == null) {
            droppedToSfu.incrementAndGet();
            return;
        }
        in.getBytes(offset, slot.array(), 0, length);
        slot.data(0, length);
        slot.source(a.relayed);
        slot.receivedNs(System.nanoTime());
        // counted before the hand-over, which the media thread may see through at once
        bytesToSfu.addAndGet(length);
        a.usage.bytesToSfu.addAndGet(length);
        if (!media.handOver(slot)) {
            slot.release();
            bytesToSfu.addAndGet(-length);
            a.usage.bytesToSfu.addAndGet(-length);
            droppedToSfu.incrementAndGet();
        }
    }

    /** Collects into {@link #unknownTypes} the comprehension-required attributes neither STUN's nor TURN's. */
    private int unknownComprehensionRequired() {
        int count = 0;
        int at = message.firstAttribute();
        for (; at >= 0 && count < unknownTypes.length; at = message.nextAttribute(at)) {
            int type = message.attributeType(at);
            if (StunAttributeType.isComprehensionRequired(type) && !StunAttributeType.isKnownComprehensionRequired(type)
                && !isTurnAttribute(type)) {
                unknownTypes[count++] = type;
            }
        }
        return count;
    }

    private static boolean isTurnAttribute(int type) {
        return switch (type) {
            case StunAttributeType.CHANNEL_NUMBER, StunAttributeType.LIFETIME, StunAttributeType.XOR_PEER_ADDRESS,
                StunAttributeType.DATA, StunAttributeType.XOR_RELAYED_ADDRESS,
                StunAttributeType.REQUESTED_ADDRESS_FAMILY, StunAttributeType.REQUESTED_TRANSPORT,
                StunAttributeType.DONT_FRAGMENT -> true;
            default -> false;
        };
    }

    /** The SFU media address equal to {@code candidate}, or null when it names anything else. */
    private InetSocketAddress sfuAddress(StunAddress candidate) {
        for (int i = 0; i < sfuAddresses.size(); i++) {
            InetSocketAddress sfu = sfuAddresses.get(i);
            byte[] ip = sfu.getAddress().getAddress();
            if (candidate.matches(ip, 0, ip.length, sfu.getPort())) {
                return sfu;
            }
        }
        return null;
    }

    private boolean sfuIp(StunAddress candidate) {
        for (int i = 0; i < sfuAddresses.size(); i++) {
            byte[] ip = sfuAddresses.get(i).getAddress().getAddress();
            if (candidate.matches(ip, 0, ip.length, candidate.port())) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Requests (RFC 8656 §7 to §12), authenticated as RFC 8489 §9.2.4 asks

    private void onAllocate(Object client, InetSocketAddress from, TurnConnection tcp) {
        String username = authenticate(from, tcp);
        if (username == null) {
            return;
        }
        StunKey key = auth.keyOf(username);
        TurnAllocation existing = byClient.get(client);
        if (existing != null) {
            if (message.transactionIdEquals(existing.allocateTransaction)) {
                answerAllocated(existing, from, tcp);
            } else {
                answerError(StunErrorCode.ALLOCATION_MISMATCH, from, tcp, key);
            }
            return;
        }
        int transportAt = message.findAttribute(StunAttributeType.REQUESTED_TRANSPORT);
        if (transportAt < 0 || message.attributeValueLength(transportAt) != 4) {
            answerError(StunErrorCode.BAD_REQUEST, from, tcp, key);
            return;
        }
        if ((message.buffer().getByte(message.attributeValueOffset(transportAt)) & 0xFF) != TRANSPORT_UDP) {
            answerError(StunErrorCode.UNSUPPORTED_TRANSPORT_PROTOCOL, from, tcp, key);
            return;
        }
        int familyAt = message.findAttribute(StunAttributeType.REQUESTED_ADDRESS_FAMILY);
        int wantFamily = relayIp instanceof Inet4Address ? StunAddress.FAMILY_IPV4 : StunAddress.FAMILY_IPV6;
        if (familyAt >= 0 && (message.attributeValueLength(familyAt) != 4
            || (message.buffer().getByte(message.attributeValueOffset(familyAt)) & 0xFF) != wantFamily)) {
            answerError(StunErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED, from, tcp, key);
            return;
        }
        String participantId = TurnCredentials.participantId(username);
        Usage usage = usageByParticipant.get(participantId);
        if (byClient.size() >= settings.maxAllocations()) {
            quotaRefusals.incrementAndGet();
            answerError(StunErrorCode.INSUFFICIENT_CAPACITY, from, tcp, key);
            return;
        }
        if (usage != null && usage.allocations >= settings.maxAllocationsPerUser()) {
            quotaRefusals.incrementAndGet();
            answerError(StunErrorCode.ALLOCATION_QUOTA_REACHED, from, tcp, key);
            return;
        }
        DatagramChannel relaySocket;
        try {
            relaySocket = relayIp instanceof Inet4Address ? DatagramChannel.open(StandardProtocolFamily.INET)
                : DatagramChannel.open(StandardProtocolFamily.INET6);
            relaySocket.setOption(StandardSocketOptions.SO_RCVBUF, RELAY_RECEIVE_BUFFER);
            relaySocket.bind(null);
        } catch (IOException e) {
            ERRORS.error("relay", "TURN could not bind a relay port", e);
            answerError(StunErrorCode.INSUFFICIENT_CAPACITY, from, tcp, key);
            return;
        }
        InetSocketAddress relayed;
        try {
            relayed = new InetSocketAddress(relayIp, ((InetSocketAddress) relaySocket.getLocalAddress()).getPort());
        } catch (IOException e) {
            Handoff.closeQuietly(relaySocket, LOG, "TURN relay port");
            answerError(StunErrorCode.INSUFFICIENT_CAPACITY, from, tcp, key);
            return;
        }
        if (usage == null) {
            usage = new Usage();
            usageByParticipant.put(participantId, usage);
        }
        usage.allocations++;
        TurnAllocation a = new TurnAllocation(client, from, tcp, username, key, relaySocket, relayed, usage);
        message.copyTransactionId(a.allocateTransaction, 0);
        a.expiresNs = System.nanoTime() + lifetimeSeconds(settings.defaultLifetime().toSeconds()) * 1_000_000_000L;
        byClient.put(client, a);
        byRelayed.put(relayed, a);
        allocationCount = byClient.size();
        if (tcp != null) {
            tcp.allocation = a;
        }
        allocationsCreated.incrementAndGet();
        answerAllocated(a, from, tcp);
    }

    private void answerAllocated(TurnAllocation a, InetSocketAddress from, TurnConnection tcp) {
        long lifetime = Math.max(0, (a.expiresNs - System.nanoTime()) / 1_000_000_000L);
        address.set(a.relayed);
        StunMessageWriter w = response(StunMessageType.METHOD_ALLOCATE, StunMessageType.CLASS_SUCCESS_RESPONSE)
            .xorAddress(StunAttributeType.XOR_RELAYED_ADDRESS, address)
            .uint32Attribute(StunAttributeType.LIFETIME, (int) lifetime);
        address.set(from);
        w.xorMappedAddress(address);
        finish(w, a.key, from, tcp);
    }

    /** The lifetime granted for what the request asks (RFC 8656 §7.2): the default when less, at most the cap. */
    private long lifetimeSeconds(long fallback) {
        int at = message.findAttribute(StunAttributeType.LIFETIME);
        long asked = at >= 0 && message.attributeValueLength(at) == 4
            ? message.buffer().getInt(message.attributeValueOffset(at), BIG_ENDIAN) & 0xFFFFFFFFL
            : fallback;
        return Math.min(Math.max(asked, settings.defaultLifetime().toSeconds()), settings.maxLifetime().toSeconds());
    }

    private void onAllocationRequest(int method, TurnAllocation a, InetSocketAddress from, TurnConnection tcp) {
        String username = authenticate(from, tcp);
        if (username == null) {
            return;
        }
        if (a == null) {
            answerError(StunErrorCode.ALLOCATION_MISMATCH, from, tcp, auth.keyOf(username));
            return;
        }
        if (!a.username.equals(username)) {
            answerError(StunErrorCode.WRONG_CREDENTIALS, from, tcp, auth.keyOf(username));
            return;
        }
        switch (method) {
            case StunMessageType.METHOD_REFRESH -> onRefresh(a, from, tcp);
            case StunMessageType.METHOD_CREATE_PERMISSION -> onCreatePermission(a, from, tcp);
            default -> onChannelBind(a, from, tcp);
        }
    }

    private void onRefresh(TurnAllocation a, InetSocketAddress from, TurnConnection tcp) {
        int at = message.findAttribute(StunAttributeType.LIFETIME);
        boolean delete = at >= 0 && message.attributeValueLength(at) == 4
            && message.buffer().getInt(message.attributeValueOffset(at), BIG_ENDIAN) == 0;
        long lifetime = 0;
        if (delete) {
            delete(a);
        } else {
            lifetime = lifetimeSeconds(settings.defaultLifetime().toSeconds());
            a.expiresNs = System.nanoTime() + lifetime * 1_000_000_000L;
        }
        finish(response(StunMessageType.METHOD_REFRESH, StunMessageType.CLASS_SUCCESS_RESPONSE)
            .uint32Attribute(StunAttributeType.LIFETIME, (int) lifetime), a.key, from, tcp);
    }

    private void onCreatePermission(TurnAllocation a, InetSocketAddress from, TurnConnection tcp) {
        int peers = 0;
        for (int at = message.firstAttribute(); at >= 0; at = message.nextAttribute(at)) {
            if (message.attributeType(at) != StunAttributeType.XOR_PEER_ADDRESS) {
                continue;
            }
            if (!message.address(at, true, address)) {
                answerError(StunErrorCode.BAD_REQUEST, from, tcp, a.key);
                return;
            }
            if (!sfuIp(address)) {
                // relays only toward the SFU: anything else would make it an open relay
                forbiddenPeers.incrementAndGet();
                answerError(StunErrorCode.FORBIDDEN, from, tcp, a.key);
                return;
            }
            peers++;
        }
        if (peers == 0) {
            answerError(StunErrorCode.BAD_REQUEST, from, tcp, a.key);
            return;
        }
        a.permissionExpiresNs = System.nanoTime() + PERMISSION_LIFETIME_NS;
        finish(response(StunMessageType.METHOD_CREATE_PERMISSION, StunMessageType.CLASS_SUCCESS_RESPONSE),
            a.key, from, tcp);
    }

    private void onChannelBind(TurnAllocation a, InetSocketAddress from, TurnConnection tcp) {
        int numberAt = message.findAttribute(StunAttributeType.CHANNEL_NUMBER);
        int peerAt = message.findAttribute(StunAttributeType.XOR_PEER_ADDRESS);
        if (numberAt < 0 || message.attributeValueLength(numberAt) != 4 || peerAt < 0
            || !message.address(peerAt, true, address)) {
            answerError(StunErrorCode.BAD_REQUEST, from, tcp, a.key);
            return;
        }
        int number = message.buffer().getShort(message.attributeValueOffset(numberAt),
            BIG_ENDIAN) & 0xFFFF;
        InetSocketAddress peer = sfuAddress(address);
        if (peer == null) {
            forbiddenPeers.incrementAndGet();
            answerError(StunErrorCode.FORBIDDEN, from, tcp, a.key);
            return;
        }
        int byNumber = a.channelIndex(number);
        int byPeer = a.channelFor(peer);
        int index = byNumber >= 0 ? byNumber : byPeer >= 0 ? byPeer : a.channelIndex(0);
        // RFC 8656 §12.2: a number bound to another peer, or a peer bound to another number, is a bad request
        if (number < MIN_CHANNEL || number > MAX_CHANNEL || byNumber != byPeer && byNumber >= 0 && byPeer >= 0
            || byNumber >= 0 && byPeer < 0 || byPeer >= 0 && byNumber < 0) {
            answerError(StunErrorCode.BAD_REQUEST, from, tcp, a.key);
            return;
        }
        if (index < 0) {
            quotaRefusals.incrementAndGet();
            answerError(StunErrorCode.INSUFFICIENT_CAPACITY, from, tcp, a.key);
            return;
        }
        long now = System.nanoTime();
        a.channelPeers[index] = peer;
        a.channelExpiresNs[index] = now + CHANNEL_LIFETIME_NS;
        a.channelNumbers[index] = number;
        a.permissionExpiresNs = now + PERMISSION_LIFETIME_NS;
        if (peer.equals(a.lastPeer) || a.lastPeer == null) {
            a.lastPeer = peer;
            a.lastChannel = number;
        }
        finish(response(StunMessageType.METHOD_CHANNEL_BIND, StunMessageType.CLASS_SUCCESS_RESPONSE),
            a.key, from, tcp);
    }

    /**
     * Checks the long-term credentials of the request; answers and returns null when they do not hold: 401 with
     * REALM and NONCE when absent or wrong (or the username expired), 438 for a stale nonce, 400 when incomplete,
     * nothing beyond the rates answered ({@link TurnAuthenticator}).
     */
    private String authenticate(InetSocketAddress from, TurnConnection tcp) {
        switch (auth.check(message, tcp != null)) {
            case PASSED:
                return auth.username();
            case CHALLENGE:
                answerChallenge(StunErrorCode.UNAUTHORIZED, from, tcp);
                return null;
            case STALE_NONCE:
                answerChallenge(StunErrorCode.STALE_NONCE, from, tcp);
                return null;
            case BAD_REQUEST:
                answerError(StunErrorCode.BAD_REQUEST, from, tcp, null);
                return null;
            default:
                return null;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Answers

    private StunMessageWriter response(int method, int messageClass) {
        return writer.wrap(replyBuffer, 0, reply.length).header(StunMessageType.of(method, messageClass), message);
    }

    private void answerChallenge(int code, InetSocketAddress from, TurnConnection tcp) {
        StunMessageWriter w = response(message.method(), StunMessageType.CLASS_ERROR_RESPONSE)
            .errorCode(code)
            .attribute(StunAttributeType.REALM, settings.realm().getBytes(StandardCharsets.UTF_8))
            .attribute(StunAttributeType.NONCE, auth.newNonce().getBytes(StandardCharsets.US_ASCII));
        finish(w, null, from, tcp);
    }

    private void answerError(int code, InetSocketAddress from, TurnConnection tcp, StunKey key) {
        finish(response(message.method(), StunMessageType.CLASS_ERROR_RESPONSE).errorCode(code), key, from, tcp);
    }

    private void answerBinding(InetSocketAddress from, TurnConnection tcp) {
        address.set(from);
        finish(response(StunMessageType.METHOD_BINDING, StunMessageType.CLASS_SUCCESS_RESPONSE)
            .xorMappedAddress(address), null, from, tcp);
    }

    private void finish(StunMessageWriter w, StunKey key, InetSocketAddress to, TurnConnection tcp) {
        w.attribute(StunAttributeType.SOFTWARE, SOFTWARE);
        if (key != null) {
            w.messageIntegrity(integrity, key);
        }
        int length = w.fingerprint(integrity).length();
        ByteBuffer out = ByteBuffer.wrap(reply, 0, length);
        if (tcp != null) {
            queueTcp(tcp, out);
            return;
        }
        try {
            udp.send(out, to);
        } catch (IOException | RuntimeException e) {
            LOG.debug("TURN answer to {} failed: {}", to, e.toString());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Expiry

    private void sweep(long now) {
        List<TurnAllocation> expired = null;
        for (TurnAllocation a : byClient.values()) {
            if (a.expiresNs - now < 0) {
                if (expired == null) {
                    expired = new ArrayList<>();
                }
                expired.add(a);
                continue;
            }
            for (int i = 0; i < MAX_CHANNELS; i++) {
                if (a.channelNumbers[i] != 0 && a.channelExpiresNs[i] - now < 0) {
                    if (a.lastChannel == a.channelNumbers[i]) {
                        a.lastChannel = 0;
                    }
                    a.channelNumbers[i] = 0;
                    a.channelPeers[i] = null;
                }
            }
        }
        if (expired != null) {
            for (TurnAllocation a : expired) {
                allocationsExpired.incrementAndGet();
                delete(a);
            }
        }
        for (int i = connections.size() - 1; i >= 0; i--) {
            TurnConnection c = connections.get(i);
            // a connection that allocates nothing within a nonce's lifetime has no business here
            if (c.allocation == null && now - c.acceptedNs > settings.nonceLifetime().toNanos()) {
                closeConnection(c);
            }
        }
    }

    private void delete(TurnAllocation a) {
        if (a.deleted) {
            return;
        }
        synchronized (a) {
            a.deleted = true;
        }
        byClient.remove(a.client, a);
        byRelayed.remove(a.relayed, a);
        allocationCount = byClient.size();
        Handoff.closeQuietly(a.relaySocket, LOG, "TURN relay port");
        if (--a.usage.allocations == 0) {
            usageByParticipant.remove(a.participantId, a.usage);
        }
        if (a.tcp != null) {
            a.tcp.allocation = null;
        }
    }

    private void closeConnection(TurnConnection c) {
        if (c.closed) {
            return;
        }
        c.closed = true;
        connections.remove(c);
        c.outbox.discard();
        // RFC 8656 §6.2: an allocation over TCP ends with its connection
        if (c.allocation != null) {
            delete(c.allocation);
        }
        if (c.key != null) {
            c.key.cancel();
        }
        Handoff.closeQuietly(c.channel, LOG, "TURN connection");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Counters

    /** Allocations now. */
    public int allocations() {
        return allocationCount;
    }

    public long allocationsCreatedCount() {
        return allocationsCreated.get();
    }

    /** Allocations deleted because their lifetime ran out without a Refresh. */
    public long allocationsExpiredCount() {
        return allocationsExpired.get();
    }

    /** Requests with wrong or expired credentials (a first request without any is not counted). */
    public long unauthorizedCount() {
        return auth.unauthorizedCount();
    }

    /** Failed authentications beyond the rate answered, dropped unanswered. */
    public long authThrottledCount() {
        return auth.authThrottledCount();
    }

    /** First requests over UDP beyond {@link TurnAuthenticator#UDP_CHALLENGES_PER_SECOND}, left unanswered. */
    public long challengesThrottledCount() {
        return auth.challengesThrottledCount();
    }

    /** Allocations or channels refused for a quota (508, 486). */
    public long quotaRefusalCount() {
        return quotaRefusals.get();
    }

    /** Requests or data naming a peer other than the SFU's media addresses (403 or dropped). */
    public long forbiddenPeerCount() {
        return forbiddenPeers.get();
    }

    /** Messages that were neither well-formed STUN nor ChannelData, or of a method not served. */
    public long malformedCount() {
        return malformed.get();
    }

    /** Data toward the SFU dropped: no allocation, channel or permission, no slot, or a full hand-over queue. */
    public long droppedToSfuCount() {
        return droppedToSfu.get();
    }

    /** Data toward clients dropped: no permission, a full TCP buffer, or a send the kernel refused. */
    public long droppedToClientCount() {
        return droppedToClient.get();
    }

    public long bytesToSfuCount() {
        return bytesToSfu.get();
    }

    public long bytesToClientCount() {
        return bytesToClient.get();
    }

    /** TCP connections closed at accept, beyond the limit. */
    public long tcpRefusedCount() {
        return tcpRefused.get();
    }

    /** Failures of the server loop or of handling one message (each logged; the loop went on). */
    public long failureCount() {
        return failures.get();
    }

    /** The relayed traffic of a participant that holds allocations now, or null. */
    public Usage usage(String participantId) {
        return usageByParticipant.get(participantId);
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        Handoff.join(thread);
        for (int i = connections.size() - 1; i >= 0; i--) {
            closeConnection(connections.get(i));
        }
        for (TurnAllocation a : new ArrayList<>(byClient.values())) {
            delete(a);
        }
        Handoff.closeQuietly(udp, LOG, "TURN socket");
        Handoff.closeQuietly(tcpServer, LOG, "TURN listener");
        Handoff.closeQuietly(selector, LOG, "TURN selector");
    }
}
