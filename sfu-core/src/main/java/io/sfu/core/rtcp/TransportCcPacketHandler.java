package io.sfu.core.rtcp;

/** Receives the per-packet reports of a transport-wide congestion control feedback, in sequence order. */
@FunctionalInterface
public interface TransportCcPacketHandler {
    /**
     * One reported packet.
     *
     * @param sequenceNumber the transport-wide sequence number, 0..65535
     * @param status one of the {@code TransportCcFeedback.STATUS_*} symbols
     * @param deltaUs for a received packet with a delta: its arrival time minus the previous such packet's (the
     *     reference time for the first), in microseconds, possibly negative; 0 otherwise
     */
    void onPacket(int sequenceNumber, int status, int deltaUs);
}
