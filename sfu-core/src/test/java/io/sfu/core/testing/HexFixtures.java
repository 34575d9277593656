package io.sfu.core.testing;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Packet fixtures written as hex: pairs of hex digits, whitespace ignored, {@code #} starts a comment. */
public final class HexFixtures {
    private HexFixtures() {
    }

    /** The bytes of the class-path resource {@code path} (e.g. {@code /rtp/opus.hex}). */
    public static byte[] resource(String path) {
        try (InputStream in = HexFixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return hex(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] hex(String text) {
        StringBuilder digits = new StringBuilder();
        for (String line : text.split("\n")) {
            int comment = line.indexOf('#');
            digits.append((comment >= 0 ? line.substring(0, comment) : line).replaceAll("\\s", ""));
        }
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** The fixture copied into a larger buffer at {@code offset}, so offsets are exercised too. */
    public static UnsafeBuffer buffer(byte[] packet, int offset) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + packet.length + 16]);
        buffer.putBytes(offset, packet);
        return buffer;
    }
}
