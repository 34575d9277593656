package io.sfu.signaling.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfu.core.testing.ShapedLink;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Data channels through the SFU with real Chromium pages and sockets: two pages each publish an ordered and an
 * unordered data track and receive the other's; 1,000 messages of 1 byte to 64 KiB per track, binary and text,
 * arrive intact (a hash per message), in order on the ordered one. A third page behind a 256 kbit/s link (a network
 * namespace shaped by {@code tc}) subscribes to every track and cannot keep up: the SFU cuts its reliable channels
 * off, and the two others' next 1,000 messages each complete within the same bound. The backend's
 * {@code POST /v1/rooms/{room}/data} reaches the pages. Needs root and iproute2 (see {@link ShapedLink}), the
 * browser and the media engine.
 */
@Tag("browser")
class DataChannelBrowserTest {
    /** Both rounds of 1,000 messages per track must complete within this. */
    private static final long BOUND_MS = 60_000;

    @BeforeEach
    void needsBrowserAndEngine() {
        BrowserEnvironment.requireOrSkip();
        BrowserSfu.assumeMediaEngine();
    }

    @Test
    void messagesArriveIntactAndInOrderAndASlowReaderSlowsNoOne() throws Exception {
        try (ShapedLink link = ShapedLink.create(256, 32_000);
             BrowserSfu sfu = BrowserSfu.startSecret(link.localAddress().getHostAddress())) {
            String room = "data";
            String far = link.localAddress().getHostAddress();
            JsonNode result = NodeScript.run(Duration.ofSeconds(240), "data-channels.mjs", sfu.url(far),
                "--near-url", sfu.url(), "--netns", link.namespace(), "--room", room, "--api-key", sfu.secret(),
                "--alice-token", sfu.token(room, "alice"), "--bob-token", sfu.token(room, "bob"),
                "--carol-token", sfu.token(room, "carol"), "--within-ms", Long.toString(BOUND_MS))
                .assertPassed().json();

            List<String> application = new java.util.ArrayList<>();
            result.path("answerApplication").forEach(line -> application.add(line.asText()));
            assertThat(application).containsExactly("m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
                "a=sctp-port:5000", "a=max-message-size:262144");
            JsonNode announced = result.path("announced");
            assertThat(announced).hasSize(2);
            assertThat(announced.get(0).path("kind").asText()).isEqualTo("data");
            assertThat(announced.get(0).path("label").asText()).isEqualTo("ordered");
            assertThat(announced.get(1).path("ordered").asBoolean(true)).isFalse();

            for (String round : List.of("twoPages", "withSlowReader")) {
                JsonNode exchange = result.path(round);
                assertThat(exchange.path("ms").asLong()).as(round).isBetween(1L, BOUND_MS);
                JsonNode ordered = exchange.path("received").path("alice<-ordered");
                assertThat(ordered.path("count").asInt()).isEqualTo(1000);
                assertThat(ordered.path("ordered").asBoolean()).isTrue();
                assertThat(exchange.path("received").path("bob<-unordered").path("ordered").asBoolean(true))
                    .isFalse();
            }
            assertThat(sfu.metric("sfu_data_channels_cut_off")).as("the slow reader's reliable channels")
                .isGreaterThanOrEqualTo(1);
            assertThat(sfu.metric("sfu_data_messages_in")).isGreaterThanOrEqualTo(8000);

            JsonNode rest = result.path("rest");
            assertThat(rest.path("text").path("status").asInt()).isEqualTo(202);
            assertThat(rest.path("text").path("body").path("recipients").asInt()).isEqualTo(3);
            assertThat(rest.path("binary").path("body").path("recipients").asInt()).isEqualTo(1);
            assertThat(rest.path("unknownRoom").asInt()).isEqualTo(404);
            assertThat(rest.path("alice").path("texts").get(0).asText()).isEqualTo("hello from the backend");
            assertThat(rest.path("alice").path("binary").asInt()).isEqualTo(1);
            assertThat(rest.path("bob").path("count").asInt()).isEqualTo(1);
        }
    }
}
