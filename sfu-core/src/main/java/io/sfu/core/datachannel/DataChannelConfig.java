package io.sfu.core.datachannel;

/**
 * The settings of the data channels of one peer connection.
 *
 * @param port                  the SCTP port on both sides (a=sctp-port), 5000 by default
 * @param maxMessageBytes       largest message sent or received (a=max-message-size), 262144 by default
 * @param maxSendBufferBytes    message bytes queued or in flight per association, 4 MiB by default
 * @param maxReceiveBufferBytes bytes kept for reassembly and reordering per association (and our SCTP receive
 *                              window), 1 MiB by default; at least maxMessageBytes
 * @param maxChannels           SCTP streams announced each way, which bounds the channels open at once; 1024
 */
public record DataChannelConfig(int port, int maxMessageBytes, long maxSendBufferBytes, long maxReceiveBufferBytes,
                                int maxChannels) {
    public static final int DEFAULT_PORT = 5000;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 262_144;

    public DataChannelConfig {
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be positive: " + maxMessageBytes);
        }
        if (maxSendBufferBytes < maxMessageBytes) {
            throw new IllegalArgumentException("maxSendBufferBytes must hold one message: " + maxSendBufferBytes);
        }
        if (maxReceiveBufferBytes < maxMessageBytes) {
            throw new IllegalArgumentException("maxReceiveBufferBytes must hold one message: " + maxReceiveBufferBytes);
        }
        if (maxChannels < 1 || maxChannels > 0xFFFF) {
            throw new IllegalArgumentException("maxChannels must be 1..65535: " + maxChannels);
        }
    }

    public static DataChannelConfig defaults() {
        return new DataChannelConfig(DEFAULT_PORT, DEFAULT_MAX_MESSAGE_BYTES, 4L << 20, 1L << 20, 1024);
    }
}
