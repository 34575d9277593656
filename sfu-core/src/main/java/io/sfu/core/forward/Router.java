package io.sfu.core.forward;

import org.agrona.collections.Object2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * One room on its forwarding agent: the tracks published in it, the subscriptions to them, the dominant-speaker
 * election and, when set, last-N (each subscriber gets the video of the N most recent speakers). Producers and consumers change only through its methods, on the agent's thread.
 */
final class Router {
    /** An encoding that received nothing for this long is not offered to subscribers. */
    static final long ACTIVE_LAYER_WINDOW_NS = 1_500_000_000L;

    final String roomKey;
    private final Egress egress;
    private final long keyframeIntervalNs;
    private final int retransmitBudgetPercent;
    private final Object2ObjectHashMap<String, Producer> producers = new Object2ObjectHashMap<>();
    private final Object2ObjectHashMap<String, Consumer> consumers = new Object2ObjectHashMap<>();
    private final AudioLevelObserver audioLevels;
    private int legs;
    /** Video forwarded to a subscriber from this many most recent speakers other than itself; 0: from everyone. */
    private int lastN;
    /** Every participant that publishes here, the most recent dominant speaker first, then by arrival. */
    private final List<String> speakers = new ArrayList<>();
    /** A change of who publishes that last-N has not yet been applied to (done at the next layer tick). */
    private boolean speakersChanged;
    /** The participant the last election chose, null before the first. */
    private String dominantSpeaker;

    Router(String roomKey, Egress egress, ForwardingListener listener, long keyframeIntervalNs,
           int retransmitBudgetPercent) {
        this.roomKey = roomKey;
        this.egress = egress;
        this.keyframeIntervalNs = keyframeIntervalNs;
        this.retransmitBudgetPercent = retransmitBudgetPercent;
        this.audioLevels = new AudioLevelObserver(roomKey, listener);
    }

    void onLegAdded() {
        legs++;
    }

    /** Removes the leg's producers (with their consumers) and consumers; true when the room has no leg left. */
    boolean onLegRemoved(Leg leg) {
        for (Producer producer : new ArrayList<>(leg.producers)) {
            dropProducer(producer);
        }
        for (Consumer consumer : new ArrayList<>(leg.consumers)) {
            dropConsumer(consumer);
        }
        return --legs == 0;
    }

    /**
     * Adds a published track, or replaces the one with the same track id (a renegotiation changed its codecs or
     * encodings): the replaced track's subscribers are carried over and start again at the next keyframe.
     */
    void addProducer(Leg leg, ProducerSpec spec, long nowNs) {
        Producer old = producers.get(spec.trackId());
        List<Consumer> carried = new ArrayList<>();
        if (old != null) {
            for (int i = 0; i < old.consumerCount(); i++) {
                carried.add(old.consumer(i));
            }
            dropProducer(old);
        }
        Producer producer = new Producer(spec, leg, egress, keyframeIntervalNs);
        producers.put(spec.trackId(), producer);
        leg.addProducer(producer);
        if (!speakers.contains(spec.participantId())) {
            speakers.add(spec.participantId());
        }
        for (Consumer consumer : carried) {
            attachConsumer(consumer.leg, consumer.spec, producer, nowNs).continueFrom(consumer);
        }
    }

    void removeProducer(String trackId) {
        Producer producer = producers.get(trackId);
        if (producer != null) {
            dropProducer(producer);
        }
    }

    void setProducerMuted(String trackId, boolean muted, long nowNs) {
        Producer producer = producers.get(trackId);
        if (producer != null) {
            producer.muted(muted, nowNs);
        }
    }

    /**
     * Starts forwarding a producer of this room to {@code leg} (a subscriber's). A producer that is not (or no
     * longer) here makes this a no-op; the control plane removes the subscription with the track.
     */
    void addConsumer(Leg leg, ConsumerSpec spec, long nowNs) {
        Producer producer = producers.get(spec.producerTrackId());
        if (producer == null) {
            return;
        }
        Consumer old = consumers.get(spec.consumerId());
        if (old != null) {
            dropConsumer(old);
        }
        attachConsumer(leg, spec, producer, nowNs);
    }

    private Consumer attachConsumer(Leg leg, ConsumerSpec spec, Producer producer, long nowNs) {
        Consumer consumer = Consumer.of(spec, leg, producer, egress, retransmitBudgetPercent);
        consumers.put(spec.consumerId(), consumer);
        leg.addConsumer(consumer);
        producer.addConsumer(consumer);
        consumer.pause(Consumer.PAUSED_BY_LAST_N, !inLastN(consumer), nowNs);
        consumer.chooseLayer(nowNs, ACTIVE_LAYER_WINDOW_NS);
        return consumer;
    }

