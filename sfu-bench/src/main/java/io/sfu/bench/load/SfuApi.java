package io.sfu.bench.load;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The SFU's REST API as the harness uses it: create rooms, issue tokens (with the API secret), delete rooms, read
 * {@code /metrics}, and the WebSocket address of a join. Every call has a timeout; errors carry the status and the
 * API's error body.
 */
public final class SfuApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI base;
    private final String secret;
    private final HttpClient http;

    /**
     * @param url    {@code http://HOST:PORT} (a path after it is ignored)
     * @param secret the API secret, or null in dev mode
     */
    public SfuApi(String url, String secret) {
        URI parsed = URI.create(url);
        if (!"http".equals(parsed.getScheme()) && !"https".equals(parsed.getScheme())) {
            throw new IllegalArgumentException("--url must be http://HOST:PORT or https://HOST:PORT: " + url);
        }
        if (parsed.getHost() == null) {
            throw new IllegalArgumentException("--url has no host: " + url);
        }
        this.base = URI.create(parsed.getScheme() + "://" + parsed.getRawAuthority());
        this.secret = secret == null || secret.isEmpty() ? null : secret;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /** The HTTP client, shared by the WebSockets of a run. */
    public HttpClient http() {
        return http;
    }

    public URI base() {
        return base;
    }

    /**
     * The local address this machine uses to reach the SFU's host (a UDP socket connected towards it tells, without
     * sending anything): loopback for a local SFU, the outgoing interface's address for a remote one.
     */
    public InetAddress localAddressTowardsSfu() throws IOException {
        InetAddress host = InetAddress.getByName(base.getHost());
        if (host.isLoopbackAddress()) {
            return host;
        }
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(new InetSocketAddress(host, 9));
            InetAddress local = probe.getLocalAddress();
            if (local == null || local.isAnyLocalAddress()) {
                throw new IOException("no local address reaches " + host + ": give --bind");
            }
            return local;
        }
    }

    /** Whether joins need a token. */
    public boolean secretMode() {
        return secret != null;
    }

    /** An API failure: the HTTP status and body. */
    public static final class ApiException extends IOException {
        private final int status;

        ApiException(String message, int status) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /**
     * Creates a room; an existing room (409, made by another shard of the run, say) counts as success.
     *
     * @return true when this call created it
     */
    public boolean createRoom(String name, int maxParticipants) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("name", name).put("maxParticipants", maxParticipants);
        HttpResponse<String> response = send(request("/v1/rooms").header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        if (response.statusCode() == 201) {
            return true;
        }
        if (response.statusCode() == 409) {
            return false;
        }
        throw failure("POST /v1/rooms " + name, response);
    }

    /** Deletes a room; a room that is gone already is fine. */
    public void deleteRoom(String name) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request("/v1/rooms/" + encode(name)).DELETE());
        if (response.statusCode() != 204 && response.statusCode() != 404) {
            throw failure("DELETE /v1/rooms/" + name, response);
        }
    }

    /** A join token (secret mode). */
    public String token(String room, String identity, boolean canPublish, boolean canSubscribe, int ttlSeconds)
        throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("identity", identity).put("canPublish", canPublish)
            .put("canSubscribe", canSubscribe).put("ttlSeconds", ttlSeconds);
        HttpResponse<String> response = send(request("/v1/rooms/" + encode(room) + "/tokens")
            .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        if (response.statusCode() != 201) {
            throw failure("POST /v1/rooms/" + room + "/tokens", response);
        }
        JsonNode token = JSON.readTree(response.body()).path("token");
        if (!token.isTextual()) {
            throw new ApiException("no token in " + response.body(), response.statusCode());
        }
        return token.asText();
    }

    /** The WebSocket address of a join: with a token in secret mode, else dev mode's room and identity. */
    public URI joinUri(String room, String identity, String token) {
        String scheme = "https".equals(base.getScheme()) ? "wss" : "ws";
        String query = token != null ? "token=" + encode(token)
            : "room=" + encode(room) + "&identity=" + encode(identity);
        return URI.create(scheme + "://" + base.getRawAuthority() + "/v1/rtc?" + query);
    }

    /** The Prometheus text of {@code /metrics} (with the API key in secret mode, which it needs there). */
    public String metrics() throws IOException, InterruptedException {
        HttpResponse<String> response = send(request("/metrics").GET());
        if (response.statusCode() != 200) {
            throw failure("GET /metrics", response);
        }
        return response.body();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT);
        if (secret != null) {
            builder.header("Authorization", "Bearer " + secret);
        }
        return builder;
    }

    private HttpResponse<String> send(HttpRequest.Builder builder) throws IOException, InterruptedException {
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static ApiException failure(String what, HttpResponse<String> response) {
        String body = response.body();
        if (body != null && body.length() > 300) {
            body = body.substring(0, 300) + "...";
        }
        return new ApiException(what + ": HTTP " + response.statusCode() + " " + body, response.statusCode());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
