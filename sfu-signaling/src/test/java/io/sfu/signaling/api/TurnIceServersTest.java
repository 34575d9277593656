package io.sfu.signaling.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfu.core.stun.StunAddress;
import io.sfu.core.stun.StunAttributeType;
import io.sfu.core.stun.StunErrorCode;
import io.sfu.core.stun.StunIntegrity;
import io.sfu.core.stun.StunKey;
import io.sfu.core.stun.StunMessage;
import io.sfu.core.stun.StunMessageType;
import io.sfu.core.stun.StunMessageWriter;
import io.sfu.core.testing.Await;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code turn.enabled}, {@code joined} gives the participant a TURN server of the SFU's own with credentials
 * that allocate on it, and the participant's stats show its allocations; without, it gives none.
 */
@Timeout(30)
class TurnIceServersTest {
    private static final StunIntegrity INTEGRITY = new StunIntegrity();

    @Test
    void joinedGivesCredentialsThatAllocateOnTheSfusTurnServer() throws Exception {
        try (RealEngineServer server = RealEngineServer.start("turn.enabled", "true", "turn.port", "0",
                "turn.realm", "meet.test")) {
            RealEngineServer.Joined joined = server.connect("r1", "alice");
            JsonNode iceServers = joined.joined().path("iceServers");
            assertThat(iceServers.size()).isEqualTo(1);
            JsonNode turn = iceServers.get(0);
            String participantId = joined.joined().path("participant").path("id").asText();
            String username = turn.path("username").asText();
            assertThat(username).endsWith(":" + participantId);
            long expiry = Long.parseLong(username.substring(0, username.indexOf(':')));
            assertThat(expiry - System.currentTimeMillis() / 1000).isBetween(86_000L, 86_400L);
            String udpUrl = turn.path("urls").get(0).asText();
            assertThat(udpUrl).startsWith("turn:127.0.0.1:").endsWith("?transport=udp");
            assertThat(turn.path("urls").get(1).asText()).isEqualTo(udpUrl.replace("udp", "tcp"));

            String hostPort = udpUrl.substring("turn:".length(), udpUrl.indexOf('?'));
            int colon = hostPort.lastIndexOf(':');
            InetSocketAddress turnAddress = new InetSocketAddress(hostPort.substring(0, colon),
                Integer.parseInt(hostPort.substring(colon + 1)));
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                socket.setSoTimeout(10_000);
                StunMessage challenge = allocate(socket, turnAddress, null, null, null);
                assertThat(challenge.errorCode()).isEqualTo(StunErrorCode.UNAUTHORIZED);
                assertThat(challenge.realm()).isEqualTo("meet.test");

                StunMessage allocated = allocate(socket, turnAddress, username, turn.path("credential").asText(),
                    challenge.nonce());
                assertThat(allocated.findAttribute(StunAttributeType.XOR_RELAYED_ADDRESS)).isNotNegative();
            }
            assertThat(server.engine().counters()).containsEntry("media_turn_allocations", 1L);
            JsonNode relayed = server.stats("r1", "alice").path("turn");
            assertThat(relayed.path("allocations").asInt()).isEqualTo(1);
            assertThat(relayed.path("bytesToSfu").asLong()).isZero();
            joined.client().close();
        }
    }

    /**
     * What the TURN server relays for a participant is on /metrics under its room, id and identity, mapped from the
     * credentials {@code joined} gave it, and its series go when it leaves.
     */
    @Test
    void relayedTrafficIsOnMetricsPerParticipantUntilItLeaves() throws Exception {
        try (RealEngineServer server = RealEngineServer.start("turn.enabled", "true", "turn.port", "0",
                "turn.realm", "meet.test")) {
            RealEngineServer.Joined joined = server.connect("r1", "alice");
            JsonNode turn = joined.joined().path("iceServers").get(0);
            String participantId = joined.joined().path("participant").path("id").asText();
            String username = turn.path("username").asText();
            String password = turn.path("credential").asText();
            String udpUrl = turn.path("urls").get(0).asText();
            InetSocketAddress turnAddress = new InetSocketAddress("127.0.0.1",
                Integer.parseInt(udpUrl.substring(udpUrl.lastIndexOf(':') + 1, udpUrl.indexOf('?'))));
            InetSocketAddress sfu = server.engine().localAddress();
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                socket.setSoTimeout(10_000);
                String nonce = allocate(socket, turnAddress, null, null, null).nonce();
                allocate(socket, turnAddress, username, password, nonce);
                byte[] request = new byte[512];
                StunMessageWriter permission = newMessage(StunMessageType.METHOD_CREATE_PERMISSION,
                    StunMessageType.CLASS_REQUEST, request).xorAddress(StunAttributeType.XOR_PEER_ADDRESS,
                    new StunAddress().set(sfu));
                assertThat(exchange(socket, turnAddress, request, permission, username, password, nonce)
                    .messageClass()).isEqualTo(StunMessageType.CLASS_SUCCESS_RESPONSE);
                byte[] buffer = new byte[512];
                StunMessageWriter send = newMessage(StunMessageType.METHOD_SEND, StunMessageType.CLASS_INDICATION,
                    buffer).xorAddress(StunAttributeType.XOR_PEER_ADDRESS, new StunAddress().set(sfu))
                    .attribute(StunAttributeType.DATA, new byte[] {1, 2, 3, 4, 5});
                socket.send(new DatagramPacket(buffer, send.length(), turnAddress));
            }
            String labels = "{room=\"r1\",participant=\"" + participantId + "\",identity=\"alice\",direction=";

            assertThat(Await.until(Duration.ofSeconds(10), () -> server.metrics()
                .contains("sfu_participant_turn_relayed_bytes" + labels + "\"to_sfu\"} 5\n")))
                .as("the relayed bytes on /metrics").isTrue();
            String metrics = server.metrics();
            assertThat(metrics).contains("sfu_participant_turn_relayed_packets" + labels + "\"to_sfu\"} 1\n",
                "sfu_participant_turn_relayed_bytes" + labels + "\"to_client\"} 0\n",
                "sfu_participant_turn_relayed_packets" + labels + "\"to_client\"} 0\n");

            joined.client().close();
            assertThat(Await.until(Duration.ofSeconds(10),
                () -> !server.metrics().contains("participant=\"" + participantId + "\"")))
                .as("the participant's series gone").isTrue();
        }
    }

    @Test
    void joinedGivesNoIceServersWithoutTurn() throws Exception {
        try (RealEngineServer server = RealEngineServer.start()) {
            RealEngineServer.Joined joined = server.connect("r1", "alice");
            assertThat(joined.joined().has("iceServers")).isFalse();
            assertThat(server.stats("r1", "alice").has("turn")).isFalse();
            joined.client().close();
        }
    }

    /** An Allocate for UDP relaying, signed when a username is given, and the answer. */
    private static StunMessage allocate(DatagramSocket socket, InetSocketAddress to, String username,
                                        String password, String nonce) throws Exception {
        byte[] buffer = new byte[512];
        StunMessageWriter w = newMessage(StunMessageType.METHOD_ALLOCATE, StunMessageType.CLASS_REQUEST, buffer)
            .uint32Attribute(StunAttributeType.REQUESTED_TRANSPORT, 17 << 24);
        return exchange(socket, to, buffer, w, username, password, nonce);
    }

    /** A message with a fresh transaction id, to add attributes to. */
    private static StunMessageWriter newMessage(int method, int messageClass, byte[] buffer) {
        byte[] id = new byte[StunMessage.TRANSACTION_ID_LENGTH];
        ThreadLocalRandom.current().nextBytes(id);
        return new StunMessageWriter().wrap(new UnsafeBuffer(buffer), 0, buffer.length)
            .header(StunMessageType.of(method, messageClass), id);
    }

    /** Sends the request, signed when a username is given, and reads the answer. */
    private static StunMessage exchange(DatagramSocket socket, InetSocketAddress to, byte[] buffer,
                                        StunMessageWriter w, String username, String password, String nonce)
        throws Exception {
        if (username != null) {
            w.username(username.getBytes(StandardCharsets.UTF_8))
                .attribute(StunAttributeType.REALM, "meet.test".getBytes(StandardCharsets.UTF_8))
                .attribute(StunAttributeType.NONCE, nonce.getBytes(StandardCharsets.UTF_8))
                .messageIntegrity(INTEGRITY, StunKey.longTermMd5(username, "meet.test", password));
        }
        socket.send(new DatagramPacket(buffer, w.fingerprint(INTEGRITY).length(), to));
        DatagramPacket packet = new DatagramPacket(new byte[1500], 1500);
        socket.receive(packet);
        byte[] answer = Arrays.copyOf(packet.getData(), packet.getLength());
        StunMessage message = new StunMessage();
        assertThat(message.wrap(new UnsafeBuffer(answer), 0, answer.length)).isTrue();
        return message;
    }
}
