package io.sfu.core.forward;

import io.sfu.core.feedback.BitrateEstimator;

/**
 * One subscription on the forwarding path: the subscriber's own SSRC, sequence-number and timestamp spaces
 * (continuous across simulcast layer switches and late joins), the payload-type and extension-id maps to the
 * subscriber's numbering, and the simulcast layer it receives.
 */
final class Consumer {
    final ConsumerSpec spec;
    final ForwardTransport transport;
    final Producer producer;
    final int ssrc;
    final int rtxSsrc;
    final int[] payloadTypeMap;
    final int[] rtxPayloadTypeMap;
    final int[] extensionIdMap;

    int preferredLayer;
    int targetLayer;
    int currentLayer = -1;
    boolean paused;

    // rewriting: out = in + delta, per the layer currently forwarded
    boolean started;
    int switchInSequence;
    int sequenceDelta;
    long timestampDelta;
    int highestOutSequence;
    long highestOutTimestamp;
    long lastOutNs;
    int rtxSequence;

    long packets;
    long bytes;
    long dropped;
    long nacksReceived;
    long retransmitted;
    long keyframeRequestsReceived;
    long reportedLost;
    final BitrateEstimator bitrate = new BitrateEstimator();

    Consumer(ConsumerSpec spec, ForwardTransport transport, Producer producer) {
        this.spec = spec;
        this.transport = transport;
        this.producer = producer;
        this.ssrc = spec.ssrc();
        this.rtxSsrc = spec.rtxSsrc();
        this.payloadTypeMap = spec.payloadTypeMap().clone();
        this.rtxPayloadTypeMap = spec.rtxPayloadTypeMap().clone();
        this.extensionIdMap = spec.extensionIdMap().clone();
        this.preferredLayer = Math.min(spec.preferredLayer(), producer.streams.length - 1);
        this.targetLayer = preferredLayer;
        this.rtxSequence = spec.rtxSsrc() & 0x7FFF;
    }

    /** Starts forwarding {@code layer} at a packet with sequence number and timestamp {@code inSeq}/{@code inTs}. */
    void switchTo(int layer, int inSeq, long inTs, long nowNs) {
        if (started) {
            sequenceDelta = (highestOutSequence + 1 - inSeq) & 0xFFFF;
            long elapsedTicks = Math.max(1, (nowNs - lastOutNs) * producer.clockRateHz / 1_000_000_000L);
            timestampDelta = (highestOutTimestamp + elapsedTicks - inTs) & 0xFFFF_FFFFL;
        } else {
            sequenceDelta = 0;
            timestampDelta = 0;
            highestOutSequence = (inSeq - 1) & 0xFFFF;
            highestOutTimestamp = inTs;
            started = true;
        }
        switchInSequence = inSeq;
        currentLayer = layer;
    }

    /**
     * Takes over the outgoing sequence and timestamp spaces of the consumer this one replaces (same subscription,
     * renegotiated track), so the subscriber sees the replaced track continue without a jump.
     */
    void continueFrom(Consumer previous) {
        if (previous.started) {
            started = true;
            highestOutSequence = previous.highestOutSequence;
            highestOutTimestamp = previous.highestOutTimestamp;
            lastOutNs = previous.lastOutNs;
            rtxSequence = previous.rtxSequence;
            packets = previous.packets;
            bytes = previous.bytes;
        }
    }

    /**
     * True when {@code inSeq} comes before the packet this layer started at, so it belongs to another mapping.
     * The start point trails the stream by at most {@link #SWITCH_WINDOW} packets (see {@link #onSent}), so that a
     * long-lived layer never wraps the 16-bit comparison around.
     */
    boolean precedesSwitch(int inSeq) {
        return ((inSeq - switchInSequence) & 0x8000) != 0;
    }

    /** How far behind the newest forwarded packet the switch point may trail: far beyond any useful NACK. */
    static final int SWITCH_WINDOW = 0x1000;

    void onSent(int outSeq, long outTs, int length, long nowNs) {
        if (((outSeq - highestOutSequence) & 0xFFFF) < 0x8000) {
            highestOutSequence = outSeq;
            highestOutTimestamp = outTs;
            lastOutNs = nowNs;
            int inSeq = (outSeq - sequenceDelta) & 0xFFFF;
            if (((inSeq - switchInSequence) & 0xFFFF) > 2 * SWITCH_WINDOW) {
                switchInSequence = (inSeq - SWITCH_WINDOW) & 0xFFFF;
            }
        }
        packets++;
        bytes += length;
        bitrate.onBytes(length, nowNs);
    }

    String id() {
        return spec.consumerId();
    }
}
