package io.sfu.signaling.api;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.sfu.core.session.ControlPlane;
import io.sfu.core.session.ErrorCode;
import io.sfu.core.session.FakeMediaEngine;
import io.sfu.core.session.InMemoryRoomRegistry;
import io.sfu.core.session.Permissions;
import io.sfu.core.session.QueueExecutor;
import io.sfu.core.session.Room;
import io.sfu.core.testing.FuzzInput;
import io.sfu.signaling.config.SfuConfig;
import io.sfu.signaling.metrics.SignalingMetrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Coverage-guided fuzzing (Jazzer) of the signaling WebSocket: any sequence of frames (text, binary, continuations,
 * fragments of any size) from a joined client goes through {@link RtcConnection}'s reassembly, JSON decoding and
 * dispatch into a real {@link ControlPlane} (with the fake media engine), with another participant in the room.
 * Whatever arrives: nothing throws out of the frame handler, the server never answers "internal" (which means it
 * failed on the input), every message it sends either client is a JSON object of a documented type, it closes the
 * socket only with a documented code, and the other participant's socket stays open.
 *
 * <p>The input is a sequence of steps: one control byte (the kind of frame, whether it is final, how long to
 * wait before it), then the frame's payload as a {@link FuzzInput} chunk. Seeds: one message of each type of the
 * API, a fragmented message and malformed ones.
 */
class SignalingFuzzTarget {
    private static final SignalingMetrics METRICS = new SignalingMetrics();
    private static final SfuConfig.Signaling LIMITS = new SfuConfig.Signaling(65_536, 50, 200, 4_194_304, 20, 20, 30);
    private static final Set<String> SERVER_MESSAGE_TYPES = Set.of("joined", "participantJoined",
        "participantLeft", "trackPublished", "trackUnpublished", "trackMuted", "dominantSpeaker", "answer", "offer",
        "error");
    private static final Set<String> ERROR_CODES = Arrays.stream(ErrorCode.values()).map(ErrorCode::wireName)
        .filter(code -> !code.equals(ErrorCode.INTERNAL.wireName())).collect(Collectors.toSet());
    private static final Set<Short> CLOSE_CODES = Set.of(CloseCodes.NORMAL, CloseCodes.MESSAGE_TOO_BIG,
        CloseCodes.POLICY_VIOLATION);
    private static final int TEXT = 0;
    private static final int BINARY = 1;
    private static final int CONTINUATION = 2;
    private static final int MAX_STEPS = 64;

