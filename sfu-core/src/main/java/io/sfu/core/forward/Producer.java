package io.sfu.core.forward;

import io.sfu.core.feedback.KeyframeRequestThrottle;
import io.sfu.core.feedback.StreamDiscovery;
import io.sfu.core.rtcp.FullIntraRequest;
import io.sfu.core.rtcp.PictureLossIndication;
import io.sfu.core.rtp.DependencyDescriptor;
import io.sfu.core.rtp.FrameDependencyReader;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.rtp.RtxPacket;
import io.sfu.core.rtp.codec.KeyframeDetector;
import io.sfu.core.rtp.codec.Vp8PayloadParser;
import io.sfu.core.rtp.codec.Vp9PayloadParser;
import io.sfu.core.rtp.codec.VpxPayloadParser;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A published track on its forwarding agent: its encodings, which own their receive side, and the consumers it
 * fans out to. Owned by the agent; the consumer array is replaced only on the agent's thread, so the fan-out loop
 * needs no lock.
 */
final class Producer {
    /** RFC 6464: the level of silence, in -dBov. */
    static final int SILENCE_LEVEL = 127;
    /**
     * The least time between keyframe requests for different encodings of one track: libwebrtc's 300 ms between
     * the requests its encoder takes, and a margin for the requests' jitter on the way.
     */
    static final long ENCODER_REQUEST_GAP_NS = 350_000_000L;

    final ProducerSpec spec;
    final Leg leg;
    final byte[] mid;
    final boolean video;
    /** A shared screen: served before other video but the dominant speaker's (see {@link Leg#videoShareBps}). */
    final boolean screenShare;
    final int clockRateHz;
    final ProducerStream[] streams;
    /** Keyframe detector by payload type; null for audio or unknown codecs. */
    private final KeyframeDetector[] detectors = new KeyframeDetector[128];
    /** The same detector where the payload type is VP8, whose payload descriptor consumers select frames by. */
    private final Vp8PayloadParser[] vp8Parsers = new Vp8PayloadParser[128];
    /** The same where it is VP9, whose spatial and temporal layers consumers select by. */
    private final Vp9PayloadParser[] vp9Parsers = new Vp9PayloadParser[128];
    /** Payload types whose subscribers get the dependency descriptor (see {@link #forwardsDependencies}). */
    private final boolean[] dependenciesForwarded = new boolean[128];
    /** Primary payload type by RTX payload type, -1 where the payload type is not RTX. */
    private final int[] primaryByRtx = new int[128];
    private final Egress egress;
    /** The layers of the video packet being fanned out. */
    private final FrameLayers frameLayers = new FrameLayers();
    /** Bit n: encoding n's keyframe request waits for {@link #ENCODER_REQUEST_GAP_NS} after the last to pass. */
    private int deferredRequests;
    private int lastRequestedLayer = -1;
    private long lastRequestNs;
    private Consumer[] consumers = new Consumer[4];
    private int consumerCount;
    private boolean muted;

    /** Packets received again after they had been forwarded (see {@link ProducerStream#alreadyForwarded}). */
    private long duplicatesDropped;

    // RFC 6464 audio level over the current dominant-speaker interval
    private long levelSum;
    private int levelCount;
    private long lastAverageLevel = SILENCE_LEVEL;

    Producer(ProducerSpec spec, Leg leg, Egress egress, long keyframeIntervalNs) {
        this.spec = spec;
        this.leg = leg;
        this.egress = egress;
        this.mid = spec.mid() == null ? null : spec.mid().getBytes(StandardCharsets.US_ASCII);
        this.video = spec.video();
        this.screenShare = spec.screenShare();
        this.clockRateHz = spec.clockRateHz();
        Arrays.fill(primaryByRtx, -1);
        for (ProducerSpec.Codec codec : spec.codecs()) {
            if (video && KeyframeDetector.supports(codec.name())) {
                KeyframeDetector detector = KeyframeDetector.forCodec(codec.name());
                detectors[codec.payloadType() & 0x7F] = detector;
                if (detector instanceof Vp8PayloadParser vp8) {
                    vp8Parsers[codec.payloadType() & 0x7F] = vp8;
                } else if (detector instanceof Vp9PayloadParser vp9) {
                    vp9Parsers[codec.payloadType() & 0x7F] = vp9;
                }
                dependenciesForwarded[codec.payloadType() & 0x7F] = "AV1".equalsIgnoreCase(codec.name());
            }
            if (codec.rtxPayloadType() >= 0) {
                primaryByRtx[codec.rtxPayloadType() & 0x7F] = codec.payloadType();
            }
        }
        this.streams = new ProducerStream[spec.encodings().size()];
        for (int i = 0; i < streams.length; i++) {
            ProducerSpec.Encoding encoding = spec.encodings().get(i);
            streams[i] = new ProducerStream(this, i, encoding.rid(), encoding.ssrc(), encoding.rtxSsrc(),
                clockRateHz, video, spec.nack(), keyframeIntervalNs);
        }
    }

