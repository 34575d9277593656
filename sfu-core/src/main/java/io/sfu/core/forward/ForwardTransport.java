package io.sfu.core.forward;

import io.sfu.core.feedback.RttEstimator;
import io.sfu.core.rtcp.TransportCcFeedbackBuilder;
import io.sfu.core.srtp.SrtpContext;
import org.agrona.collections.Int2ObjectHashMap;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One peer connection as the forwarding path sees it: its SRTP contexts, where to send, the streams it receives
 * (publisher side) and the consumers it sends (subscriber side). Owned by one {@link ForwardingAgent}: only the
 * remote address is written from elsewhere (the receive thread follows the ICE-selected pair).
 */
public final class ForwardTransport {
    private final String id;
    private final int rtcpSsrc;
    private volatile InetSocketAddress remote;

    SrtpContext receiveContext;
    SrtpContext sendContext;
    /** Sends RTP without SRTP protection: only for measuring the forwarding core without crypto. */
    boolean unprotectedOutput;
    boolean closed;

    // publisher side
    final Int2ObjectHashMap<ProducerStream> streamsBySsrc = new Int2ObjectHashMap<>();
    final List<Producer> producers = new ArrayList<>();
    int midExtensionId;
    int ridExtensionId;
    int repairedRidExtensionId;
    int transportCcExtensionId;
    int audioLevelExtensionId;
    TransportCcFeedbackBuilder transportCc;
    int transportCcFeedbackCount;
    long lastTransportCcNs;

    // subscriber side
    final Int2ObjectHashMap<Consumer> consumersBySsrc = new Int2ObjectHashMap<>();
    final List<Consumer> consumers = new ArrayList<>();
    final RttEstimator rtt = new RttEstimator();

    long rtpPackets;
    long rtcpPackets;
    long srtpFailures;
    long malformedPackets;
    long unknownSsrcPackets;
    long sendFailures;

    public ForwardTransport(String id, int rtcpSsrc) {
        this.id = id;
        this.rtcpSsrc = rtcpSsrc;
    }

    public String id() {
        return id;
    }

    /** The SSRC this side uses as the sender of its RTCP feedback and reports. */
    public int rtcpSsrc() {
        return rtcpSsrc;
    }

    /** Where this transport's packets go: the 5-tuple ICE selected (and followed when the peer moved). */
    public InetSocketAddress remote() {
        return remote;
    }

    public void remote(InetSocketAddress remote) {
        this.remote = remote;
    }

    /** Packets that failed SRTP/SRTCP authentication or replay checks. Plain counter: may be stale. */
    /**
     * Makes this transport send forwarded RTP in the clear. Benchmarks use it to measure the routing and rewriting
     * cost alone; the media engine never sets it (WebRTC forbids unprotected media).
     */
    public void unprotectedOutputForBenchmarks(boolean unprotected) {
        this.unprotectedOutput = unprotected;
    }

    public long srtpFailures() {
        return srtpFailures;
    }

    public long rtpPackets() {
        return rtpPackets;
    }

    public long rtcpPackets() {
        return rtcpPackets;
    }

    public long unknownSsrcPackets() {
        return unknownSsrcPackets;
    }

    public long malformedPackets() {
        return malformedPackets;
    }

    public long sendFailures() {
        return sendFailures;
    }

    @Override
    public String toString() {
        return "ForwardTransport[" + id + "]";
    }
}
