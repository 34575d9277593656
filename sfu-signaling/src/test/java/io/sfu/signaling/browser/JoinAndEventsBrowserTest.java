package io.sfu.signaling.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfu.core.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Joining a room and its events, seen from real Chromium pages speaking the WebSocket API (no media needed). */
@Tag("browser")
class JoinAndEventsBrowserTest {
    private static final Duration ROOM_GONE_TIMEOUT = Duration.ofSeconds(5);

    @BeforeEach
    void needsBrowser() {
        BrowserEnvironment.requireOrSkip();
    }

    @Test
    void browsersAreToldWhoIsInTheRoomWhoJoinsAndWhoLeaves() throws Exception {
        try (BrowserSfu sfu = BrowserSfu.start()) {
            JsonNode result = NodeScript.run("join-and-events.mjs", sfu.url()).assertPassed().json();
            String room = result.path("room").asText();
            JsonNode alice = result.path("participants").path("alice");
            JsonNode bob = result.path("participants").path("bob");
            JsonNode carol = result.path("participants").path("carol");
            String aliceId = alice.path("id").asText();
            String bobId = bob.path("id").asText();
            String carolId = carol.path("id").asText();
            assertThat(List.of(aliceId, bobId, carolId)).doesNotHaveDuplicates().allSatisfy(id ->
                assertThat(id).isNotBlank());

            // joined: the joiner as participant, the ones before it in room.participants
            assertThat(alice.path("joined").path("participant").path("id").asText()).isEqualTo(aliceId);
            assertThat(alice.path("joined").path("participant").path("identity").asText()).isEqualTo("alice");
            assertThat(alice.path("joined").path("room").path("name").asText()).isEqualTo(room);
            assertThat(alice.path("joined").path("room").path("participants")).isEmpty();
            JsonNode beforeBob = bob.path("joined").path("room").path("participants");
            assertThat(beforeBob).hasSize(1);
            assertThat(beforeBob.get(0).path("id").asText()).isEqualTo(aliceId);
            assertThat(beforeBob.get(0).path("identity").asText()).isEqualTo("alice");
            assertThat(beforeBob.get(0).path("tracks").isArray()).isTrue();
            assertThat(beforeBob.get(0).path("tracks")).isEmpty();
            assertThat(ids(carol.path("joined").path("room").path("participants")))
                .containsExactlyInAnyOrder(aliceId, bobId);

            // alice saw everything that happened after her, in order, and nothing else
            assertThat(events(alice.path("events"))).containsExactly(
                "participantJoined " + bobId + " bob",
                "participantJoined " + carolId + " carol",
                "participantLeft " + bobId,
                "participantLeft " + carolId);
            assertThat(events(carol.path("events"))).containsExactly("participantLeft " + bobId);
            assertThat(carol.path("closed").path("code").asInt()).isEqualTo(1000);

            // the browsers are gone: the room made by the first join went with its last participant
            assertThat(roomGone(sfu, room)).as("room %s removed after every browser left", room).isTrue();
        }
    }

    private static List<String> ids(JsonNode participants) {
        List<String> ids = new ArrayList<>();
        participants.forEach(p -> ids.add(p.path("id").asText()));
        return ids;
    }

    /** Each event as one comparable line: type, then the participant it names. */
    private static List<String> events(JsonNode events) {
        List<String> lines = new ArrayList<>();
        for (JsonNode e : events) {
            String type = e.path("type").asText();
            lines.add(switch (type) {
                case "participantJoined" -> type + " " + e.path("participant").path("id").asText() + " "
                    + e.path("participant").path("identity").asText();
                case "participantLeft" -> type + " " + e.path("participantId").asText();
                default -> e.toString();
            });
        }
        return lines;
    }

    /** Asks the REST API until the room is gone: the server sees the browsers' sockets close after node exits. */
    private static boolean roomGone(BrowserSfu sfu, String room) throws Exception {
        return Await.until(ROOM_GONE_TIMEOUT, () -> sfu.get("/v1/rooms/" + room).status() == 404);
    }
}
