package io.sfu.core.forward;

/**
 * A consumer on a relay leg: sends one encoding of a track to another node of a cluster, every temporal and spatial
 * layer of it, from its first keyframe on, so that the peer's own consumers choose layers as for a local publisher.
 * No estimate applies to it (the relay hop is the cluster's own network).
 */
final class RelayConsumer extends Consumer {
    private final int encoding;

    RelayConsumer(ConsumerSpec spec, Leg leg, Producer producer, Egress egress, int retransmitBudgetPercent) {
        super(spec, leg, producer, egress, retransmitBudgetPercent);
        this.encoding = Math.min(spec.relayedEncoding(), producer.streams.length - 1);
        // the relay's SRTP contexts outlive a leg: a stream sent again under the same key goes on from its last
        // numbers (the same ones again would use keystream twice)
        int next = leg.transport.nextSendSequence(ssrc);
        if (next >= 0) {
            space.continueAfter((next - 1) & 0xFFFF);
        }
        int nextRtx = rtxSsrc == 0 ? -1 : leg.transport.nextSendSequence(rtxSsrc);
        if (nextRtx >= 0) {
            rtxSequence = (nextRtx - 1) & 0xFFFF;
        }
    }

    @Override
    int targetLayer() {
        return encoding;
    }

    /** Asks for the keyframe its encoding starts at while none was sent; never holds a layer back. */
    @Override
    void chooseLayer(long nowNs, long activeWindowNs) {
        spatial.aim(producer.streams[encoding]);
        if (currentLayer != encoding && !isPaused()) {
            producer.requestKeyframe(encoding, nowNs);
        }
    }
}
