package io.sfu.signaling.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Layer choice and mute between real browsers: a subscriber's {@code setLayer} moves it to frames of that layer's
 * width within 3 s, down and up, without its decoder asking for a keyframe; a muted camera sends the subscriber
 * nothing, and after the unmute its video resumes with nothing of the muted time resent.
 */
@Tag("browser")
class LayersAndMuteBrowserTest {
    @BeforeEach
    void needsBrowserAndEngine() {
        BrowserEnvironment.requireOrSkip();
        BrowserSfu.assumeMediaEngine();
    }

    @Test
    void setLayerChangesTheDecodedWidthWithinThreeSecondsAndAnUnmuteResendsNothing() throws Exception {
        try (BrowserSfu sfu = BrowserSfu.start()) {
            JsonNode result = NodeScript.run("layers-and-mute.mjs", sfu.url()).assertPassed().json();

            assertThat(result.path("switches")).hasSize(4);
            for (JsonNode s : result.path("switches")) {
                String which = "setLayer " + s.path("rid").asText();
                assertThat(s.path("ms").asLong()).as("%s: frames of %s px within", which, s.path("width"))
                    .isBetween(0L, 3_000L);
                assertThat(s.path("framesDecodedAfter").asLong()).as("%s: decoding on", which).isPositive();
                assertThat(s.path("plis").asLong()).as("%s: keyframes the decoder asked for", which).isZero();
            }
            JsonNode mute = result.path("mute");
            assertThat(mute.path("packetsWhileMuted").asLong()).as("packets while muted").isZero();
            assertThat(mute.path("resumedInMs").asLong()).isBetween(0L, 5_000L);
            assertThat(mute.path("subscriberNacks").asLong()).as("NACKs for the muted time").isZero();
            assertThat(mute.path("retransmitted").asLong()).as("packets resent").isZero();
        }
    }
}
