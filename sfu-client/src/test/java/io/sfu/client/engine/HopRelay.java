package io.sfu.client.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The network between two nodes' relay sockets, on loopback: each node is told the other is at this relay's address.
 * It counts the RTP packets node A sends (by SSRC and by payload type, which SRTP leaves in the clear) and loses
 * chosen ones once: packets of the SSRC {@link #loseOnce} names, by their index counted from the first packet of it
 * seen after the call.
 */
final class HopRelay extends LoopbackRelay {
    private final Map<Integer, AtomicLong> rtpBySsrc = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> rtpByPayloadType = new ConcurrentHashMap<>();
    private final AtomicLong datagramsFromB = new AtomicLong();
    private final Set<Integer> lost = ConcurrentHashMap.newKeySet();
    private volatile int lossSsrc;
    private volatile Set<Integer> indicesToLose = Set.of();
    /** Guarded by this relay's monitor, with the loss settings. */
    private int firstSequence = -1;

    /** Between node A's relay socket ({@code a}) and node B's ({@code b}). */
    HopRelay(InetSocketAddress a, InetSocketAddress b) throws IOException {
        super(a, b, "hop-relay");
        start();
    }

    /** From now on, loses the packets of {@code ssrc} (from A) at these indices, each once. */
    void loseOnce(int ssrc, Set<Integer> indices) {
        synchronized (this) {
            this.firstSequence = -1;
            this.lost.clear();
            this.indicesToLose = Set.copyOf(indices);
            this.lossSsrc = ssrc;
        }
    }

    Set<Integer> lost() {
        return Set.copyOf(lost);
    }

    /** RTP packets A sent with this SSRC. */
    long rtpPackets(int ssrc) {
        AtomicLong count = rtpBySsrc.get(ssrc);
        return count == null ? 0 : count.get();
    }

    /** Distinct SSRCs of A's RTP packets. */
    Set<Integer> ssrcs() {
        return Set.copyOf(rtpBySsrc.keySet());
    }

    /** RTP packets A sent with this payload type. */
    long rtpPacketsOfType(int payloadType) {
        AtomicLong count = rtpByPayloadType.get(payloadType);
        return count == null ? 0 : count.get();
    }

    long datagramsFromB() {
        return datagramsFromB.get();
    }

    @Override
    boolean passes(ByteBuffer datagram, boolean fromB) {
        if (fromB) {
            datagramsFromB.incrementAndGet();
            return true;
        }
        if (datagram.remaining() < 12) {
            return true;
        }
        int first = datagram.get(0) & 0xFF;
        int second = datagram.get(1) & 0xFF;
        if (first < 128 || first > 191 || (second >= 192 && second <= 223)) {
            return true;
        }
        int ssrc = datagram.getInt(8);
        rtpBySsrc.computeIfAbsent(ssrc, s -> new AtomicLong()).incrementAndGet();
        rtpByPayloadType.computeIfAbsent(second & 0x7F, s -> new AtomicLong()).incrementAndGet();
        if (ssrc != lossSsrc) {
            return true;
        }
        int sequence = datagram.getShort(2) & 0xFFFF;
        synchronized (this) {
            if (firstSequence < 0) {
                firstSequence = sequence;
            }
            int index = (sequence - firstSequence) & 0xFFFF;
            return !(indicesToLose.contains(index) && lost.add(index));
        }
    }

    /** What crossed so far, for failure messages. */
    @Override
    public String toString() {
        return "RTP from A by SSRC " + rtpBySsrc + ", datagrams from B " + datagramsFromB;
    }
}
