package io.sfu.core.srtp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Reads the hex test vectors under {@code src/test/resources/srtp/}: {@code [section]} headers, {@code name = hex}
 * fields whose hex may go on over indented lines, {@code #} comments.
 */
final class TestVectors {
    private final String resource;
    private final Map<String, Map<String, byte[]>> sections;

    private TestVectors(String resource, Map<String, Map<String, byte[]>> sections) {
        this.resource = resource;
        this.sections = sections;
    }

    static TestVectors load(String name) {
        String resource = "/srtp/" + name;
        Map<String, Map<String, StringBuilder>> text = new HashMap<>();
        try (InputStream in = TestVectors.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            Map<String, StringBuilder> section = null;
            StringBuilder field = null;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String trimmed = line.trim();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    field = null;
                } else if (trimmed.startsWith("[")) {
                    section = text.computeIfAbsent(trimmed.substring(1, trimmed.length() - 1), k -> new HashMap<>());
                    field = null;
                } else if (trimmed.contains("=")) {
                    int equals = trimmed.indexOf('=');
                    field = new StringBuilder(trimmed.substring(equals + 1));
                    section.put(trimmed.substring(0, equals).trim(), field);
                } else if (Character.isWhitespace(line.charAt(0)) && field != null) {
                    field.append(trimmed);
                } else {
                    throw new IllegalStateException(resource + ": cannot read line " + line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Map<String, byte[]>> sections = new HashMap<>();
        text.forEach((sectionName, fields) -> {
            Map<String, byte[]> values = new HashMap<>();
            fields.forEach((fieldName, hex) -> values.put(fieldName, hex(hex.toString())));
            sections.put(sectionName, values);
        });
        return new TestVectors(resource, sections);
    }

    byte[] get(String section, String field) {
        Map<String, byte[]> values = sections.get(section);
        if (values == null || !values.containsKey(field)) {
            throw new IllegalArgumentException(resource + " has no [" + section + "] " + field);
        }
        return values.get(field).clone();
    }

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s", ""));
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
