package io.sfu.core.net;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** Where outgoing datagrams go: the media socket in the server, a counting sink in benchmarks. */
public interface DatagramOutput {
    /**
     * Sends {@code datagram}'s remaining bytes to {@code target} before returning; the buffer may be reused at
     * once. Returns false when the datagram was dropped (counted by the implementation). Never throws.
     */
    boolean send(ByteBuffer datagram, InetSocketAddress target);
}
