package io.sfu.core.dtls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A handshake between two endpoints over real UDP sockets on the loopback interface. */
class DtlsLoopbackUdpTest {

    private final TrackingExecutor executor = new TrackingExecutor(2);

    @AfterEach
    void shutDown() throws InterruptedException {
        executor.close();
    }

    /** Sends to one fixed peer address from one socket; a failure is a loss, as the sender contract says. */
    private static DatagramSender udpSender(DatagramSocket socket, InetSocketAddress peer) {
        return (data, off, len) -> {
            try {
                socket.send(new DatagramPacket(data, off, len, peer));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** The I/O thread: reads the socket and hands DTLS datagrams (RFC 7983: first byte 20 to 63) to the endpoint. */
    private static Thread reader(DatagramSocket socket, AtomicReference<DtlsEndpoint> endpoint) {
        Thread thread = new Thread(() -> {
            byte[] buf = new byte[2048];
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                while (true) {
                    packet.setLength(buf.length);
                    socket.receive(packet);
                    int first = buf[0] & 0xFF;
                    if (packet.getLength() > 0 && first >= 20 && first <= 63) {
                        endpoint.get().offer(buf, 0, packet.getLength());
                    }
                }
            } catch (SocketException closed) {
                // socket closed: the test is over
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "udp-reader-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Test
    void handshakeCompletesOverLoopbackUdp() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        DtlsCertificate serverCertificate = DtlsCertificate.generate();
        DtlsCertificate clientCertificate = DtlsCertificate.generate();
        DtlsConfig config = DtlsConfig.builder().initialRetransmitMillis(100)
            .handshakeTimeout(Duration.ofSeconds(20)).build();

        try (DatagramSocket serverSocket = new DatagramSocket(new InetSocketAddress(loopback, 0));
             DatagramSocket clientSocket = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            InetSocketAddress serverAddress = (InetSocketAddress) serverSocket.getLocalSocketAddress();
            InetSocketAddress clientAddress = (InetSocketAddress) clientSocket.getLocalSocketAddress();
            AtomicReference<DtlsEndpoint> serverRef = new AtomicReference<>();
            AtomicReference<DtlsEndpoint> clientRef = new AtomicReference<>();
            DtlsEndpoint server = new DtlsEndpoint(DtlsRole.SERVER, serverCertificate,
                DtlsFingerprint.parse(clientCertificate.fingerprint()), udpSender(serverSocket, clientAddress),
                executor, config);
            DtlsEndpoint client = new DtlsEndpoint(DtlsRole.CLIENT, clientCertificate,
                DtlsFingerprint.parse(serverCertificate.fingerprint()), udpSender(clientSocket, serverAddress),
                executor, config);
            serverRef.set(server);
            clientRef.set(client);
            Thread serverReader = reader(serverSocket, serverRef);
            Thread clientReader = reader(clientSocket, clientRef);

            CompletableFuture<DtlsResult> serverFuture = server.start();
            CompletableFuture<DtlsResult> clientFuture = client.start();
            DtlsResult serverResult = serverFuture.get(30, TimeUnit.SECONDS);
            DtlsResult clientResult = clientFuture.get(30, TimeUnit.SECONDS);

            assertThat(serverResult.srtpProfileId()).isEqualTo(DtlsSrtpProfiles.AEAD_AES_128_GCM);
            assertThat(clientResult.keyingMaterial()).isEqualTo(serverResult.keyingMaterial());
            assertThat(serverResult.peerFingerprint().toSdp()).isEqualTo(clientCertificate.fingerprint());
            assertThat(server.queuedDatagrams()).isPositive();
            assertThat(server.sentDatagrams()).isPositive();

            client.close();
            server.close();
            serverSocket.close();
            clientSocket.close();
            serverReader.join(5000);
            clientReader.join(5000);
            assertThat(serverReader.isAlive()).isFalse();
            assertThat(executor.awaitIdle(Duration.ofSeconds(10))).isTrue();
        }
    }
}