    String trackId() {
        return spec.trackId();
    }

    /**
     * Takes a packet of one of this track's streams (on its media or RTX SSRC): restores a retransmission to the
     * original, feeds the stream's receive side, and unless the track is muted forwards it to every consumer.
     */
    void onRtp(ProducerStream stream, RtpPacket rtp, long nowNs, long arrivalNs) {
        int ssrc = rtp.ssrc();
        boolean retransmission = ssrc == stream.rtxSsrc() && ssrc != stream.ssrc();
        if (retransmission) {
            int primary = primaryByRtx[rtp.payloadType()];
            // a padding-only RTX packet is a bandwidth probe: nothing to forward
            if (primary < 0 || stream.ssrc() == 0 || !RtxPacket.unwrap(rtp, stream.ssrc(), primary)) {
                return;
            }
        }
        boolean keyframe = false;
        VpxPayloadParser descriptor = null;
        FrameLayers layers = null;
        if (video) {
            Vp8PayloadParser vp8 = vp8Parsers[rtp.payloadType()];
            Vp9PayloadParser vp9 = vp9Parsers[rtp.payloadType()];
            // no descriptor to select by (a padding-only packet, or a malformed one): forwarded as is
            if (vp8 != null && vp8.parse(rtp.buffer(), rtp.payloadOffset(), rtp.payloadLength())) {
                descriptor = vp8;
            } else if (vp9 != null && vp9.parse(rtp.buffer(), rtp.payloadOffset(), rtp.payloadLength())) {
                descriptor = vp9;
                if (vp9.hasScalabilityStructure()) {
                    stream.onScalabilityStructure(vp9);
                }
            }
            keyframe = isKeyframe(rtp, descriptor);
            // a VP8 or VP9 packet whose payload descriptor did not parse (padding alone, or malformed) goes as is
            if (descriptor != null || vp8 == null && vp9 == null) {
                layers = readLayers(stream, rtp, descriptor == vp8 ? vp8 : null, descriptor == vp9 ? vp9 : null);
            }
        } else if (leg.extensionIds().audioLevel() > 0) {
            long level = rtp.extensionValue(leg.extensionIds().audioLevel());
            if (level >= 0) {
                levelSum += level & 0x7F;
                levelCount++;
            }
        }
        int sequence = rtp.sequenceNumber();
        boolean duplicate = stream.alreadyForwarded(sequence, nowNs);
        stream.onPacket(rtp, retransmission, keyframe, !muted, layers != null ? layers.temporalId : -1,
            layers != null ? layers.spatialId : -1, nowNs, arrivalNs);
        if (duplicate) {
            duplicatesDropped++;
            return;
        }
        if (muted) {
            return;
        }
        Consumer[] fanOut = consumers;
        for (int i = 0, n = consumerCount; i < n; i++) {
            fanOut[i].onRtp(stream, rtp, sequence, keyframe, descriptor, layers, nowNs);
        }
    }

    /**
     * Whether a video packet starts a key frame: from its dependency descriptor when it carries one (so an end-to-end
     * encrypted payload can start a subscriber), else from the payload as its codec lays it out ({@code descriptor}:
     * as parsed already).
     */
    private boolean isKeyframe(RtpPacket rtp, VpxPayloadParser descriptor) {
        int descriptorId = leg.extensionIds().dependencyDescriptor();
        if (descriptorId > 0) {
            long found = rtp.findExtension(descriptorId);
            if (found != RtpPacket.NOT_FOUND) {
                return DependencyDescriptor.startsKeyframe(rtp.buffer(), RtpPacket.valueOffset(found),
                    RtpPacket.valueLength(found));
            }
        }
        if (descriptor != null) {
            return descriptor.keyframe();
        }
        KeyframeDetector detector = detectors[rtp.payloadType()];
        return detector != null && detector.isKeyframe(rtp.buffer(), rtp.payloadOffset(), rtp.payloadLength());
    }

