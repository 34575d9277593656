package io.sfu.core.datachannel;

/** Placeholder of the settings of a {@link DataChannelEndpoint}; replaced by the SCTP stack. */
public record DataChannelConfig(int port, int maxMessageBytes, long maxSendBufferBytes, long maxReceiveBufferBytes,
                                int maxChannels) {
    public static DataChannelConfig defaults() {
        return new DataChannelConfig(5000, 262144, 4L << 20, 4L << 20, 1024);
    }
}
