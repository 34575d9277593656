package io.sfu.core.datachannel;

/** What became of a message handed to {@link DataChannelEndpoint#send}. */
public enum SendResult {
    /** Accepted into the send buffer (copied); it goes out as the windows allow. */
    SENT,
    /** The association's send buffer cannot take it; nothing was queued (counted). */
    DROPPED_BUFFER_FULL,
    /** The channel is closing or closed, or the association is not established. */
    CLOSED,
    /** Larger than the endpoint's maximum message size (a=max-message-size). */
    TOO_LARGE
}
