package io.sfu.signaling.api;

import static io.sfu.signaling.WsClient.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sfu.core.session.FakeMediaEngine;
import io.sfu.core.session.LayerPreference;
import io.sfu.signaling.RawWebSocket;
import io.sfu.signaling.TestServer;
import io.sfu.signaling.TestServer.Response;
import io.sfu.signaling.WsClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RtcSocketDevModeTest {
    private TestServer server;
    private final List<WsClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = TestServer.devMode("rooms.defaultMaxParticipants", "3", "signaling.messagesPerSecond", "1000",
            "signaling.messageBurst", "1000");
    }

    @AfterEach
    void stop() {
        clients.forEach(WsClient::close);
        server.close();
    }

    private WsClient join(String room, String identity) throws Exception {
        WsClient client = WsClient.connect(server.wsUri("/v1/rtc?room=" + room + "&identity=" + identity));
        clients.add(client);
        return client;
    }

    /** Joins and returns the participant id from the joined message. */
    private String joined(WsClient client) throws Exception {
        return client.next("joined").path("participant").path("id").asText();
    }

    /** bob in room r1, offered the video alice publishes there (its track id). */
    private record Subscriber(WsClient bob, String bobId, String trackId) {
    }

    private Subscriber bobOffered() throws Exception {
        WsClient alice = join("r1", "alice");
        joined(alice);
        WsClient bob = join("r1", "bob");
        String bobId = joined(bob);
        alice.next("participantJoined");
        publish(alice, "video");
        String trackId = bob.next("trackPublished").path("track").path("id").asText();
        bob.next("offer");
        return new Subscriber(bob, bobId, trackId);
    }

    private void publish(WsClient client, String... kinds) throws Exception {
        client.send(message("offer").put("pc", "publisher").put("sdp", FakeMediaEngine.offer(kinds)));
        JsonNode answer = client.next("answer");
        assertThat(answer.path("pc").asText()).isEqualTo("publisher");
        assertThat(answer.path("sdp").asText()).contains(FakeMediaEngine.ANSWER_MARKER);
    }

    @Test
    void joinedComesFirstWithTheOtherParticipantsAndTheirTracks() throws Exception {
        WsClient alice = join("r1", "alice");
        String aliceId = joined(alice);
        publish(alice, "audio", "video");

        WsClient bob = join("r1", "bob");
        JsonNode joined = bob.next("joined");

        assertThat(joined.path("participant").path("identity").asText()).isEqualTo("bob");
        assertThat(joined.path("participant").path("id").asText()).startsWith("PA_").isNotEqualTo(aliceId);
        assertThat(joined.path("room").path("name").asText()).isEqualTo("r1");
        JsonNode others = joined.path("room").path("participants");
        assertThat(others).hasSize(1);
        assertThat(others.get(0).path("id").asText()).isEqualTo(aliceId);
        assertThat(others.get(0).path("identity").asText()).isEqualTo("alice");
        JsonNode tracks = others.get(0).path("tracks");
        assertThat(tracks).hasSize(2);
        assertThat(tracks.get(0).path("kind").asText()).isEqualTo("audio");
        assertThat(tracks.get(0).path("mid").asText()).isEqualTo("0");
        assertThat(tracks.get(0).path("rids").isArray()).isTrue();
        assertThat(tracks.get(0).path("muted").asBoolean(true)).isFalse();
        assertThat(tracks.get(1).path("id").asText()).startsWith("TR_");
    }

    @Test
    void roomEventsReachTheOthers() throws Exception {
        WsClient alice = join("r1", "alice");
        String aliceId = joined(alice);
        WsClient bob = join("r1", "bob");
        String bobId = joined(bob);

        JsonNode joinedEvent = alice.next("participantJoined");
        assertThat(joinedEvent.path("participant").path("id").asText()).isEqualTo(bobId);
        assertThat(joinedEvent.path("participant").path("identity").asText()).isEqualTo("bob");

        publish(alice, "video");
        JsonNode published = bob.next("trackPublished");
        assertThat(published.path("participantId").asText()).isEqualTo(aliceId);
        String trackId = published.path("track").path("id").asText();
        assertThat(published.path("track").path("kind").asText()).isEqualTo("video");
        JsonNode offer = bob.next("offer");
        assertThat(offer.path("pc").asText()).isEqualTo("subscriber");
        assertThat(offer.path("sdp").asText()).contains("a=msid:" + aliceId + " " + trackId);
        bob.send(message("answer").put("pc", "subscriber").put("sdp", "v=0\r\n"));

        publish(alice, "audio");
        JsonNode unpublished = bob.next("trackUnpublished");
        assertThat(unpublished.path("participantId").asText()).isEqualTo(aliceId);
        assertThat(unpublished.path("trackId").asText()).isEqualTo(trackId);
        assertThat(bob.next("trackPublished").path("track").path("kind").asText()).isEqualTo("audio");

        alice.send(message("leave"));
        assertThat(alice.awaitClose()).isEqualTo(CloseCodes.NORMAL);
        JsonNode left = nextSkipping(bob, "participantLeft");
        assertThat(left.path("participantId").asText()).isEqualTo(aliceId);
    }

    /** The next message of a type, skipping subscriber offers (whose timing depends on answers). */
    private static JsonNode nextSkipping(WsClient client, String type) throws Exception {
        JsonNode message = client.next();
        while (message.path("type").asText().equals("offer")) {
            message = client.next();
        }
        assertThat(message.path("type").asText()).as("%s", message).isEqualTo(type);
        return message;
    }

    @Test
    void subscriberOffersWaitForTheAnswerToThePreviousOne() throws Exception {
        WsClient alice = join("r1", "alice");
        joined(alice);
        WsClient bob = join("r1", "bob");
        joined(bob);
        alice.next("participantJoined");

        publish(alice, "video");
        bob.next("trackPublished");
        bob.next("offer");
        publish(alice, "video", "audio");
        bob.next("trackPublished");
        bob.assertNothingPending();

        bob.send(message("answer").put("pc", "subscriber").put("sdp", "v=0\r\n"));
        JsonNode second = bob.next("offer");
        assertThat(second.path("sdp").asText()).contains("m=video").contains("m=audio");
    }

    @Test
    void anOfferSaysWhatItsTracksCarryAndTheRoomSeesIt() throws Exception {
        WsClient alice = join("r1", "alice");
        joined(alice);
        WsClient bob = join("r1", "bob");
        joined(bob);
        alice.next("participantJoined");

        ObjectNode offer = message("offer").put("pc", "publisher").put("sdp", FakeMediaEngine.offer("audio", "video"));
        offer.putObject("sources").put("1", "screen");
        alice.send(offer);
        alice.next("answer");

        JsonNode first = bob.next("trackPublished").path("track");
        JsonNode second = bob.next("trackPublished").path("track");
        assertThat(List.of(first.path("mid").asText() + ":" + first.path("source").asText(),
            second.path("mid").asText() + ":" + second.path("source").asText()))
            .containsExactlyInAnyOrder("0:microphone", "1:screen");
        assertThat(server.get("/v1/rooms/r1").json().path("participants").findValuesAsText("source"))
            .containsExactlyInAnyOrder("microphone", "screen");
    }

    @Test
    void anOfferWithAnUnknownSourceIsRefusedAndPublishesNothing() throws Exception {
        WsClient alice = join("r1", "alice");
        joined(alice);

        for (String sources : new String[] {"{\"1\":\"window\"}", "{\"1\":7}", "[\"screen\"]",
            "{\"" + "m".repeat(33) + "\":\"screen\"}"}) {
            alice.send("{\"type\":\"offer\",\"pc\":\"publisher\",\"sdp\":\"v=0\\r\\nm=video 9 UDP/TLS/RTP/SAVPF 96"
                + "\\r\\na=mid:1\\r\\n\",\"sources\":" + sources + "}");
            JsonNode error = alice.next("error");
            assertThat(error.path("code").asText()).as(sources).isEqualTo("bad_request");
            assertThat(error.path("message").asText()).as(sources).contains("sources");
        }
        assertThat(server.get("/v1/rooms/r1").json().path("participants").findValues("tracks"))
            .allSatisfy(tracks -> assertThat(tracks).isEmpty());
    }

    @Test
    void malformedMessagesGetAnErrorAndTheSocketStaysUsable() throws Exception {
        WsClient alice = join("r1", "alice");
        joined(alice);
        WsClient bob = join("r1", "bob");
        joined(bob);
        alice.next("participantJoined");

        String[] bad = {
            "{not json", "[1,2]", "\"text\"", "{}", "{\"type\":42}", "{\"type\":\"dance\"}",
            "{\"type\":\"offer\",\"pc\":\"publisher\"}", "{\"type\":\"offer\",\"sdp\":\"v=0\"}",
            "{\"type\":\"offer\",\"pc\":\"sideways\",\"sdp\":\"v=0\"}", "{\"type\":\"offer\",\"pc\":\"subscriber\",\"sdp\":\"v=0\"}",
            "{\"type\":\"subscribe\"}", "{\"type\":\"subscribe\",\"trackIds\":\"TR_1\"}",
            "{\"type\":\"mute\",\"trackId\":\"TR_1\"}", "{\"type\":\"setLayer\",\"trackId\":\"TR_1\"}",
            "{\"type\":\"candidate\",\"pc\":\"publisher\"}", "{\"type\":\"offer\",\"type\":\"leave\"}",
            "{\"type\":\"answer\",\"pc\":\"subscriber\",\"sdp\":\"v=0\"}",
        };
        for (String text : bad) {
            alice.send(text);
            JsonNode error = alice.next("error");
            assertThat(error.path("code").asText()).as(text).isEqualTo("bad_request");
            assertThat(error.path("message").asText()).as(text).isNotBlank();
        }

        alice.send(message("offer").put("pc", "publisher").put("sdp", "this is not SDP"));
        JsonNode sdpError = alice.next("error");
        assertThat(sdpError.path("code").asText()).isEqualTo("sdp_invalid");
        assertThat(sdpError.path("message").asText()).contains("v=0");

        publish(alice, "audio");
        assertThat(bob.next("trackPublished").path("track").path("kind").asText()).isEqualTo("audio");
        assertThat(bob.next("offer").path("pc").asText()).isEqualTo("subscriber");
    }

    @Test
    void aBadSubscriberAnswerIsSdpInvalidAndAGoodOneStillWorks() throws Exception {
        Subscriber subscriber = bobOffered();
        WsClient bob = subscriber.bob();
        String bobId = subscriber.bobId();

        bob.send(message("answer").put("pc", "subscriber").put("sdp", "garbage"));
        assertThat(bob.next("error").path("code").asText()).isEqualTo("sdp_invalid");
        bob.send(message("answer").put("pc", "subscriber").put("sdp", "v=0\r\n"));
        bob.assertNothingPending();
        assertThat(server.engine().session(bobId).subscriberAnswers()).hasSize(1);
    }

    @Test
    void trickledCandidatesOfEveryShapeAreTolerated() throws Exception {
        WsClient alice = join("r1", "alice");
        String aliceId = joined(alice);
        alice.send("{\"type\":\"candidate\",\"pc\":\"publisher\",\"candidate\":{\"candidate\":\"candidate:1 1 udp "
            + "2122260223 192.0.2.1 54321 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"abc\"}}");
        alice.send("{\"type\":\"candidate\",\"pc\":\"publisher\",\"candidate\":{\"candidate\":\"candidate:2 1 tcp "
            + "1518280447 ::1 9 typ host tcptype active\",\"sdpMid\":\"1\",\"sdpMLineIndex\":1}}");
        alice.send("{\"type\":\"candidate\",\"pc\":\"subscriber\",\"candidate\":{\"candidate\":\"\",\"sdpMid\":\"0\"}}");
        alice.send("{\"type\":\"candidate\",\"pc\":\"publisher\",\"candidate\":null}");
        alice.assertNothingPending();

        assertThat(server.engine().session(aliceId).candidates()).hasSize(4)
            .filteredOn(c -> c.isEndOfCandidates()).hasSize(2);
    }

    @Test
    void muteByTrackIdOrMidReachesTheOthers() throws Exception {
        WsClient alice = join("r1", "alice");
        String aliceId = joined(alice);
        WsClient bob = join("r1", "bob");
        joined(bob);
        alice.next("participantJoined");
        publish(alice, "audio", "video");
        String audioId = bob.next("trackPublished").path("track").path("id").asText();
        String videoId = bob.next("trackPublished").path("track").path("id").asText();
        bob.next("offer");

        alice.send(message("mute").put("trackId", audioId).put("muted", true));
        JsonNode muted = bob.next("trackMuted");
        assertThat(muted.path("participantId").asText()).isEqualTo(aliceId);
        assertThat(muted.path("trackId").asText()).isEqualTo(audioId);
        assertThat(muted.path("muted").asBoolean()).isTrue();

        alice.send(message("mute").put("mid", "1").put("muted", true));
        assertThat(bob.next("trackMuted").path("trackId").asText()).isEqualTo(videoId);

        alice.send(message("mute").put("trackId", "TR_unknown").put("muted", true));
        assertThat(alice.next("error").path("code").asText()).isEqualTo("not_found");
        assertThat(server.engine().session(aliceId).mutes()).containsEntry(audioId, true);
    }

    @Test
    void unsubscribeSetLayerAndTrackSettingsReachTheEngine() throws Exception {
        Subscriber subscriber = bobOffered();
        WsClient bob = subscriber.bob();
        String bobId = subscriber.bobId();
        String trackId = subscriber.trackId();
        bob.send(message("answer").put("pc", "subscriber").put("sdp", "v=0\r\n"));

        bob.send(message("trackSettings").put("trackId", trackId).put("enabled", false).put("width", 640)
            .put("height", 360));
        bob.send(message("trackSettings").put("trackId", trackId));
        assertThat(bob.next("error").path("code").asText()).isEqualTo("bad_request");
        bob.send(message("trackSettings").put("trackId", trackId).put("enabled", "no"));
        assertThat(bob.next("error").path("code").asText()).isEqualTo("bad_request");
        bob.send(message("trackSettings").put("trackId", "TR_nope").put("enabled", true));
        assertThat(bob.next("error").path("code").asText()).isEqualTo("not_found");
        assertThat(server.engine().session(bobId).enabledTracks()).containsEntry(trackId, false);
        assertThat(server.engine().session(bobId).layers().get(trackId).maxHeight()).isEqualTo(360);
        bob.send(message("trackSettings").put("trackId", trackId).put("enabled", true));
        bob.send(message("setLayer").put("trackId", trackId).put("rid", "q"));
        bob.send(message("unsubscribe").set("trackIds", WsClientJson.array(trackId)));
        JsonNode offer = bob.next("offer");
        assertThat(offer.path("sdp").asText()).doesNotContain(trackId);
        assertThat(server.engine().session(bobId).layers().get(trackId).rid()).isEqualTo("q");
        assertThat(server.engine().session(bobId).enabledTracks()).containsEntry(trackId, true);

        bob.send(message("subscribe").set("trackIds", WsClientJson.array("TR_nope")));
        assertThat(bob.next("error").path("code").asText()).isEqualTo("not_found");
    }

    /** A setLayer {@code field} of 3, -1, a string or a fraction is a bad_request. */
    private static void refusesLayersOutOfRange(WsClient bob, String trackId, String field) throws Exception {
        for (String bad : new String[] {"3", "-1", "\"1\"", "1.5"}) {
            bob.send("{\"type\":\"setLayer\",\"trackId\":\"" + trackId + "\",\"" + field + "\":" + bad + "}");
            assertThat(bob.next("error").path("code").asText()).as("%s %s", field, bad).isEqualTo("bad_request");
        }
    }

    @Test
    void setLayerCarriesTheHighestTemporalAndSpatialLayersAloneOrWithASimulcastLayer() throws Exception {
        Subscriber subscriber = bobOffered();
        WsClient bob = subscriber.bob();
        String bobId = subscriber.bobId();
        String trackId = subscriber.trackId();

        bob.send(message("setLayer").put("trackId", trackId).put("maxTemporalLayer", 0));
        bob.send(message("setLayer").put("trackId", trackId).put("rid", "q").put("maxHeight", 180));
        assertThat(bob.next("error").path("code").asText()).isEqualTo("bad_request");
        assertThat(server.engine().session(bobId).layers().get(trackId))
            .isEqualTo(new LayerPreference(null, null, 0));
        refusesLayersOutOfRange(bob, trackId, "maxTemporalLayer");

        bob.send(message("setLayer").put("trackId", trackId).put("maxHeight", 360).put("maxTemporalLayer", 2));
        bob.send(message("setLayer").put("trackId", "TR_nope").put("maxTemporalLayer", 1));
        assertThat(bob.next("error").path("code").asText()).isEqualTo("not_found");
        assertThat(server.engine().session(bobId).layers().get(trackId))
            .isEqualTo(new LayerPreference(null, 360, 2));

        // the highest spatial layer (VP9 SVC) likewise
        bob.send(message("setLayer").put("trackId", trackId).put("maxSpatialLayer", 1));
        refusesLayersOutOfRange(bob, trackId, "maxSpatialLayer");
        assertThat(server.engine().session(bobId).layers().get(trackId))
            .isEqualTo(new LayerPreference(null, null, null, 1));

        bob.send(message("setLayer").put("trackId", trackId).put("maxHeight", 360).put("maxTemporalLayer", 1)
            .put("maxSpatialLayer", 0));
        bob.send(message("setLayer").put("trackId", "TR_nope").put("maxSpatialLayer", 1));
        assertThat(bob.next("error").path("code").asText()).isEqualTo("not_found");
        assertThat(server.engine().session(bobId).layers().get(trackId))
            .isEqualTo(new LayerPreference(null, 360, 1, 0));
    }

    @Test
    void restartIceOnTheSubscriberConnectionBringsANewOfferOfTheSameTracks() throws Exception {
        WsClient alice = join("r1", "alice");
        joined(alice);
        WsClient bob = join("r1", "bob");
        String bobId = joined(bob);
        alice.next("participantJoined");
        bob.send(message("restartIce").put("pc", "subscriber"));
        assertThat(bob.next("error").path("message").asText()).contains("no subscriber connection");

        publish(alice, "video");
        bob.next("trackPublished");
        JsonNode first = bob.next("offer");
        // asked while the first offer waits for its answer: the restart follows the answer
        bob.send(message("restartIce").put("pc", "subscriber"));
        bob.send(message("answer").put("pc", "subscriber").put("sdp", "v=0\r\n"));
        JsonNode restarted = bob.next("offer");

        assertThat(server.engine().session(bobId).iceRestarts()).isEqualTo(1);
        assertThat(server.engine().session(bobId).subscriberOffers()).hasSize(2);
        assertThat(server.engine().session(bobId).subscriberOffers().get(1))
            .isEqualTo(server.engine().session(bobId).subscriberOffers().get(0));
        assertThat(restarted.path("sdp").asText()).isEqualTo(first.path("sdp").asText());
        bob.send(message("restartIce").put("pc", "publisher"));
        assertThat(bob.next("error").path("code").asText()).isEqualTo("bad_request");
    }

    @Test
    void aRoomsLastNReachesTheSessionsOfItsParticipants() throws Exception {
        Response created = server.post("/v1/rooms", "{\"name\":\"webinar\",\"lastN\":2}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("lastN").asInt()).isEqualTo(2);

        WsClient alice = join("webinar", "alice");
        JsonNode joined = alice.next("joined");
        assertThat(joined.path("room").path("lastN").asInt()).isEqualTo(2);
        String aliceId = joined.path("participant").path("id").asText();
        assertThat(server.engine().session(aliceId).context().lastN()).isEqualTo(2);
        // a room created without it forwards every video
        assertThat(server.post("/v1/rooms", "{\"name\":\"meeting\"}").json().has("lastN")).isFalse();
    }

    @Test
    void aFullRoomRefusesTheJoinAndClosesTheSocket() throws Exception {
        for (String name : List.of("a", "b", "c")) {
            joined(join("full", name));
        }
        WsClient fourth = join("full", "d");
        JsonNode error = fourth.next("error");
        assertThat(error.path("code").asText()).isEqualTo("room_full");
        assertThat(fourth.awaitClose()).isEqualTo(CloseCodes.ROOM_FULL);
        assertThat(server.get("/v1/rooms/full").json().path("participants")).hasSize(3);
    }

    @Test
    void kickingClosesTheSocketAndTellsTheOthers() throws Exception {
        WsClient alice = join("r1", "alice");
        joined(alice);
        WsClient bob = join("r1", "bob");
        String bobId = joined(bob);
        alice.next("participantJoined");

        assertThat(server.delete("/v1/rooms/r1/participants/bob").status()).isEqualTo(204);

        assertThat(bob.awaitClose()).isEqualTo(CloseCodes.KICKED);
        assertThat(alice.next("participantLeft").path("participantId").asText()).isEqualTo(bobId);
        assertThat(server.engine().session(bobId).isClosed()).isTrue();
        assertThat(server.delete("/v1/rooms/r1/participants/bob").status()).isEqualTo(404);
    }

    @Test
    void deletingTheRoomDisconnectsEveryone() throws Exception {
        assertThat(server.post("/v1/rooms", "{\"name\":\"r2\"}").status()).isEqualTo(201);
        WsClient alice = join("r2", "alice");
        joined(alice);
        WsClient bob = join("r2", "bob");
        joined(bob);

        assertThat(server.delete("/v1/rooms/r2").status()).isEqualTo(204);

        assertThat(alice.awaitClose()).isEqualTo(CloseCodes.ROOM_DELETED);
        assertThat(bob.awaitClose()).isEqualTo(CloseCodes.ROOM_DELETED);
        assertThat(server.get("/v1/rooms/r2").status()).isEqualTo(404);
    }

    @Test
    void closingTheSocketRemovesTheParticipantAndReleasesItsMedia() throws Exception {
        WsClient alice = join("r1", "alice");
        joined(alice);
        WsClient bob = join("r1", "bob");
        String bobId = joined(bob);
        alice.next("participantJoined");

        bob.close();

        assertThat(alice.next("participantLeft").path("participantId").asText()).isEqualTo(bobId);
        assertThat(server.engine().session(bobId).isClosed()).isTrue();
    }

    @Test
    void expiredConsentFromTheMediaSideRemovesTheParticipant() throws Exception {
        WsClient alice = join("r1", "alice");
        joined(alice);
        WsClient bob = join("r1", "bob");
        String bobId = joined(bob);
        alice.next("participantJoined");

        server.engine().session(bobId).expireConsent();

        assertThat(bob.awaitClose()).isEqualTo(CloseCodes.CONSENT_EXPIRED);
        assertThat(alice.next("participantLeft").path("participantId").asText()).isEqualTo(bobId);
    }

    @Test
    void aSecondConnectionWithTheSameIdentityReplacesTheFirst() throws Exception {
        WsClient first = join("r1", "alice");
        joined(first);
        WsClient second = join("r1", "alice");
        joined(second);
        assertThat(first.awaitClose()).isEqualTo(CloseCodes.REPLACED);
        assertThat(server.get("/v1/rooms/r1").json().path("participants")).hasSize(1);
    }

    @Test
    void aRoomCreatedByAJoinGoesAwayWithItsLastParticipant() throws Exception {
        WsClient alice = join("ephemeral", "alice");
        joined(alice);
        assertThat(server.get("/v1/rooms/ephemeral").status()).isEqualTo(200);
        alice.send(message("leave"));
        alice.awaitClose();
        assertThat(server.get("/v1/rooms/ephemeral").status()).isEqualTo(404);
    }

    @Test
    void bindingTheQueryIsValidatedBeforeTheUpgrade() throws Exception {
        assertThat(WsClient.refusal(server.wsUri("/v1/rtc?room=r1"))).isEqualTo(400);
        assertThat(WsClient.refusal(server.wsUri("/v1/rtc?room=bad%20name&identity=a"))).isEqualTo(400);
        assertThat(WsClient.refusal(server.wsUri("/v1/rtc?room=r1&identity=a&identity=b"))).isEqualTo(400);
        assertThat(WsClient.refusal(server.wsUri("/v1/rtc?token=garbage"))).isEqualTo(401);
        assertThat(WsClient.refusal(server.wsUri("/v1/rtc?room=r1&identity=a"), "https://evil.example"))
            .isEqualTo(403);
        WsClient local = WsClient.connect(server.wsUri("/v1/rtc?room=r1&identity=a"));
        clients.add(local);
        joined(local);
    }

    @Test
    void aTooLargeMessageClosesTheSocketAndOthersCarryOn() throws Exception {
        WsClient alice = join("r1", "alice");
        joined(alice);
        WsClient bob = join("r1", "bob");
        joined(bob);
        alice.next("participantJoined");

        // more than signaling.maxMessageBytes (256 KiB by default)
        bob.send("{\"type\":\"offer\",\"pc\":\"publisher\",\"sdp\":\"" + "a".repeat(300_000) + "\"}");

        assertThat(bob.awaitClose()).isEqualTo(1009);
        alice.next("participantLeft");
        publish(alice, "audio");
    }

    @Test
    void anUnmaskedFrameClosesTheSocketWithAProtocolError() throws Exception {
        int port = server.server().httpAddress().getPort();
        try (RawWebSocket mallory = RawWebSocket.connect(port, "/v1/rtc?room=r1&identity=mallory")) {
            assertThat(mallory.readMessage().text()).contains("\"type\":\"joined\"");

            // a client's frames must be masked (RFC 6455 section 5.1): this text frame "{}" is not
            mallory.sendRaw(new byte[] {(byte) 0x81, 0x02, '{', '}'});
            RawWebSocket.Frame close = mallory.readMessage();
            while (close.opcode() != RawWebSocket.CLOSE) {
                close = mallory.readMessage();
            }

            assertThat(close.closeCode()).isEqualTo(1002);
        }
        WsClient alice = join("r1", "alice");
        joined(alice);
    }

    @Test
    void aSingleFrameOverTheMessageLimitClosesTheSocketWith1009() throws Exception {
        WsClient alice = join("r1", "alice");
        joined(alice);
        int port = server.server().httpAddress().getPort();
        try (RawWebSocket bob = RawWebSocket.connect(port, "/v1/rtc?room=r1&identity=bob")) {
            assertThat(bob.readMessage().text()).contains("\"type\":\"joined\"");
            alice.next("participantJoined");

            // one frame over signaling.maxMessageBytes: the frame decoder refuses it before any message handler
            try {
                bob.send(RawWebSocket.TEXT, new byte[300_000]);
            } catch (IOException closedWhileWriting) {
                // the server may close before the whole frame is written; its close frame is read below all the same
            }
            RawWebSocket.Frame close = bob.readMessage();
            while (close.opcode() != RawWebSocket.CLOSE) {
                close = bob.readMessage();
            }

            assertThat(close.payload()).as("a close frame, not a dropped connection").isNotEmpty();
            assertThat(close.closeCode()).isEqualTo(1009);
        }
        alice.next("participantLeft");
        publish(alice, "audio");
    }
}
