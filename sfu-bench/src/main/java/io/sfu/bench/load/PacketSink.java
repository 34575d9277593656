package io.sfu.bench.load;

/**
 * Where a media source puts its RTP payloads: an {@link io.sfu.client.RtpSender} in a run, a recording list in
 * tests. Called on the client loop thread; the payload array is reused after the call returns.
 */
public interface PacketSink {
    /**
     * Sends one packet.
     *
     * @return false when the packet was refused (not connected yet, track not accepted)
     */
    boolean send(byte[] payload, int offset, int length, boolean marker, long rtpTimestamp);

    /** The RFC 6464 audio level of the next packets; ignored by video sinks. */
    default void audioLevel(int levelDbov, boolean voice) {
    }
}
