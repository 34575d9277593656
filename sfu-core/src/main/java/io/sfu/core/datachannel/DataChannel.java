package io.sfu.core.datachannel;

import io.sfu.core.sctp.SctpAssociation;

/** One data channel (RFC 8831): a pair of SCTP streams with one id, a label, a protocol and a reliability. */
public final class DataChannel {
    /** As RTCDataChannel's readyState. */
    public enum State { CONNECTING, OPEN, CLOSING, CLOSED }

    /**
     * How messages are delivered (RFC 8831 §6.1): in order or not, and reliably or partially so.
     *
     * @param maxRetransmits    retransmissions before a message is abandoned; -1: not limited
     * @param maxLifetimeMillis time before an unacknowledged message is abandoned; -1: not limited
     */
    public record Reliability(boolean ordered, int maxRetransmits, int maxLifetimeMillis) {
        public static final Reliability RELIABLE = new Reliability(true, -1, -1);

        public Reliability {
            if (maxRetransmits < -1 || maxLifetimeMillis < -1) {
                throw new IllegalArgumentException("-1 means not limited; other limits must be >= 0");
            }
        }

        public boolean reliable() {
            return maxRetransmits < 0 && maxLifetimeMillis < 0;
        }
    }

    private final int streamId;
    private final String label;
    private final String protocol;
    private final Reliability reliability;
    private final SctpAssociation association;
    State state;
    /** Our OPEN was acknowledged, or the peer opened it: unordered channels may now send unordered (RFC 8832 §6). */
    boolean acknowledged;
    boolean incomingReset;
    boolean outgoingReset;

    DataChannel(int streamId, String label, String protocol, Reliability reliability, SctpAssociation association,
                State state) {
        this.streamId = streamId;
        this.label = label;
        this.protocol = protocol;
        this.reliability = reliability;
        this.association = association;
        this.state = state;
    }

    public int streamId() {
        return streamId;
    }

    public String label() {
        return label;
    }

    public String protocol() {
        return protocol;
    }

    public Reliability reliability() {
        return reliability;
    }

    public State state() {
        return state;
    }

    /** Bytes of this channel's messages queued or in flight. */
    public long bufferedBytes() {
        return association.bufferedBytes(streamId);
    }

    @Override
    public String toString() {
        return "DataChannel[" + streamId + " '" + label + "' " + state + "]";
    }
}
