package io.sfu.core.transport;

import io.sfu.core.buffer.PacketPool;
import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.ice.IceLiteSession;
import io.sfu.core.net.IceTcpServer;
import io.sfu.core.net.MediaOutput;
import io.sfu.core.net.MediaSocket;
import io.sfu.core.stun.StunAddress;
import io.sfu.core.stun.StunMessage;
import io.sfu.core.stun.StunMessageType;
import io.sfu.core.testing.Await;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.sfu.core.transport.DemultiplexerTest.LOCAL;
import static io.sfu.core.transport.DemultiplexerTest.REMOTE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ICE-TCP joins the UDP path: a framed check on a real TCP connection reaches the ICE-lite responder on the media
 * receive thread, is answered on the same connection with the connection's address, selects that path, and packets
 * sent to the path go out framed on it; once ICE forgets the path, the connection closes.
 */
@Timeout(30)
class IceTcpDemultiplexingTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final PacketPool pool = new PacketPool(64);
    private final MediaSocket udp;
    private final IceTcpServer tcp;
    private final MediaOutput output;
    private final Demultiplexer demultiplexer;
    private final WebRtcTransport transport = new WebRtcTransport("t", new IceLiteSession(LOCAL, System::nanoTime));

    IceTcpDemultiplexingTest() throws IOException {
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        udp = MediaSocket.bind(loopback, pool);
        tcp = IceTcpServer.bind(loopback, pool, new IceTcpServer.Settings(8, 64 * 1024, Duration.ofSeconds(20),
            Duration.ofSeconds(20)));
        output = new MediaOutput(udp, tcp);
        demultiplexer = new Demultiplexer(output);
        demultiplexer.pathListener(tcp);
        transport.receiver(new MediaReceiver() {
            @Override
            public boolean onMedia(PacketSlot slot) {
                return false;
            }

            @Override
            public boolean onPathSelected(InetSocketAddress path) {
                return true;
            }
        });
        transport.ice().remoteCredentials(REMOTE);
        demultiplexer.register(LOCAL.ufrag(), transport);
        udp.start(demultiplexer);
        tcp.start(udp::handOver);
    }

    @AfterEach
    void close() {
        tcp.close();
        udp.close();
        assertThat(pool.inUse()).as("packet slots in use after close").isZero();
    }

    private static void writeFrame(DataOutputStream out, byte[] packet) throws IOException {
        out.writeShort(packet.length);
        out.write(packet);
        out.flush();
    }

    private static byte[] readFrame(DataInputStream in) throws IOException {
        byte[] packet = new byte[in.readUnsignedShort()];
        in.readFully(packet);
        return packet;
    }

    @Test
    void aCheckOverTcpIsAnsweredOnItsConnectionAndMediaFollowsThePath() throws Exception {
        try (Socket client = new Socket()) {
            client.setTcpNoDelay(true);
            client.connect(tcp.localAddress());
            client.setSoTimeout((int) WAIT.toMillis());
            InetSocketAddress clientAddress = (InetSocketAddress) client.getLocalSocketAddress();
            DataOutputStream out = new DataOutputStream(client.getOutputStream());
            DataInputStream in = new DataInputStream(client.getInputStream());

            writeFrame(out, DemultiplexerTest.check(LOCAL, LOCAL, true));
            byte[] response = readFrame(in);

            StunMessage stun = new StunMessage();
            assertThat(stun.wrap(new UnsafeBuffer(response), 0, response.length)).isTrue();
            assertThat(stun.messageType()).isEqualTo(StunMessageType.BINDING_SUCCESS_RESPONSE);
            StunAddress mapped = new StunAddress();
            assertThat(stun.xorMappedAddress(mapped)).isTrue();
            assertThat(mapped.toInetSocketAddress()).isEqualTo(clientAddress);
            assertThat(demultiplexer.iceChecksValid()).isEqualTo(1);
            Await.until("the TCP path to be selected", WAIT, () -> clientAddress.equals(transport.selectedPath()));

            assertThat(output.send(ByteBuffer.wrap("media".getBytes(StandardCharsets.US_ASCII)), clientAddress))
                .isTrue();
            assertThat(new String(readFrame(in), StandardCharsets.US_ASCII)).isEqualTo("media");
            assertThat(udp.sendFailureCount()).isZero();

            // the peer connection closes: its selected path's connection ends at once, with no packet passing
            transport.close();
            demultiplexer.unregister(LOCAL.ufrag(), transport);
            demultiplexer.forget(transport);
            assertThat(closedByPeer(in)).isTrue();
            Await.until("the connection to be counted closed", WAIT, () -> tcp.openConnections() == 0);
            assertThat(tcp.closedForgottenCount()).isEqualTo(1);
        }
    }

    private static boolean closedByPeer(DataInputStream in) throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }
}
