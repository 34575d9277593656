package io.sfu.core.net;

import io.sfu.core.buffer.PacketPool;
import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.logging.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The passive side of ICE over TCP (RFC 6544) for networks that block UDP: a listener whose connections carry
 * RFC 4571 frames, each handed like a UDP datagram (stamped with the connection's remote address) to the same
 * {@link DatagramHandler}, so ICE, DTLS and forwarding do not care which transport a peer uses.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * -----------------------------------------------------------------
 * |             LENGTH            |  RTP or RTCP packet ...       |
 * -----------------------------------------------------------------
 *                    RFC 4571 §2: the framing (STUN and DTLS too)
 * </pre>
 * One selector thread accepts, reads and flushes. Any thread may send: a frame goes into the connection's bounded
 * write buffer whole or not at all (counted), and is written at once when nothing waits before it; what the kernel
 * does not take is flushed when the socket becomes writable, so a slow peer never stalls the sender.
 *
 * <p>Every input is bounded: the number of connections (more are refused), the frame length (a frame longer than a
 * packet slot closes its connection), the first frame (it must be STUN, RFC 6544 §10), the time to the first
 * valid ICE check and between two of them (the connection closes otherwise), and the write buffer. A connection
 * also closes once ICE forgot its path ({@link PeerPathListener}), when its peer connection closed or lost consent.
 */
public final class IceTcpServer implements PeerPathListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IceTcpServer.class);
    private static final RateLimitedLog ERRORS = new RateLimitedLog(LOG);

    /** {@link #sendIfConnected} found no connection to the target: send it another way. */
    public static final int NOT_CONNECTED = -1;
    /** {@link #sendIfConnected} dropped the frame (counted). */
    public static final int DROPPED = 0;
    /** {@link #sendIfConnected} queued or wrote the whole frame. */
    public static final int SENT = 1;

    /** RFC 4571's 16-bit length: the largest frame that can be sent at all. */
    static final int MAX_SEND_FRAME = 0xFFFF;
    private static final int HEADER_BYTES = 2;
    private static final long SWEEP_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int READ_BUFFER_BYTES = 64 * 1024;

    /**
     * The bounds of the listener.
     *
     * @param maxConnections    connections open at once; one more is closed as soon as accepted
     * @param writeBufferBytes  bytes queued toward one connection (frames with their length); a frame that does not
     *                          fit is dropped whole
     * @param firstCheckTimeout time from accept to the first valid ICE check
     * @param idleTimeout       time between two valid ICE checks (consent, RFC 7675)
     */
    public record Settings(int maxConnections, int writeBufferBytes, Duration firstCheckTimeout,
                           Duration idleTimeout) {
        /** Default of {@code media.tcpMaxConnections}. */
        public static final int DEFAULT_MAX_CONNECTIONS = 1024;
        /** Default of {@code media.tcpWriteBufferBytes}. */
        public static final int DEFAULT_WRITE_BUFFER_BYTES = 256 * 1024;
        /** A peer sends its first check right after connecting: ten seconds is generous. */
        public static final Duration DEFAULT_FIRST_CHECK_TIMEOUT = Duration.ofSeconds(10);

        public Settings {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections);
            }
            if (writeBufferBytes < HEADER_BYTES + PacketSlot.CAPACITY) {
                throw new IllegalArgumentException("writeBufferBytes must hold at least one packet: "
                    + writeBufferBytes);
            }
            if (firstCheckTimeout.isNegative() || firstCheckTimeout.isZero() || idleTimeout.isNegative()
                || idleTimeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }
    }

    /** One accepted connection: read state for the selector thread, its outbox for every sender. */
    private static final class Connection {
        final SocketChannel channel;
        final InetSocketAddress remote;
        final long acceptedNs;
        SelectionKey key;
        /** When the last valid ICE check from this path arrived; 0 before the first. Written by the receive thread. */
        volatile long lastValidNs;
        boolean closed;

        // selector thread: the frame being read
        int headerBytes;
        int frameLength;
        int filled;
        PacketSlot slot;
        boolean sawFrame;

        /** Frames waiting for the kernel; any sender's. */
        final TcpOutbox outbox;

        Connection(SocketChannel channel, InetSocketAddress remote, long acceptedNs, TcpOutbox outbox) {
            this.channel = channel;
            this.remote = remote;
            this.acceptedNs = acceptedNs;
            this.outbox = outbox;
        }
    }

    private final ServerSocketChannel server;
    private final Selector selector;
    private final PacketPool pool;
    private final Settings settings;
    private final long firstCheckTimeoutNs;
    private final long idleTimeoutNs;
    /** Remote address to connection; written by the selector thread, read by senders and the receive thread. */
    private final ConcurrentHashMap<InetSocketAddress, Connection> byRemote = new ConcurrentHashMap<>();
    /** The open connections; the selector thread's alone. */
    private final List<Connection> connections = new ArrayList<>();
    private final ConcurrentLinkedQueue<Connection> closeRequests = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private final Consumer<SelectionKey> onReady = this::onReady;
    private final Thread thread;
    private volatile int open;
    private volatile boolean closed;
    private DatagramHandler handler;

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong closedTimeout = new AtomicLong();
    private final AtomicLong closedOversize = new AtomicLong();
    private final AtomicLong closedInvalid = new AtomicLong();
    private final AtomicLong closedForgotten = new AtomicLong();
    private final AtomicLong framesReceived = new AtomicLong();
    private final AtomicLong framesDroppedNoSlot = new AtomicLong();
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong framesDropped = new AtomicLong();
    private final AtomicLong handlerFailures = new AtomicLong();

    private IceTcpServer(ServerSocketChannel server, Selector selector, PacketPool pool, Settings settings) {
        this.server = server;
        this.selector = selector;
        this.pool = pool;
        this.settings = settings;
        this.firstCheckTimeoutNs = settings.firstCheckTimeout().toNanos();
        this.idleTimeoutNs = settings.idleTimeout().toNanos();
        this.thread = new Thread(this::run, "sfu-media-tcp");
        thread.setDaemon(true);
    }

    /** Binds the listener; call {@link #start(DatagramHandler)} to accept connections. */
    public static IceTcpServer bind(InetSocketAddress local, PacketPool pool, Settings settings) throws IOException {
        // as the UDP socket: an IPv4 bind gets an IPv4 socket, so remote addresses compare equal to UDP sources
        ServerSocketChannel server = local.getAddress() instanceof Inet4Address
            ? ServerSocketChannel.open(StandardProtocolFamily.INET) : ServerSocketChannel.open();
        Selector selector = null;
        try {
            server.bind(local, 128);
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            server.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
        return new IceTcpServer(server, selector, pool, settings);
    }

    /** Starts accepting; every complete frame goes to {@code handler} on the selector thread. */
    public void start(DatagramHandler handler) {
        this.handler = handler;
        thread.start();
    }

    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) server.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("ICE-TCP listener is closed", e);
        }
    }

    /** True while any connection is open: lets the UDP path skip the lookup when nobody uses TCP. */
    public boolean hasConnections() {
        return open > 0;
    }

    /**
     * Sends {@code datagram}'s remaining bytes as one frame to the connection from {@code target}: {@link #SENT},
     * {@link #DROPPED} (the write buffer has no room for the whole frame, or the connection is closing; counted), or
     * {@link #NOT_CONNECTED}. Any thread; never waits for the network.
     */
    public int sendIfConnected(ByteBuffer datagram, InetSocketAddress target) {
        Connection c = byRemote.get(target);
        if (c == null) {
            return NOT_CONNECTED;
        }
        int length = datagram.remaining();
        int status = TcpOutbox.REFUSED;
        if (length > 0 && length <= MAX_SEND_FRAME && !c.closed) {
            status = c.outbox.queue(datagram, true);
        }
        if (status != TcpOutbox.QUEUED) {
            if (status == TcpOutbox.FAILED) {
                requestClose(c);
            }
            datagram.position(datagram.limit());
            framesDropped.incrementAndGet();
            return DROPPED;
        }
        framesSent.incrementAndGet();
        return SENT;
    }

    @Override
    public void onPathValidated(InetSocketAddress path) {
        if (open > 0) {
            Connection c = byRemote.get(path);
            if (c != null) {
                c.lastValidNs = System.nanoTime();
            }
        }
    }

    @Override
    public void onPathForgotten(InetSocketAddress path) {
        Connection c = open > 0 ? byRemote.get(path) : null;
        if (c != null && requestClose(c)) {
            closedForgotten.incrementAndGet();
        }
    }

    /** Asks the selector thread to close {@code c}; true for the first request. */
    private boolean requestClose(Connection c) {
        if (!c.outbox.startClosing()) {
            return false;
        }
        closeRequests.add(c);
        selector.wakeup();
        return true;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Selector thread

    private void run() {
        Handoff.selectLoop(selector, () -> !closed, onReady, closeRequests, this::closeNow, SWEEP_INTERVAL_NS,
            this::closeSilent, handlerFailures, ERRORS, "ICE-TCP selector loop failed; it goes on");
    }

    private void onReady(SelectionKey key) {
        Connection c = (Connection) key.attachment();
        try {
            if (c == null) {
                acceptAll();
                return;
            }
            if (key.isReadable()) {
                read(c);
            }
            if (!c.closed && key.isValid() && key.isWritable() && c.outbox.flush() == TcpOutbox.FAILED) {
                requestClose(c);
            }
        } catch (CancelledKeyException | IOException e) {
            if (c != null) {
                closeNow(c);
            }
        } catch (RuntimeException e) {
            ERRORS.error("connection", "ICE-TCP connection failed; closed", e);
            if (c != null) {
                closeNow(c);
            }
        }
    }

    private void acceptAll() throws IOException {
        SocketChannel channel;
        while ((channel = server.accept()) != null) {
            if (connections.size() >= settings.maxConnections()) {
                refused.incrementAndGet();
                closeQuietly(channel);
                continue;
            }
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
                Connection c = new Connection(channel, remote, System.nanoTime(),
                    new TcpOutbox(channel, selector, settings.writeBufferBytes()));
                c.key = channel.register(selector, SelectionKey.OP_READ, c);
                c.outbox.key(c.key);
                if (byRemote.putIfAbsent(remote, c) != null) {
                    refused.incrementAndGet();
                    c.key.cancel();
                    closeQuietly(channel);
                    continue;
                }
                connections.add(c);
                open = connections.size();
                accepted.incrementAndGet();
            } catch (IOException | RuntimeException e) {
                // the peer may have gone already: this connection only
                LOG.debug("ICE-TCP accept: {}", e.toString());
                closeQuietly(channel);
            }
        }
    }

    /** Reads what is waiting and cuts it into frames; a frame may span reads and a read may hold many frames. */
    private void read(Connection c) throws IOException {
        ByteBuffer in = readBuffer;
        in.clear();
        if (c.channel.read(in) < 0) {
            closeNow(c);
            return;
        }
        in.flip();
        while (in.hasRemaining()) {
            if (c.headerBytes < HEADER_BYTES) {
                c.frameLength = (c.frameLength << 8) | (in.get() & 0xFF);
                if (++c.headerBytes == HEADER_BYTES && !startFrame(c)) {
                    return;
                }
                continue;
            }
            int take = Math.min(in.remaining(), c.frameLength - c.filled);
            if (c.slot != null) {
                in.get(c.slot.array(), c.filled, take);
            } else {
                in.position(in.position() + take);
            }
            c.filled += take;
            if (c.filled == c.frameLength && !finishFrame(c)) {
                return;
            }
        }
    }

    /** The length is known: takes a slot for the frame. False when the connection was closed for it. */
    private boolean startFrame(Connection c) {
        if (c.frameLength > PacketSlot.CAPACITY) {
            closedOversize.incrementAndGet();
            closeNow(c);
            return false;
        }
        c.filled = 0;
        if (c.frameLength == 0) {
            // nothing to hand on; not worth closing for
            c.headerBytes = 0;
            return true;
        }
        c.slot = pool.acquire();
        if (c.slot == null) {
            // the frame's bytes are skipped, as a UDP datagram would be without a slot
            framesDroppedNoSlot.incrementAndGet();
        }
        return true;
    }

    /** A whole frame was read: hands it on. False when the connection was closed for it. */
    private boolean finishFrame(Connection c) {
        PacketSlot slot = c.slot;
        c.slot = null;
        c.headerBytes = 0;
        c.frameLength = 0;
        int length = c.filled;
        c.filled = 0;
        if (slot == null) {
            return true;
        }
        slot.data(0, length);
        if (!c.sawFrame) {
            if (DatagramKind.of(slot.array(), 0, length) != DatagramKind.STUN) {
                // RFC 6544 §10: nothing but an ICE check may open a connection
                slot.release();
                closedInvalid.incrementAndGet();
                closeNow(c);
                return false;
            }
            c.sawFrame = true;
        }
        slot.source(c.remote);
        slot.receivedNs(System.nanoTime());
        framesReceived.incrementAndGet();
        hand(slot);
        return true;
    }

    private void hand(PacketSlot slot) {
        Handoff.hand(handler, slot, handlerFailures, ERRORS, "ICE-TCP frame handler failed; frame dropped");
    }

    /** Closes connections that passed no ICE check in time: not since accept, or not for the idle timeout. */
    private void closeSilent(long nowNs) {
        for (int i = connections.size() - 1; i >= 0; i--) {
            Connection c = connections.get(i);
            long lastValid = c.lastValidNs;
            boolean silent = lastValid == 0 ? nowNs - c.acceptedNs > firstCheckTimeoutNs
                : nowNs - lastValid > idleTimeoutNs;
            if (silent) {
                closedTimeout.incrementAndGet();
                closeNow(c);
            }
        }
    }

    /** Closes the connection and gives back its slot; the selector thread's, or the closer's after it ended. */
    private void closeNow(Connection c) {
        if (c.closed) {
            return;
        }
        c.closed = true;
        byRemote.remove(c.remote, c);
        connections.remove(c);
        open = connections.size();
        c.outbox.discard();
        if (c.key != null) {
            c.key.cancel();
        }
        closeQuietly(c.channel);
        if (c.slot != null) {
            c.slot.release();
            c.slot = null;
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        Handoff.closeQuietly(channel, LOG, "ICE-TCP connection");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Counters

    /** Connections open now. */
    public int openConnections() {
        return open;
    }

    public long acceptedCount() {
        return accepted.get();
    }

    /** Connections closed at accept: beyond {@link Settings#maxConnections()}, or from an address already open. */
    public long refusedCount() {
        return refused.get();
    }

    /** Connections closed because no valid ICE check came in time. */
    public long closedTimeoutCount() {
        return closedTimeout.get();
    }

    /** Connections closed for a frame longer than a packet slot. */
    public long closedOversizeCount() {
        return closedOversize.get();
    }

    /** Connections closed because their first frame was not STUN. */
    public long closedInvalidCount() {
        return closedInvalid.get();
    }

    /** Connections closed because ICE forgot their path (peer connection closed, consent lost, path evicted). */
    public long closedForgottenCount() {
        return closedForgotten.get();
    }

    public long framesReceivedCount() {
        return framesReceived.get();
    }

    /** Frames read but skipped because the packet pool was empty. */
    public long framesDroppedNoSlotCount() {
        return framesDroppedNoSlot.get();
    }

    public long framesSentCount() {
        return framesSent.get();
    }

    /** Frames not sent: the write buffer had no room for the whole frame, or the connection was closing. */
    public long framesDroppedCount() {
        return framesDropped.get();
    }

    /** Frames whose handler threw (each dropped), and failures of the selector loop itself. */
    public long handlerFailureCount() {
        return handlerFailures.get();
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        Handoff.join(thread);
        // the selector thread has ended: its connections are this thread's now
        for (int i = connections.size() - 1; i >= 0; i--) {
            closeNow(connections.get(i));
        }
        Handoff.closeQuietly(server, LOG, "ICE-TCP listener");
        Handoff.closeQuietly(selector, LOG, "ICE-TCP selector");
    }
}
