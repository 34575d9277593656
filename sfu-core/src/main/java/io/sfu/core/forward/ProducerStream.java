package io.sfu.core.forward;

import io.sfu.core.feedback.BitrateEstimator;
import io.sfu.core.feedback.KeyframeRequestThrottle;
import io.sfu.core.feedback.NackGenerator;
import io.sfu.core.feedback.NtpTime;
import io.sfu.core.feedback.PacketHistory;
import io.sfu.core.feedback.ReceiveStatistics;
import io.sfu.core.rtp.FrameDependencyReader;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.rtp.codec.Vp9PayloadParser;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * One incoming encoding of a published track (the only one, or one simulcast layer) and its receive side: its
 * SSRCs (announced, or learned from the first packets), receive statistics for the reports, the NACK generator
 * toward the publisher, the keyframe-request throttle, and the history of recent packets that answers subscribers'
 * NACKs (the publisher's decrypted originals, shared by every subscriber; allocated when the first packet arrives),
 * and for video its bitrate by temporal layer (and, for VP9 with spatial layers, by spatial and temporal layer), which
 * subscribers whose share of their downlink is short of the whole encoding choose their layers by.
 */
final class ProducerStream {
    static final int VIDEO_HISTORY_PACKETS = 512;
    static final int AUDIO_HISTORY_PACKETS = 128;
    /** A temporal layer from which nothing arrived for this long is taken as no longer sent. */
    static final long TEMPORAL_LAYER_WINDOW_NS = 1_000_000_000L;

    final Producer producer;
    /** Position among the producer's encodings, lowest first. */
    final int index;
    final byte[] rid;
    private int ssrc;
    private int rtxSsrc;
    final ReceiveStatistics statistics;
    private final NackGenerator nack;
    private final int historyCapacity;
    private PacketHistory history;
    private final BitrateEstimator bitrate = new BitrateEstimator();
    /** By temporal layer index (TID 0 to 3; a packet without one counts in layer 0); null for audio. */
    private final BitrateEstimator[] temporalBitrates;
    /** When a packet of each temporal layer index last arrived. */
    private final long[] temporalLayerSeenNs;
    /** Bit n: a packet of temporal layer index n arrived once. */
    private int temporalLayersSeen;
    /**
     * By spatial and temporal layer ({@code spatial * TEMPORAL_LAYERS + temporal}), made at the first packet with a
     * spatial layer index (VP9 SVC); null before.
     */
    private BitrateEstimator[] spatialBitrates;
    /** When a packet of each spatial layer index last arrived. */
    private final long[] spatialLayerSeenNs = new long[SpatialLayerFilter.ALL + 1];
    /** Bit n: a packet of spatial layer index n arrived once. */
    private int spatialLayersSeen;
    /** The height of each spatial layer from the last scalability structure that gave them; 0 before. */
    private final int[] spatialHeights = new int[SpatialLayerFilter.ALL + 1];
    private int spatialHeightCount;
    private final KeyframeRequestThrottle keyframeThrottle;
    /** The dependency descriptors of this encoding, with the template structure they refer to; null for audio. */
    private final FrameDependencyReader dependencies;

    private long packets;
    private long bytes;
    private long keyframes;
    private long nacksSent;
    private long keyframeRequests;
    private long lastPacketNs;
    /** The publisher's clock from its last sender report: NTP and RTP timestamps, and when it arrived. */
    private boolean senderClockKnown;
    private long senderNtpTimestamp;
    private long senderRtpTimestamp;
    private long senderReportNs;
    private final int clockRateHz;

    ProducerStream(Producer producer, int index, String rid, int ssrc, int rtxSsrc, int clockRateHz, boolean video,
                   boolean nackEnabled, long keyframeIntervalNs) {
        this.producer = producer;
        this.index = index;
        this.rid = rid == null ? null : rid.getBytes(StandardCharsets.US_ASCII);
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
        this.statistics = new ReceiveStatistics(clockRateHz);
        this.clockRateHz = clockRateHz;
        this.nack = nackEnabled ? new NackGenerator() : null;
        this.historyCapacity = video ? VIDEO_HISTORY_PACKETS : AUDIO_HISTORY_PACKETS;
        this.keyframeThrottle = new KeyframeRequestThrottle(keyframeIntervalNs);
        this.temporalBitrates = video ? new BitrateEstimator[TemporalLayerFilter.ALL + 1] : null;
        this.temporalLayerSeenNs = new long[TemporalLayerFilter.ALL + 1];
        this.dependencies = video ? new FrameDependencyReader() : null;
        if (video) {
            for (int i = 0; i < temporalBitrates.length; i++) {
                temporalBitrates[i] = new BitrateEstimator();
            }
        }
    }

    /** The media SSRC, or 0 while it is not known. */
    int ssrc() {
        return ssrc;
    }

    /** The RTX SSRC, or 0 while it is not known (or there is none). */
    int rtxSsrc() {
        return rtxSsrc;
    }

    /** Binds a learned SSRC: the media one, or with {@code rtx} the retransmission one. False when already bound. */
    boolean bind(int learnedSsrc, boolean rtx) {
        if (rtx ? rtxSsrc != 0 : ssrc != 0) {
            return false;
        }
        if (rtx) {
            rtxSsrc = learnedSsrc;
        } else {
            ssrc = learnedSsrc;
        }
        return true;
    }

    /**
     * Takes one received packet (a retransmission already restored to the original) into the receive side;
     * {@code arrivalNs} is when its datagram came in, which the jitter is measured from; {@code temporalId} and
     * {@code spatialId} are its layer indices, negative when its payload carries none.
     */
    void onPacket(RtpPacket rtp, boolean retransmission, boolean keyframe, boolean forwarded, int temporalId,
                  int spatialId, long nowNs, long arrivalNs) {
        int sequence = rtp.sequenceNumber();
        int length = rtp.length();
        if (retransmission) {
            statistics.onRetransmittedPacket(sequence, arrivalNs, length);
        } else {
            statistics.onPacket(sequence, (int) rtp.timestamp(), arrivalNs, length);
        }
        if (nack != null) {
            nack.onPacket(sequence, nowNs);
        }
        if (forwarded) {
            // what was never forwarded is never resent: a muted track keeps nothing
            if (history == null) {
                history = new PacketHistory(historyCapacity);
            }
            history.store(sequence, rtp.buffer(), rtp.offset(), length, nowNs);
        }
        packets++;
        bytes += length;
        bitrate.onBytes(length, nowNs);
        if (temporalBitrates != null) {
            int layer = Math.max(0, Math.min(TemporalLayerFilter.ALL, temporalId));
            temporalBitrates[layer].onBytes(length, nowNs);
            if (temporalId >= 0) {
                temporalLayerSeenNs[layer] = nowNs;
                temporalLayersSeen |= 1 << layer;
            }
            if (spatialId >= 0) {
                onSpatialLayer(Math.min(SpatialLayerFilter.ALL, spatialId), layer, length, nowNs);
            }
        }
        lastPacketNs = nowNs;
        if (keyframe) {
            keyframes++;
        }
    }

    private static final int TEMPORAL_LAYERS = TemporalLayerFilter.ALL + 1;

    private void onSpatialLayer(int spatial, int temporal, int length, long nowNs) {
        if (spatialBitrates == null) {
            spatialBitrates = new BitrateEstimator[(SpatialLayerFilter.ALL + 1) * TEMPORAL_LAYERS];
            for (int i = 0; i < spatialBitrates.length; i++) {
                spatialBitrates[i] = new BitrateEstimator();
            }
        }
        spatialBitrates[spatial * TEMPORAL_LAYERS + temporal].onBytes(length, nowNs);
        spatialLayerSeenNs[spatial] = nowNs;
        spatialLayersSeen |= 1 << spatial;
    }

    /**
     * Takes the layer heights of the scalability structure (RFC 9628 §4.2.1) {@code vp9} parsed, when it gives
     * resolutions: a subscriber's maxHeight is matched against them.
     */
    void onScalabilityStructure(Vp9PayloadParser vp9) {
        if (!vp9.resolutionsPresent()) {
            return;
        }
        spatialHeightCount = vp9.spatialLayerCount();
        for (int i = 0; i < spatialHeightCount; i++) {
            spatialHeights[i] = vp9.height(i);
        }
    }

    /**
     * Takes the layer heights of the dependency descriptor's template structure {@code dependencies} just read, when
     * it gives resolutions (A.8.2 render_resolutions), as {@link #onScalabilityStructure} does for VP9's.
     */
    void onDependencyStructure(FrameDependencyReader dependencies) {
        if (dependencies.height(0) == 0) {
            return;
        }
        spatialHeightCount = dependencies.maxSpatialId() + 1;
        for (int i = 0; i < spatialHeightCount; i++) {
            spatialHeights[i] = dependencies.height(i);
        }
    }

    /**
     * The highest spatial layer whose height is at most {@code maxHeight} (0 when none is);
     * {@link SpatialLayerFilter#ALL} while no scalability structure gave the heights.
     */
    int spatialLayerForHeight(int maxHeight) {
        if (spatialHeightCount == 0) {
            return SpatialLayerFilter.ALL;
        }
        for (int i = spatialHeightCount - 1; i > 0; i--) {
            if (spatialHeights[i] <= maxHeight) {
                return i;
            }
        }
        return 0;
    }

    /**
     * The bitrate of spatial layers 0 to {@code spatial} with their temporal layers 0 to {@code temporal}, what a
     * decoder of those layers needs; {@link #temporalBitrateBps} for an encoding without spatial layers.
     */
    long layerBitrateBps(int spatial, int temporal, long nowNs) {
        if (spatialBitrates == null) {
            return temporalBitrateBps(temporal, nowNs);
        }
        long sum = 0;
        for (int s = 0, top = Math.min(spatial, SpatialLayerFilter.ALL); s <= top; s++) {
            for (int t = 0, n = Math.min(temporal, TemporalLayerFilter.ALL); t <= n; t++) {
                sum += spatialBitrates[s * TEMPORAL_LAYERS + t].bitrateBps(nowNs);
            }
        }
        return sum;
    }

    /** The highest spatial layer index that ever arrived; -1 when none did (no VP9 SVC). */
    int highestSpatialLayerSeen() {
        return 31 - Integer.numberOfLeadingZeros(spatialLayersSeen);
    }

    /** The highest spatial layer index that arrived within the last {@link #TEMPORAL_LAYER_WINDOW_NS}; -1 for none. */
    int highestSpatialLayer(long nowNs) {
        return highestRecent(spatialLayersSeen, spatialLayerSeenNs, nowNs);
    }

    /**
     * Whether the packet {@code sequence} was received and forwarded already: a publisher's retransmission of what
     * arrived (libwebrtc probes its uplink with copies of recent packets on the RTX stream) or a duplicate on the way.
     * Subscribers got it once; a second copy under the same sequence number only fails their SRTP replay check, and
     * the transport-wide number it took reads as lost.
     */
    boolean alreadyForwarded(int sequence, long nowNs) {
        return history != null && history.contains(sequence, nowNs);
    }

    /**
     * A sender report of this stream (RFC 3550 §6.4.1): its NTP ↔ RTP pair is the publisher's clock, which the
     * reports toward subscribers carry on so that they keep the publisher's audio and video in sync.
     */
    void onSenderReport(long ntpTimestamp, long rtpTimestamp, long nowNs) {
        statistics.onSenderReport(ntpTimestamp, nowNs);
        senderClockKnown = true;
        senderNtpTimestamp = ntpTimestamp;
        senderRtpTimestamp = rtpTimestamp;
        senderReportNs = nowNs;
    }

    /** Whether a sender report gave the publisher's clock. */
    boolean senderClockKnown() {
        return senderClockKnown;
    }

    /** The publisher's NTP time at {@code nowNs}, from its last sender report. */
    long senderNtpAt(long nowNs) {
        return NtpTime.plusNanos(senderNtpTimestamp, Math.max(0, nowNs - senderReportNs));
    }

    /** The RTP timestamp (in this stream's numbering) the publisher's clock is at {@code nowNs}. */
    long senderRtpAt(long nowNs) {
        long elapsedTicks = Math.max(0, nowNs - senderReportNs) * clockRateHz / 1_000_000_000L;
        return (senderRtpTimestamp + elapsedTicks) & 0xFFFF_FFFFL;
    }

    /** Copies the stored packet {@code sequence} to {@code destination}; its length, or ≤ 0 when it is gone. */
    int copyFromHistory(int sequence, long nowNs, MutableDirectBuffer destination) {
        return history == null ? PacketHistory.ABSENT : history.copyOut(sequence, nowNs, destination, 0);
    }

    /** The reader of this encoding's dependency descriptors (video only). */
    FrameDependencyReader dependencies() {
        return dependencies;
    }

    /** NACK words (PID and BLP) for the packets due to be asked for again; 0 when nothing is due. */
    int collectNacks(long nowNs, long rttNs, int[] words) {
        if (nack == null || ssrc == 0) {
            return 0;
        }
        int count = nack.collectRequests(nowNs, rttNs, words);
        if (count > 0) {
            nacksSent++;
        }
        return count;
    }

    /**
     * Whether a keyframe request may go to the publisher now (one per throttle interval, PLI and FIR alike); counts
     * it when it may.
     *
     * @return {@link KeyframeRequestThrottle#SUPPRESSED}, or else for a FIR its command sequence number (RFC 5104
     *     §4.3.1.1) and for a PLI 0
     */
    int tryKeyframeRequest(long nowNs, boolean fir) {
        if (ssrc == 0) {
            return KeyframeRequestThrottle.SUPPRESSED;
        }
        int passed = fir ? keyframeThrottle.tryFir(nowNs)
            : keyframeThrottle.tryPli(nowNs) ? 0 : KeyframeRequestThrottle.SUPPRESSED;
        if (passed != KeyframeRequestThrottle.SUPPRESSED) {
            keyframeRequests++;
        }
        return passed;
    }

    /** Whether a packet arrived within {@code windowNs} before {@code nowNs}. */
    boolean isActive(long nowNs, long windowNs) {
        return packets > 0 && nowNs - lastPacketNs < windowNs;
    }

    long packets() {
        return packets;
    }

    long bytes() {
        return bytes;
    }

    long nacksSent() {
        return nacksSent;
    }

    long keyframeRequests() {
        return keyframeRequests;
    }

    long bitrateBps(long nowNs) {
        return bitrate.bitrateBps(nowNs);
    }

    /**
     * The bitrate of temporal layers 0 to {@code layer} together, what a decoder of that layer needs; the whole
     * encoding's for audio.
     */
    long temporalBitrateBps(int layer, long nowNs) {
        if (temporalBitrates == null) {
            return bitrate.bitrateBps(nowNs);
        }
        long sum = 0;
        for (int i = 0, n = Math.min(layer, TemporalLayerFilter.ALL); i <= n; i++) {
            sum += temporalBitrates[i].bitrateBps(nowNs);
        }
        return sum;
    }

    /** The highest temporal layer index that ever arrived; -1 when none did. */
    int highestTemporalLayerSeen() {
        return 31 - Integer.numberOfLeadingZeros(temporalLayersSeen);
    }

    /**
     * The highest temporal layer index that arrived within the last {@link #TEMPORAL_LAYER_WINDOW_NS}; -1 when none
     * did (the encoding carries no temporal layer indices).
     */
    int highestTemporalLayer(long nowNs) {
        return highestRecent(temporalLayersSeen, temporalLayerSeenNs, nowNs);
    }

    /** The highest index n of {@code seen} (bit n) whose {@code seenNs[n]} lies within the layer window. */
    private static int highestRecent(int seen, long[] seenNs, long nowNs) {
        for (int i = seenNs.length - 1; i >= 0; i--) {
            if ((seen & 1 << i) != 0 && nowNs - seenNs[i] < TEMPORAL_LAYER_WINDOW_NS) {
                return i;
            }
        }
        return -1;
    }
}
