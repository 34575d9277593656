package io.sfu.core.forward;

/** What a forwarding agent reports upward; called on the agent's thread, so implementations hand off at once. */
public interface ForwardingListener {
    /** The loudest publisher of a room changed (RFC 6464 audio levels averaged over the last interval). */
    void onDominantSpeaker(String roomKey, String participantId);
}
