package io.sfu.core.net;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The media port's way out whatever the peer's transport: to a peer connected over ICE-TCP through its connection,
 * to everyone else through the UDP socket. While no TCP connection is open the UDP path costs one volatile read.
 */
public final class MediaOutput implements DatagramOutput {
    private final DatagramOutput udp;
    private final IceTcpServer tcp;

    /** @param tcp the ICE-TCP listener, or null when ICE-TCP is off */
    public MediaOutput(DatagramOutput udp, IceTcpServer tcp) {
        this.udp = udp;
        this.tcp = tcp;
    }

    @Override
    public boolean send(ByteBuffer datagram, InetSocketAddress target) {
        if (tcp != null && tcp.hasConnections()) {
            int sent = tcp.sendIfConnected(datagram, target);
            if (sent != IceTcpServer.NOT_CONNECTED) {
                return sent == IceTcpServer.SENT;
            }
        }
        return udp.send(datagram, target);
    }
}
