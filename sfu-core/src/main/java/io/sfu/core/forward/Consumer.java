package io.sfu.core.forward;

import io.sfu.core.feedback.BitrateEstimator;
import io.sfu.core.feedback.NtpTime;
import io.sfu.core.feedback.RetransmissionLimiter;
import io.sfu.core.rtcp.GenericNack;
import io.sfu.core.rtcp.ReportBlock;
import io.sfu.core.rtcp.SenderReport;
import io.sfu.core.rtp.DependencyDescriptor;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.rtp.RtxPacket;
import io.sfu.core.rtp.codec.Vp9PayloadParser;
import io.sfu.core.rtp.codec.VpxPayloadParser;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.IntConsumer;

/**
 * One subscription on the forwarding path: which of the producer's encodings the subscriber receives (decided by
 * the variant), and everything its own: the SSRCs it was told about, the sequence-number and timestamp spaces,
 * payload-type and extension-id maps into its numbering, the temporal and spatial layers it forwards (by VP8's and
 * VP9's payload descriptor, or by the dependency descriptor for any codec) with its own picture ids and TL0PICIDX and
 * the marker bit where its pictures end, and the answers to its NACKs (bounded by a {@link RetransmissionLimiter})
 * and keyframe requests. Owned by the agent of its producer.
 */
abstract class Consumer {
    final ConsumerSpec spec;
    /** The subscriber's leg, which the packets go out on. */
    final Leg leg;
    final Producer producer;
    final int ssrc;
    final int rtxSsrc;
    private final int[] payloadTypeMap;
    private final int[] rtxPayloadTypeMap;
    private final int[] extensionIdMap;
    private final Egress egress;
    final OutputSpace space = new OutputSpace();
    final PictureSpace pictures = new PictureSpace();
    final TemporalLayerFilter temporal = new TemporalLayerFilter();
    final SpatialLayerFilter spatial = new SpatialLayerFilter();
    /**
     * What is added to the dependency descriptor's frame numbers going out (16 bits): 0 on the first encoding, then
     * at each switch what continues them from the last sent, so a receiver never sees a keyframe's number fall behind
     * the last one (libwebrtc drops such a keyframe) when simulcast encodings number their frames apart.
     */
    private int frameNumberDelta;
    /** The newest frame number sent, -1 before the first. */
    private int lastOutFrameNumber = -1;
    /** For VP8 without picture ids: whether the frame under way (since its first packet) is forwarded. */
    private boolean frameForwarded = true;
    /** What this consumer may take of its leg's downlink estimate, as the leg's last allocation gave it. */
    long shareBps;
    /** What this consumer wanted beyond its lowest layer at the leg's last allocation. */
    long shareNeedBps;
    /** The encoding being forwarded, or -1 before the first packet went out. */
    int currentLayer = -1;
    /** The subscriber turned the track off. */
    static final int PAUSED_BY_SUBSCRIBER = 1;
    /** The track's publisher is not among the room's last-N speakers this subscriber sees. */
    static final int PAUSED_BY_LAST_N = 2;
    /** Why nothing is forwarded now (a set of the reasons above): forwarding resumes when none is left. */
    private int pausedBy;
    /** The last sequence number of its RTX stream; a relay consumer continues its transport's. */
    int rtxSequence;
    /** The payload type (in the subscriber's numbering) of the last packet sent, -1 before the first. */
    private int lastPayloadType = -1;
    private final IntConsumer retransmitter = this::retransmit;
    private final RetransmissionLimiter limiter;
    private long retransmitNowNs;

    private long packets;
    private long bytes;
    private long dropped;
    private long nacksReceived;
    private long retransmitted;
    private long keyframeRequestsReceived;
    private long reportedLost;
    private long temporalLayerDrops;
    private long spatialLayerDrops;
    private final BitrateEstimator bitrate = new BitrateEstimator();
    /** The last sender reports sent (a power of two): their NTP middle 32 bits and when they went out. */
    private static final int SENT_REPORTS = 4;
    private final int[] sentReportMiddle32 = new int[SENT_REPORTS];
    private final long[] sentReportNs = new long[SENT_REPORTS];
    private int reportsSent;

