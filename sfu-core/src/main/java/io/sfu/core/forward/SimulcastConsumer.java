package io.sfu.core.forward;

/**
 * A consumer of a simulcast track: it receives the subscriber's preferred encoding, or the highest one actually
 * arriving below it (a publisher drops its top layers when its uplink is short), or the highest whose bitrate fits
 * the subscriber's share of its estimated downlink, and switches at a keyframe of the new one, asking for that
 * keyframe when the target changes. When its share falls below half of what it forwards, it stops at once rather
 * than at that keyframe.
 */
final class SimulcastConsumer extends Consumer {
    private int preferredLayer;
    private int targetLayer;
    /** The layer this consumer would receive were its downlink unlimited. */
    private int unconstrainedLayer;
    /** The times it stopped a layer at once because its share fell below half of what it forwarded. */
    private long congestionCuts;

    SimulcastConsumer(ConsumerSpec spec, Leg leg, Producer producer, Egress egress, int retransmitBudgetPercent) {
        super(spec, leg, producer, egress, retransmitBudgetPercent);
        this.preferredLayer = clamp(spec.preferredLayer());
        this.targetLayer = preferredLayer;
    }

    @Override
    int targetLayer() {
        return targetLayer;
    }

    @Override
    void preferLayer(int layer, long nowNs, long activeWindowNs) {
        preferredLayer = clamp(layer);
        chooseLayer(nowNs, activeWindowNs);
    }

    @Override
    void chooseLayer(long nowNs, long activeWindowNs) {
        int target = preferredLayer;
        int active = producer.highestActiveIndex(nowNs, activeWindowNs);
        if (active >= 0 && active < target) {
            target = active;
        }
        unconstrainedLayer = target;
        long share = -1;
        if (leg.bandwidth.hasFeedback()) {
            share = leg.videoShareBps(this, nowNs);
            target = Math.min(target, producer.highestLayerWithin(share, currentLayer, nowNs));
        }
        targetLayer = target;
        if (target < currentLayer && share >= 0 && sentBitrateBps(nowNs) > 2 * share
            && producer.streams[target].isActive(nowNs, activeWindowNs)) {
            // the path carries less than half of what goes out: the rest of this layer would be lost on the way,
            // and take the subscriber's audio with it; nothing more until the lower layer's keyframe (a layer the
            // publisher does not send now would never bring one)
            restart(nowNs);
            congestionCuts++;
        }
        super.chooseLayer(nowNs, activeWindowNs);
    }

    @Override
    boolean heldBackByDownlink() {
        return targetLayer < unconstrainedLayer || heldBackTemporally();
    }

    /** The bitrate of the layer it would take unlimited, and a fifth more: above the 15% a move up needs. */
    @Override
    long wantedBps(long nowNs) {
        return producer.streams[unconstrainedLayer].temporalBitrateBps(temporal.preferred(), nowNs) * 120 / 100;
    }

    long congestionCuts() {
        return congestionCuts;
    }

    private int clamp(int layer) {
        return Math.max(0, Math.min(layer, producer.streams.length - 1));
    }
}
