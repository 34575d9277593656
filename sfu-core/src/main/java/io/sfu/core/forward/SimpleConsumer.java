package io.sfu.core.forward;

/** A consumer of a track with one encoding: it starts at the first keyframe and stays on it. */
final class SimpleConsumer extends Consumer {
    SimpleConsumer(ConsumerSpec spec, Leg leg, Producer producer, Egress egress, int retransmitBudgetPercent) {
        super(spec, leg, producer, egress, retransmitBudgetPercent);
    }

    @Override
    int targetLayer() {
        return 0;
    }
}
