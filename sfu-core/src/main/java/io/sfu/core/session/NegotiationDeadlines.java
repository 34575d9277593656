package io.sfu.core.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The participants held to negotiate media within a fixed time, so that one that joined and never negotiates gives
 * its room slot back. Every deadline is the same timeout after the moment it started, and moments only advance, so
 * the queue is in due order and an expiry check looks at its head alone.
 */
final class NegotiationDeadlines {
    private record Deadline(Participant participant, long dueNs) {
    }

    private final long timeoutNs;
    private final ArrayDeque<Deadline> pending = new ArrayDeque<>();

    /** @param timeoutNs how long a participant has to negotiate once held to it; 0 holds no one */
    NegotiationDeadlines(long timeoutNs) {
        this.timeoutNs = timeoutNs;
    }

    /** Holds the participant to the deadline from {@code nowNs}, unless it negotiated or is held already. */
    void start(Participant participant, long nowNs) {
        if (timeoutNs <= 0 || participant.negotiated() || participant.negotiationDue()) {
            return;
        }
        participant.negotiationDue(true);
        pending.addLast(new Deadline(participant, nowNs + timeoutNs));
    }

    /** Removes and returns the participants whose deadline passed at {@code nowNs} without a negotiation. */
    List<Participant> expired(long nowNs) {
        List<Participant> expired = new ArrayList<>();
        while (!pending.isEmpty() && nowNs - pending.peekFirst().dueNs() >= 0) {
            Participant participant = pending.pollFirst().participant();
            if (participant.isActive() && !participant.negotiated()) {
                expired.add(participant);
            }
        }
        return expired;
    }
}
