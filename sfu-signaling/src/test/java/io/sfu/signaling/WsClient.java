package io.sfu.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: a signaling client on the JDK's WebSocket, queueing every message it receives. Every wait is
 * bounded; a wait that runs out fails the test.
 */
public final class WsClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static final long WAIT_SECONDS = 10;

    private final LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private WebSocket socket;

    private WsClient() {
    }

    /** Opens a socket; fails the test when the upgrade is refused. */
    public static WsClient connect(URI uri) throws Exception {
        WsClient client = new WsClient();
        client.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
            .buildAsync(uri, client.new Listener()).get(WAIT_SECONDS, TimeUnit.SECONDS);
        return client;
    }

    /** Attempts an upgrade that is expected to be refused; returns the HTTP status of the refusal. */
    public static int refusal(URI uri, String origin) throws Exception {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (origin != null) {
            builder.header("Origin", origin);
        }
        try {
            WebSocket ws = builder.buildAsync(uri, new WsClient().new Listener()).get(WAIT_SECONDS, TimeUnit.SECONDS);
            ws.abort();
            throw new AssertionError("the upgrade was accepted: " + uri);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    public static int refusal(URI uri) throws Exception {
        return refusal(uri, null);
    }

    public void send(String text) throws Exception {
        socket.sendText(text, true).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    public void send(ObjectNode message) throws Exception {
        send(JSON.writeValueAsString(message));
    }

    public static ObjectNode message(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    /** The next message, whatever it is. */
    public JsonNode next() throws InterruptedException {
        JsonNode message = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(message).as("a message within %d s", WAIT_SECONDS).isNotNull();
        return message;
    }

    /** The next message, which must be of this type. */
    public JsonNode next(String type) throws InterruptedException {
        JsonNode message = next();
        assertThat(message.path("type").asText()).as("type of %s", message).isEqualTo(type);
        return message;
    }

    /** The next message of this type, passing over room events and others that come before it. */
    public JsonNode skipTo(String type) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            JsonNode message = next();
            if (type.equals(message.path("type").asText())) {
                return message;
            }
        }
        throw new AssertionError("no " + type + " message among the next 100");
    }

    /**
     * Proves that nothing else is queued: sends a message of an unknown type and expects its error to be the
     * very next message (the server answers in order, on one thread).
     */
    public void assertNothingPending() throws Exception {
        send(message("barrier"));
        JsonNode reply = next();
        assertThat(reply.path("type").asText()).as("queued before the barrier: %s", reply).isEqualTo("error");
        assertThat(reply.path("message").asText()).contains("barrier");
    }

    /** The close code the server sent; fails if the socket is still open after the wait. */
    public int awaitClose() throws Exception {
        return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (socket != null && !closed.isDone()) {
            socket.abort();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    messages.add(JSON.createObjectNode().put("type", "unparseable").put("text", partial.toString()));
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
