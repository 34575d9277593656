package io.sfu.core.rtp.codec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The hand-built payloads of {@code rtp/codec/keyframe-payloads.txt}, and hex helpers for the codec tests. */
public final class PayloadVectors {

    public enum Outcome { KEY, DELTA, INVALID }

    public record Vector(String codec, Outcome outcome, byte[] payload, String source) {
        @Override
        public String toString() {
            return codec + " " + outcome + ": " + source;
        }
    }

    private PayloadVectors() {
    }

    public static List<Vector> all() {
        List<Vector> vectors = new ArrayList<>();
        try (InputStream in = PayloadVectors.class.getResourceAsStream("/rtp/codec/keyframe-payloads.txt")) {
            if (in == null) {
                throw new IllegalStateException("rtp/codec/keyframe-payloads.txt is missing");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\\|");
                vectors.add(new Vector(fields[0].trim(), Outcome.valueOf(fields[1].trim().toUpperCase()),
                    hex(fields[2]), fields[3].trim()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return vectors;
    }

    static List<Vector> of(String codec) {
        List<Vector> vectors = new ArrayList<>();
        for (Vector vector : all()) {
            if (vector.codec().equals(codec)) {
                vectors.add(vector);
            }
        }
        return vectors;
    }

    static byte[] hex(String text) {
        String digits = text.replaceAll("\\s+", "");
        byte[] bytes = new byte[digits.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
