package io.sfu.core.net;

import io.sfu.core.buffer.PacketPool;
import io.sfu.core.testing.Allocations;
import io.sfu.core.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The media port's output picks the peer's transport: a peer with an ICE-TCP connection gets its packets framed on
 * it, every other peer through UDP, and the UDP path allocates nothing whether TCP connections are open or not.
 */
@Timeout(30)
class MediaOutputTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final InetSocketAddress UDP_PEER = new InetSocketAddress("127.0.0.1", 40000);

    private final AtomicLong udpSends = new AtomicLong();
    private final DatagramOutput udp = (datagram, target) -> {
        udpSends.incrementAndGet();
        datagram.position(datagram.limit());
        return true;
    };

    @Test
    void aTcpPeerGetsItsPacketsOnItsConnectionAndEveryOtherPeerThroughUdpWithoutAllocating() throws Exception {
        PacketPool pool = new PacketPool(8);
        try (IceTcpServer tcp = IceTcpServer.bind(new InetSocketAddress("127.0.0.1", 0), pool,
                new IceTcpServer.Settings(4, 64 * 1024, Duration.ofSeconds(20), Duration.ofSeconds(20)))) {
            tcp.start(slot -> false);
            MediaOutput output = new MediaOutput(udp, tcp);
            ByteBuffer packet = ByteBuffer.allocate(100);
            Runnable sendToUdpPeer = () -> {
                packet.clear();
                output.send(packet, UDP_PEER);
            };
            assertThat(Allocations.bytesPerRun(sendToUdpPeer)).as("bytes per UDP send, no TCP connection")
                .isZero();

            try (Socket client = new Socket()) {
                client.connect(tcp.localAddress());
                client.setSoTimeout((int) WAIT.toMillis());
                Await.until("the connection", WAIT, () -> tcp.openConnections() == 1);
                long udpBefore = udpSends.get();

                assertThat(output.send(ByteBuffer.wrap(new byte[] {1, 2, 3}),
                    (InetSocketAddress) client.getLocalSocketAddress())).isTrue();
                DataInputStream in = new DataInputStream(client.getInputStream());
                assertThat(in.readUnsignedShort()).isEqualTo(3);
                assertThat(in.readNBytes(3)).containsExactly(1, 2, 3);
                assertThat(udpSends.get()).isEqualTo(udpBefore);

                assertThat(Allocations.bytesPerRun(sendToUdpPeer)).as("bytes per UDP send beside a TCP connection")
                    .isZero();
                InetSocketAddress tcpPeer = (InetSocketAddress) client.getLocalSocketAddress();
                Runnable sendToTcpPeer = () -> {
                    packet.clear();
                    output.send(packet, tcpPeer);
                };
                // written, queued or, once the peer's window and the write buffer are full, dropped: never allocated
                assertThat(Allocations.bytesPerRun(sendToTcpPeer)).as("bytes per TCP send").isZero();
            }
        }
        assertThat(pool.inUse()).isZero();
    }
}
