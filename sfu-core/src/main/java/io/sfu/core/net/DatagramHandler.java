package io.sfu.core.net;

import io.sfu.core.buffer.PacketSlot;

/** The next stage after the socket: decides what happens to each received datagram's slot. */
@FunctionalInterface
public interface DatagramHandler {
    /**
     * Called on the socket's receive thread. Returns true when the handler kept the slot (handed it on, and someone
     * will release it), false when it is done with it and the socket may reuse it. A handler that throws must not
     * have kept the slot.
     */
    boolean onDatagram(PacketSlot slot);

    /**
     * Called on the receive thread when the socket had nothing to read and its wait ended (a wake-up, or about a
     * second of silence), so that work queued for that thread does not wait for the next datagram, which on a
     * quiet server may never come. Must not throw.
     */
    default void onIdle() {
    }
}
