package io.sfu.core.sctp;

/** One DATA chunk we send: a fragment of a queued message, then in flight until acknowledged or abandoned. */
final class OutboundChunk {
    byte[] data;
    int length;
    int streamId;
    int ppid;
    boolean unordered;
    boolean beginning;
    boolean end;
    /** Assigned on first transmission, so that a message dropped before it was ever sent leaves no gap. */
    int ssn;
    int tsn;
    /** -1: no limit (RFC 3758 §3.1 partial reliability). */
    int maxRetransmits;
    /** Long.MAX_VALUE: no lifetime limit. */
    long expiresAtNanos;
    int transmissions;
    long sentAtNanos;
    boolean acked;
    boolean needsRetransmit;
    boolean abandoned;
    int missIndications;
    boolean fastRetransmitted;

    void clear() {
        data = null;
        length = 0;
        transmissions = 0;
        acked = false;
        needsRetransmit = false;
        abandoned = false;
        missIndications = 0;
        fastRetransmitted = false;
    }
}
