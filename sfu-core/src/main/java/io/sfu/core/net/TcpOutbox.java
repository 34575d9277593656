package io.sfu.core.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * What waits toward one TCP connection of the media port's listeners (ICE-TCP, TURN): whole messages in a bounded
 * buffer, written at once when nothing waits before them, else when the socket becomes writable. Any thread may
 * queue; one monitor per connection keeps a message (and its length prefix) in one piece whoever sends.
 */
public final class TcpOutbox {
    /** {@link #queue}: the message is queued or written. */
    public static final int QUEUED = 0;
    /** {@link #queue}: no room for the whole message, or the connection is closing; nothing was queued. */
    public static final int REFUSED = 1;
    /** {@link #queue} or {@link #flush}: the socket failed; the caller closes the connection. */
    public static final int FAILED = 2;

    private final SocketChannel channel;
    private final Selector selector;
    private final int capacity;
    private SelectionKey key;
    /** Allocated at the first message: only a connection that is sent to costs a buffer. */
    private ByteBuffer out;
    private boolean flushPending;
    private boolean closing;

    public TcpOutbox(SocketChannel channel, Selector selector, int capacity) {
        this.channel = channel;
        this.selector = selector;
        this.capacity = capacity;
    }

    /** The connection's key, once registered with the selector (before anything is queued). */
    public synchronized void key(SelectionKey registered) {
        this.key = registered;
    }

    /**
     * Queues {@code message}'s remaining bytes whole, after a 16-bit length (RFC 4571) when {@code lengthPrefix};
     * {@link #QUEUED}, {@link #REFUSED} or {@link #FAILED}.
     */
    public synchronized int queue(ByteBuffer message, boolean lengthPrefix) {
        if (closing) {
            return REFUSED;
        }
        if (out == null) {
            out = ByteBuffer.allocate(capacity);
        }
        int length = message.remaining();
        if (out.remaining() < (lengthPrefix ? 2 : 0) + length) {
            return REFUSED;
        }
        if (lengthPrefix) {
            out.putShort((short) length);
        }
        out.put(message);
        return flushPending ? QUEUED : flushLocked();
    }

    /** Bytes that may be queued now. */
    public synchronized int room() {
        return closing ? 0 : capacity - (out == null ? 0 : out.position());
    }

    /** Writes what the kernel takes of what waits; called when the socket is writable. */
    public synchronized int flush() {
        return out == null || closing ? QUEUED : flushLocked();
    }

    private int flushLocked() {
        out.flip();
        try {
            channel.write(out);
        } catch (IOException | RuntimeException e) {
            out.clear();
            return FAILED;
        }
        out.compact();
        boolean pending = out.position() > 0;
        if (pending != flushPending) {
            flushPending = pending;
            try {
                key.interestOps(pending ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            } catch (CancelledKeyException e) {
                return FAILED;
            }
            if (pending) {
                selector.wakeup();
            }
        }
        return QUEUED;
    }

    /** Refuses every later message; true the first time, so a close is asked for once. */
    public synchronized boolean startClosing() {
        if (closing) {
            return false;
        }
        closing = true;
        return true;
    }

    /** Drops what waits; the connection is closed. */
    public synchronized void discard() {
        closing = true;
        out = null;
    }
}
