package io.sfu.signaling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfu.core.media.UdpMediaEngine;
import io.sfu.core.session.MediaEngine;
import io.sfu.signaling.MediaEngines;
import io.sfu.signaling.SfuServer;
import io.sfu.signaling.WsClient;
import io.sfu.signaling.config.ConfigLoader;
import io.sfu.signaling.config.SfuConfig;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server as the process runs it, with the real media engine on a loopback port, for negotiation tests through
 * the WebSocket: joins, the room as REST shows it, and a subscriber answer as a browser writes it.
 */
final class RealEngineServer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Messages a client receives that tell of the room, not of its own negotiation. */
    private static final Set<String> ROOM_EVENTS = Set.of("participantJoined", "participantLeft", "trackPublished",
        "trackUnpublished", "dominantSpeaker");

    private final SfuServer server;
    private final UdpMediaEngine engine;

    private RealEngineServer(SfuServer server, UdpMediaEngine engine) {
        this.server = server;
        this.engine = engine;
    }

    /** Dev mode, media on 127.0.0.1; extra settings as dotted path and value, e.g. {@code "rooms.maxRooms", "3"}. */
    static RealEngineServer start(String... settings) throws Exception {
        List<ConfigLoader.Override> overrides = new ArrayList<>(List.of(
            new ConfigLoader.Override("http.port", "0", "test"),
            new ConfigLoader.Override("media.host", "127.0.0.1", "test"),
            new ConfigLoader.Override("media.port", "0", "test"),
            new ConfigLoader.Override("media.announce", List.of("127.0.0.1"), "test")));
        for (int i = 0; i + 1 < settings.length; i += 2) {
            overrides.add(new ConfigLoader.Override(settings[i], settings[i + 1], "test"));
        }
        SfuConfig config = ConfigLoader.load(null, Map.of(), overrides);
        MediaEngine engine = MediaEngines.start(config);
        assertThat(engine).isInstanceOf(UdpMediaEngine.class);
        return new RealEngineServer(SfuServer.start(config, engine), (UdpMediaEngine) engine);
    }

    SfuServer server() {
        return server;
    }

    UdpMediaEngine engine() {
        return engine;
    }

    private String hostPort() {
        return server.httpAddress().getHostString() + ":" + server.httpAddress().getPort();
    }

    /** Chromium's simulcast offer (test resource): audio (mid 0) and video (mid 1, rids q, h, f), bundled. */
    static String chromiumSimulcastOffer() throws IOException {
        try (InputStream in = RealEngineServer.class.getResourceAsStream("/sdp/chromium-simulcast.sdp")) {
            assertThat(in).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Joins in dev mode and reads the {@code joined} message. */
    WsClient join(String room, String identity) throws Exception {
        return connect(room, identity).client();
    }

    /** A client that joined, and its {@code joined} message. */
    record Joined(WsClient client, JsonNode joined) {
    }

    /** Joins in dev mode and keeps the {@code joined} message. */
    Joined connect(String room, String identity) throws Exception {
        WsClient client = WsClient.connect(URI.create("ws://" + hostPort() + "/v1/rtc?room=" + room + "&identity="
            + identity));
        JsonNode joined = client.next();
        assertThat(joined.path("type").asText()).isEqualTo("joined");
        return new Joined(client, joined);
    }

    /** {@code GET /v1/rooms/{room}}. */
    JsonNode room(String name) throws Exception {
        return get("/v1/rooms/" + name);
    }

    /** {@code GET /v1/rooms/{room}/participants/{identity}/stats}. */
    JsonNode stats(String room, String identity) throws Exception {
        return get("/v1/rooms/" + room + "/participants/" + identity + "/stats");
    }

    /** {@code GET /metrics}: the Prometheus text. */
    String metrics() throws Exception {
        return getText("/metrics");
    }

    private JsonNode get(String path) throws Exception {
        return JSON.readTree(getText(path));
    }

    private String getText(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + hostPort() + path))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
        return response.body();
    }

    /** The client's next message that is not a room event: the reply to its own offer or answer. */
    static JsonNode reply(WsClient client) throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            JsonNode message = client.next();
            if (!ROOM_EVENTS.contains(message.path("type").asText())) {
                return message;
            }
        }
        throw new AssertionError("only room events among the next 1000 messages");
    }

    /** What a browser answers to the SFU's subscriber offer: its own ICE and DTLS, receiving every m-line. */
    static String answerAsABrowserWould(String offer) {
        StringBuilder answer = new StringBuilder();
        for (String line : offer.split("\r\n")) {
            if (line.startsWith("a=ice-lite") || line.startsWith("a=candidate") || line.startsWith("a=end-of-cand")
                || line.startsWith("a=ssrc") || line.startsWith("a=msid")) {
                continue;
            }
            if (line.startsWith("a=ice-ufrag:")) {
                line = "a=ice-ufrag:bobu";
            } else if (line.startsWith("a=ice-pwd:")) {
                line = "a=ice-pwd:bobpassword0123456789abcd";
            } else if (line.startsWith("a=fingerprint:")) {
                line = "a=fingerprint:sha-256 " + "AB:".repeat(31) + "AB";
            } else if (line.equals("a=sendonly")) {
                line = "a=recvonly";
            } else if (line.startsWith("a=setup:")) {
                line = "a=setup:active";
            }
            answer.append(line).append("\r\n");
        }
        return answer.toString();
    }

    @Override
    public void close() {
        server.close();
    }
}
