package io.sfu.signaling;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Test fixture: a WebSocket client written on a bare socket (RFC 6455), which answers nothing by itself, so a test
 * decides whether a ping gets its pong, and sends what no client library would (fragments, any size, any bytes).
 * Every read is bounded by the socket timeout; one that runs out fails.
 */
public final class RawWebSocket implements AutoCloseable {
    public static final int TEXT = 0x1;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;
    private static final int READ_TIMEOUT_MS = 10_000;

    /** One frame as received: its opcode and payload. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame, or -1 for a close without one. */
        public int closeCode() {
            return payload.length < 2 ? -1 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }
    }

    private final Socket socket;
    private DataInputStream in;
    private OutputStream out;
    private final SecureRandom random = new SecureRandom();

    private RawWebSocket(Socket socket) {
        this.socket = socket;
    }

    /** Connects and upgrades; fails when the server does not answer 101. */
    public static RawWebSocket connect(int port, String pathAndQuery) throws IOException {
        RawWebSocket ws = new RawWebSocket(new Socket());
        String head = ws.handshake(port, pathAndQuery);
        if (!head.startsWith("HTTP/1.1 101")) {
            ws.close();
            throw new IOException("the upgrade was refused: " + head);
        }
        return ws;
    }

    /** Asks for an upgrade and returns the HTTP status of the answer (101 when it would become a WebSocket). */
    public static int upgradeStatus(int port, String pathAndQuery) throws IOException {
        try (RawWebSocket ws = new RawWebSocket(new Socket())) {
            return Integer.parseInt(ws.handshake(port, pathAndQuery).substring(9, 12));
        }
    }

    /** Sends the upgrade request; returns the response head. */
    private String handshake(int port, String pathAndQuery) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return readHead(in);
    }

    /** Reads an HTTP response head, through its empty line. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the connection closed during the handshake: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** The next frame (unfragmented, as the server sends them). */
    public Frame read() throws IOException {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame(first & 0x0f, payload);
    }

    /** The next text or close frame, skipping pings; a connection closed without a close frame reads as one. */
    public Frame readMessage() throws IOException {
        while (true) {
            Frame frame;
            try {
                frame = read();
            } catch (EOFException | java.net.SocketException e) {
                return new Frame(CLOSE, new byte[0]);
            }
            if (frame.opcode() == TEXT || frame.opcode() == CLOSE) {
                return frame;
            }
        }
    }

    /** The next frame that is not a ping (those are left unanswered). */
    public Frame readSkippingPings() throws IOException {
        Frame frame = read();
        while (frame.opcode() == PING) {
            frame = read();
        }
        return frame;
    }

    /** Bytes that arrived and are not read yet: 0 proves nothing was sent before the last thing the server did. */
    public int pendingBytes() throws IOException {
        return in.available();
    }

    public void sendText(String text) throws IOException {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    public void sendPong(byte[] payload) throws IOException {
        send(PONG, payload);
    }

    /** One final, masked frame (a client must mask, RFC 6455 section 5.3). */
    public void send(int opcode, byte[] payload) throws IOException {
        send(opcode, true, payload);
    }

    /**
     * One masked frame of any size, its payload as given (no UTF-8 check): {@code opcode} 0 continues a message,
     * {@code fin} ends it.
     */
    public void send(int opcode, boolean fin, byte[] payload) throws IOException {
        out.write(maskedFrame(opcode, fin, payload, random));
        out.flush();
    }

    /** Bytes as given, framed or not: for frames that break RFC 6455 (an unmasked one, reserved bits). */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** One masked frame of {@code payload} as a client sends it (RFC 6455 section 5.2), its mask from {@code random}. */
    static byte[] maskedFrame(int opcode, boolean fin, byte[] payload, SecureRandom random) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65_536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
