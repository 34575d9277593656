package io.sfu.core.turn;

import io.sfu.core.net.TcpOutbox;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** A client's TCP connection: read state for the server thread, its outbox for every sender. */
final class TurnConnection {
    final SocketChannel channel;
    final InetSocketAddress remote;
    final long acceptedNs;
    final ByteBuffer in = ByteBuffer.allocate(TurnServer.MAX_MESSAGE);
    final TcpOutbox outbox;
    SelectionKey key;
    TurnAllocation allocation;
    boolean closed;

    TurnConnection(SocketChannel channel, InetSocketAddress remote, long acceptedNs, TcpOutbox outbox) {
        this.channel = channel;
        this.remote = remote;
        this.acceptedNs = acceptedNs;
        this.outbox = outbox;
    }
}