    Consumer(ConsumerSpec spec, Leg leg, Producer producer, Egress egress, int retransmitBudgetPercent) {
        this.spec = spec;
        this.leg = leg;
        this.producer = producer;
        this.egress = egress;
        this.ssrc = spec.ssrc();
        this.rtxSsrc = spec.rtxSsrc();
        this.payloadTypeMap = spec.payloadTypeMap().clone();
        this.rtxPayloadTypeMap = spec.rtxPayloadTypeMap().clone();
        this.extensionIdMap = spec.extensionIdMap().clone();
        this.rtxSequence = spec.rtxSsrc() & 0x7FFF;
        this.temporal.prefer(spec.maxTemporalLayer());
        if (spec.maxSpatialHeight() > 0) {
            this.spatial.preferHeight(spec.maxSpatialHeight());
        } else {
            this.spatial.prefer(spec.maxSpatialLayer());
        }
        this.limiter = new RetransmissionLimiter(producer.video ? ProducerStream.VIDEO_HISTORY_PACKETS
            : ProducerStream.AUDIO_HISTORY_PACKETS, retransmitBudgetPercent, RetransmissionLimiter.DEFAULT_FLOOR_BPS,
            RetransmissionLimiter.DEFAULT_MAX_PER_NACK);
    }

    /**
     * A consumer of the variant {@code producer} needs: simulcast when it has several encodings. Its resends take at
     * most {@code retransmitBudgetPercent} of its bitrate (see {@link RetransmissionLimiter}).
     */
    static Consumer of(ConsumerSpec spec, Leg leg, Producer producer, Egress egress, int retransmitBudgetPercent) {
        if (spec.relayedEncoding() >= 0) {
            return new RelayConsumer(spec, leg, producer, egress, retransmitBudgetPercent);
        }
        return producer.streams.length > 1
            ? new SimulcastConsumer(spec, leg, producer, egress, retransmitBudgetPercent)
            : new SimpleConsumer(spec, leg, producer, egress, retransmitBudgetPercent);
    }

    String id() {
        return spec.consumerId();
    }

    /** The encoding this consumer wants next; a packet of it starts (or switches to) it at a keyframe. */
    abstract int targetLayer();

    /**
     * Re-decides the target layer from what arrives ({@link Router} calls it every half second); while the target
     * is not what is forwarded, asks the publisher (throttled) for the keyframe that starts it.
     */
    void chooseLayer(long nowNs, long activeWindowNs) {
        int layer = targetLayer();
        ProducerStream stream = producer.streams[layer];
        if (producer.video && leg.bandwidth.hasFeedback()) {
            long share = leg.videoShareBps(this, nowNs);
            boolean same = layer == currentLayer;
            // the spatial layers (of VP9 SVC), then the temporal layers of those, to forward within the share, of
            // the encoding forwarded next
            int spatialLayer = SpatialLayerFilter.ALL;
            if (stream.highestSpatialLayerSeen() >= 0) {
                spatialLayer = producer.highestSpatialLayerWithin(layer, wantedSpatialLayer(stream),
                    temporal.preferred(), share, same ? spatial.current() : -1, nowNs);
                spatial.allocate(spatialLayer);
            }
            temporal.allocate(producer.highestTemporalLayerWithin(layer, spatialLayer, share,
                same ? temporal.allocated() : -1, nowNs));
        }
        spatial.aim(stream);
        if ((currentLayer != layer || spatial.awaitsKeyframe(stream)) && pausedBy == 0) {
            producer.requestKeyframe(layer, nowNs);
        }
    }

