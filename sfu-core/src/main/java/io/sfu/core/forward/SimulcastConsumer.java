package io.sfu.core.forward;

/**
 * A consumer of a simulcast track: it receives the subscriber's preferred encoding, or the highest one actually
 * arriving below it (a publisher drops its top layers when its uplink is short), or the highest whose bitrate fits
 * the subscriber's share of its estimated downlink, and switches at a keyframe of the new one, asking for that
 * keyframe when the target changes.
 */
final class SimulcastConsumer extends Consumer {
    private int preferredLayer;
    private int targetLayer;

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
        if (leg.bandwidth.hasFeedback()) {
            target = Math.min(target, producer.highestLayerWithin(leg.videoShareBps(nowNs), currentLayer, nowNs));
        }
        targetLayer = target;
        super.chooseLayer(nowNs, activeWindowNs);
    }

    private int clamp(int layer) {
        return Math.max(0, Math.min(layer, producer.streams.length - 1));
    }
}
