package io.sfu.signaling.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Publisher and subscriber negotiation with Chromium: the SFU's answer and offers are accepted, satisfy API.md
 * (ICE-lite at session level, BUNDLE, candidates and end-of-candidates in the SDP, msid naming participant and
 * track) and both peer connections connect. Needs the media engine; until it is installed, the one case that
 * runs checks that a browser's offer is refused with {@code internal}.
 */
@Tag("browser")
class NegotiateBrowserTest {

    @BeforeEach
    void needsBrowser() {
        BrowserEnvironment.requireOrSkip();
    }

    @Test
    void aBrowserOfferIsRefusedWithInternalWhileNoMediaEngineIsInstalled() throws Exception {
        Assumptions.assumeFalse(BrowserSfu.mediaEngineInstalled(), "a media engine is installed: the other cases "
            + "of this class cover negotiation");
        try (BrowserSfu sfu = BrowserSfu.start()) {
            JsonNode refusal = NodeScript.run("negotiate.mjs", sfu.url(), "--expect-refusal", "internal")
                .assertPassed().json().path("refusal");
            assertThat(refusal.path("errorCode").asText()).isEqualTo("internal");
            assertThat(strings(refusal.path("offerHadMedia"))).containsExactly("audio", "video");
            assertThat(refusal.path("socketOpen").asBoolean()).as("socket still open after the refusal").isTrue();
        }
    }

    @Test
    void audioAndVideoNegotiateAndBothPeerConnectionsConnect() throws Exception {
        BrowserSfu.assumeMediaEngine();
        try (BrowserSfu sfu = BrowserSfu.start()) {
            JsonNode result = NodeScript.run("negotiate.mjs", sfu.url()).assertPassed().json();
            assertNegotiated(result, false);
        }
    }

    @Test
    void simulcastQhfNegotiatesAndBothPeerConnectionsConnect() throws Exception {
        BrowserSfu.assumeMediaEngine();
        try (BrowserSfu sfu = BrowserSfu.start()) {
            JsonNode result = NodeScript.run("negotiate.mjs", sfu.url(), "--simulcast").assertPassed().json();
            assertNegotiated(result, true);
            for (String name : List.of("alice", "bob")) {
                JsonNode publisher = result.path(name).path("publisher");
                JsonNode offeredVideo = media(publisher.path("offer"), "video");
                assertThat(ridDirections(offeredVideo)).containsExactly("q send", "h send", "f send");
                JsonNode answeredVideo = media(publisher.path("answer").path("media"), "video");
                assertThat(answeredVideo.path("simulcast").asText()).isEqualTo("recv q;h;f");
                assertThat(ridDirections(answeredVideo)).containsExactly("q recv", "h recv", "f recv");
                // the lowest layer always flows; the higher ones wait for the bandwidth estimate
                assertThat(result.path(name).path("outbound")).anySatisfy(o -> {
                    assertThat(o.path("rid").asText()).isEqualTo("q");
                    assertThat(o.path("packetsSent").asLong()).isPositive();
                });
            }
        }
    }

    private static void assertNegotiated(JsonNode result, boolean simulcast) {
        assertThat(result.path("simulcast").asBoolean()).isEqualTo(simulcast);
        String aliceId = result.path("alice").path("id").asText();
        String bobId = result.path("bob").path("id").asText();
        for (String name : List.of("alice", "bob")) {
            JsonNode participant = result.path(name);
            String otherId = name.equals("alice") ? bobId : aliceId;

            JsonNode publisher = participant.path("publisher");
            assertThat(publisher.path("answerProblems")).as("%s: publisher answer against API.md", name).isEmpty();
            assertThat(publisher.path("answer").path("iceLiteAtSessionLevel").asBoolean()).isTrue();
            assertThat(publisher.path("answer").path("bundle").asText()).startsWith("BUNDLE ");
            assertThat(strings(publisher.path("announced"))).as("%s: announced addresses", name)
                .containsExactly("127.0.0.1");
            assertThat(kinds(publisher.path("answer").path("media"))).containsExactly("audio", "video");
            assertThat(publisher.path("connectedInMs").asLong()).isBetween(0L, 15_000L);

            JsonNode subscriber = participant.path("subscriber");
            assertThat(subscriber.path("offerProblems")).as("%s: subscriber offer against API.md", name).isEmpty();
            assertThat(subscriber.path("negotiations")).isNotEmpty().allSatisfy(n ->
                assertThat(n.path("ok").asBoolean()).as("subscriber negotiation %s", n).isTrue());
            assertThat(subscriber.path("connectedInMs").asLong()).isBetween(0L, 15_000L);
            JsonNode senders = subscriber.path("senders");
            assertThat(senders).hasSize(2).allSatisfy(s -> {
                assertThat(s.path("participantId").asText()).isEqualTo(otherId);
                assertThat(s.path("trackId").asText()).isNotBlank();
            });
            assertThat(kinds(senders)).containsExactlyInAnyOrder("audio", "video");

            // what it was told of the other's tracks: bob learns alice's from joined, alice bob's by trackPublished
            String otherName = name.equals("alice") ? "bob" : "alice";
            JsonNode told = participant.path("trackPublished");
            assertThat(told).hasSize(2).allSatisfy(t -> {
                assertThat(t.path("from").asText()).isEqualTo(name.equals("alice") ? "trackPublished" : "joined");
                assertThat(t.path("track").path("muted").asBoolean()).isFalse();
            });
            List<String> toldMids = new ArrayList<>();
            List<String> toldIds = new ArrayList<>();
            for (JsonNode t : told) {
                JsonNode track = t.path("track");
                toldMids.add(track.path("kind").asText() + " " + track.path("mid").asText());
                toldIds.add(track.path("id").asText());
                List<String> rids = strings(track.path("rids"));
                if (simulcast && track.path("kind").asText().equals("video")) {
                    assertThat(rids).as("%s: rids of %s", name, track).containsExactlyInAnyOrder("q", "h", "f");
                } else {
                    assertThat(rids).as("%s: rids of %s", name, track).isEmpty();
                }
            }
            List<String> offeredMids = new ArrayList<>();
            result.path(otherName).path("publisher").path("offer").forEach(m ->
                offeredMids.add(m.path("kind").asText() + " " + m.path("mid").asText()));
            assertThat(toldMids).as("%s: kind and mid of %s's tracks", name, otherName)
                .containsExactlyInAnyOrderElementsOf(offeredMids);
            List<String> offeredIds = new ArrayList<>();
            senders.forEach(sender -> offeredIds.add(sender.path("trackId").asText()));
            assertThat(toldIds).as("%s: the track ids it was told are the msid track ids of its offer", name)
                .containsExactlyInAnyOrderElementsOf(offeredIds);
        }
    }

    private static JsonNode media(JsonNode media, String kind) {
        for (JsonNode m : media) {
            if (m.path("kind").asText().equals(kind)) {
                return m;
            }
        }
        throw new AssertionError("no " + kind + " m-line in " + media);
    }

    /** Each a=rid of an m-line as "id direction", its restrictions left out. */
    private static List<String> ridDirections(JsonNode media) {
        List<String> rids = new ArrayList<>();
        for (String rid : strings(media.path("rids"))) {
            String[] fields = rid.split(" ");
            rids.add(fields.length >= 2 ? fields[0] + " " + fields[1] : rid);
        }
        return rids;
    }

    private static List<String> kinds(JsonNode media) {
        List<String> kinds = new ArrayList<>();
        media.forEach(m -> kinds.add(m.path("kind").asText()));
        return kinds;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
