package io.sfu.signaling.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfu.core.testing.Await;
import io.sfu.signaling.TestServer;
import io.sfu.signaling.WsClient;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The connection bounds of the HTTP server, over real sockets: the total cap, the per-address cap (secret mode
 * only) and the idle timeout. One over a cap gets a clear status and the API's error body, is counted, and changes
 * nothing else.
 */
class ConnectionLimitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestServer server;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** An HTTP response read off a bare socket. */
    private record Reply(int status, String head, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private Socket open() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.server().httpAddress().getPort()), 10_000);
        socket.setSoTimeout(10_000);
        sockets.add(socket);
        return socket;
    }

    /** One keep-alive request on the socket; the response is read whole (by its content-length). */
    private static Reply get(Socket socket, String path, String authorization) throws IOException {
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return new Reply(Integer.parseInt(head.substring(9, 12)), head, new String(body, StandardCharsets.UTF_8));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed before a response: " + head);
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** True once the server closed the socket (end of stream); fails if it stays open for 10 s. */
    private static boolean closedByServer(Socket socket) throws IOException {
        return socket.getInputStream().read() == -1;
    }

    private double refused(String reason) throws Exception {
        return server.get("/metrics").body().lines()
            .filter(l -> l.startsWith("sfu_http_connections_refused_total{") && l.contains("reason=\"" + reason + "\""))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private void awaitNoConnections() {
        Await.until("the server to see every test socket closed", Duration.ofSeconds(10),
            () -> server.server().metrics().openConnections() == 0);
    }

    @Test
    void oneConnectionOverTheTotalCapGets503AndIsClosedAndCounted() throws Exception {
        server = TestServer.devMode("http.maxConnections", "3");
        for (int i = 0; i < 3; i++) {
            assertThat(get(open(), "/healthz", null).status()).isEqualTo(200);
        }
        assertThat(server.server().metrics().openConnections()).isEqualTo(3);

        Socket over = open();
        Reply refused = get(over, "/healthz", null);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.json().path("error").path("code").asText()).isEqualTo("forbidden");
        assertThat(refused.json().path("error").path("message").asText()).contains("maximum of 3 connections");
        assertThat(closedByServer(over)).isTrue();
        assertThat(WsClient.refusal(server.wsUri("/v1/rtc?room=r1&identity=late"))).isEqualTo(503);
        assertThat(server.server().metrics().openConnections()).as("refused ones are not held").isEqualTo(3);

        sockets.get(0).close();
        awaitNoMoreThan(2);
        assertThat(refused("total")).isEqualTo(2.0);
        assertThat(refused("per_address")).isZero();
        assertThat(server.get("/v1/rooms").json().path("rooms")).as("the refused join created nothing").isEmpty();
    }

    private void awaitNoMoreThan(int open) {
        Await.until("the server to count at most " + open + " connections", Duration.ofSeconds(10),
            () -> server.server().metrics().openConnections() <= open);
    }

    @Test
    void oneConnectionOverThePerAddressCapGets429InSecretMode() throws Exception {
        server = TestServer.secretMode("http.maxConnectionsPerAddress", "2");
        String key = "Bearer " + TestServer.SECRET;
        for (int i = 0; i < 2; i++) {
            assertThat(get(open(), "/healthz", null).status()).isEqualTo(200);
        }
        Socket over = open();
        Reply refused = get(over, "/v1/rooms", key);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().path("error").path("message").asText())
            .contains("too many connections from 127.0.0.1", "at most 2");
        assertThat(closedByServer(over)).isTrue();

        for (Socket socket : sockets) {
            socket.close();
        }
        awaitNoConnections();
        assertThat(refused("per_address")).isEqualTo(1.0);
        assertThat(refused("total")).isZero();
    }

    @Test
    void devModeHasNoPerAddressCap() throws Exception {
        server = TestServer.devMode("http.maxConnectionsPerAddress", "1");
        for (int i = 0; i < 3; i++) {
            assertThat(get(open(), "/healthz", null).status()).isEqualTo(200);
        }
    }

    @Test
    void aSignalingWebSocketHoldsItsConnectionUntilItCloses() throws Exception {
        server = TestServer.devMode("http.maxConnections", "1");
        try (WsClient alice = WsClient.connect(server.wsUri("/v1/rtc?room=r1&identity=alice"))) {
            alice.next("joined");
            assertThat(get(open(), "/healthz", null).status()).as("the socket takes the one connection")
                .isEqualTo(503);
            alice.send(WsClient.message("leave"));
            assertThat(alice.awaitClose()).isEqualTo(CloseCodes.NORMAL);
        }
        awaitNoConnections();
        assertThat(get(open(), "/healthz", null).status()).isEqualTo(200);
    }

    @Test
    void anIdleConnectionIsClosedAndUncounted() throws Exception {
        server = TestServer.devMode("http.idleTimeoutSeconds", "2", "signaling.pingIntervalSeconds", "1");
        Socket idle = open();
        assertThat(get(idle, "/healthz", null).status()).isEqualTo(200);
        assertThat(closedByServer(idle)).as("closed by the server within the read timeout").isTrue();
        awaitNoConnections();
    }

    @Test
    void connectionsThatNeverSendAByteCountAgainstTheCapAndTheExcessIsClosed() throws Exception {
        server = TestServer.devMode("http.maxConnections", "2");
        Socket first = open();
        Socket second = open();
        Await.until("the server to count two silent connections", Duration.ofSeconds(10),
            () -> server.server().metrics().openConnections() == 2);

        Socket over = open();
        assertThat(closedByServer(over)).as("the silent third is refused and closed").isTrue();
        assertThat(server.server().metrics().openConnections()).isEqualTo(2);

        first.close();
        second.close();
        awaitNoConnections();
        assertThat(refused("total")).isEqualTo(1.0);
    }
}