    /** A WebSocket that keeps what the server writes and the handlers it sets, and never touches a network. */
    private static final class RecordingSocket {
        final List<String> written = new ArrayList<>();
        Handler<WebSocketFrame> frames;
        Handler<Void> closed;
        short closeCode = -1;
        final ServerWebSocket socket = (ServerWebSocket) Proxy.newProxyInstance(
            SignalingFuzzTarget.class.getClassLoader(), new Class<?>[] {ServerWebSocket.class}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "frameHandler" -> frames = cast(args[0]);
                    case "closeHandler" -> closed = cast(args[0]);
                    case "writeTextMessage" -> written.add((String) args[0]);
                    case "close" -> closeCode = args != null && args.length > 0 ? (Short) args[0] : CloseCodes.NORMAL;
                    case "isClosed" -> {
                        return closeCode >= 0;
                    }
                    case "writeQueueFull" -> {
                        return false;
                    }
                    default -> {
                    }
                }
                if (method.getReturnType().isInstance(proxy)) {
                    return proxy;
                }
                return method.getReturnType() == Future.class ? Future.succeededFuture() : null;
            });

        @SuppressWarnings("unchecked")
        private static <T> Handler<T> cast(Object handler) {
            return (Handler<T>) handler;
        }
    }

    static Stream<byte[]> messages() {
        String offer = FakeMediaEngine.offer("audio", "video").replace("\r\n", "\\r\\n");
        List<String> texts = List.of(
            "{\"type\":\"offer\",\"pc\":\"publisher\",\"sdp\":\"" + offer + "\"}",
            "{\"type\":\"answer\",\"pc\":\"subscriber\",\"sdp\":\"v=0\\r\\n\"}",
            "{\"type\":\"candidate\",\"pc\":\"publisher\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 2122260223"
                + " 192.0.2.1 50000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}",
            "{\"type\":\"candidate\",\"pc\":\"subscriber\",\"candidate\":null}",
            "{\"type\":\"subscribe\",\"trackIds\":[\"t1\",\"t2\"]}",
            "{\"type\":\"unsubscribe\",\"trackIds\":[\"t1\"]}",
            "{\"type\":\"setLayer\",\"trackId\":\"t1\",\"rid\":\"q\"}",
            "{\"type\":\"setLayer\",\"trackId\":\"t1\",\"maxHeight\":360}",
            "{\"type\":\"mute\",\"mid\":\"0\",\"muted\":true}",
            "{\"type\":\"mute\",\"trackId\":\"t1\",\"muted\":false}",
            "{\"type\":\"leave\"}",
            "{\"type\":\"nonsense\",\"a\":[1,{\"b\":null}]}",
            "{\"type\":\"offer\",\"type\":\"answer\"}",
            "[[[[[[[[[[[[[[[[[[\"deep\"]]]]]]]]]]]]]]]]]");
        Stream<byte[]> single = texts.stream().map(text -> new FuzzInput.Writer().u8(step(TEXT, true, 0))
            .chunk(text.getBytes(StandardCharsets.UTF_8)).toByteArray());
        byte[] publish = texts.get(0).getBytes(StandardCharsets.UTF_8);
        byte[] fragmented = new FuzzInput.Writer()
            .u8(step(TEXT, false, 0)).chunk(Arrays.copyOfRange(publish, 0, 40))
            .u8(step(CONTINUATION, false, 0)).chunk(Arrays.copyOfRange(publish, 40, 90))
            .u8(step(CONTINUATION, true, 1)).chunk(Arrays.copyOfRange(publish, 90, publish.length))
            .u8(step(BINARY, true, 0)).chunk(new byte[] {1, 2, 3})
            .u8(step(TEXT, true, 0)).chunk(texts.get(8).getBytes(StandardCharsets.UTF_8)).toByteArray();
        return Stream.concat(single, Stream.of(fragmented));
    }

    /** The control byte of a step: the kind of frame, whether it ends its message, and tenths of a second first. */
    private static int step(int kind, boolean last, int tenths) {
        return kind | (last ? 0x04 : 0) | tenths << 3;
    }

    @MethodSource("messages")
    @FuzzTest
    void anyFramesAreHandledOrRefusedWithoutFailingTheServer(byte[] input) {
        QueueExecutor controlThread = new QueueExecutor();
        ControlPlane plane = new ControlPlane(new InMemoryRoomRegistry(), new FakeMediaEngine(Runnable::run),
            controlThread, new ControlPlane.Limits(4, 8, 16, 8));
        long[] nowNs = {0};
        RecordingSocket client = join(plane, controlThread, "client", nowNs);
        RecordingSocket other = join(plane, controlThread, "other", nowNs);

        FuzzInput in = new FuzzInput(input);
        for (int steps = 0; in.hasRemaining() && steps < MAX_STEPS && client.closeCode < 0; steps++) {
            int step = in.u8();
            boolean last = (step & 0x04) != 0;
            nowNs[0] += (step >>> 3) * 100_000_000L;
            byte[] payload = in.chunk();
            WebSocketFrame frame = switch (step & 0x3) {
                case TEXT -> WebSocketFrame.textFrame(new String(payload, StandardCharsets.UTF_8), last);
                case BINARY -> WebSocketFrame.binaryFrame(Buffer.buffer(payload), last);
                default -> WebSocketFrame.continuationFrame(Buffer.buffer(payload), last);
            };
            client.frames.handle(frame);
            controlThread.runAll();
        }
        if (client.closeCode >= 0) {
            check(CLOSE_CODES.contains(client.closeCode), "the server closed the socket with " + client.closeCode);
        }
        // the client goes away (the server already closed it, or it closes now): its participant leaves
        client.closed.handle(null);
        controlThread.runAll();
        check(other.closeCode < 0, "the other participant's socket closed with code " + other.closeCode);
        checkMessages(client);
        checkMessages(other);
        Room room = plane.room("room").orElseThrow(() -> new AssertionError("the room went away"));
        check(room.size() == 1, "the room holds " + room.size() + " participants after the client left");
    }

    /** A participant joined over its own connection, as the endpoint does after the upgrade. */
    private static RecordingSocket join(ControlPlane plane, QueueExecutor controlThread, String identity,
                                        long[] nowNs) {
        RecordingSocket socket = new RecordingSocket();
        RtcConnection connection = new RtcConnection(socket.socket, plane, METRICS, LIMITS,
            new RateLimiter(LIMITS.messagesPerSecond(), LIMITS.messageBurst(), () -> nowNs[0]),
            // no connection limiter: only the endpoint's upgrade registers a connection with it
            new RtcConnections(null), () -> nowNs[0]);
        connection.start(new JoinRequest("room", identity, Permissions.ALL, true, true, null, null));
        controlThread.runAll();
        return socket;
    }

    /** Every message is a JSON object of a documented type; an error carries a code other than "internal". */
    private static void checkMessages(RecordingSocket socket) {
        for (String text : socket.written) {
            JsonNode message;
            try {
                message = Json.MAPPER.readTree(text);
            } catch (Exception e) {
                throw new AssertionError("the server sent something that is not JSON: " + text, e);
            }
            String type = message.path("type").asText();
            check(SERVER_MESSAGE_TYPES.contains(type), "the server sent a message of type '" + type + "'");
            if (type.equals("error")) {
                check(ERROR_CODES.contains(message.path("code").asText()), "the server answered " + text);
            }
        }
    }

    private static void check(boolean holds, String what) {
        if (!holds) {
            throw new AssertionError(what);
        }
    }
}
