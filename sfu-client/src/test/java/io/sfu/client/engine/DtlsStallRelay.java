package io.sfu.client.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A UDP relay on loopback between the media engine and one client that stalls its DTLS: ICE passes both ways, so the
 * engine keeps hearing from the peer, but of the client's DTLS records only the first {@code dtlsToPass} reach the
 * engine (0: the peer never starts DTLS; 1: it sends its ClientHello and falls silent) and none of the engine's
 * reach the client. The client is pointed at it by the candidate of the engine's answer.
 */
final class DtlsStallRelay implements AutoCloseable {
    private final DatagramChannel channel;
    private final InetSocketAddress engine;
    private final InetSocketAddress client;
    private final int dtlsToPass;
    private final AtomicInteger dtlsPassed = new AtomicInteger();
    private final Thread thread;

    DtlsStallRelay(InetSocketAddress engine, InetSocketAddress client, int dtlsToPass) throws IOException {
        this.engine = engine;
        this.client = client;
        this.dtlsToPass = dtlsToPass;
        this.channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        this.thread = new Thread(this::run, "dtls-stall-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** Where the client sends, in place of the engine. */
    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /** The client's DTLS records that reached the engine. */
    int dtlsPassed() {
        return dtlsPassed.get();
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
                boolean dtls = datagram.remaining() > 0 && datagram.get(0) >= 20 && datagram.get(0) <= 63;
                if (client.equals(source)) {
                    if (!dtls || dtlsPassed.get() < dtlsToPass) {
                        if (dtls) {
                            dtlsPassed.incrementAndGet();
                        }
                        channel.send(datagram, engine);
                    }
                } else if (engine.equals(source) && !dtls) {
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
