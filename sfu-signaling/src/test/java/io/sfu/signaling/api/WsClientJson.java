package io.sfu.signaling.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

/** Test helper: JSON arrays for signaling messages. */
final class WsClientJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WsClientJson() {
    }

    static ArrayNode array(String... items) {
        ArrayNode array = JSON.createArrayNode();
        for (String item : items) {
            array.add(item);
        }
        return array;
    }
}
