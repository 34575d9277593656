package io.sfu.core.turn;

import io.sfu.core.net.TcpOutbox;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** A client's TCP or TLS connection: read state for the server thread, its outbox for every sender. */
final class TurnConnection {
    final SocketChannel channel;
    final InetSocketAddress remote;
    final long acceptedNs;
    /** Messages read (opened, over TLS) and not yet handled. */
    final ByteBuffer in;
    final TcpOutbox outbox;
    /** The TLS layer, or null on plain TCP. */
    final TurnTls tls;
    SelectionKey key;
    TurnAllocation allocation;
    boolean closed;

    TurnConnection(SocketChannel channel, InetSocketAddress remote, long acceptedNs, TcpOutbox outbox, TurnTls tls,
                   int inCapacity) {
        this.channel = channel;
        this.remote = remote;
        this.acceptedNs = acceptedNs;
        this.outbox = outbox;
        this.tls = tls;
        this.in = ByteBuffer.allocate(inCapacity);
    }
}
