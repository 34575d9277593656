package io.sfu.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sfu.core.testing.SelfSignedCertificate;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS and WSS with the PEM pair of {@code http.tls}: the JDK's clients, trusting the test's self-signed
 * certificate, reach the REST API and join over the WebSocket; a client that does not trust it gets nowhere.
 */
class TlsServerTest {
    @TempDir
    Path dir;

    private SelfSignedCertificate certificate;
    private TestServer server;
    private HttpClient https;

    @BeforeEach
    void start() throws Exception {
        certificate = SelfSignedCertificate.create("EC");
        Path cert = certificate.writeCertificate(dir.resolve("cert.pem"));
        Path key = certificate.writePkcs8Key(dir.resolve("key.pem"));
        server = TestServer.secretMode("http.tls.certificate", cert.toString(), "http.tls.key", key.toString());
        https = HttpClient.newBuilder().sslContext(certificate.trustingContext()).connectTimeout(Duration.ofSeconds(5))
            .build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private URI uri(String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + server.server().httpAddress().getPort() + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return https.send(request.timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + TestServer.SECRET)
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theApiAndTheWebSocketWorkOverTls() throws Exception {
        assertThat(send(HttpRequest.newBuilder(uri("https", "/healthz"))).statusCode()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(uri("https", "/v1/rooms"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"r1\"}"))).statusCode()).isEqualTo(201);
        String token = new ObjectMapper().readTree(send(HttpRequest.newBuilder(
            uri("https", "/v1/rooms/r1/tokens")).POST(HttpRequest.BodyPublishers.ofString("{\"identity\":\"alice\"}")))
            .body()).path("token").asText();

        CompletableFuture<String> first = new CompletableFuture<>();
        WebSocket ws = https.newWebSocketBuilder().buildAsync(uri("wss", "/v1/rtc?token=" + token),
            new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    first.complete(data.toString());
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
        try {
            assertThat(first.get(10, TimeUnit.SECONDS)).contains("\"type\":\"joined\"", "\"identity\":\"alice\"");
        } finally {
            ws.abort();
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefused() {
        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(uri("https", "/healthz"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
            .isInstanceOf(IOException.class);
    }
}