    /**
     * The layers of a VP8 packet ({@code vp8} parsed) or a VP9 one ({@code vp9}): from its payload descriptor, or its
     * dependency descriptor where the payload descriptor leaves them out. A packet of another codec (AV1, H.264) has
     * them from its dependency descriptor alone; null when it has none to read. The
     * payload descriptor is preferred because libwebrtc writes it outside what end-to-end encryption covers and the
     * picture ids consumers rewrite are in it; with a dependency descriptor the two agree.
     */
    private FrameLayers readLayers(ProducerStream stream, RtpPacket rtp, Vp8PayloadParser vp8,
                                   Vp9PayloadParser vp9) {
        int descriptorId = leg.extensionIds().dependencyDescriptor();
        boolean dependencyRead = false;
        int frameNumber = -1;
        FrameDependencyReader dependencies = stream.dependencies();
        if (descriptorId > 0) {
            long found = rtp.findExtension(descriptorId);
            if (found != RtpPacket.NOT_FOUND) {
                int offset = RtpPacket.valueOffset(found);
                int length = RtpPacket.valueLength(found);
                dependencyRead = dependencies.read(rtp.buffer(), offset, length);
                if (DependencyDescriptor.isValid(length)) {
                    frameNumber = DependencyDescriptor.frameNumber(rtp.buffer(), offset);
                }
                if (dependencies.structureRead()) {
                    stream.onDependencyStructure(dependencies);
                }
            }
        }
        if (vp8 != null) {
            frameLayers.read(vp8, dependencies, dependencyRead, frameNumber);
        } else if (vp9 != null) {
            frameLayers.read(vp9, dependencies, dependencyRead, frameNumber);
        } else if (dependencyRead) {
            frameLayers.read(dependencies, frameNumber);
        } else {
            return null;
        }
        return frameLayers;
    }

    /**
     * The stream an unannounced SSRC belongs to, from its identification extensions ({@code discovery} has read
     * them), bound to that SSRC; null when the packet names no stream of this track that lacks one.
     */
    ProducerStream discover(StreamDiscovery discovery, int ssrc, int payloadType) {
        if (streams.length == 1 && streams[0].rid == null) {
            return bindFirstUnbound(ssrc, payloadType);
        }
        if (!discovery.hasRid() && !discovery.isRepair()) {
            return null;
        }
        for (ProducerStream stream : streams) {
            if (discovery.encodingEquals(stream.rid)) {
                boolean rtx = discovery.isRepair();
                stream.bind(ssrc, rtx);
                return (rtx ? stream.rtxSsrc() : stream.ssrc()) == ssrc ? stream : null;
            }
        }
        return null;
    }

    /** A single-encoding track whose SSRCs were not announced: the first SSRC is the media, an RTX PT the RTX. */
    ProducerStream bindFirstUnbound(int ssrc, int payloadType) {
        ProducerStream stream = streams[0];
        return stream.bind(ssrc, primaryByRtx[payloadType] >= 0) ? stream : null;
    }

    boolean midEquals(StreamDiscovery discovery) {
        return discovery.midEquals(mid);
    }

    /**
     * Asks the publisher for a keyframe on one encoding, at most once per throttle interval. A request for another
     * encoding than the last, within {@link #ENCODER_REQUEST_GAP_NS} of it, waits out that gap ({@link #onTick}):
     * libwebrtc encodes a track's simulcast encodings in one encoder, which ignores a request that follows the one
     * before within 300 ms, whatever its encoding, and the subscriber would wait for a retry a layer tick or two
     * later.
     */
    void requestKeyframe(int layer, long nowNs) {
        if (layer < 0 || layer >= streams.length || !leg.transport.canSend()) {
            return;
        }
        boolean deferrable = layer < Integer.SIZE;
        if (deferrable && lastRequestedLayer >= 0 && lastRequestedLayer != layer
            && nowNs - lastRequestNs < ENCODER_REQUEST_GAP_NS) {
            deferredRequests |= 1 << layer;
            return;
        }
        if (deferrable) {
            deferredRequests &= ~(1 << layer);
        }
        ProducerStream stream = streams[layer];
        boolean fir = spec.fir() && !spec.pli();
        int passed = stream.tryKeyframeRequest(nowNs, fir);
        if (passed == KeyframeRequestThrottle.SUPPRESSED) {
            return;
        }
        lastRequestedLayer = layer;
        lastRequestNs = nowNs;
        int length = fir
            ? FullIntraRequest.write(egress.scratch, 0, leg.rtcpSsrc, stream.ssrc(), passed)
            : PictureLossIndication.write(egress.scratch, 0, leg.rtcpSsrc, stream.ssrc());
        egress.sendRtcp(leg, length);
    }

