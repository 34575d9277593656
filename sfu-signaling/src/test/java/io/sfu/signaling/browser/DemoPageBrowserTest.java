package io.sfu.signaling.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The demo page at {@code /}, driven through its form like a user: joining shows the camera and a tile per other
 * participant; with the media engine, the others' video plays. Screenshots go to target/browser/.
 */
@Tag("browser")
class DemoPageBrowserTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @BeforeEach
    void needsBrowser() {
        BrowserEnvironment.requireOrSkip();
    }

    @Test
    void visitorsJoinThroughTheFormAndSeeTheirCameraAndATileForEachOther() throws Exception {
        Path screenshot = BrowserEnvironment.output().resolve("demo-page-join.png");
        Files.deleteIfExists(screenshot);
        try (BrowserSfu sfu = BrowserSfu.start()) {
            JsonNode result = NodeScript.run("demo-page.mjs", sfu.url(), "--participants", "2",
                "--screenshot", screenshot.toString()).assertPassed().json();
            String room = result.path("room").asText();
            for (String name : List.of("alice", "bob")) {
                JsonNode page = result.path("pages").path(name);
                String other = name.equals("alice") ? "bob" : "alice";
                assertThat(page.path("status").asText()).isEqualTo("in room " + room + " as " + name);
                JsonNode self = tile(page, "tile-self");
                assertThat(self.path("label").asText()).isEqualTo("me");
                assertThat(self.path("videoWidth").asInt()).as("%s: own camera shown", name).isPositive();
                assertThat(labelsOfOthers(page)).containsExactly(other);
            }
            assertThat(result.path("afterLeave").asText()).startsWith("disconnected (1000");
        }
        assertPng(screenshot);
    }

    @Test
    void theOtherParticipantsVideoPlaysInTheirTiles() throws Exception {
        BrowserSfu.assumeMediaEngine();
        Path screenshot = BrowserEnvironment.output().resolve("demo-page-three.png");
        Files.deleteIfExists(screenshot);
        try (BrowserSfu sfu = BrowserSfu.start()) {
            JsonNode result = NodeScript.run("demo-page.mjs", sfu.url(), "--participants", "3", "--expect-media",
                "--screenshot", screenshot.toString()).assertPassed().json();
            for (String name : List.of("alice", "bob", "carol")) {
                JsonNode page = result.path("pages").path(name);
                List<String> others = new ArrayList<>(List.of("alice", "bob", "carol"));
                others.remove(name);
                assertThat(labelsOfOthers(page)).containsExactlyInAnyOrderElementsOf(others);
                for (JsonNode tile : page.path("tiles")) {
                    assertThat(tile.path("videoWidth").asInt()).as("%s: %s plays", name, tile).isPositive();
                    assertThat(tile.path("currentTime").asDouble()).as("%s: %s plays", name, tile).isPositive();
                }
                assertThat(page.path("log")).as("%s: the page's log", name).noneSatisfy(line ->
                    assertThat(line.asText()).containsAnyOf(" error ", "failed", "cannot publish"));
            }
        }
        assertPng(screenshot);
    }

    private static JsonNode tile(JsonNode page, String id) {
        for (JsonNode tile : page.path("tiles")) {
            if (tile.path("id").asText().equals(id)) {
                return tile;
            }
        }
        throw new AssertionError("no tile " + id + " in " + page.path("tiles"));
    }

    /** The names on the other participants' tiles (a label may add what is muted, after the name). */
    private static List<String> labelsOfOthers(JsonNode page) {
        List<String> labels = new ArrayList<>();
        for (JsonNode tile : page.path("tiles")) {
            if (!tile.path("id").asText().equals("tile-self")) {
                labels.add(tile.path("label").asText().split(" ")[0]);
            }
        }
        return labels;
    }

    private static void assertPng(Path file) throws Exception {
        assertThat(file).exists();
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes.length).isGreaterThan(PNG_SIGNATURE.length);
        for (int i = 0; i < PNG_SIGNATURE.length; i++) {
            assertThat(bytes[i]).as("PNG signature byte %d of %s", i, file).isEqualTo(PNG_SIGNATURE[i]);
        }
    }
}
