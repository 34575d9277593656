package io.sfu.core.rtp;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads the hex packet fixtures of src/test/resources/rtp: hex pairs, whitespace ignored, # starts a comment. */
final class RtpFixtures {
    private RtpFixtures() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = RtpFixtures.class.getResourceAsStream("/rtp/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return hex(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] hex(String text) {
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
    static UnsafeBuffer buffer(byte[] packet, int offset) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + packet.length + 16]);
        buffer.putBytes(offset, packet);
        return buffer;
    }
}
