package io.sfu.core.forward;

import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.feedback.RttEstimator;
import io.sfu.core.feedback.SendSideBandwidthEstimator;
import io.sfu.core.feedback.StreamDiscovery;
import io.sfu.core.rtcp.TransportCcFeedbackBuilder;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.transport.MediaReceiver;
import io.sfu.core.transport.WebRtcTransport;
import org.agrona.collections.Int2ObjectHashMap;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The forwarding side of one {@link WebRtcTransport}: the published streams it receives, found by SSRC (or
 * discovered from their mid and rid), and the consumers it sends, found by SSRC when the subscriber's RTCP names
 * them; its {@link RtcpTerminator} and {@link FeedbackScheduler}. Owned by one agent: the receive thread reaches it
 * only through {@link MediaReceiver}, whose methods hand over to the agent.
 */
public final class Leg implements MediaReceiver {
    final WebRtcTransport transport;
    final String roomKey;
    /** The participant this leg belongs to: last-N counts the speakers a subscriber sees without itself. */
    final String participantId;
    /** The SSRC this side uses as the sender of its RTCP feedback and reports. */
    final int rtcpSsrc;
    /**
     * A leg of the media relay between cluster nodes: its consumers send every layer (no estimate, no last-N) and
     * it asks its peer for no transport-wide feedback (the peer's subscribers are numbered by the peer's own legs).
     */
    final boolean relay;
    /** A leg between two agents of this process (a spread room's bridge): what it sends is not forwarded media. */
    final boolean bridge;
    private final ForwardingAgent agent;
    final RtcpTerminator rtcp;
    final FeedbackScheduler feedback;
    private Router router;
    private boolean closed;

    // publisher side
    final List<Producer> producers = new ArrayList<>();
    private final Int2ObjectHashMap<ProducerStream> streamsBySsrc = new Int2ObjectHashMap<>();
    private ReceiveExtensionIds extensionIds = ReceiveExtensionIds.NONE;
    private final StreamDiscovery discovery = new StreamDiscovery();
    /** Arrivals for transport-wide feedback; null until the publisher negotiated the extension. */
    TransportCcFeedbackBuilder transportCc;

    // subscriber side
    final List<Consumer> consumers = new ArrayList<>();
    private final Int2ObjectHashMap<Consumer> consumersBySsrc = new Int2ObjectHashMap<>();
    final RttEstimator rtt = new RttEstimator();
    /** The downlink toward the subscriber, from its transport-wide feedback about what this leg sent. */
    final SendSideBandwidthEstimator bandwidth = new SendSideBandwidthEstimator();
    // the last allocation of the estimate between the consumers (see allocate) and its scratch: speakers' needs from
    // the start, the others' from the middle
    private long sharesAtNs = Long.MIN_VALUE;
    private long sharesEstimateBps = -1;
    private int sharesConsumers = -1;
    private long[] needs = new long[16];
    /** Probes this leg's downlink when the estimate holds its consumers back. */
    final Prober prober = new Prober(this);
    /** Spreads the video this leg sends at a multiple of the estimate. */
    final Pacer pacer = new Pacer(bandwidth);
    private int transportSequence;

    private long rtpPackets;
    private long rtcpPackets;
    private long malformedPackets;
    private long unknownSsrcPackets;
    private long sendFailures;
    private long pacedDrops;

    Leg(WebRtcTransport transport, String roomKey, String participantId, int rtcpSsrc, ForwardingAgent agent,
        Egress egress) {
        this(transport, roomKey, participantId, rtcpSsrc, false, agent, egress);
    }

