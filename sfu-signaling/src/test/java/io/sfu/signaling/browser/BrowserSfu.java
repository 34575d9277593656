package io.sfu.signaling.browser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfu.core.session.MediaEngine;
import io.sfu.core.session.MediaEngineFactory;
import io.sfu.signaling.SfuServer;
import io.sfu.signaling.config.ConfigLoader;
import io.sfu.signaling.config.SfuConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@link SfuServer} in this JVM for the browser tests: dev mode, HTTP on an ephemeral loopback port, the
 * media socket on an ephemeral loopback port announcing 127.0.0.1 (which Chromium with
 * {@code --allow-loopback-in-peer-connection} reaches), and the media engine {@code Main} would run.
 */
final class BrowserSfu implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The API secret of {@link #startSecret}: at least 32 characters. */
    static final String SECRET = "browser-test-secret-browser-test-secret";

    private final SfuServer server;
    private final String secret;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private BrowserSfu(SfuServer server, String secret) {
        this.server = server;
        this.secret = secret;
    }

    /**
     * Whether a media engine is installed: the test {@code Main} itself makes (a {@link MediaEngineFactory} found
     * through {@link ServiceLoader}). Without one the server refuses every negotiation with {@code internal}.
     */
    static boolean mediaEngineInstalled() {
        return ServiceLoader.load(MediaEngineFactory.class).findFirst().isPresent();
    }

    /** Skips the calling test while no media engine is installed; it runs by itself once one is. */
    static void assumeMediaEngine() {
        Assumptions.assumeTrue(mediaEngineInstalled(), "no media engine is installed (no "
            + MediaEngineFactory.class.getName() + " service on the class path): the server refuses every "
            + "negotiation with 'internal', so this test waits for the engine");
    }

    static BrowserSfu start() throws Exception {
        SfuConfig config = ConfigLoader.load(null, Map.of(), List.of(
            new ConfigLoader.Override("http.port", "0", "browser test"),
            new ConfigLoader.Override("media.host", "127.0.0.1", "browser test"),
            new ConfigLoader.Override("media.port", "0", "browser test"),
            new ConfigLoader.Override("media.announce", List.of("127.0.0.1"), "browser test")));
        return start(config, null);
    }

    /**
     * A server in secret mode whose HTTP listens on every address (pages reach it at 127.0.0.1 here and at
     * {@code mediaAddress} from a network namespace behind a link) and whose media socket is bound to and announces
     * {@code mediaAddress} alone; extra settings as dotted path and value, e.g. {@code "turn.enabled", "true"}.
     */
    static BrowserSfu startSecret(String mediaAddress, String... settings) throws Exception {
        List<ConfigLoader.Override> overrides = new java.util.ArrayList<>(List.of(
            new ConfigLoader.Override("auth.secret", SECRET, "browser test"),
            new ConfigLoader.Override("http.host", "0.0.0.0", "browser test"),
            new ConfigLoader.Override("http.port", "0", "browser test"),
            new ConfigLoader.Override("media.host", mediaAddress, "browser test"),
            new ConfigLoader.Override("media.port", "0", "browser test"),
            new ConfigLoader.Override("media.announce", List.of(mediaAddress), "browser test")));
        for (int i = 0; i + 1 < settings.length; i += 2) {
            overrides.add(new ConfigLoader.Override(settings[i], settings[i + 1], "browser test"));
        }
        return start(ConfigLoader.load(null, Map.of(), overrides), SECRET);
    }

    private static BrowserSfu start(SfuConfig config, String secret) throws Exception {
        MediaEngine engine = startMediaEngine(config);
        try {
            return new BrowserSfu(SfuServer.start(config, engine), secret);
        } catch (Exception e) {
            engine.close();
            throw e;
        }
    }

    /** Starts the media engine exactly as {@code Main} does: the installed engine, or the one that refuses. */
    private static MediaEngine startMediaEngine(SfuConfig config) throws Exception {
        return io.sfu.signaling.MediaEngines.start(config);
    }

    /** The API secret in secret mode (for a scenario's own REST calls), else null. */
    String secret() {
        return secret;
    }

    /** The HTTP origin, {@code http://127.0.0.1:PORT}. */
    String url() {
        return url("127.0.0.1");
    }

    /** The HTTP origin at {@code host}: {@code http://HOST:PORT}. */
    String url(String host) {
        return "http://" + host + ":" + server.httpAddress().getPort();
    }

    /**
     * In secret mode: a token (from the REST API, with the secret) for {@code identity} to publish and subscribe in
     * {@code room}, which is created when it does not exist.
     */
    String token(String room, String identity) throws Exception {
        Response created = post("/v1/rooms", JSON.createObjectNode().put("name", room).toString());
        if (created.status() != 201 && created.status() != 409) {
            throw new IllegalStateException("POST /v1/rooms: " + created.status() + " " + created.json());
        }
        Response token = post("/v1/rooms/" + room + "/tokens", JSON.createObjectNode().put("identity", identity)
            .put("canPublish", true).put("canSubscribe", true).toString());
        if (token.status() != 201) {
            throw new IllegalStateException("POST tokens: " + token.status() + " " + token.json());
        }
        return token.json().path("token").asText();
    }

    private Response post(String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (secret != null) {
            request.header("Authorization", "Bearer " + secret);
        }
        return response(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** A response of the REST API: its status, and its body as JSON (null when it has none or is not JSON). */
    record Response(int status, JsonNode json) {
    }

    Response get(String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10))
            .GET();
        if (secret != null) {
            request.header("Authorization", "Bearer " + secret);
        }
        return response(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** The value of one sample on {@code GET /metrics} (Prometheus text), or -1 when it is not there. */
    double metric(String name) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + "/metrics"))
            .timeout(Duration.ofSeconds(10)).GET();
        if (secret != null) {
            request.header("Authorization", "Bearer " + secret);
        }
        String body = http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    private static Response response(HttpResponse<String> response) {
        JsonNode json;
        try {
            json = response.body().isEmpty() ? null : JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            json = null;
        }
        return new Response(response.statusCode(), json);
    }

    @Override
    public void close() {
        server.close();
    }
}
