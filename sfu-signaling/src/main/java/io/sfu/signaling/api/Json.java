package io.sfu.signaling.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON for the API: a parser bounded against hostile input (nesting depth, string length, duplicate keys
 * rejected), and typed field readers that turn a missing or mistyped field into a {@link BadRequestException}.
 */
final class Json {
    static final ObjectMapper MAPPER;

    static {
        JsonFactory factory = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(16)
                .maxStringLength(1 << 20)
                .maxNumberLength(32)
                .build())
            .build();
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        MAPPER = new ObjectMapper(factory);
    }

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Parses a JSON object; anything else is a bad request. */
    static ObjectNode parseObject(String text) throws BadRequestException {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new BadRequestException("malformed JSON");
        }
        if (node == null || !node.isObject()) {
            throw new BadRequestException("expected a JSON object");
        }
        return (ObjectNode) node;
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always serialises", e);
        }
    }

    static String requiredString(ObjectNode message, String field) throws BadRequestException {
        JsonNode value = message.get(field);
        if (value == null || value.isNull()) {
            throw new BadRequestException("missing field " + field);
        }
        if (!value.isTextual()) {
            throw new BadRequestException("field " + field + " must be a string");
        }
        return value.textValue();
    }

    static String optionalString(ObjectNode message, String field) throws BadRequestException {
        JsonNode value = message.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new BadRequestException("field " + field + " must be a string");
        }
        return value.textValue();
    }

    static boolean requiredBoolean(ObjectNode message, String field) throws BadRequestException {
        JsonNode value = message.get(field);
        if (value == null || value.isNull()) {
            throw new BadRequestException("missing field " + field);
        }
        if (!value.isBoolean()) {
            throw new BadRequestException("field " + field + " must be true or false");
        }
        return value.booleanValue();
    }

    static boolean optionalBoolean(ObjectNode message, String field, boolean fallback) throws BadRequestException {
        JsonNode value = message.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new BadRequestException("field " + field + " must be true or false");
        }
        return value.booleanValue();
    }

    /** A boolean field; null when absent. */
    static Boolean optionalBoolean(ObjectNode message, String field) throws BadRequestException {
        return message.hasNonNull(field) ? requiredBoolean(message, field) : null;
    }

    /** An integer field within {@code [min, max]}; null when absent. */
    static Integer optionalInt(ObjectNode message, String field, int min, int max) throws BadRequestException {
        JsonNode value = message.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min
            || value.intValue() > max) {
            throw new BadRequestException("field " + field + " must be an integer between " + min + " and " + max);
        }
        return value.intValue();
    }

    /** A non-empty array of at most {@code maxItems} strings. */
    static List<String> requiredStrings(ObjectNode message, String field, int maxItems) throws BadRequestException {
        JsonNode value = message.get(field);
        if (value == null || value.isNull()) {
            throw new BadRequestException("missing field " + field);
        }
        if (!value.isArray() || value.size() > maxItems) {
            throw new BadRequestException("field " + field + " must be an array of at most " + maxItems + " strings");
        }
        List<String> items = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new BadRequestException("field " + field + " must be an array of strings");
            }
            items.add(item.textValue());
        }
        return items;
    }
}
