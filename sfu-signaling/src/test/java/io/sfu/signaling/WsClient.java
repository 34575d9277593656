package io.sfu.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: a signaling client on a plain socket (RFC 6455), a reader thread queueing every message it
 * receives, answering pings and checking each text message is UTF-8. Every wait is bounded; a wait that runs out
 * fails the test. (Not the JDK's WebSocket client: on loopback it refused about one join in 400 with "Invalid UTF-8
 * in frame TEXT", over bytes that a relay recorded as valid frames of ASCII JSON.)
 */
public final class WsClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int TEXT = 0x1;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;
    private static final int MAX_FRAME_BYTES = 64 * 1024;
    static final long WAIT_SECONDS = 10;

    private final LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final Socket socket = new Socket();
    private DataInputStream in;
    private OutputStream out;

    private WsClient() {
    }

    /** Opens a socket; fails the test when the upgrade is refused. */
    public static WsClient connect(URI uri) throws Exception {
        WsClient client = new WsClient();
        int status = client.upgrade(uri, null);
        if (status != 101) {
            client.close();
            throw new AssertionError("the upgrade was refused with " + status + ": " + uri);
        }
        Thread reader = new Thread(client::read, "ws-client " + uri.getRawQuery());
        reader.setDaemon(true);
        reader.start();
        return client;
    }

    /** Attempts an upgrade that is expected to be refused; returns the HTTP status of the refusal. */
    public static int refusal(URI uri, String origin) throws Exception {
        WsClient client = new WsClient();
        try {
            int status = client.upgrade(uri, origin);
            if (status == 101) {
                throw new AssertionError("the upgrade was accepted: " + uri);
            }
            return status;
        } finally {
            client.close();
        }
    }

    public static int refusal(URI uri) throws Exception {
        return refusal(uri, null);
    }

    /** Sends the upgrade request and reads the response head; returns its status. */
    private int upgrade(URI uri, String origin) throws IOException {
        if (!"ws".equals(uri.getScheme())) {
            throw new IllegalArgumentException("ws:// only: " + uri);
        }
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) TimeUnit.SECONDS.toMillis(5));
        socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
            + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = RawWebSocket.readHead(in);
        if (!head.startsWith("HTTP/1.1 ") || head.length() < 12) {
            throw new ProtocolException("not an HTTP response: " + head);
        }
        socket.setSoTimeout(0);
        return Integer.parseInt(head.substring(9, 12));
    }

    /** The reader thread: frames until a close frame, the end of the stream or an error. */
    private void read() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try {
            while (true) {
                int first = in.readUnsignedByte();
                int second = in.readUnsignedByte();
                long length = second & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                if ((second & 0x80) != 0 || length > 16 << 20) {
                    throw new ProtocolException("a masked frame or one of " + length + " bytes from the server");
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                int opcode = first & 0x0f;
                boolean fin = (first & 0x80) != 0;
                if (opcode == PING) {
                    write(PONG, payload);
                } else if (opcode == CLOSE) {
                    int code = payload.length < 2 ? 1005 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
                    write(CLOSE, payload.length < 2 ? new byte[0] : new byte[] {payload[0], payload[1]});
                    closed.complete(code);
                    return;
                } else if (opcode == TEXT || opcode == 0) {
                    text.write(payload);
                    if (fin) {
                        messages.add(parse(text.toByteArray()));
                        text.reset();
                    }
                } else if (opcode != PONG) {
                    throw new ProtocolException("a frame of opcode " + opcode + " from the server");
                }
            }
        } catch (IOException e) {
            closed.completeExceptionally(e);
        } finally {
            close();
        }
    }

    /** A text message as JSON; a server that sends invalid UTF-8 fails the client, as a browser's would. */
    private static JsonNode parse(byte[] utf8) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("invalid UTF-8 in a text message from the server");
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.createObjectNode().put("type", "unparseable").put("text", text);
        }
    }

    /** One final, masked frame (a client must mask, RFC 6455 section 5.3); one writer at a time. */
    private synchronized void write(int opcode, byte[] payload) throws IOException {
        writeFrame(opcode, true, payload);
    }

    private void writeFrame(int opcode, boolean fin, byte[] payload) throws IOException {
        out.write(RawWebSocket.maskedFrame(opcode, fin, payload, RANDOM));
        out.flush();
    }

    /** A text message, in frames of at most {@value #MAX_FRAME_BYTES} bytes (as browsers and the JDK send them). */
    public synchronized void send(String text) throws Exception {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int offset = 0;
        do {
            int end = Math.min(utf8.length, offset + MAX_FRAME_BYTES);
            writeFrame(offset == 0 ? TEXT : 0, end == utf8.length, Arrays.copyOfRange(utf8, offset, end));
            offset = end;
        } while (offset < utf8.length);
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
        assertThat(message).as("a message within %d s (socket %s)", WAIT_SECONDS, closed).isNotNull();
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
        try {
            return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the socket failed before a close frame", e.getCause());
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** Drops the connection without a close frame. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with it
        }
    }
}