    /** The highest spatial layer of {@code stream} the subscriber wants and the publisher sent. */
    private int wantedSpatialLayer(ProducerStream stream) {
        return Math.min(spatial.preferred(stream), stream.highestSpatialLayerSeen());
    }

    /** The subscriber's preferred layer, as an index into the producer's encodings. */
    void preferLayer(int layer, long nowNs, long activeWindowNs) {
        chooseLayer(nowNs, activeWindowNs);
    }

    /** The subscriber's highest temporal layer (0 to {@link TemporalLayerFilter#ALL}); it applies at the next frame. */
    final void preferTemporalLayer(int maxTemporalLayer) {
        temporal.prefer(maxTemporalLayer);
    }

    /**
     * The subscriber's highest spatial layer of VP9 SVC: {@code maxSpatialLayer}, or with a positive
     * {@code maxHeight} the highest layer no taller. Down at the next picture; up at a keyframe, asked for here.
     */
    final void preferSpatialLayer(int maxSpatialLayer, int maxHeight, long nowNs, long activeWindowNs) {
        if (maxHeight > 0) {
            spatial.preferHeight(maxHeight);
        } else {
            spatial.prefer(maxSpatialLayer);
        }
        chooseLayer(nowNs, activeWindowNs);
    }

    /**
     * Forwards one packet of {@code stream} (its sequence number read once for every consumer; for VP8 and VP9, its
     * payload descriptor and the layers of its frame, else null), unless it belongs to a layer this consumer does not
     * receive now.
     */
    final void onRtp(ProducerStream stream, RtpPacket rtp, int sequence, boolean keyframe,
                     VpxPayloadParser descriptor, FrameLayers layers, long nowNs) {
        if (pausedBy != 0) {
            return;
        }
        int layer = stream.index;
        if (layer != currentLayer) {
            if (layer != targetLayer() || (!keyframe && producer.video) || !leg.transport.canSend()) {
                return;
            }
            space.switchTo(sequence, rtp.timestamp(), producer.clockRateHz, nowNs);
            spatial.aim(stream);
            if (layers != null) {
                pictures.switchTo(layers.frameId, layers.frameIdBits, layers.tl0PicIdx);
                if (layers.frameNumber >= 0) {
                    frameNumberDelta = lastOutFrameNumber < 0 ? 0 : (lastOutFrameNumber + 1 - layers.frameNumber)
                        & 0xFFFF;
                }
            }
            currentLayer = layer;
        } else if (space.precedesSwitch(sequence)) {
            return;
        }
        int outPicture = -1;
        boolean endsPicture = false;
        if (layers != null) {
            if (!spatial.admit(layers.spatialId, rtp.timestamp(), keyframe)) {
                spatialLayerDrops++;
                drop(rtp, sequence, nowNs);
                return;
            }
            outPicture = select(layers, keyframe);
            if (outPicture == DROP) {
                temporalLayerDrops++;
                drop(rtp, sequence, nowNs);
                return;
            }
            endsPicture = spatial.endsPicture(layers.spatialId, layers.endOfLayerFrame);
        }
        int outSequence = space.take(sequence);
        if (outSequence < 0) {
            return;
        }
        long outTimestamp = space.outTimestamp(rtp.timestamp());
        int outTl0 = descriptor != null ? pictures.outTl0(descriptor.tl0PicIdx()) : -1;
        int sent = send(rtp.buffer(), rtp.offset(), rtp.length(), outSequence, outTimestamp,
            pictures.renumbering() ? descriptor : null, outPicture, outTl0, endsPicture, false, nowNs);
        if (sent > 0) {
            space.onSent(outSequence, outTimestamp, nowNs);
            if (!leg.bridge) {
                egress.onForwarded();
            }
            packets++;
            bytes += sent;
            bitrate.onBytes(sent, nowNs);
        }
    }