    Leg(WebRtcTransport transport, String roomKey, String participantId, int rtcpSsrc, boolean relay,
        ForwardingAgent agent, Egress egress) {
        this.relay = relay;
        this.bridge = transport.isBridge();
        this.transport = transport;
        this.roomKey = roomKey;
        this.participantId = participantId;
        this.rtcpSsrc = rtcpSsrc;
        this.agent = agent;
        this.rtcp = new RtcpTerminator(this);
        this.feedback = new FeedbackScheduler(this, egress);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Receive thread: hand over only

    @Override
    public boolean onMedia(PacketSlot slot) {
        slot.context(this);
        return agent.enqueue(slot);
    }

    @Override
    public boolean onPathSelected(InetSocketAddress path) {
        return agent.pathSelected(this, path);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Agent thread

    /** Routes one decrypted RTP packet from the publisher to its stream's producer. */
    void onRtp(RtpPacket rtp, long nowNs, long arrivalNs) {
        rtpPackets++;
        if (transportCc != null) {
            long sequence = rtp.extensionValue(extensionIds.transportCc());
            if (sequence >= 0) {
                transportCc.addPacket((int) sequence, arrivalNs / 1000);
            }
        }
        int ssrc = rtp.ssrc();
        ProducerStream stream = streamsBySsrc.get(ssrc);
        if (stream == null) {
            stream = discover(rtp, ssrc);
            if (stream == null) {
                unknownSsrcPackets++;
                return;
            }
            streamsBySsrc.put(ssrc, stream);
        }
        stream.producer.onRtp(stream, rtp, nowNs, arrivalNs);
    }

    /** Maps an SSRC the SDP did not announce to its encoding, through the mid and rid header extensions. */
    private ProducerStream discover(RtpPacket rtp, int ssrc) {
        if (!discovery.negotiatesMid()) {
            return producers.size() == 1 && producers.get(0).streams.length == 1
                ? producers.get(0).bindFirstUnbound(ssrc, rtp.payloadType()) : null;
        }
        discovery.read(rtp);
        if (!discovery.hasMid()) {
            return null;
        }
        for (int i = 0, n = producers.size(); i < n; i++) {
            Producer producer = producers.get(i);
            if (producer.midEquals(discovery)) {
                return producer.discover(discovery, ssrc, rtp.payloadType());
            }
        }
        return null;
    }

    /** The agent took the leg into {@code router}'s room. */
    void opened(Router router) {
        this.router = router;
        router.onLegAdded();
    }

    /**
     * The agent closes the leg: its producers (with their consumers) and its consumers go. Returns true when that
     * left its room without a leg; false when it was closed already or others remain.
     */
    boolean close() {
        if (closed) {
            return false;
        }
        closed = true;
        pacer.clear();
        return router.onLegRemoved(this);
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * What the video consumer {@code of} may take of this leg's downlink estimate (see {@link #allocate}), worked out
     * once for all the leg's consumers per instant and estimate.
     */
    long videoShareBps(Consumer of, long nowNs) {
        long estimate = bandwidth.estimateBps();
        if (nowNs != sharesAtNs || estimate != sharesEstimateBps || consumers.size() != sharesConsumers) {
            allocate(estimate, nowNs);
        }
        return of.shareBps;
    }

    /**
     * Shares the estimate between the leg's consumers. Audio comes first; every video consumer that is not paused is
     * then owed its lowest layer; what is left goes first to the video of the room's dominant speaker and to shared
     * screens, then to the others by what each wants beyond its lowest layer (the layer its subscriber's preference
     * and rendered size allow): water-filling, so a small tile takes what it needs and a large one the rest. When the
     * lowest layers do not all fit, the estimate less audio is shared evenly. Allocation free once its scratch array
     * has grown.
     */
    private void allocate(long estimate, long nowNs) {
        sharesAtNs = nowNs;
        sharesEstimateBps = estimate;
        sharesConsumers = consumers.size();
        String speaker = router == null ? null : router.dominantSpeaker();
        long remaining = estimate;
        int videoConsumers = 0;
        long floor = 0;
        int speakers = 0;
        int others = 0;
        if (needs.length < 2 * consumers.size()) {
            needs = new long[2 * consumers.size()];
        }
        int half = needs.length / 2;
        for (int i = 0, n = consumers.size(); i < n; i++) {
            Consumer consumer = consumers.get(i);
            consumer.shareBps = 0;
            if (!consumer.producer.video) {
                remaining -= consumer.sentBitrateBps(nowNs);
            } else if (!consumer.isPaused()) {
                videoConsumers++;
                long lowest = consumer.producer.lowestLayerBps(nowNs);
                floor += lowest;
                long need = Math.max(0, consumer.wantedBps(nowNs) - lowest);
                // kept for the second pass: its lowest layer and what it wants beyond it
                consumer.shareBps = lowest;
                consumer.shareNeedBps = need;
                if (firstServed(consumer, speaker)) {
                    needs[speakers++] = need;
                } else {
                    needs[half + others++] = need;
                }
            }
        }
        remaining = Math.max(0, remaining);
        long extra = remaining - floor;
        long speakerLevel = 0;
        long otherLevel = 0;
        if (extra > 0) {
            long speakersTake = 0;
            for (int i = 0; i < speakers; i++) {
                speakersTake += needs[i];
            }
            speakersTake = Math.min(extra, speakersTake);
            speakerLevel = waterLevel(needs, 0, speakers, speakersTake);
            otherLevel = waterLevel(needs, half, others, extra - speakersTake);
        }
        for (int i = 0, n = consumers.size(); i < n; i++) {
            Consumer consumer = consumers.get(i);
            if (!consumer.producer.video || consumer.isPaused()) {
                continue;
            }
            if (extra <= 0) {
                consumer.shareBps = remaining / Math.max(1, videoConsumers);
                continue;
            }
            long level = firstServed(consumer, speaker) ? speakerLevel : otherLevel;
            consumer.shareBps += Math.min(consumer.shareNeedBps, level);
        }
    }

    /** The video served before the rest: the dominant speaker's and shared screens. */
    private static boolean firstServed(Consumer consumer, String speaker) {
        return consumer.producer.screenShare || consumer.producer.isFrom(speaker);
    }

    /**
     * The level L that shares {@code budget} between the {@code count} needs at {@code values[from...]} so that each
     * gets {@code min(need, L)}: all of them when they fit (then L is the largest need). Sorts those values.
     */
    static long waterLevel(long[] values, int from, int count, long budget) {
        Arrays.sort(values, from, from + count);
        long left = budget;
        for (int i = 0; i < count; i++) {
            long need = values[from + i];
            long fair = left / (count - i);
            if (need > fair) {
                return fair;
            }
            left -= need;
        }
        return count == 0 ? 0 : values[from + count - 1];
    }

    /**
     * What resends to this subscriber may take: the downlink estimate less what its consumers send, and at least a
     * tenth of the estimate (a lost packet may still be worth repairing); unlimited before any feedback.
     */
    long retransmitHeadroomBps(long nowNs) {
        if (!bandwidth.hasFeedback()) {
            return Long.MAX_VALUE;
        }
        long estimate = bandwidth.estimateBps();
        long sent = 0;
        for (int i = 0, n = consumers.size(); i < n; i++) {
            sent += consumers.get(i).sentBitrateBps(nowNs);
        }
        return Math.max(estimate / 10, estimate - sent);
    }

    /** The prober started a cluster: the agent paces it. */
    void onProbeStarted() {
        agent.onProbeStarted(this);
    }

    /** Re-decides the layer of each consumer on this leg (the estimate just rose). */
    void chooseLayers(long nowNs) {
        for (int i = 0, n = consumers.size(); i < n; i++) {
            consumers.get(i).chooseLayer(nowNs, Router.ACTIVE_LAYER_WINDOW_NS);
        }
    }

    /**
     * Writes the next transport-wide sequence number of what this leg sends (one space per transport, BUNDLE) into
     * {@code packet}'s extension {@code id}, and returns it; -1, the number left for the next packet, when the
     * packet carries no such extension: a number no packet carries would read as lost in every feedback.
     */
    int stampTransportSequence(RtpPacket packet, int id) {
        int next = (transportSequence + 1) & 0xFFFF;
        if (!packet.putExtensionValue(id, next)) {
            return -1;
        }
        transportSequence = next;
        return next;
    }

    Router router() {
        return router;
    }

    /** The keys arrived: the consumers that waited for this leg to come up ask for the keyframe they start at. */
    void onKeysInstalled(long nowNs) {
        for (int i = 0, n = consumers.size(); i < n; i++) {
            Consumer consumer = consumers.get(i);
            if (consumer.currentLayer < 0) {
                consumer.producer.requestKeyframe(consumer.targetLayer(), nowNs);
            }
        }
    }

    void onRtcpPacket() {
        rtcpPackets++;
    }

    void onMalformed() {
        malformedPackets++;
    }

    /** The pacer queued a packet: the agent drains it from the next pacing cycle on. */
    void onPacerQueued() {
        if (!pacer.scheduled) {
            pacer.scheduled = true;
            agent.onPacing(this);
        }
    }

    /** A packet that waited in the pacer could not be sent when it left. */
    void onPacedDrop() {
        pacedDrops++;
    }

    void onSendFailure() {
        sendFailures++;
    }

    void extensionIds(ReceiveExtensionIds ids) {
        this.extensionIds = ids;
        discovery.extensionIds(ids.mid(), ids.rid(), ids.repairedRid());
        if (ids.transportCc() > 0 && transportCc == null && !relay) {
            transportCc = new TransportCcFeedbackBuilder(1024, 1200);
        }
    }

    ReceiveExtensionIds extensionIds() {
        return extensionIds;
    }

    void addProducer(Producer producer) {
        producers.add(producer);
        for (ProducerStream stream : producer.streams) {
            if (stream.ssrc() != 0) {
                streamsBySsrc.put(stream.ssrc(), stream);
            }
            if (stream.rtxSsrc() != 0) {
                streamsBySsrc.put(stream.rtxSsrc(), stream);
            }
        }
    }

    void removeProducer(Producer producer) {
        producers.remove(producer);
        for (ProducerStream stream : producer.streams) {
            removeMapping(streamsBySsrc, stream.ssrc(), stream);
            removeMapping(streamsBySsrc, stream.rtxSsrc(), stream);
        }
    }

    ProducerStream streamBySsrc(int ssrc) {
        return streamsBySsrc.get(ssrc);
    }

    void addConsumer(Consumer consumer) {
        consumers.add(consumer);
        consumersBySsrc.put(consumer.ssrc, consumer);
        if (consumer.rtxSsrc != 0) {
            consumersBySsrc.put(consumer.rtxSsrc, consumer);
        }
    }

    void removeConsumer(Consumer consumer) {
        consumers.remove(consumer);
        removeMapping(consumersBySsrc, consumer.ssrc, consumer);
        removeMapping(consumersBySsrc, consumer.rtxSsrc, consumer);
    }

    /** The consumer whose media SSRC is {@code ssrc} (RTCP about a subscriber's stream names that one). */
    Consumer consumerBySsrc(int ssrc) {
        Consumer consumer = consumersBySsrc.get(ssrc);
        return consumer != null && consumer.ssrc == ssrc ? consumer : null;
    }

    /** The consumer sending {@code ssrc} as its media or its RTX stream. */
    Consumer consumerOf(int ssrc) {
        return consumersBySsrc.get(ssrc);
    }

    private static <T> void removeMapping(Int2ObjectHashMap<T> map, int ssrc, T value) {
        if (ssrc != 0 && map.get(ssrc) == value) {
            map.remove(ssrc);
        }
    }

    public WebRtcTransport transport() {
        return transport;
    }

    public long rtpPackets() {
        return rtpPackets;
    }

    public long rtcpPackets() {
        return rtcpPackets;
    }

    /** Packets that were not valid RTP or RTCP once decrypted. */
    public long malformedPackets() {
        return malformedPackets;
    }

    /** RTP packets whose SSRC belongs to no announced or discoverable stream. */
    public long unknownSsrcPackets() {
        return unknownSsrcPackets;
    }

    /** Datagrams the socket refused. */
    /** Video packets waiting in this leg's pacer now. Agent thread only. */
    public int pacerQueued() {
        return pacer.queued();
    }

    /** Packets that waited in the pacer and could not be sent when they left. */
    public long pacedDrops() {
        return pacedDrops;
    }

    public long sendFailures() {
        return sendFailures;
    }

    @Override
    public String toString() {
        return "Leg[" + transport.id() + "]";
    }
}
