package io.sfu.signaling.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfu.core.testing.ShapedLink;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A subscriber's downlink shaped by the kernel: the SFU and a Chromium publisher (simulcast 320/852/1280 px) here,
 * a Chromium subscriber in a network namespace behind a veth pair that {@code tc tbf} limits. Unshaped it decodes
 * the top layer; shaped to 500 kbit/s the SFU asks for a lower layer's keyframe within a second, and the subscriber
 * settles within 20 s on the lowest layer at a rate the link carries (at most 550 kbit/s of video, at least 10
 * frames/s, at most 5% lost over 5 s) and for 10 s more stays below the top layer within the same bounds (on the
 * middle one once a probe found the link carries it); lifted, it is back on a layer at least 640 px wide within
 * 20 s. Needs root and iproute2 (see {@link ShapedLink}), the browser and the media engine.
 */
@Tag("browser")
class DownlinkShapingBrowserTest {
    @BeforeEach
    void needsBrowserAndEngine() {
        BrowserEnvironment.requireOrSkip();
        BrowserSfu.assumeMediaEngine();
    }

    @Test
    void aShapedSubscriberMovesToTheLowestLayerThatFitsAndBackUpWhenTheLinkIsLifted() throws Exception {
        // the scenario takes this shaper off, then shapes and lifts the link with tc itself
        try (ShapedLink link = ShapedLink.create(1_000_000, 1_000_000);
             BrowserSfu sfu = BrowserSfu.startSecret(link.localAddress().getHostAddress())) {
            String room = "shaped";
            JsonNode result = NodeScript.run(Duration.ofSeconds(150), "downlink-shaping.mjs",
                sfu.url(link.localAddress().getHostAddress()), "--publisher-url", sfu.url(),
                "--netns", link.namespace(), "--device", link.device(),
                "--publisher-token", sfu.token(room, "publisher"), "--subscriber-token", sfu.token(room, "subscriber"),
                "--rate-kbit", "500", "--queue-bytes", "32000").assertPassed().json();

            JsonNode phases = result.path("phases");
            assertThat(phases.path("unshaped").path("window").path("frameWidth").asInt()).isGreaterThanOrEqualTo(1280);
            JsonNode shaped = phases.path("shaped");
            assertThat(shaped.path("keyframeAskedMs").asLong(-1)).as("the SFU asks for a lower layer's keyframe within "
                + "a second of the link narrowing").isBetween(0L, 1_000L);
            assertThat(shaped.path("ms").asLong()).isLessThanOrEqualTo(20_000);
            JsonNode window = shaped.path("window");
            assertThat(window.path("seconds").asDouble()).isGreaterThanOrEqualTo(4.0);
            assertThat(window.path("videoKbps").asInt()).isBetween(1, 550);
            assertThat(window.path("frameWidth").asInt()).isBetween(1, 320);
            assertThat(window.path("widestFrame").asInt()).as("throughout the window").isBetween(1, 320);
            assertThat(window.path("framesPerSecond").asDouble()).isGreaterThanOrEqualTo(10.0);
            assertThat(window.path("lossPercent").asDouble()).isLessThanOrEqualTo(5.0);
            JsonNode held = phases.path("held").path("window");
            assertThat(held.path("seconds").asDouble()).isGreaterThanOrEqualTo(10.0);
            // below the top layer; the middle one where the link carries it: Chromium's synthetic camera encodes its
            // 852 px layer at about 240 kbit/s, which a 500 kbit/s link takes with audio beside it, and a probe finds
            assertThat(held.path("widestFrame").asInt()).as("held below the top layer").isBetween(1, 1279);
            assertThat(held.path("videoKbps").asInt()).isBetween(1, 550);
            assertThat(held.path("framesPerSecond").asDouble()).isGreaterThanOrEqualTo(10.0);
            assertThat(held.path("lossPercent").asDouble()).isLessThanOrEqualTo(5.0);
            JsonNode lifted = phases.path("lifted");
            assertThat(lifted.path("ms").asLong()).isLessThanOrEqualTo(20_000);
            assertThat(lifted.path("window").path("frameWidth").asInt()).isGreaterThanOrEqualTo(640);
        }
    }
}