    /**
     * Leaves out a packet of a frame this consumer does not forward. A late one had its number kept for it, and a
     * receiver that follows frames by sequence number alone waits for every number: padding fills it.
     */
    private void drop(RtpPacket rtp, int sequence, long nowNs) {
        int kept = space.drop(sequence);
        if (kept >= 0) {
            fillWithPadding(rtp.payloadType(), kept, space.outTimestamp(rtp.timestamp()), nowNs);
        }
    }

    /** What {@link #select} answers for a packet this consumer does not forward. */
    private static final int DROP = -2;

    /**
     * Decides whether a VP8 or VP9 packet is forwarded, by the temporal layer of its frame: {@link #DROP} when it is
     * not, else the picture id it goes out with (-1 when it carries none).
     */
    private int select(FrameLayers layers, boolean keyframe) {
        if (layers.frameId < 0) {
            // nothing tells frames apart: the first packet of each decides the rest of it
            if (layers.startOfFrame) {
                frameForwarded = temporal.admit(layers.temporalId, layers.syncLayers, keyframe);
            }
            return frameForwarded ? -1 : DROP;
        }
        int outPicture = pictures.outPicture(layers.frameId, layers.tl0PicIdx, layers.temporalId, layers.syncLayers,
            keyframe, temporal);
        return outPicture < 0 ? DROP : outPicture;
    }

    /** Octets of padding in a packet that stands in for one not forwarded. */
    private static final int PADDING_OCTETS = 4;

    /**
     * Sends a packet of padding alone (RFC 3550 §5.1) as {@code outSequence}: a receiver takes it as received and
     * not part of any frame. Best effort: what the socket refuses is counted as a failed send.
     */
    private void fillWithPadding(int publisherPayloadType, int outSequence, long outTimestamp, long nowNs) {
        int payloadType = payloadTypeMap[publisherPayloadType];
        if (payloadType < 0 || !leg.transport.canSend()) {
            return;
        }
        int length = egress.writer.wrap(egress.scratch, 0, egress.scratch.capacity()).payloadType(payloadType)
            .sequenceNumber(outSequence).timestamp(outTimestamp).ssrc(ssrc).padding(PADDING_OCTETS).length();
        egress.sendMedia(leg, length, 0, producer.video, nowNs);
    }

    /**
     * Sends again, as RTX where negotiated, each packet a subscriber's NACK reports lost, as far as the
     * {@link RetransmissionLimiter} allows (what it refuses is counted).
     */
    final void onNack(GenericNack nack, long nowNs) {
        if (currentLayer < 0) {
            return;
        }
        nacksReceived++;
        retransmitNowNs = nowNs;
        limiter.onNack(nowNs, bitrate.bitrateBps(nowNs), leg.retransmitHeadroomBps(nowNs));
        nack.forEachLost(retransmitter);
    }

    private void retransmit(int outSequence) {
        int inSequence = space.inSequence(outSequence);
        if (inSequence < 0 || space.precedesSwitch(inSequence)) {
            return;
        }
        long nowNs = retransmitNowNs;
        if (limiter.admit(outSequence, nowNs, leg.rtt.smoothedRttNs()) != RetransmissionLimiter.ALLOWED) {
            return;
        }
        UnsafeBuffer stored = egress.retransmitBuffer;
        int length = producer.streams[currentLayer].copyFromHistory(inSequence, nowNs, stored);
        RtpPacket original = egress.retransmitted;
        if (length <= 0 || !original.wrap(stored, 0, length) || !limiter.spend(length)) {
            return;
        }
        long outTimestamp = space.outTimestamp(original.timestamp());
        VpxPayloadParser descriptor = producer.resendDescriptor(original.payloadType(), egress);
        int outPicture = -1;
        int outTl0 = -1;
        boolean endsPicture = false;
        if (descriptor != null && descriptor.parse(stored, original.payloadOffset(), original.payloadLength())) {
            outPicture = descriptor.pictureId() < 0 ? -1 : pictures.sentPicture(descriptor.pictureId());
            if (descriptor.pictureId() >= 0 && outPicture < 0) {
                return; // its frame was not forwarded, or is too old to be numbered as it was
            }
            outTl0 = pictures.outTl0(descriptor.tl0PicIdx());
            if (descriptor instanceof Vp9PayloadParser vp9) {
                endsPicture = spatial.endsPicture(vp9.spatialId(), vp9.endOfFrame());
            }
        } else {
            descriptor = null;
            endsPicture = endsPictureByDependencies(original);
        }
        boolean asRtx = rtxSsrc != 0 && rtxPayloadTypeMap[Math.max(0, payloadTypeMap[original.payloadType()])] >= 0;
        if (send(stored, 0, length, outSequence, outTimestamp, descriptor, outPicture, outTl0, endsPicture, asRtx,
            nowNs) > 0) {
            limiter.onResent(outSequence, nowNs);
            retransmitted++;
        }
    }

