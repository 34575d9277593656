package io.sfu.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP socket of one {@link ClientPeerConnection} and the datagrams through it: bound when the connection is
 * made, read in batches when the loop finds it readable, and written toward the remote candidate, through the
 * seeded send {@link Impairment} when one is set. Loop thread, except {@link #sendDtls}, which the DTLS handshake
 * threads call.
 */
final class ClientSocket {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSocket.class);

    private final ClientPeerConnection pc;
    private final ClientIoLoop loop;
    private final ClientStats stats;
    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;
    private final ImpairmentQueue sendQueue;
    private final ImpairmentQueue.Sink sendSink = (buffer, byteBuffer, offset, length, releaseNs) ->
        transmit(byteBuffer, offset, length);
    private volatile InetSocketAddress remoteAddress;
    private SelectionKey key;

    /**
     * Opens and binds the socket on the calling thread.
     *
     * @param sendQueueSlotBytes the largest datagram the send impairment may have to hold
     * @throws UncheckedIOException if it cannot be opened or bound
     */
    ClientSocket(ClientPeerConnection pc, ClientIoLoop loop, ClientPeerConnectionConfig config, ClientStats stats,
        int sendQueueSlotBytes) {
        this.pc = pc;
        this.loop = loop;
        this.stats = stats;
        InetAddress bind = config.bindAddress() != null ? config.bindAddress() : loop.config().bindAddress();
        DatagramChannel opened = null;
        try {
            opened = DatagramChannel.open(bind instanceof Inet4Address
                ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
            opened.configureBlocking(false);
            if (loop.config().socketReceiveBufferBytes() > 0) {
                opened.setOption(StandardSocketOptions.SO_RCVBUF, loop.config().socketReceiveBufferBytes());
            }
            opened.bind(new InetSocketAddress(bind, 0));
            this.localAddress = (InetSocketAddress) opened.getLocalAddress();
        } catch (IOException e) {
            closeQuietly(opened);
            throw new UncheckedIOException("cannot bind a client socket to " + bind, e);
        }
        this.channel = opened;
        this.sendQueue = config.sendImpairment().isActive()
            ? new ImpairmentQueue(config.sendImpairment(), sendQueueSlotBytes) : null;
    }

    void register(Selector selector) throws IOException {
        key = channel.register(selector, SelectionKey.OP_READ, pc);
    }

    /**
     * Reads up to {@code client.receiveBatch} datagrams into the loop's receive buffer and hands each to
     * {@code receivePath}, in place.
     *
     * @return false when the connection was closed while one was handled
     */
    boolean receive(ReceivePath receivePath, long nowNs) {
        ByteBuffer byteBuffer = loop.receiveByteBuffer();
        UnsafeBuffer buffer = loop.receiveBuffer();
        int batch = loop.config().receiveBatch();
        for (int i = 0; i < batch; i++) {
            byteBuffer.clear();
            SocketAddress source;
            try {
                source = channel.receive(byteBuffer);
            } catch (IOException e) {
                LOG.debug("{}: receive failed: {}", pc, e.toString());
                break;
            }
            if (source == null) {
                break;
            }
            stats.increment(ClientStats.DATAGRAMS_RECEIVED);
            receivePath.onDatagram(buffer, 0, byteBuffer.position(), nowNs);
            if (pc.state() == ClientState.CLOSED) {
                return false;
            }
        }
        return true;
    }

    /** Sends {@code buffer[0, length)} (SRTP or SRTCP) through the send impairment; {@code byteBuffer} wraps it. */
    void sendMedia(UnsafeBuffer buffer, ByteBuffer byteBuffer, int length, long nowNs) {
        if (sendQueue != null) {
            int fate = sendQueue.offer(buffer, 0, length, nowNs);
            if (fate == ImpairmentQueue.DROP) {
                stats.increment(ClientStats.IMPAIRED_SEND_DROPS);
                return;
            }
            if (fate == ImpairmentQueue.QUEUED) {
                pc.reschedule();
                return;
            }
        }
        transmit(byteBuffer, 0, length);
    }

    /** Sends {@code byteBuffer[offset, offset + length)} to the remote candidate now; a failure is counted. */
    boolean transmit(ByteBuffer byteBuffer, int offset, int length) {
        InetSocketAddress target = remoteAddress;
        if (target == null) {
            return false;
        }
        byteBuffer.clear();
        byteBuffer.position(offset).limit(offset + length);
        try {
            if (channel.send(byteBuffer, target) > 0) {
                return true;
            }
        } catch (IOException e) {
            LOG.debug("{}: send failed: {}", pc, e.toString());
        }
        stats.increment(ClientStats.SEND_FAILURES);
        return false;
    }

    /** The DTLS stack's sender: called on handshake threads; a failure is a loss. */
    void sendDtls(byte[] data, int offset, int length) {
        InetSocketAddress target = remoteAddress;
        if (target == null || !channel.isOpen()) {
            return;
        }
        try {
            channel.send(ByteBuffer.wrap(data, offset, length), target);
        } catch (IOException | RuntimeException e) {
            LOG.debug("DTLS send failed: {}", e.toString());
        }
    }

    /** Sends the delayed datagrams whose time has come. */
    void releaseDue(long nowNs) {
        if (sendQueue != null) {
            sendQueue.releaseDue(nowNs, sendSink);
        }
    }

    /** When the next delayed datagram is due, or {@link ConnectionTimer#NO_DEADLINE}. */
    long nextReleaseNs() {
        return sendQueue != null && sendQueue.hasQueued() ? sendQueue.nextReleaseNs() : ConnectionTimer.NO_DEADLINE;
    }

    /** Forgets the delayed datagrams: a failed or closed connection sends nothing more. */
    void clearQueue() {
        if (sendQueue != null) {
            sendQueue.clear();
        }
    }

    /** Where media and checks go: the remote candidate of the last remote description. */
    void remoteAddress(InetSocketAddress address) {
        remoteAddress = address;
    }

    InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    InetSocketAddress localAddress() {
        return localAddress;
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    /** Unregisters from the selector and closes the socket; the delayed datagrams are dropped. */
    void close() {
        if (key != null) {
            key.cancel();
        }
        closeQuietly(channel);
        clearQueue();
    }

    void closeChannel() {
        closeQuietly(channel);
    }

    private static void closeQuietly(DatagramChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.debug("client socket close: {}", e.toString());
            }
        }
    }
}
