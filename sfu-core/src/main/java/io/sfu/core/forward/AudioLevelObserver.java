package io.sfu.core.forward;

/**
 * Elects a room's dominant speaker from the RFC 6464 audio levels its publishers send: each interval the publisher
 * whose audio was loudest on average (lowest level in -dBov) becomes dominant, but a challenger must beat the
 * current speaker by {@value #DOMINANCE_MARGIN_DB} dB, or the current speaker must have gone silent, so that two
 * equally loud voices do not flap.
 */
final class AudioLevelObserver {
    /** Average levels at or above this (quieter than -120 dBov) count as silence. */
    static final int SILENCE_THRESHOLD = Producer.SILENCE_LEVEL - 7;
    static final int DOMINANCE_MARGIN_DB = 6;

    private final String roomKey;
    private final ForwardingListener listener;
    private String dominantParticipant;

    AudioLevelObserver(String roomKey, ForwardingListener listener) {
        this.roomKey = roomKey;
        this.listener = listener;
    }

    /**
     * Closes the interval of every audio producer and reports a new dominant speaker, if there is one; returns that
     * participant's id, or null when the dominant speaker did not change.
     */
    String elect(Iterable<Producer> producers) {
        Producer loudest = null;
        for (Producer producer : producers) {
            if (producer.video) {
                continue;
            }
            long average = producer.closeLevelInterval();
            if (average < SILENCE_THRESHOLD && (loudest == null || average < loudest.lastAverageLevel())) {
                loudest = producer;
            }
        }
        if (loudest == null) {
            return null;
        }
        String challenger = loudest.spec.participantId();
        if (challenger.equals(dominantParticipant)) {
            return null;
        }
        long currentLevel = Producer.SILENCE_LEVEL;
        for (Producer producer : producers) {
            if (!producer.video && producer.spec.participantId().equals(dominantParticipant)) {
                currentLevel = Math.min(currentLevel, producer.lastAverageLevel());
            }
        }
        if (currentLevel < SILENCE_THRESHOLD && currentLevel - loudest.lastAverageLevel() < DOMINANCE_MARGIN_DB) {
            return null;
        }
        dominantParticipant = challenger;
        if (listener != null) {
            listener.onDominantSpeaker(roomKey, challenger);
        }
        return challenger;
    }
}