    /**
     * Whether a stored packet sent again ends the picture for this consumer by its dependency descriptor (the end of
     * a frame of the highest spatial layer forwarded), as it did when first sent.
     */
    private boolean endsPictureByDependencies(RtpPacket original) {
        int id = producer.leg.extensionIds().dependencyDescriptor();
        long found = id > 0 && spatial.current() >= 0 ? original.findExtension(id) : RtpPacket.NOT_FOUND;
        if (found == RtpPacket.NOT_FOUND) {
            return false;
        }
        int offset = RtpPacket.valueOffset(found);
        int length = RtpPacket.valueLength(found);
        int spatialId = producer.streams[currentLayer].dependencies().spatialIdOfTemplate(original.buffer(), offset,
            length);
        return spatialId >= 0 && spatial.endsPicture(spatialId, DependencyDescriptor.endOfFrame(original.buffer(),
            offset));
    }

    /**
     * Forwards nothing more until the next packet this consumer can start at (a keyframe of its target layer, for
     * video, asked for here; the publisher's throttle lets one request per layer through), which continues its
     * numbering; what was sent before can no longer be resent.
     */
    final void restart(long nowNs) {
        currentLayer = -1;
        temporal.reset();
        spatial.reset();
        if (producer.video) {
            producer.requestKeyframe(targetLayer(), nowNs);
        }
    }

    /**
     * Pauses this subscription for {@code reason}, or lifts that reason. Once no reason is left it starts again as
     * after a mute: at a keyframe of its target layer (asked for here), numbered on from its last packet.
     */
    final void pause(int reason, boolean paused, long nowNs) {
        int before = pausedBy;
        pausedBy = paused ? pausedBy | reason : pausedBy & ~reason;
        if (before != 0 && pausedBy == 0) {
            restart(nowNs);
        }
    }

    /** A PLI or FIR from the subscriber: passed on (throttled) to the publisher for the layer it receives. */
    final void onKeyframeRequest(long nowNs) {
        keyframeRequestsReceived++;
        producer.requestKeyframe(currentLayer >= 0 ? currentLayer : targetLayer(), nowNs);
    }

    /** A report block about this consumer's stream from the subscriber. */
    final void onReportBlock(ReportBlock block) {
        reportedLost = Math.max(0, block.cumulativeLost());
    }