    /** Sends a deferred keyframe request once the encoder's gap has passed (the agent calls it every tick). */
    void onTick(long nowNs) {
        if (deferredRequests != 0 && nowNs - lastRequestNs >= ENCODER_REQUEST_GAP_NS) {
            requestKeyframe(Integer.numberOfTrailingZeros(deferredRequests), nowNs);
        }
    }

    /** Encodings whose keyframe request waits for the encoder's gap to pass (bit n: encoding n). */
    int deferredKeyframeRequests() {
        return deferredRequests;
    }

    void addConsumer(Consumer consumer) {
        if (consumerCount == consumers.length) {
            consumers = Arrays.copyOf(consumers, consumers.length * 2);
        }
        consumers[consumerCount++] = consumer;
    }

    void removeConsumer(Consumer consumer) {
        for (int i = 0; i < consumerCount; i++) {
            if (consumers[i] == consumer) {
                System.arraycopy(consumers, i + 1, consumers, i, consumerCount - i - 1);
                consumers[--consumerCount] = null;
                return;
            }
        }
    }

    int consumerCount() {
        return consumerCount;
    }

    Consumer consumer(int index) {
        return consumers[index];
    }

    /**
     * Mutes or unmutes the track. While muted nothing is forwarded or kept for resending; on unmute each consumer
     * starts again at the next packet it can start at (a keyframe for video, asked for here), numbered on from its
     * last, so its subscriber sees no gap to NACK.
     */
    void muted(boolean muted, long nowNs) {
        boolean unmuted = this.muted && !muted;
        this.muted = muted;
        if (!unmuted) {
            return;
        }
        for (int i = 0; i < consumerCount; i++) {
            // a paused one starts again when it is resumed
            if (!consumers[i].isPaused()) {
                consumers[i].restart(nowNs);
            }
        }
    }

    /**
     * The highest encoding whose bitrate fits {@code budgetBps}: a layer above {@code current} must fit with 15%
     * to spare, so that the choice does not flap on a budget at the edge of a layer; 0 when none fits.
     */
    int highestLayerWithin(long budgetBps, int current, long nowNs) {
        for (int i = streams.length - 1; i > 0; i--) {
            if (fits(streams[i].bitrateBps(nowNs), i > current, budgetBps)) {
                return i;
            }
        }
        return 0;
    }

    /** Whether a layer of {@code neededBps} fits {@code budgetBps}, with 15% to spare to go {@code up} to it. */
    private static boolean fits(long neededBps, boolean up, long budgetBps) {
        return (up ? neededBps + neededBps * 15 / 100 : neededBps) <= budgetBps;
    }

    /**
     * The highest spatial layer, up to {@code maxSpatial}, of encoding {@code layer} whose bitrate with the layers
     * below it (spatial layers 0 to it, temporal layers 0 to {@code temporal}) fits {@code budgetBps}: a layer above
     * {@code current} must fit with 15% to spare; 0 when none fits.
     */
    int highestSpatialLayerWithin(int layer, int maxSpatial, int temporal, long budgetBps, int current, long nowNs) {
        ProducerStream stream = streams[Math.max(0, Math.min(layer, streams.length - 1))];
        for (int s = maxSpatial; s > 0; s--) {
            if (fits(stream.layerBitrateBps(s, temporal, nowNs), s > current, budgetBps)) {
                return s;
            }
        }
        return 0;
    }

