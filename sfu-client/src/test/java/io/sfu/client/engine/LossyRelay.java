package io.sfu.client.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A UDP relay on loopback between the media engine and one client, which loses chosen RTP packets on their way to
 * the client, each exactly once. Packets are chosen by their index in the first RTP stream the engine sends through
 * it (the forwarded media; retransmissions come later): index 0 is the first packet, and the others are counted
 * from its sequence number. Everything else (ICE, DTLS, RTCP, RTX, and the second copy of a lost packet) passes.
 * The client is pointed at it by the candidate of the engine's offer.
 */
final class LossyRelay extends LoopbackRelay {
    private final Set<Integer> indicesToLose;
    private final Set<Integer> lost = ConcurrentHashMap.newKeySet();
    private int mediaSsrc;
    private int firstSequence = -1;

    LossyRelay(InetSocketAddress engine, InetSocketAddress client, Set<Integer> indicesToLose) throws IOException {
        super(engine, client, "lossy-relay");
        this.indicesToLose = Set.copyOf(indicesToLose);
        start();
    }

    /** The indices lost so far. */
    Set<Integer> lost() {
        return Set.copyOf(lost);
    }

    @Override
    boolean passes(ByteBuffer datagram, boolean fromClient) {
        return fromClient || !losesOnce(datagram);
    }

    /** Whether the datagram is a chosen media packet seen for the first time (RFC 7983 and RFC 5761 tell RTP). */
    private boolean losesOnce(ByteBuffer datagram) {
        if (datagram.remaining() < 12) {
            return false;
        }
        int first = datagram.get(0) & 0xFF;
        int second = datagram.get(1) & 0xFF;
        if (first < 128 || first > 191 || (second >= 192 && second <= 223)) {
            return false;
        }
        int sequence = datagram.getShort(2) & 0xFFFF;
        int ssrc = datagram.getInt(8);
        if (firstSequence < 0) {
            mediaSsrc = ssrc;
            firstSequence = sequence;
        }
        if (ssrc != mediaSsrc) {
            return false;
        }
        int index = (sequence - firstSequence) & 0xFFFF;
        return indicesToLose.contains(index) && lost.add(index);
    }
}