    /**
     * Copies the packet into the agent's scratch buffer, rewrites it into this consumer's numbering (as RTX when
     * {@code asRtx}; with {@code descriptor}, the payload descriptor it was parsed with, its picture id and
     * TL0PICIDX too, where not negative; with {@code endsPicture} marked as the last packet of its picture), protects
     * and sends it. Returns the bytes sent, or -1 when dropped (counted here).
     */
    private int send(DirectBuffer buffer, int offset, int length, int outSequence, long outTimestamp,
                     VpxPayloadParser descriptor, int outPicture, int outTl0, boolean endsPicture, boolean asRtx,
                     long nowNs) {
        if (!leg.transport.canSend()) {
            dropped++;
            return -1;
        }
        UnsafeBuffer scratch = egress.scratch;
        RtpPacket out = egress.out;
        scratch.putBytes(0, buffer, offset, length);
        int publisherPayloadType = out.wrap(scratch, 0, length) ? out.payloadType() : -1;
        int payloadType = publisherPayloadType >= 0 ? payloadTypeMap[publisherPayloadType] : -1;
        if (payloadType < 0) {
            dropped++;
            return -1;
        }
        out.payloadType(payloadType).ssrc(ssrc).sequenceNumber(outSequence).timestamp(outTimestamp);
        if (endsPicture) {
            // the copy only: the stored original goes to other consumers, whose pictures may end higher up
            out.marker(true);
        }
        lastPayloadType = payloadType;
        out.remapExtensionIds(extensionIdMap);
        renumberFrame(out, publisherPayloadType);
        if (descriptor != null) {
            descriptor.rewrite(scratch, out.payloadOffset(), outPicture, outTl0);
        }
        int transportCcId = transportCcId();
        if (transportCcId > 0 && out.findExtension(transportCcId) == RtpPacket.NOT_FOUND) {
            transportCcId = 0;
        }
        if (asRtx) {
            rtxSequence = (rtxSequence + 1) & 0xFFFF;
            length = RtxPacket.wrap(out, rtxPayloadTypeMap[payloadType], rtxSsrc, rtxSequence);
        }
        int sent = egress.sendMedia(leg, length, transportCcId, producer.video, nowNs);
        if (sent < 0) {
            dropped++;
        }
        return sent;
    }

    /**
     * Puts the dependency descriptor's frame number of the copy {@code out} (its extensions already in the
     * subscriber's numbering) into this consumer's numbering, where the subscriber negotiated the descriptor and the
     * codec of {@code publisherPayloadType} needs it; else leaves it out (see {@link Producer#forwardsDependencies}).
     */
    private void renumberFrame(RtpPacket out, int publisherPayloadType) {
        int publisherId = producer.leg.extensionIds().dependencyDescriptor();
        int id = publisherId > 0 && publisherId < extensionIdMap.length ? extensionIdMap[publisherId] : 0;
        long found = id > 0 ? out.findExtension(id) : RtpPacket.NOT_FOUND;
        if (found == RtpPacket.NOT_FOUND) {
            return;
        }
        if (!producer.forwardsDependencies(publisherPayloadType)
            || !DependencyDescriptor.isValid(RtpPacket.valueLength(found))) {
            out.removeExtension(id);
            return;
        }
        int offset = RtpPacket.valueOffset(found);
        int number = (DependencyDescriptor.frameNumber(out.buffer(), offset) + frameNumberDelta) & 0xFFFF;
        if (frameNumberDelta != 0) {
            DependencyDescriptor.frameNumber(out.buffer(), offset, number);
        }
        if (lastOutFrameNumber < 0 || (short) (number - lastOutFrameNumber) > 0) {
            lastOutFrameNumber = number;
        }
    }

    /**
     * Sends one padding-only packet of {@code paddingBytes} (1..255) on this consumer's retransmission stream, for a
     * bandwidth probe: the subscriber counts it in its transport-wide feedback and discards it (RFC 4588 §4 packets
     * without an original sequence number carry nothing; libwebrtc pads the same way). Returns the bytes sent, or -1
     * when this consumer cannot pad: no RTX, nothing forwarded yet, no transport-wide sequence negotiated.
     */
    final int sendPadding(int paddingBytes, long nowNs) {
        int id = transportCcId();
        if (rtxSsrc == 0 || lastPayloadType < 0 || id <= 0 || id > 14 || pausedBy != 0 || !leg.transport.canSend()) {
            return -1;
        }
        int rtxPayloadType = rtxPayloadTypeMap[lastPayloadType];
        if (rtxPayloadType < 0) {
            return -1;
        }
        rtxSequence = (rtxSequence + 1) & 0xFFFF;
        // the transport-wide number is written as the packet leaves (see Egress#sendMedia)
        int length = egress.writer.wrap(egress.scratch, 0, egress.scratch.capacity())
            .payloadType(rtxPayloadType).sequenceNumber(rtxSequence).timestamp(space.highestOutTimestamp())
            .ssrc(rtxSsrc).extension(id, 0, 2).padding(paddingBytes).length();
        // not through the pacer: the prober paces its cluster itself and counts what has left; padding waiting in
        // the pacer would not count yet, and the prober would send more of it than the probe's rate
        return egress.sendMedia(leg, length, id, false, nowNs);
    }

