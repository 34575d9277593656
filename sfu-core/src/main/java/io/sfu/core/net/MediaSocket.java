package io.sfu.core.net;

import io.sfu.core.buffer.PacketPool;
import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.logging.RateLimitedLog;
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The one UDP socket that every peer connection shares. A dedicated thread receives each datagram into a pooled
 * slot, stamps its real source address and arrival time and hands it to the {@link DatagramHandler}; any thread may
 * send. The JDK channel caches the last sender's address object, so a steady peer costs no allocation per datagram.
 *
 * <p>The socket never blocks: a datagram the kernel has no room for (a full send buffer, behind a slow link) is
 * refused at once and counted, so the caller drops it for that peer alone instead of stalling every peer it serves.
 * The receive thread reads until the socket is empty, then waits for it to become readable.
 *
 * <p>Whatever the handler throws, {@link Error}s included, costs that datagram only (counted, logged rate-limited);
 * should the receive thread end anyway, {@link #restartReceiverIfStopped()} starts a new one.
 *
 * <p>Packets that arrived another way (ICE-TCP frames) are {@link #handOver handed over} to the receive thread, so
 * the handler keeps one thread whatever transport a peer uses.
 */
public final class MediaSocket implements DatagramOutput, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MediaSocket.class);
    private static final RateLimitedLog ERRORS = new RateLimitedLog(LOG);
    private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

    /** How long the receive thread waits for a datagram before it looks whether the socket was closed. */
    private static final long RECEIVE_WAIT_MS = 1_000;
    /** Packets from other transports waiting for the receive thread; more are dropped and counted. */
    static final int HAND_OVER_CAPACITY = 1024;

    private final DatagramChannel channel;
    private final Selector selector;
    /** Ready keys need no handling: the receive loop reads the one channel until it is empty. */
    private final Consumer<SelectionKey> onReadable = key -> { };
    private final PacketPool pool;
    private final ByteBuffer dropBuffer = ByteBuffer.allocate(PacketSlot.CAPACITY);
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong droppedNoSlot = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicLong handlerFailures = new AtomicLong();
    private final AtomicLong receiverRestarts = new AtomicLong();
    private final AtomicLong handOverDrops = new AtomicLong();
    private final MpscArrayQueue<PacketSlot> handedOver = new MpscArrayQueue<>(HAND_OVER_CAPACITY);
    private volatile Thread receiver;
    private volatile DatagramHandler handler;
    private volatile boolean closed;

    private final String threadName;

    private MediaSocket(DatagramChannel channel, Selector selector, PacketPool pool, String threadName) {
        this.threadName = threadName;
        this.channel = channel;
        this.selector = selector;
        this.pool = pool;
        this.receiver = newReceiver();
    }

    private Thread newReceiver() {
        Thread thread = new Thread(this::receiveLoop, threadName);
        thread.setDaemon(true);
        return thread;
    }

    /** Binds the socket; call {@link #start(DatagramHandler)} to begin receiving. */
    public static MediaSocket bind(InetSocketAddress local, PacketPool pool) throws IOException {
        return bind(local, pool, "sfu-media-rx");
    }

    /** As {@link #bind(InetSocketAddress, PacketPool)}, its receive thread named {@code threadName}. */
    public static MediaSocket bind(InetSocketAddress local, PacketPool pool, String threadName) throws IOException {
        // an IPv4 bind gets an IPv4 socket, so the ready line and the candidates speak of the family it serves
        DatagramChannel channel = local.getAddress() instanceof java.net.Inet4Address
            ? DatagramChannel.open(java.net.StandardProtocolFamily.INET) : DatagramChannel.open();
        Selector selector = null;
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
            channel.bind(local);
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
        return new MediaSocket(channel, selector, pool, threadName);
    }

    public void start(DatagramHandler handler) {
        this.handler = handler;
        receiver.start();
    }

    /**
     * Starts a new receive thread if the running one ended while the socket is open; call it from one supervising
     * thread. Returns whether it restarted.
     */
    public boolean restartReceiverIfStopped() {
        Thread current = receiver;
        if (closed || handler == null || current.isAlive() || current.getState() == Thread.State.NEW) {
            return false;
        }
        Thread replacement = newReceiver();
        receiver = replacement;
        receiverRestarts.incrementAndGet();
        ERRORS.error("restart", "the media receive thread had stopped; restarted");
        replacement.start();
        return true;
    }

    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("media socket is closed", e);
        }
    }

    /**
     * Sends {@code buffer}'s remaining bytes to {@code target}, or refuses it at once when the kernel has no room for
     * it. Returns false (counted) when the datagram was not sent; a send never throws to the caller or waits, so one
     * bad or slow peer cannot disturb a forwarding loop.
     */
    @Override
    public boolean send(ByteBuffer buffer, InetSocketAddress target) {
        try {
            if (channel.send(buffer, target) > 0) {
                return true;
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.debug("send to {} failed: {}", target, e.toString());
            }
        }
        sendFailures.incrementAndGet();
        return false;
    }

    /** Sends {@code length} bytes of {@code slot} from {@code offset}, using the slot's socket view. */
    public boolean send(PacketSlot slot, int offset, int length, InetSocketAddress target) {
        ByteBuffer view = slot.byteBuffer();
        view.limit(offset + length).position(offset);
        return send(view, target);
    }

    /**
     * Queues a packet that arrived on another transport for the handler, on the receive thread. Returns false
     * (counted; the caller keeps the slot) when the queue is full or the socket closed. Any thread.
     */
    public boolean handOver(PacketSlot slot) {
        if (closed || !handedOver.offer(slot)) {
            handOverDrops.incrementAndGet();
            return false;
        }
        selector.wakeup();
        return true;
    }

    private void handHandedOver() {
        PacketSlot slot;
        while ((slot = handedOver.poll()) != null) {
            hand(slot);
        }
    }

    private void receiveLoop() {
        PacketSlot slot = null;
        try {
            while (!closed) {
                handHandedOver();
                if (slot == null) {
                    slot = pool.acquire();
                }
                try {
                    if (slot == null) {
                        dropWhenReadable();
                    } else if (receiveInto(slot)) {
                        hand(slot);
                        slot = null;
                    }
                } catch (ClosedChannelException e) {
                    break;
                } catch (IOException e) {
                    // ICMP port unreachable and friends surface here on some systems: they concern one peer only
                    LOG.debug("media receive: {}", e.toString());
                }
            }
        } finally {
            if (slot != null) {
                slot.release();
            }
        }
    }

    /** Reads a waiting datagram into the slot and stamps it; false (having waited for one) when none was waiting. */
    private boolean receiveInto(PacketSlot slot) throws IOException {
        ByteBuffer view = slot.byteBuffer();
        view.clear();
        InetSocketAddress source = (InetSocketAddress) channel.receive(view);
        if (source == null) {
            awaitReadable();
            idle();
            return false;
        }
        slot.data(0, view.position());
        slot.source(source);
        slot.receivedNs(System.nanoTime());
        received.incrementAndGet();
        return true;
    }

    /** No free slot: reads a waiting datagram into the drop buffer and counts it, or waits for one. */
    private void dropWhenReadable() throws IOException {
        dropBuffer.clear();
        if (channel.receive(dropBuffer) != null) {
            droppedNoSlot.incrementAndGet();
        } else {
            awaitReadable();
            idle();
        }
    }

    /** Lets the handler run what waits for its thread; what it throws is counted and logged like a datagram's. */
    private void idle() {
        try {
            handler.onIdle();
        } catch (ThreadDeath death) {
            throw death;
        } catch (Throwable failure) {
            handlerFailures.incrementAndGet();
            ERRORS.error("idle", "media socket idle handler failed", failure);
        }
    }

    /**
     * Hands the slot to the handler, and takes it back unless the handler kept it. Whatever the handler throws,
     * {@link Error}s included, costs this datagram only.
     */
    private void hand(PacketSlot slot) {
        Handoff.hand(handler, slot, handlerFailures, ERRORS, "media datagram handler failed; datagram dropped");
    }

    private void awaitReadable() throws IOException {
        try {
            // the action form of select keeps no selected-key set, so waking costs no allocation
            selector.select(onReadable, RECEIVE_WAIT_MS);
        } catch (ClosedSelectorException e) {
            throw new ClosedChannelException();
        }
    }

    public long receivedCount() {
        return received.get();
    }

    public long droppedNoSlotCount() {
        return droppedNoSlot.get();
    }

    public long sendFailureCount() {
        return sendFailures.get();
    }

    /** Datagrams whose handling threw (each dropped; the receive thread went on). */
    public long handlerFailureCount() {
        return handlerFailures.get();
    }

    /** Packets from other transports dropped because the receive thread's queue was full. */
    public long handOverDropCount() {
        return handOverDrops.get();
    }

    /** Times {@link #restartReceiverIfStopped()} found the receive thread ended and started a new one. */
    public long receiverRestartCount() {
        return receiverRestarts.get();
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        Handoff.closeQuietly(channel, LOG, "media socket");
        Handoff.join(receiver);
        Handoff.closeQuietly(selector, LOG, "media socket selector");
        PacketSlot left;
        while ((left = handedOver.poll()) != null) {
            left.release();
        }
    }

    /**
     * The addresses to announce as host candidates for a socket bound to {@code bound}: that address itself, or,
     * for a wildcard bind, every address of every interface that is up (loopback included, IPv6 link-local
     * excluded since a browser cannot use it without a scope).
     */
    public static List<InetAddress> hostAddresses(InetAddress bound) throws SocketException {
        if (!bound.isAnyLocalAddress()) {
            return List.of(bound);
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address.isLinkLocalAddress()) {
                    continue;
                }
                if (bound instanceof java.net.Inet4Address && !(address instanceof java.net.Inet4Address)) {
                    continue;
                }
                addresses.add(address);
            }
        }
        return addresses;
    }
}
