package io.sfu.client.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/**
 * A UDP relay on loopback between the media engine and one client, on a thread of its own, that passes each datagram
 * on unless its subclass holds it back. The client is pointed at it by the candidate in the engine's SDP
 * ({@link #route}).
 */
abstract class LoopbackRelay implements AutoCloseable {
    private final DatagramChannel channel;
    private final InetSocketAddress engine;
    private final InetSocketAddress client;
    private final Thread thread;

    LoopbackRelay(InetSocketAddress engine, InetSocketAddress client, String name) throws IOException {
        this.engine = engine;
        this.client = client;
        this.channel = DatagramChannel.open();
        // as large as the engine's own socket: a burst that arrives while this thread waits for a busy core is kept,
        // not lost in the kernel where no NACK would notice the tail of a window
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    /** Starts relaying; a subclass calls it last in its constructor, once {@link #passes} can run. */
    final void start() {
        thread.start();
    }

    /** Whether the datagram (from the client, or else from the engine) goes on; called on the relay's thread. */
    abstract boolean passes(ByteBuffer datagram, boolean fromClient);

    /** Where the client sends, in place of the engine. */
    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /** Points the engine's SDP at this relay instead of the engine itself. */
    String route(String engineSdp) throws IOException {
        return engineSdp.replace(" " + engine.getPort() + " typ host", " " + address().getPort() + " typ host");
    }

    private void run() {
        ByteBuffer datagram = ByteBuffer.allocate(2048);
        try {
            while (true) {
                datagram.clear();
                SocketAddress source = channel.receive(datagram);
                datagram.flip();
                if (client.equals(source) && passes(datagram, true)) {
                    channel.send(datagram, engine);
                } else if (engine.equals(source) && passes(datagram, false)) {
                    channel.send(datagram, client);
                }
            }
        } catch (ClosedChannelException e) {
            // closed by the test
        } catch (IOException e) {
            throw new IllegalStateException("relay failed", e);
        }
    }

    @Override
    public void close() throws Exception {
        channel.close();
        thread.join(5_000);
    }
}