    /** What the lowest encoding arrives at (its lowest spatial layer, for SVC), in bits per second. */
    long lowestLayerBps(long nowNs) {
        return streams[0].layerBitrateBps(0, TemporalLayerFilter.ALL, nowNs);
    }

    long duplicatesDropped() {
        return duplicatesDropped;
    }

    /** Whether this track is published by {@code participantId} (false for null). */
    boolean isFrom(String participantId) {
        return participantId != null && participantId.equals(spec.participantId());
    }

    /**
     * The highest temporal layer of encoding {@code layer} whose bitrate, with the layers below it (a decoder needs
     * them all), fits {@code budgetBps}: a layer above {@code current} must fit with 15% to spare, as for encodings;
     * 0 when none fits. {@link TemporalLayerFilter#ALL} when the whole encoding fits.
     */
    int highestTemporalLayerWithin(int layer, long budgetBps, int current, long nowNs) {
        return highestTemporalLayerWithin(layer, SpatialLayerFilter.ALL, budgetBps, current, nowNs);
    }

    /** As {@link #highestTemporalLayerWithin(int, long, int, long)}, of the spatial layers 0 to {@code spatial}. */
    int highestTemporalLayerWithin(int layer, int spatial, long budgetBps, int current, long nowNs) {
        ProducerStream stream = streams[Math.max(0, Math.min(layer, streams.length - 1))];
        for (int i = TemporalLayerFilter.ALL; i > 0; i--) {
            if (fits(stream.layerBitrateBps(spatial, i, nowNs), i > current, budgetBps)) {
                return i;
            }
        }
        return 0;
    }

    /**
     * Whether packets of {@code payloadType} keep their dependency descriptor toward subscribers who negotiated it:
     * AV1's, whose spatial layers libwebrtc's receiver cannot put together without it. VP8 and VP9 go without it as
     * before, decoded from their payload descriptors (whether forwarding it for them is safe was not settled).
     */
    boolean forwardsDependencies(int payloadType) {
        return payloadType >= 0 && dependenciesForwarded[payloadType & 0x7F];
    }

    /**
     * The payload descriptor parser of {@code payloadType} for a resend when it is VP8 or VP9 (whose frames a consumer
     * selects by layer), from {@code egress}; else null.
     */
    VpxPayloadParser resendDescriptor(int payloadType, Egress egress) {
        int index = payloadType & 0x7F;
        return vp8Parsers[index] != null ? egress.retransmittedVp8
            : vp9Parsers[index] != null ? egress.retransmittedVp9 : null;
    }

    /** The highest encoding that received a packet within {@code windowNs}, or -1. */
    int highestActiveIndex(long nowNs, long windowNs) {
        for (int i = streams.length - 1; i >= 0; i--) {
            if (streams[i].isActive(nowNs, windowNs)) {
                return i;
            }
        }
        return -1;
    }

    /** Ends the audio-level interval: its average level in -dBov (silence when muted or nothing was heard). */
    long closeLevelInterval() {
        long average = levelCount == 0 ? SILENCE_LEVEL : levelSum / levelCount;
        levelSum = 0;
        levelCount = 0;
        lastAverageLevel = muted ? SILENCE_LEVEL : average;
        return lastAverageLevel;
    }

    /** The average level of the last closed interval, in -dBov. */
    long lastAverageLevel() {
        return lastAverageLevel;
    }

    /** Publishes this track's counters for the control plane. */
    void publishCounters(long nowNs, long activeWindowNs) {
        long packets = 0;
        long bytes = 0;
        long lost = 0;
        long nacks = 0;
        long plis = 0;
        long bitrate = 0;
        for (ProducerStream stream : streams) {
            packets += stream.packets();
            bytes += stream.bytes();
            lost += Math.max(0, stream.statistics.cumulativeLost());
            nacks += stream.nacksSent();
            plis += stream.keyframeRequests();
            bitrate += stream.bitrateBps(nowNs);
        }
        spec.counters().publish(packets, bytes, lost, nacks, plis, bitrate, duplicatesDropped, 0, 0,
            highestActiveIndex(nowNs, activeWindowNs));
        int temporalLayer = -1;
        for (ProducerStream stream : streams) {
            temporalLayer = Math.max(temporalLayer, stream.highestTemporalLayer(nowNs));
        }
        spec.counters().temporalLayer(temporalLayer, 0);
    }
}