    void removeConsumer(String consumerId) {
        Consumer consumer = consumers.get(consumerId);
        if (consumer != null) {
            dropConsumer(consumer);
        }
    }

    void preferLayer(String consumerId, int layer, long nowNs) {
        Consumer consumer = consumers.get(consumerId);
        if (consumer != null) {
            consumer.preferLayer(layer, nowNs, ACTIVE_LAYER_WINDOW_NS);
            // a higher layer the estimate does not allow yet: probe for it now rather than at the next decision
            consumer.leg.prober.consider(nowNs);
        }
    }

    void preferTemporalLayer(String consumerId, int maxTemporalLayer) {
        Consumer consumer = consumers.get(consumerId);
        if (consumer != null) {
            consumer.preferTemporalLayer(maxTemporalLayer);
        }
    }

    void preferSpatialLayer(String consumerId, int maxSpatialLayer, int maxHeight, long nowNs) {
        Consumer consumer = consumers.get(consumerId);
        if (consumer != null) {
            consumer.preferSpatialLayer(maxSpatialLayer, maxHeight, nowNs, ACTIVE_LAYER_WINDOW_NS);
            consumer.leg.prober.consider(nowNs);
        }
    }

    void pauseConsumer(String consumerId, boolean paused, long nowNs) {
        Consumer consumer = consumers.get(consumerId);
        if (consumer != null) {
            consumer.pause(Consumer.PAUSED_BY_SUBSCRIBER, paused, nowNs);
        }
    }

    void lastN(int lastN, long nowNs) {
        this.lastN = Math.max(0, lastN);
        applyLastN(nowNs);
    }

    /** Pauses the video of those no longer among each subscriber's last N speakers, resumes those now among them. */
    private void applyLastN(long nowNs) {
        speakersChanged = false;
        for (Consumer consumer : consumers.values()) {
            consumer.pause(Consumer.PAUSED_BY_LAST_N, !inLastN(consumer), nowNs);
        }
    }

    /** Whether the consumer's track is forwarded under last-N: audio always; video of the N latest speakers. */
    private boolean inLastN(Consumer consumer) {
        if (lastN == 0 || !consumer.producer.video || consumer.leg.relay) {
            return true;
        }
        String publisher = consumer.producer.spec.participantId();
        int rank = 0;
        for (int i = 0, n = speakers.size(); i < n && rank < lastN; i++) {
            String speaker = speakers.get(i);
            if (speaker.equals(publisher)) {
                return true;
            }
            if (!speaker.equals(consumer.leg.participantId)) {
                rank++;
            }
        }
        return false;
    }

    private void dropProducer(Producer producer) {
        for (int i = producer.consumerCount() - 1; i >= 0; i--) {
            dropConsumer(producer.consumer(i));
        }
        producers.remove(producer.trackId());
        producer.leg.removeProducer(producer);
        String participant = producer.spec.participantId();
        boolean stillPublishes = false;
        for (Producer other : producers.values()) {
            stillPublishes |= other.spec.participantId().equals(participant);
        }
        if (!stillPublishes && speakers.remove(participant)) {
            speakersChanged = true;
        }
    }

    private void dropConsumer(Consumer consumer) {
        consumers.remove(consumer.id());
        consumer.producer.removeConsumer(consumer);
        consumer.leg.removeConsumer(consumer);
    }

    /** Every half second: each consumer re-decides its layer, and the dominant speaker is elected. */
    void onLayerTick(long nowNs) {
        // the election first: the layers chosen next favour the speaker it found
        String elected = audioLevels.elect(producers.values());
        if (elected != null) {
            dominantSpeaker = elected;
        }
        if (elected != null && speakers.remove(elected)) {
            speakers.add(0, elected);
            speakersChanged = true;
        }
        for (Consumer consumer : consumers.values()) {
            consumer.chooseLayer(nowNs, ACTIVE_LAYER_WINDOW_NS);
        }
        if (speakersChanged && lastN > 0) {
            applyLastN(nowNs);
        }
    }

    /** The participant the last audio-level election chose (whose video subscribers' downlinks favour), or null. */
    String dominantSpeaker() {
        return dominantSpeaker;
    }

    /** Every second: the counters the control plane reads. */
    void publishCounters(long nowNs) {
        for (Producer producer : producers.values()) {
            producer.publishCounters(nowNs, ACTIVE_LAYER_WINDOW_NS);
        }
        for (Consumer consumer : consumers.values()) {
            consumer.publishCounters(nowNs);
        }
    }
}
