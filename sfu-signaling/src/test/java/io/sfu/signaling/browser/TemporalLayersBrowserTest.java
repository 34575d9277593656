package io.sfu.signaling.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * VP8 temporal layers with real Chromium pages: a publisher encodes VP8 with three temporal layers (L1T3); a
 * subscriber that asks for {@code maxTemporalLayer: 0} decodes the base layer alone, a quarter of the frames, without
 * a freeze or keyframe requests, and every frame again after {@code maxTemporalLayer: 2}; the SFU reports the
 * temporal layer it forwards. Needs the media engine.
 */
@Tag("browser")
class TemporalLayersBrowserTest {
    @BeforeEach
    void needsBrowserAndEngine() {
        BrowserEnvironment.requireOrSkip();
        BrowserSfu.assumeMediaEngine();
    }

    @Test
    void aSubscriberOfTheBaseLayerDecodesFewerFramesWithoutAFreezeAndAllAgainAfterwards() throws Exception {
        try (BrowserSfu sfu = BrowserSfu.start()) {
            JsonNode result = NodeScript.run(Duration.ofSeconds(150), "temporal-layers.mjs", sfu.url())
                .assertPassed().json();

            assertThat(result.path("publisher").path("scalabilityMode").asText()).isEqualTo("L1T3");
            JsonNode unrestricted = result.path("unrestricted");
            JsonNode restricted = result.path("restricted");
            JsonNode restored = result.path("restored");
            assertThat(unrestricted.path("framesPerSecond").asDouble()).as("frames decoded per second, every layer")
                .isGreaterThanOrEqualTo(10);
            // the publisher's encoder lowers its frame rate when the machine is busy: each window is judged by the
            // share of the frames encoded in it that were decoded; the base layer of L1T3 is every fourth frame
            assertThat(unrestricted.path("decodedShare").asDouble()).as("share decoded, every layer: %s", unrestricted)
                .isGreaterThanOrEqualTo(0.75);
            assertThat(restricted.path("decodedShare").asDouble()).as("share decoded, base layer only: %s", restricted)
                .isBetween(0.1, 0.45);
            assertThat(restored.path("decodedShare").asDouble()).as("share decoded, every layer again: %s", restored)
                .isGreaterThanOrEqualTo(0.75);
            for (JsonNode window : new JsonNode[] {unrestricted, restricted, restored}) {
                assertThat(window.path("framesDecodedTo").asLong()).as("frames decoded keep rising: %s", window)
                    .isGreaterThan(window.path("framesDecodedFrom").asLong());
                assertThat(window.path("maxStallMs").asLong()).as("no freeze: %s", window).isLessThan(1000);
            }
            long keyframeRequests = restored.path("pliCount").asLong() + restored.path("firCount").asLong()
                - unrestricted.path("pliCount").asLong() - unrestricted.path("firCount").asLong();
            assertThat(keyframeRequests).as("keyframe requests from the subscriber over both switches")
                .isLessThanOrEqualTo(2);
            JsonNode layers = result.path("sfuTemporalLayer");
            assertThat(layers.path("unrestricted").asInt()).isEqualTo(2);
            assertThat(layers.path("restricted").asInt()).isZero();
            assertThat(layers.path("restored").asInt()).isEqualTo(2);
        }
    }
}
