package io.sfu.core.datachannel;

/** Placeholder of one data channel (RFC 8831) of a {@link DataChannelEndpoint}; replaced by the SCTP stack. */
public final class DataChannel {
    private final int streamId;
    private final String label;
    private final String protocol;
    private final Reliability reliability;

    DataChannel(int streamId, String label, String protocol, Reliability reliability) {
        this.streamId = streamId;
        this.label = label;
        this.protocol = protocol;
        this.reliability = reliability;
    }

    /** Life cycle of a channel. */
    public enum State { CONNECTING, OPEN, CLOSING, CLOSED }

    /** Ordering and partial reliability (RFC 3758); -1: not limited. */
    public record Reliability(boolean ordered, int maxRetransmits, int maxLifetimeMillis) {
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

    public long bufferedBytes() {
        return 0;
    }

    public State state() {
        return State.CLOSED;
    }
}
