package io.sfu.core.transport;

import io.sfu.core.buffer.PacketSlot;

import java.net.InetSocketAddress;

/**
 * Where a {@link WebRtcTransport} hands what the receive thread learns for the forwarding side: its SRTP and SRTCP
 * datagrams, and the path ICE selected. Both calls come from the receive thread and must only hand over.
 */
public interface MediaReceiver {
    /**
     * An SRTP or SRTCP datagram of the transport, classified ({@link PacketSlot#kind()}).
     *
     * @return true when the slot was taken (someone else releases it), false when the caller keeps it
     */
    boolean onMedia(PacketSlot slot);

    /**
     * ICE selected {@code path} (a nomination, or the peer moved): media goes there from now on.
     *
     * @return false when the change could not be handed over now (it is offered again with the next check)
     */
    boolean onPathSelected(InetSocketAddress path);
}
