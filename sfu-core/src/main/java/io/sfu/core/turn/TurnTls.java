package io.sfu.core.turn;

import io.sfu.core.net.TcpOutbox;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import java.nio.ByteBuffer;

/**
 * The TLS layer of one TURN-over-TLS connection (RFC 8656 §3.1), on the JDK's {@link SSLEngine}: records read by
 * the server's thread are opened into the connection's message buffer, and every whole message sent toward the
 * client is sealed into records and queued in its {@link TcpOutbox}. Sealing happens under the outbox's monitor, so
 * the records of two senders never interleave and a message goes out whole or not at all.
 */
final class TurnTls {
    /** {@link #open}: plaintext came out, or the handshake moved on; call again. */
    static final int PROGRESS = 0;
    /** {@link #open}: nothing more until more bytes arrive. */
    static final int NEED_INPUT = 1;
    /** {@link #open}: the peer spoke something else, the handshake failed, or the output did; close the connection. */
    static final int FAILED = 2;
    /** {@link #open}: the peer closed TLS (close_notify) or its socket failed; close the connection. */
    static final int CLOSED = 3;
    /** {@link #seal}: the engine could not seal (a TLS error), as opposed to the socket failing. */
    private static final int SEAL_FAILED = -1;

    /** What sealing adds to a message at most: a record header, an explicit nonce, a tag, the TLS 1.3 type byte. */
    private static final int RECORD_OVERHEAD = 256;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final TcpOutbox outbox;
    /** Records read and not yet opened; the server thread's. */
    final ByteBuffer netIn;
    /** Records being queued; guarded by the outbox's monitor. */
    private final ByteBuffer netOut;
    private volatile boolean handshaken;

    TurnTls(SSLEngine engine, TcpOutbox outbox) {
        this.engine = engine;
        this.outbox = outbox;
        int records = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(records);
        this.netOut = ByteBuffer.allocate(records);
    }

    /** The largest plaintext one record opens into: the room the connection's message buffer must keep. */
    static int applicationBufferSize(SSLEngine engine) {
        return engine.getSession().getApplicationBufferSize();
    }

    /** Whether the handshake completed: until then nothing is sent but the handshake's own records. */
    boolean handshaken() {
        return handshaken;
    }

    /**
     * One step of reading: runs the handshake's tasks, queues its records, or opens one record from {@link #netIn}
     * (flipped for reading) into {@code plain}. {@link #PROGRESS}, {@link #NEED_INPUT}, {@link #FAILED} or
     * {@link #CLOSED}.
     */
    int open(ByteBuffer plain) {
        try {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> {
                    // the handshake's signature and key agreement, on the server thread: connections are capped and
                    // a handshake has a deadline
                    for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                        task.run();
                    }
                    return PROGRESS;
                }
                case NEED_WRAP -> {
                    // a socket that fails is a peer gone, as on plain TCP, and no TLS failure
                    int sealed = seal(EMPTY);
                    return sealed == TcpOutbox.QUEUED ? PROGRESS : sealed == TcpOutbox.FAILED ? CLOSED : FAILED;
                }
                default -> {
                    if (!netIn.hasRemaining()) {
                        return NEED_INPUT;
                    }
                    SSLEngineResult result = engine.unwrap(netIn, plain);
                    noteFinished(result);
                    if (result.bytesProduced() > 0) {
                        // application data comes only after the handshake, whether or not FINISHED was seen
                        handshaken = true;
                    }
                    if (engine.isInboundDone()) {
                        // the peer's close_notify: it closes the connection too, so no close_notify goes back
                        return CLOSED;
                    }
                    return switch (result.getStatus()) {
                        case OK -> result.bytesConsumed() > 0 || result.bytesProduced() > 0
                            || result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK
                            || result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP
                            ? PROGRESS : NEED_INPUT;
                        case BUFFER_UNDERFLOW -> NEED_INPUT;
                        // the message buffer keeps a record's room free: a record larger than announced
                        case BUFFER_OVERFLOW -> FAILED;
                        case CLOSED -> TurnTls.CLOSED;
                    };
                }
            }
        } catch (SSLException | RuntimeException e) {
            return FAILED;
        }
    }

    /**
     * Seals a whole message toward the client and queues it: {@link TcpOutbox#QUEUED}, {@link TcpOutbox#REFUSED}
     * (before the handshake completed, or no room for all of it: nothing was sealed) or {@link TcpOutbox#FAILED}.
     */
    int send(ByteBuffer message) {
        if (!handshaken) {
            return TcpOutbox.REFUSED;
        }
        synchronized (outbox) {
            // a record sealed and then not sent would break the stream: check the room first
            if (outbox.room() < message.remaining() + RECORD_OVERHEAD) {
                return TcpOutbox.REFUSED;
            }
            int sealed = seal(message);
            return sealed == SEAL_FAILED || sealed == TcpOutbox.REFUSED ? TcpOutbox.FAILED : sealed;
        }
    }

    /** Seals and queues: {@link TcpOutbox}'s codes, or {@link #SEAL_FAILED}. */
    private int seal(ByteBuffer message) {
        synchronized (outbox) {
            netOut.clear();
            try {
                do {
                    SSLEngineResult result = engine.wrap(message, netOut);
                    noteFinished(result);
                    if (result.getStatus() != SSLEngineResult.Status.OK) {
                        return SEAL_FAILED;
                    }
                } while (message.hasRemaining());
            } catch (SSLException | RuntimeException e) {
                return SEAL_FAILED;
            }
            netOut.flip();
            return outbox.queue(netOut, false);
        }
    }

    private void noteFinished(SSLEngineResult result) {
        if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED) {
            handshaken = true;
        }
    }
}
