package io.sfu.core.net;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The media port's way out whatever the peer's transport: to a relayed address through the TURN server, to a peer
 * connected over ICE-TCP through its connection, to everyone else through the UDP socket. While no allocation and
 * no TCP connection exist the UDP path costs two volatile reads.
 */
public final class MediaOutput implements DatagramOutput {
    private final DatagramOutput udp;
    private final IceTcpServer tcp;
    private final RelayOutput relay;

    /** @param tcp the ICE-TCP listener, or null when ICE-TCP is off */
    public MediaOutput(DatagramOutput udp, IceTcpServer tcp) {
        this(udp, tcp, null);
    }

    /**
     * @param tcp  the ICE-TCP listener, or null when ICE-TCP is off
     * @param relay the TURN server, or null when TURN is off
     */
    public MediaOutput(DatagramOutput udp, IceTcpServer tcp, RelayOutput relay) {
        this.udp = udp;
        this.tcp = tcp;
        this.relay = relay;
    }

    @Override
    public boolean send(ByteBuffer datagram, InetSocketAddress target) {
        if (relay != null && relay.relaying()) {
            int relayed = relay.sendIfRelayed(datagram, target);
            if (relayed != RelayOutput.NOT_RELAYED) {
                return relayed == RelayOutput.SENT;
            }
        }
        if (tcp != null && tcp.hasConnections()) {
            int sent = tcp.sendIfConnected(datagram, target);
            if (sent != IceTcpServer.NOT_CONNECTED) {
                return sent == IceTcpServer.SENT;
            }
        }
        return udp.send(datagram, target);
    }
}
