package io.sfu.core.media;

import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.forward.Leg;
import io.sfu.core.net.DatagramHandler;
import io.sfu.core.net.DatagramKind;
import org.agrona.collections.Int2ObjectHashMap;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The receive side of the relay socket: finds the peer node by the datagram's source address and the relay leg by
 * its SSRC (RTP's, or the sender's of SRTCP, the part SRTCP leaves in the clear), and hands the datagram to that
 * leg's forwarding agent, which unprotects it with the leg's keys. Anything else is dropped and counted. Runs on the
 * relay socket's receive thread; the routes are immutable snapshots the control thread publishes.
 */
final class RelayReceiver implements DatagramHandler {
    private static final int RTP_HEADER = 12;
    private static final int RTCP_HEADER = 8;

    /** Where a peer's datagrams go: its counters and its relay legs by SSRC. Never changed once published. */
    record PeerRoute(RelayCounters.Peer counters, Int2ObjectHashMap<Leg> legsBySsrc) {
    }

    private final RelayCounters counters;
    private volatile Map<InetSocketAddress, PeerRoute> routes = Map.of();

    RelayReceiver(RelayCounters counters) {
        this.counters = counters;
    }

    /** Publishes new routes (control thread); the receive thread uses them from its next datagram. */
    void routes(Map<InetSocketAddress, PeerRoute> routes) {
        this.routes = routes;
    }

    @Override
    public boolean onDatagram(PacketSlot slot) {
        PeerRoute route = routes.get(slot.source());
        if (route == null) {
            counters.droppedUnknownPeer.incrementAndGet();
            return false;
        }
        int offset = slot.offset();
        int length = slot.length();
        DatagramKind kind = DatagramKind.of(slot.array(), offset, length);
        boolean rtcp = kind == DatagramKind.RTCP;
        if ((kind != DatagramKind.RTP && !rtcp) || length < (rtcp ? RTCP_HEADER : RTP_HEADER)) {
            counters.droppedMalformed.incrementAndGet();
            route.counters().droppedMalformed.incrementAndGet();
            return false;
        }
        int ssrc = slot.buffer().getInt(offset + (rtcp ? 4 : 8), java.nio.ByteOrder.BIG_ENDIAN);
        Leg leg = route.legsBySsrc().get(ssrc);
        if (leg == null) {
            counters.droppedUnknownSsrc.incrementAndGet();
            route.counters().droppedUnknownSsrc.incrementAndGet();
            return false;
        }
        counters.packetsReceived.incrementAndGet();
        counters.bytesReceived.addAndGet(length);
        route.counters().packetsReceived.incrementAndGet();
        route.counters().bytesReceived.addAndGet(length);
        slot.kind(kind.ordinal());
        if (!leg.onMedia(slot)) {
            counters.droppedQueueFull.incrementAndGet();
            return false;
        }
        return true;
    }
}
