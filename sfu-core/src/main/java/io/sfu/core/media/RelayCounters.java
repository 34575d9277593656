package io.sfu.core.media;

import io.sfu.core.net.DatagramOutput;
import io.sfu.core.net.MediaSocket;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the media relay counts, for {@code /metrics} and the cluster listing: in total, and per peer node. Written by
 * the forwarding agents (sent), the relay's receive thread (received, dropped) and the control thread (refusals).
 */
final class RelayCounters {
    final AtomicLong packetsSent = new AtomicLong();
    final AtomicLong bytesSent = new AtomicLong();
    final AtomicLong sendFailures = new AtomicLong();
    final AtomicLong packetsReceived = new AtomicLong();
    final AtomicLong bytesReceived = new AtomicLong();
    final AtomicLong droppedUnknownPeer = new AtomicLong();
    final AtomicLong droppedUnknownSsrc = new AtomicLong();
    final AtomicLong droppedMalformed = new AtomicLong();
    /** Failed authentications of peers no longer connected; the live peers' are in {@link #live}. */
    final AtomicLong droppedAuthRetained = new AtomicLong();
    /** The counters of the peers connected now (replaced, never changed, by the control thread). */
    volatile java.util.List<Peer> live = java.util.List.of();
    final AtomicLong droppedQueueFull = new AtomicLong();
    /** Imports, exports and peers refused: over a bound, an unknown peer, a clash of SSRCs or track ids. */
    final AtomicLong refused = new AtomicLong();
    final AtomicLong badDescriptions = new AtomicLong();
    volatile int peers;
    volatile int exports;
    volatile int imports;
    volatile int routedSsrcs;

    /** One peer node's share. */
    static final class Peer {
        final AtomicLong packetsSent = new AtomicLong();
        final AtomicLong bytesSent = new AtomicLong();
        final AtomicLong packetsReceived = new AtomicLong();
        final AtomicLong bytesReceived = new AtomicLong();
        final AtomicLong droppedUnknownSsrc = new AtomicLong();
        final AtomicLong droppedMalformed = new AtomicLong();
        /** SRTP or SRTCP from the peer that failed authentication or the replay check (counted by the agents). */
        final AtomicLong droppedAuth = new AtomicLong();

        void addTo(Map<String, Long> counters) {
            counters.put("relay_packets_sent", packetsSent.get());
            counters.put("relay_bytes_sent", bytesSent.get());
            counters.put("relay_packets_received", packetsReceived.get());
            counters.put("relay_bytes_received", bytesReceived.get());
            counters.put("relay_dropped_unknown_ssrc", droppedUnknownSsrc.get());
            counters.put("relay_dropped_malformed", droppedMalformed.get());
            counters.put("relay_dropped_auth", droppedAuth.get());
        }
    }

    /** Sends a peer's datagrams through the relay socket and counts them, in total and for the peer. */
    static final class PeerOutput implements DatagramOutput {
        private final MediaSocket socket;
        private final RelayCounters total;
        private final Peer peer;

        PeerOutput(MediaSocket socket, RelayCounters total, Peer peer) {
            this.socket = socket;
            this.total = total;
            this.peer = peer;
        }

        @Override
        public boolean send(ByteBuffer datagram, InetSocketAddress target) {
            int length = datagram.remaining();
            if (!socket.send(datagram, target)) {
                total.sendFailures.incrementAndGet();
                return false;
            }
            total.packetsSent.incrementAndGet();
            total.bytesSent.addAndGet(length);
            peer.packetsSent.incrementAndGet();
            peer.bytesSent.addAndGet(length);
            return true;
        }
    }

    void addTo(Map<String, Long> counters) {
        counters.put("relay_peers", (long) peers);
        counters.put("relay_exports", (long) exports);
        counters.put("relay_imports", (long) imports);
        counters.put("relay_routed_ssrcs", (long) routedSsrcs);
        counters.put("relay_packets_sent", packetsSent.get());
        counters.put("relay_bytes_sent", bytesSent.get());
        counters.put("relay_send_failures", sendFailures.get());
        counters.put("relay_packets_received", packetsReceived.get());
        counters.put("relay_bytes_received", bytesReceived.get());
        counters.put("relay_dropped_unknown_peer", droppedUnknownPeer.get());
        counters.put("relay_dropped_unknown_ssrc", droppedUnknownSsrc.get());
        counters.put("relay_dropped_malformed", droppedMalformed.get());
        long auth = droppedAuthRetained.get();
        for (Peer peer : live) {
            auth += peer.droppedAuth.get();
        }
        counters.put("relay_dropped_auth", auth);
        counters.put("relay_dropped_queue_full", droppedQueueFull.get());
        counters.put("relay_refused", refused.get());
        counters.put("relay_bad_descriptions", badDescriptions.get());
    }
}