    /** The subscriber's id of the transport-wide sequence extension, or 0 when what is forwarded carries none. */
    private int transportCcId() {
        int publisherId = producer.leg.extensionIds().transportCc();
        return publisherId > 0 && publisherId < extensionIdMap.length ? Math.max(0, extensionIdMap[publisherId]) : 0;
    }

    /**
     * Writes this stream's sender report (RFC 3550 §6.4.1) at the start of the scratch buffer. It carries the
     * publisher's clock when a sender report gave it (its NTP time now, and the RTP timestamp of that instant in
     * this consumer's numbering), so the subscriber syncs the publisher's audio and video as the publisher does;
     * until then the wall-clock instant {@code ntpTimestamp} and the timestamp the stream is at now. Remembers when
     * it was sent, for the round trip its echo gives. Returns its length, 0 when nothing was sent yet.
     */
    final int writeSenderReport(long ntpTimestamp, long nowNs) {
        if (!space.started() || packets == 0) {
            return 0;
        }
        ProducerStream stream = currentLayer >= 0 ? producer.streams[currentLayer] : null;
        long ntp = ntpTimestamp;
        long rtpTimestamp;
        if (stream != null && stream.senderClockKnown()) {
            ntp = stream.senderNtpAt(nowNs);
            rtpTimestamp = space.outTimestamp(stream.senderRtpAt(nowNs));
        } else {
            rtpTimestamp = space.timestampAt(nowNs, producer.clockRateHz);
        }
        int slot = reportsSent++ & (SENT_REPORTS - 1);
        sentReportMiddle32[slot] = NtpTime.middle32(ntp);
        sentReportNs[slot] = nowNs;
        return SenderReport.write(egress.scratch, 0, ssrc, ntp, rtpTimestamp, packets, bytes, 0);
    }

    /**
     * When the sender report whose NTP time's middle 32 bits are {@code lastSenderReport} (a report block's LSR)
     * was sent, among the last few; -1 when it is none of them.
     */
    final long senderReportSentNs(int lastSenderReport) {
        for (int i = 0, n = Math.min(reportsSent, SENT_REPORTS); i < n; i++) {
            if (sentReportMiddle32[i] == lastSenderReport) {
                return sentReportNs[i];
            }
        }
        return -1;
    }

    /**
     * Takes over the numbering and counts of the consumer this one replaces (same subscription, renegotiated
     * track), so the subscriber sees the track continue, and the highest temporal layer its subscriber asked for.
     */
    final void continueFrom(Consumer previous) {
        temporal.prefer(previous.temporal.preferred());
        spatial.preferAs(previous.spatial);
        if (previous.space.started()) {
            space.continueFrom(previous.space);
            pictures.continueFrom(previous.pictures);
            lastOutFrameNumber = previous.lastOutFrameNumber;
            rtxSequence = previous.rtxSequence;
            packets = previous.packets;
            bytes = previous.bytes;
        }
    }

    /** What this consumer sent over the last second, in bits per second. */
    long sentBitrateBps(long nowNs) {
        return bitrate.bitrateBps(nowNs);
    }

