package io.sfu.core.sctp;

/** What an association tells its user; called on the thread that drives the association, during its calls. */
public interface SctpListener {
    /** The handshake completed (RFC 9260 §5.1): messages may flow. */
    void onEstablished();

    /** One complete message; the bytes are valid during the call only. */
    void onMessage(int streamId, int ppid, boolean unordered, byte[] buf, int off, int len);

    /** The peer reset its outgoing stream (RFC 6525 §5.2.2): our incoming stream {@code streamId} restarts. */
    void onIncomingStreamReset(int streamId);

    /** Our outgoing stream reset was performed by the peer (RFC 6525 §5.2.4). */
    void onOutgoingStreamReset(int streamId);

    /** The association is gone: aborted, shut down, or failed; nothing more will be sent or received. */
    void onClosed(String reason);
}
