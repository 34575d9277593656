package io.sfu.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfu.core.session.FakeMediaEngine;
import io.sfu.core.testing.ManualClock;
import io.sfu.signaling.config.ConfigLoader;
import io.sfu.signaling.config.SfuConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Test fixture: a real server on an ephemeral loopback port with the {@link FakeMediaEngine}, and a small HTTP
 * client for it. The fake reports to the server from the thread that calls it, as the real engine does: the tracks
 * of a publisher offer from inside the offer call, so they reach the room before the answer reaches the client;
 * what a test triggers ({@code expireConsent}, ...) from the test's thread, so it is hopped onto the control context
 * like a real engine's report from its own threads.
 */
public final class TestServer implements AutoCloseable {
    public static final String SECRET = "test-secret-0123456789-abcdefghijklmnop";
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeMediaEngine engine;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final SfuServer server;
    private final String bearer;

    private TestServer(FakeMediaEngine engine, SfuServer server, String bearer) {
        this.engine = engine;
        this.server = server;
        this.bearer = bearer;
    }

    /** Dev mode (no secret). Extra settings as dotted path and value, e.g. {@code "rooms.maxRooms", "3"}. */
    public static TestServer devMode(String... settings) throws Exception {
        return start(null, null, settings);
    }

    /** With {@link #SECRET}; its client sends the API key unless told otherwise. */
    public static TestServer secretMode(String... settings) throws Exception {
        return start(SECRET, null, settings);
    }

    /**
     * Dev mode on a clock the test moves: rate limits, pings and negotiation deadlines read it as the monotonic
     * clock, tokens and bans as the wall clock (so make it with {@link #wallClockNow()}).
     */
    public static TestServer devMode(ManualClock clock, String... settings) throws Exception {
        return start(null, clock, settings);
    }

    /** Secret mode on a clock the test moves; see {@link #devMode(ManualClock, String...)}. */
    public static TestServer secretMode(ManualClock clock, String... settings) throws Exception {
        return start(SECRET, clock, settings);
    }

    /** A manual clock that starts at the current wall-clock time, so the tokens it stamps look ordinary. */
    public static ManualClock wallClockNow() {
        Instant now = Instant.now();
        return new ManualClock(now.getEpochSecond() * NANOS_PER_SECOND + now.getNano());
    }

    /** The wall clock a manual clock stands for: its nanoseconds since the epoch. */
    public static Clock asWallClock(ManualClock clock) {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException("UTC only");
            }

            @Override
            public Instant instant() {
                long nanos = clock.nanoTime();
                return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND),
                    Math.floorMod(nanos, NANOS_PER_SECOND));
            }
        };
    }

    private static TestServer start(String secret, ManualClock clock, String... settings) throws Exception {
        List<ConfigLoader.Override> overrides = new ArrayList<>();
        overrides.add(new ConfigLoader.Override("http.port", "0", "test"));
        overrides.add(new ConfigLoader.Override("media.port", "0", "test"));
        if (secret != null) {
            overrides.add(new ConfigLoader.Override("auth.secret", secret, "test"));
        }
        for (int i = 0; i + 1 < settings.length; i += 2) {
            overrides.add(new ConfigLoader.Override(settings[i], settings[i + 1], "test"));
        }
        SfuConfig config = ConfigLoader.load(null, Map.of(), overrides);
        // Reports run inline. A thread of their own would let the answer overtake the offer's tracks (the report
        // would reach the control context after the answer was queued there), which the real engine never does.
        FakeMediaEngine engine = new FakeMediaEngine(Runnable::run);
        SfuServer server = clock == null ? SfuServer.start(config, engine)
            : SfuServer.start(config, engine, clock::nanoTime, asWallClock(clock));
        return new TestServer(engine, server, secret);
    }

    public FakeMediaEngine engine() {
        return engine;
    }

    public SfuServer server() {
        return server;
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.httpAddress().getPort() + pathAndQuery);
    }

    public URI wsUri(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + server.httpAddress().getPort() + pathAndQuery);
    }

    /** A response with its body read as text. */
    public record Response(int status, String body, String contentType) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        /** The error code of an API error body. */
        public String errorCode() {
            return json().path("error").path("code").asText(null);
        }
    }

    public Response get(String path) throws Exception {
        return send(request(path, bearer).GET());
    }

    public Response delete(String path) throws Exception {
        return send(request(path, bearer).DELETE());
    }

    public Response post(String path, String body) throws Exception {
        return send(request(path, bearer).header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A request with the given Authorization bearer value, or none when null. */
    public Response sendWithKey(String method, String path, String body, String key) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body);
        return send(request(path, key).method(method, publisher));
    }

    /** A GET with this exact Authorization header value. */
    public Response getWithAuthorization(String path, String authorization) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
            .header("Authorization", authorization).GET());
    }

    private HttpRequest.Builder request(String path, String key) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder;
    }

    private Response send(HttpRequest.Builder builder) throws Exception {
        HttpResponse<byte[]> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8),
            response.headers().firstValue("content-type").orElse(""));
    }

    /** Creates a room through the API and returns a token for it (secret mode). */
    public String token(String room, String identity, boolean canPublish, boolean canSubscribe) throws Exception {
        Response response = post("/v1/rooms/" + room + "/tokens", "{\"identity\":\"" + identity
            + "\",\"canPublish\":" + canPublish + ",\"canSubscribe\":" + canSubscribe + "}");
        if (response.status() != 201) {
            throw new AssertionError("token not issued: " + response);
        }
        return response.json().get("token").asText();
    }

    @Override
    public void close() {
        server.close();
    }
}
