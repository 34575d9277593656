package io.sfu.core.stun;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads the RFC sample messages kept as commented hex in {@code src/test/resources/stun/}. */
public final class StunTestVectors {
    /** RFC 5769 §2.1. */
    public static final String SAMPLE_REQUEST = "rfc5769-2.1-sample-request.hex";
    /** RFC 5769 §2.2. */
    public static final String SAMPLE_IPV4_RESPONSE = "rfc5769-2.2-sample-ipv4-response.hex";
    /** RFC 5769 §2.3. */
    public static final String SAMPLE_IPV6_RESPONSE = "rfc5769-2.3-sample-ipv6-response.hex";
    /** RFC 5769 §2.4. */
    public static final String SAMPLE_LONG_TERM_REQUEST = "rfc5769-2.4-sample-request-long-term.hex";

    /** The short-term password of RFC 5769 §2.1 to §2.3. */
    public static final String SHORT_TERM_PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";
    /** The transaction id of RFC 5769 §2.1 to §2.3. */
    static final byte[] TRANSACTION_ID = hex("b7e7a701bc34d686fa87dfae");

    private StunTestVectors() {
    }

    /** The bytes of the vector in resource {@code stun/<name>}, comments and spaces dropped. */
    public static byte[] load(String name) {
        try (InputStream in = StunTestVectors.class.getResourceAsStream("/stun/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test vector " + name);
            }
            StringBuilder digits = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int comment = line.indexOf('#');
                digits.append((comment >= 0 ? line.substring(0, comment) : line).replaceAll("\\s+", ""));
            }
            return hex(digits.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] hex(String digits) {
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        byte[] bytes = new byte[digits.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    /** A heap buffer holding {@code bytes} at offset {@code at} of a larger array, to catch offset mistakes. */
    static UnsafeBuffer bufferAt(byte[] bytes, int at) {
        byte[] array = new byte[at + bytes.length + 13];
        System.arraycopy(bytes, 0, array, at, bytes.length);
        return new UnsafeBuffer(array);
    }
}