    /**
     * What this consumer would send were its downlink unlimited, in bits per second: what it sends, or, while the
     * estimate holds back temporal layers its subscriber wants, the encoding with them and 15% to spare. Of a stream
     * with spatial layers, what the layers the subscriber wants arrive at, and a fifth more (above the 15% a move up
     * needs), as a simulcast consumer wants its layer: were it what goes out, a share equal to it would not fit the
     * layer the next time it is measured, and the consumer would go down and up again every decision.
     */
    long wantedBps(long nowNs) {
        ProducerStream stream = producer.streams[targetLayer()];
        if (stream.highestSpatialLayerSeen() >= 0) {
            return stream.layerBitrateBps(wantedSpatialLayer(stream), temporal.preferred(), nowNs) * 120 / 100;
        }
        if (heldBackTemporally()) {
            return stream.temporalBitrateBps(temporal.preferred(), nowNs) * 115 / 100;
        }
        return bitrate.bitrateBps(nowNs);
    }

    /** Whether the downlink estimate holds this consumer below the layer it would otherwise receive. */
    boolean heldBackByDownlink() {
        return heldBackTemporally() || heldBackSpatially();
    }

    /** Whether the estimate holds back spatial layers (of VP9 SVC) the subscriber wants and the encoding has. */
    final boolean heldBackSpatially() {
        return spatial.allocated() < wantedSpatialLayer(producer.streams[targetLayer()]);
    }

    /** Whether the estimate holds back temporal layers the subscriber wants and the encoding has. */
    final boolean heldBackTemporally() {
        return temporal.allocated() < temporal.preferred()
            && temporal.allocated() < producer.streams[targetLayer()].highestTemporalLayerSeen();
    }

    boolean isPaused() {
        return pausedBy != 0;
    }

    /** Packets not forwarded because their temporal layer was above what this consumer forwards. */
    long temporalLayerDrops() {
        return temporalLayerDrops;
    }

    /** Packets not forwarded because their spatial layer was above what this consumer forwards. */
    long spatialLayerDrops() {
        return spatialLayerDrops;
    }

    /**
     * The spatial layer forwarded now: the highest one, and no higher than the encoding forwarded carries; -1 when
     * that encoding carries no spatial layer indices (or before its first keyframe).
     */
    int forwardedSpatialLayer(long nowNs) {
        if (currentLayer < 0 || spatial.current() < 0) {
            return -1;
        }
        int carried = producer.streams[currentLayer].highestSpatialLayer(nowNs);
        return carried < 0 ? -1 : Math.min(carried, spatial.current());
    }

    /**
     * The temporal layer forwarded now: the highest one up, and no higher than the encoding forwarded carries; -1
     * when that encoding carries no temporal layer indices (or before its first keyframe).
     */
    int forwardedTemporalLayer(long nowNs) {
        if (currentLayer < 0) {
            return -1;
        }
        int carried = producer.streams[currentLayer].highestTemporalLayer(nowNs);
        return carried < 0 ? -1 : Math.min(carried, temporal.forwardedLayer());
    }

    /** Resends the limiter refused, by rule. Agent thread only. */
    RetransmissionLimiter limiter() {
        return limiter;
    }

    /** Publishes this subscription's counters for the control plane. */
    final void publishCounters(long nowNs) {
        spec.counters().publish(packets, bytes, reportedLost, nacksReceived, keyframeRequestsReceived,
            bitrate.bitrateBps(nowNs), dropped, retransmitted, limiter.refused(), currentLayer);
        spec.counters().downlinkEstimateBps(leg.bandwidth.hasFeedback() ? leg.bandwidth.estimateBps() : 0);
        spec.counters().temporalLayer(forwardedTemporalLayer(nowNs), temporalLayerDrops);
        spec.counters().spatialLayer(forwardedSpatialLayer(nowNs), spatialLayerDrops);
        spec.counters().target(targetLayer(), producer.video && leg.bandwidth.hasFeedback()
            ? leg.videoShareBps(this, nowNs) : 0);
    }
}
