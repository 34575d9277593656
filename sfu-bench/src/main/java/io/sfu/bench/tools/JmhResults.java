package io.sfu.bench.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads the JSON that JMH writes with {@code -rf json}: an array with one object per benchmark, mode and
 * parameter combination. Malformed files are rejected with {@link IllegalArgumentException} naming the problem.
 */
public final class JmhResults {
    /** JMH's GC profiler metric: bytes allocated per benchmark operation. */
    public static final String ALLOC_NORM = "gc.alloc.rate.norm";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JmhResults() {
    }

    /** Reads a JMH JSON result file. */
    public static List<JmhResult> read(Path file) throws IOException {
        try {
            return parse(MAPPER.readTree(file.toFile()));
        } catch (IllegalArgumentException | JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses JMH JSON text. */
    public static List<JmhResult> parse(String json) {
        try {
            return parse(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Reads the file as a JSON tree, for rewriting baselines without losing any of JMH's fields. */
    static JsonNode readTree(Path file) throws IOException {
        JsonNode root = MAPPER.readTree(file.toFile());
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException(file + ": a JMH result file is a JSON array");
        }
        return root;
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }

    static List<JmhResult> parse(JsonNode root) {
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("a JMH result file is a JSON array");
        }
        List<JmhResult> results = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            results.add(entry(root.get(i), i));
        }
        return results;
    }

    static JmhResult entry(JsonNode node, int index) {
        String where = "entry " + index;
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + " is not an object");
        }
        String benchmark = text(node, "benchmark", where);
        String mode = text(node, "mode", where + " (" + benchmark + ")");
        JsonNode primary = node.get("primaryMetric");
        if (primary == null || !primary.isObject()) {
            throw new IllegalArgumentException(where + " (" + benchmark + ") has no primaryMetric");
        }
        SortedMap<String, String> params = new TreeMap<>();
        JsonNode paramsNode = node.get("params");
        if (paramsNode != null && paramsNode.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = paramsNode.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                params.put(field.getKey(), field.getValue().asText());
            }
        }
        double score = number(primary.get("score"));
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException(where + " (" + benchmark + ") has no numeric primaryMetric.score");
        }
        double alloc = Double.NaN;
        JsonNode secondary = node.get("secondaryMetrics");
        if (secondary != null && secondary.has(ALLOC_NORM)) {
            alloc = number(secondary.get(ALLOC_NORM).get("score"));
        }
        return new JmhResult(benchmark, mode, params, score, number(primary.get("scoreError")),
            text(primary, "scoreUnit", where + " (" + benchmark + ")"), alloc, settings(node));
    }

    private static String settings(JsonNode node) {
        return "forks=" + node.path("forks").asText("?")
            + " warmup=" + node.path("warmupIterations").asText("?") + "x" + node.path("warmupTime").asText("?")
            + " measurement=" + node.path("measurementIterations").asText("?")
            + "x" + node.path("measurementTime").asText("?");
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException(where + " has no " + field);
        }
        return value.asText();
    }

    /** JMH writes numbers, or the strings "NaN", "Infinity" and "-Infinity" where it has none. */
    private static double number(JsonNode value) {
        if (value == null || value.isNull()) {
            return Double.NaN;
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual()) {
            try {
                return Double.parseDouble(value.asText());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
