package io.sfu.core.turn;

import io.sfu.core.net.Handoff;
import io.sfu.core.net.TcpOutbox;
import io.sfu.core.stun.StunMessage;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static io.sfu.core.turn.TurnServer.CHANNEL_HEADER;
import static io.sfu.core.turn.TurnServer.MAX_MESSAGE;
import static io.sfu.core.turn.TurnServer.TLS_HANDSHAKE_TIMEOUT_NS;

/**
 * The TURN server's stream connections, over TCP and TLS (RFC 8656 §6.2, §3.1): accepting them under one cap,
 * reading and cutting what they carry into messages for {@link TurnRequests}, queueing what goes back, and closing
 * them (with their allocation) when they fail, finish no TLS handshake in time, or allocate nothing. The server's
 * thread reads and closes; any thread may queue, and asks for a close through {@link #closeRequests}.
 */
final class TurnStreams {
    private static final Logger LOG = LoggerFactory.getLogger(TurnStreams.class);

    private final Selector selector;
    private final TurnServer.Settings settings;
    private final NanoClock nanoClock;
    private final TurnCounters counters;
    private final TurnAllocations allocations;
    private final TurnRequests requests;
    /** The open connections; the server thread's alone. */
    private final List<TurnConnection> connections = new ArrayList<>();
    /** Connections a sender found failed, closed by the server thread. */
    final ConcurrentLinkedQueue<TurnConnection> closeRequests = new ConcurrentLinkedQueue<>();
    private volatile int count;

    TurnStreams(Selector selector, TurnServer.Settings settings, NanoClock nanoClock, TurnCounters counters,
                TurnAllocations allocations, TurnRequests requests) {
        this.selector = selector;
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.counters = counters;
        this.allocations = allocations;
        this.requests = requests;
    }

    /** Connections open now; any thread. */
    int count() {
        return count;
    }

    /** Reads what a ready connection sent, and flushes what waits toward it once it is writable. */
    void onReady(SelectionKey key, TurnConnection c) {
        try {
            if (key.isReadable()) {
                if (c.tls == null) {
                    readTcp(c);
                } else {
                    readTls(c);
                }
            }
            if (!c.closed && key.isValid() && key.isWritable() && c.outbox.flush() == TcpOutbox.FAILED) {
                requestClose(c);
            }
        } catch (CancelledKeyException | IOException e) {
            close(c);
        }
    }

    /** Accepts what waits on the TCP or the TLS listener; both count toward one connection cap. */
    void acceptAll(ServerSocketChannel listener, SSLContext tlsContext) {
        SocketChannel channel;
        try {
            while ((channel = listener.accept()) != null) {
                if (connections.size() >= settings.maxTcpConnections()) {
                    counters.tcpRefused.incrementAndGet();
                    Handoff.closeQuietly(channel, LOG, "TURN connection");
                    continue;
                }
                try {
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    TcpOutbox outbox = new TcpOutbox(channel, selector, settings.tcpWriteBufferBytes());
                    TurnTls tls = null;
                    int inCapacity = MAX_MESSAGE;
                    if (tlsContext != null) {
                        SSLEngine engine = tlsContext.createSSLEngine();
                        engine.setUseClientMode(false);
                        tls = new TurnTls(engine, outbox);
                        // a whole record opens into the buffer after a message cut short
                        inCapacity += TurnTls.applicationBufferSize(engine);
                    }
                    TurnConnection c = new TurnConnection(channel, (InetSocketAddress) channel.getRemoteAddress(),
                        nanoClock.nanoTime(), outbox, tls, inCapacity);
                    c.key = channel.register(selector, SelectionKey.OP_READ, c);
                    c.outbox.key(c.key);
                    connections.add(c);
                    count = connections.size();
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
        if (c.channel.read(c.in) < 0) {
            close(c);
            return;
        }
        handleMessages(c);
    }

    /** Reads what is waiting over TLS, opens it record by record and handles the messages each one completes. */
    private void readTls(TurnConnection c) throws IOException {
        TurnTls tls = c.tls;
        if (c.channel.read(tls.netIn) < 0) {
            close(c);
            return;
        }
        tls.netIn.flip();
        try {
            int step;
            while ((step = tls.open(c.in)) == TurnTls.PROGRESS) {
                handleMessages(c);
                if (c.closed) {
                    return;
                }
            }
            if (step == TurnTls.FAILED) {
                // a plain TCP client, a failed handshake, or a TLS error
                counters.tlsFailures.incrementAndGet();
                close(c);
            } else if (step == TurnTls.CLOSED) {
                close(c);
            }
        } finally {
            tls.netIn.compact();
        }
    }

    /** Handles the whole messages at the start of the connection's buffer and keeps what is left of the next. */
    private void handleMessages(TurnConnection c) {
        ByteBuffer in = c.in;
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
                counters.malformed.incrementAndGet();
                close(c);
                return;
            }
            if (in.position() < length) {
                return;
            }
            requests.onMessage(array, length, c.remote, c);
            if (c.closed) {
                return;
            }
            in.flip().position(length);
            in.compact();
        }
    }

    /** Queues a whole message toward a TCP client, writing at once when nothing waits before it. */
    boolean queue(TurnConnection c, ByteBuffer message) {
        int status = c.tls == null ? c.outbox.queue(message, false) : c.tls.send(message);
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

    /** Closes connections that finish no TLS handshake in time, or allocate nothing within a nonce's lifetime. */
    void sweep(long now) {
        for (int i = connections.size() - 1; i >= 0; i--) {
            TurnConnection c = connections.get(i);
            long age = now - c.acceptedNs;
            if (c.tls != null && !c.tls.handshaken() && age > TLS_HANDSHAKE_TIMEOUT_NS) {
                counters.tlsFailures.incrementAndGet();
                close(c);
            } else if (c.allocation == null && age > settings.nonceLifetime().toNanos()) {
                // a connection that allocates nothing within a nonce's lifetime has no business here
                close(c);
            }
        }
    }

    void closeAll() {
        for (int i = connections.size() - 1; i >= 0; i--) {
            close(connections.get(i));
        }
    }

    /** Closes the connection and deletes its allocation (RFC 8656 §6.2: an allocation over TCP ends with it). */
    void close(TurnConnection c) {
        if (c.closed) {
            return;
        }
        c.closed = true;
        connections.remove(c);
        count = connections.size();
        c.outbox.discard();
        if (c.allocation != null) {
            allocations.delete(c.allocation);
        }
        if (c.key != null) {
            c.key.cancel();
        }
        Handoff.closeQuietly(c.channel, LOG, "TURN connection");
    }
}
