package io.sfu.client.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A relay between the media engine and one client that stalls its DTLS: ICE passes both ways, so the engine keeps
 * hearing from the peer, but of the client's DTLS records only the first {@code dtlsToPass} reach the engine (0: the
 * peer never starts DTLS; 1: it sends its ClientHello and falls silent) and none of the engine's reach the client.
 */
final class DtlsStallRelay extends LoopbackRelay {
    private final int dtlsToPass;
    private final AtomicInteger dtlsPassed = new AtomicInteger();

    DtlsStallRelay(InetSocketAddress engine, InetSocketAddress client, int dtlsToPass) throws IOException {
        super(engine, client, "dtls-stall-relay");
        this.dtlsToPass = dtlsToPass;
        start();
    }

    /** The client's DTLS records that reached the engine. */
    int dtlsPassed() {
        return dtlsPassed.get();
    }

    @Override
    boolean passes(ByteBuffer datagram, boolean fromClient) {
        // RFC 7983: a first byte of 20 to 63 is DTLS
        boolean dtls = datagram.remaining() > 0 && datagram.get(0) >= 20 && datagram.get(0) <= 63;
        if (!dtls) {
            return true;
        }
        if (fromClient && dtlsPassed.get() < dtlsToPass) {
            dtlsPassed.incrementAndGet();
            return true;
        }
        return false;
    }
}
