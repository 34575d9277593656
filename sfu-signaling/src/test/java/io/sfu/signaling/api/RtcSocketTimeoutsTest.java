package io.sfu.signaling.api;

import static io.sfu.signaling.WsClient.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.sfu.core.session.FakeMediaEngine;
import io.sfu.core.testing.Await;
import io.sfu.core.testing.ManualClock;
import io.sfu.signaling.RawWebSocket;
import io.sfu.signaling.RawWebSocket.Frame;
import io.sfu.signaling.TestServer;
import io.sfu.signaling.WsClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The time bounds of a signaling socket, on a clock the test moves: a client gone silent is pinged and closed with
 * 4408 when it does not answer, and a participant that negotiates no media leaves with 4014, freeing its slot.
 */
class RtcSocketTimeoutsTest {
    private static final Duration PING_INTERVAL = Duration.ofSeconds(15);
    private static final Duration PONG_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration NEGOTIATION_TIMEOUT = Duration.ofSeconds(30);

    private final ManualClock clock = TestServer.wallClockNow();
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Pings only: no negotiation deadline within the test. */
    private void startForPings() throws Exception {
        server = TestServer.devMode(clock, "signaling.pingIntervalSeconds", "15", "signaling.pongTimeoutSeconds", "15",
            "signaling.negotiationTimeoutSeconds", "3600");
    }

    private RawWebSocket join(String identity) throws Exception {
        RawWebSocket ws = RawWebSocket.connect(server.server().httpAddress().getPort(),
            "/v1/rtc?room=r1&identity=" + identity);
        assertThat(ws.read().text()).contains("\"type\":\"joined\"");
        return ws;
    }

    /**
     * Returns once a housekeeping tick has run whole on the time the clock shows now: each tick reads the clock
     * once, and nothing else reads it while the test sends nothing, so the first of two reads after this call was
     * a tick that saw the new time and finished before the second began.
     */
    private void awaitTick() throws InterruptedException {
        long reads = clock.reads();
        assertThat(clock.awaitReads(reads + 2, Duration.ofSeconds(10))).as("two housekeeping ticks").isTrue();
    }

    private double timeouts(String kind) throws Exception {
        return server.get("/metrics").body().lines()
            .filter(l -> l.startsWith("sfu_signaling_timeouts_total{") && l.contains("kind=\"" + kind + "\""))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aQuietClientIsPingedOnceThePingIntervalHasPassed() throws Exception {
        startForPings();
        try (RawWebSocket ws = join("quiet")) {
            clock.advance(PING_INTERVAL.minusNanos(1));
            awaitTick();
            ws.sendText("{\"type\":\"barrier\"}");
            Frame reply = ws.read();
            assertThat(reply.opcode()).as("no ping before the reply").isEqualTo(RawWebSocket.TEXT);
            assertThat(reply.text()).contains("barrier");

            // the barrier was heard: the next ping is due a whole interval after it
            clock.advance(PING_INTERVAL);
            assertThat(ws.read().opcode()).isEqualTo(RawWebSocket.PING);
        }
    }

    @Test
    void aPingUnansweredForThePongTimeoutClosesTheSocketWith4408AndFreesTheSlot() throws Exception {
        startForPings();
        try (RawWebSocket ws = join("silent")) {
            clock.advance(PING_INTERVAL);
            assertThat(ws.read().opcode()).isEqualTo(RawWebSocket.PING);

            clock.advance(PONG_TIMEOUT.minusNanos(1));
            awaitTick();
            assertThat(ws.pendingBytes()).as("nothing sent before the timeout").isZero();

            clock.advanceNs(1);
            Frame close = ws.read();
            assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
            assertThat(close.closeCode()).isEqualTo(CloseCodes.PING_TIMEOUT);
        }
        assertThat(Await.until(Duration.ofSeconds(10), () -> server.get("/v1/rooms/r1").status() == 404))
            .as("the silent participant left and its room went with it").isTrue();
        assertThat(timeouts("ping")).isEqualTo(1.0);
        assertThat(timeouts("negotiation")).isZero();
    }

    @Test
    void aPongAnswersThePingAndTheSocketStaysOpen() throws Exception {
        startForPings();
        try (RawWebSocket ws = join("alive")) {
            clock.advance(PING_INTERVAL);
            Frame ping = ws.read();
            assertThat(ping.opcode()).isEqualTo(RawWebSocket.PING);
            ws.sendPong(ping.payload());
            // the server answers our own ping only after it handled the pong sent before it (one connection, in
            // order), and a client's ping is not an answer
            byte[] sync = "sync".getBytes(StandardCharsets.US_ASCII);
            ws.send(RawWebSocket.PING, sync);
            Frame pong = ws.read();
            assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
            assertThat(pong.payload()).isEqualTo(sync);

            clock.advance(PONG_TIMEOUT);
            assertThat(ws.read().opcode()).as("the next ping, not a close").isEqualTo(RawWebSocket.PING);
            assertThat(server.get("/v1/rooms/r1").json().path("participants")).hasSize(1);
        }
    }

    @Test
    void aParticipantThatNeverNegotiatesLeavesWith4014AndItsSlotIsFree() throws Exception {
        server = TestServer.devMode(clock, "signaling.negotiationTimeoutSeconds", "30",
            "signaling.pingIntervalSeconds", "3600", "http.idleTimeoutSeconds", "3601",
            "rooms.defaultMaxParticipants", "2");
        try (WsClient idle = WsClient.connect(server.wsUri("/v1/rtc?room=r1&identity=idle"));
             WsClient active = WsClient.connect(server.wsUri("/v1/rtc?room=r1&identity=active"))) {
            idle.next("joined");
            active.next("joined");
            idle.next("participantJoined");
            active.send(message("offer").put("pc", "publisher").put("sdp", FakeMediaEngine.offer("audio")));
            active.next("answer");
            idle.skipTo("offer");
            try (WsClient late = WsClient.connect(server.wsUri("/v1/rtc?room=r1&identity=late"))) {
                assertThat(late.next("error").path("code").asText()).isEqualTo("room_full");
                assertThat(late.awaitClose()).isEqualTo(CloseCodes.ROOM_FULL);
            }

            clock.advance(NEGOTIATION_TIMEOUT.minusNanos(1));
            awaitTick();
            idle.assertNothingPending();

            clock.advanceNs(1);
            assertThat(idle.awaitClose()).isEqualTo(CloseCodes.NEGOTIATION_TIMEOUT);
            assertThat(active.skipTo("participantLeft").path("participantId").asText()).isNotEmpty();
            try (WsClient late = WsClient.connect(server.wsUri("/v1/rtc?room=r1&identity=late"))) {
                assertThat(late.next("joined").path("room").path("participants")).hasSize(1);
            }
        }
        assertThat(timeouts("negotiation")).isEqualTo(1.0);
    }
}
