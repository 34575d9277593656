package io.sfu.signaling.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The proof that conferencing works, with real Chromium pages: two, then three participants each receive every
 * other's video (frames decoded) and audio (packets received), within 10 s; after one leaves, the two others
 * renegotiate and keep receiving each other. Needs the media engine.
 */
@Tag("browser")
class MediaTwoAndThreeBrowserTest {
    private static final long WITHIN_MS = 10_000;

    @BeforeEach
    void needsBrowserAndEngine() {
        BrowserEnvironment.requireOrSkip();
        BrowserSfu.assumeMediaEngine();
    }

    @Test
    void everyoneReceivesEveryoneAndTheTwoWhoStayKeepReceivingAfterOneLeaves() throws Exception {
        try (BrowserSfu sfu = BrowserSfu.start()) {
            JsonNode result = NodeScript.run("media-two-and-three.mjs", sfu.url(),
                "--within-ms", Long.toString(WITHIN_MS)).assertPassed().json();
            JsonNode phases = result.path("phases");
            String bobId = result.path("ids").path("bob").asText();

            assertFlowing(phases.path("two"), List.of("alice", "bob"));
            assertThat(phases.path("two").path("firstMediaMs").asLong()).isBetween(0L, WITHIN_MS);
            assertFlowing(phases.path("three"), List.of("alice", "bob", "carol"));
            assertThat(phases.path("three").path("firstMediaMs").asLong()).isBetween(0L, WITHIN_MS);

            JsonNode afterLeave = phases.path("afterLeave");
            assertFlowing(afterLeave, List.of("alice", "carol"));
            for (String stayed : List.of("alice", "carol")) {
                JsonNode told = afterLeave.path("told").path(stayed);
                assertThat(told.path("type").asText()).isIn("participantLeft", "trackUnpublished");
                assertThat(told.path("participantId").asText()).isEqualTo(bobId);
                // the renegotiation took bob's m-lines out of use: nothing of his is still received
                assertThat(afterLeave.path("bobTransceivers").path(stayed)).allSatisfy(t ->
                    assertThat(t.path("currentDirection").asText()).as("%s", t).isNotIn("recvonly", "sendrecv"));
            }
        }
    }

    /**
     * Every participant named received every other's video and audio, and the counters rose again afterwards;
     * no one else is in the table.
     */
    private static void assertFlowing(JsonNode phase, List<String> participants) {
        for (String receiver : participants) {
            List<String> senders = new ArrayList<>();
            phase.path("received").path(receiver).fieldNames().forEachRemaining(senders::add);
            List<String> expected = new ArrayList<>(participants);
            expected.remove(receiver);
            assertThat(senders).as("who %s's counters are about", receiver)
                .containsExactlyInAnyOrderElementsOf(expected);
            for (String sender : expected) {
                JsonNode first = phase.path("received").path(receiver).path(sender);
                JsonNode later = phase.path("rising").path(receiver).path(sender);
                String pair = receiver + " from " + sender;
                assertThat(first.path("videoFramesDecoded").asLong()).as("%s: video frames decoded", pair)
                    .isPositive();
                assertThat(first.path("audioPacketsReceived").asLong()).as("%s: audio packets", pair).isPositive();
                assertThat(later.path("videoFramesDecoded").asLong()).as("%s: video frames decoded, rising", pair)
                    .isGreaterThan(first.path("videoFramesDecoded").asLong());
                assertThat(later.path("audioPacketsReceived").asLong()).as("%s: audio packets, rising", pair)
                    .isGreaterThan(first.path("audioPacketsReceived").asLong());
                assertThat(later.path("frameWidth").asInt()).as("%s: decoded frame width", pair).isPositive();
            }
        }
    }
}
