package io.sfu.signaling.api;

import static io.sfu.signaling.WsClient.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfu.signaling.TestServer;
import io.sfu.signaling.WsClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-socket bounds: a flooding client loses its extra messages, and nobody else notices. */
class RtcSocketLimitsTest {
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.devMode("signaling.messagesPerSecond", "1", "signaling.messageBurst", "2");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void messagesBeyondTheBurstAreDroppedAndCounted() throws Exception {
        try (WsClient flooder = WsClient.connect(server.wsUri("/v1/rtc?room=r1&identity=flooder"));
             WsClient calm = WsClient.connect(server.wsUri("/v1/rtc?room=r1&identity=calm"))) {
            flooder.next("joined");
            calm.next("joined");
            flooder.next("participantJoined");
            for (int i = 0; i < 6; i++) {
                flooder.send(message("flood" + i));
            }
            List<String> replies = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                JsonNode reply = flooder.next("error");
                replies.add(reply.path("message").asText());
            }
            assertThat(replies).anyMatch(m -> m.contains("too many messages"));
            assertThat(replies).filteredOn(m -> m.contains("unknown message type")).hasSizeLessThanOrEqualTo(2);

            String metrics = server.get("/metrics").body();
            double dropped = metrics.lines().filter(l -> l.startsWith("sfu_signaling_messages_dropped_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            assertThat(dropped).isGreaterThanOrEqualTo(3.0);

            calm.send(message("leave"));
            assertThat(calm.awaitClose()).isEqualTo(CloseCodes.NORMAL);
        }
    }
}
