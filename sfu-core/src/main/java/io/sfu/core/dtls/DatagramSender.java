package io.sfu.core.dtls;

/**
 * Where a DTLS endpoint writes its outgoing datagrams: usually the SFU's shared UDP socket, addressed to the
 * peer's current ICE-selected address.
 *
 * <p>Called from the handshake executor's threads (one at a time per endpoint, but not always the same thread),
 * so an implementation must be thread-safe and must not block for long. It must not keep {@code data} after
 * returning: the array is reused.
 */
@FunctionalInterface
public interface DatagramSender {

    /** Sends one datagram holding {@code data[off, off + len)}. A failure to send is the same as a loss. */
    void send(byte[] data, int off, int len);
}
