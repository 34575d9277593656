package io.sfu.signaling.cluster;

import io.sfu.core.session.Names;
import io.sfu.signaling.auth.Bans;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The control messages between nodes and what each does here: a room deleted, an identity banned, a kick
 * forwarded to the node of the participant, a participant replaced by a join of its identity elsewhere, a
 * request for this node's full state, a room placed by another node, and the relay's key exchange and export
 * requests. Every field is checked; a message that fails a check is refused (the caller counts it) and changes
 * nothing.
 */
final class ClusterMessages {
    private static final int MAX_ID_CHARS = 128;

    private ClusterMessages() {
    }

    /** @return false when the message was refused */
    static boolean handle(ClusterService cluster, String from, String type, JsonObject message) {
        String room = string(message, "room");
        switch (type) {
            case "stateRequest" -> {
                cluster.stateRequested(from);
                return true;
            }
            case "placed" -> {
                String node = string(message, "node");
                if (!id(node)) {
                    return false;
                }
                cluster.placedElsewhere(node);
                return true;
            }
            case "deleteRoom" -> {
                if (!Names.isValidRoomName(room)) {
                    return false;
                }
                cluster.deleteRoomFromCluster(room);
                return true;
            }
            case "ban" -> {
                String identity = string(message, "identity");
                Long seconds = number(message, "seconds");
                if (!Names.isValidRoomName(room) || !Names.isValidIdentity(identity) || seconds == null
                    || seconds < 1 || seconds > Bans.MAX_BAN_SECONDS) {
                    return false;
                }
                String tokenId = string(message, "tokenId");
                Long expiry = number(message, "tokenExpiry");
                boolean withToken = tokenId != null && expiry != null && tokenId.length() <= MAX_ID_CHARS;
                cluster.banFromCluster(room, identity, seconds, withToken ? tokenId : null,
                    withToken ? Instant.ofEpochSecond(expiry) : null);
                return true;
            }
            case "replaced" -> {
                String identity = string(message, "identity");
                if (!Names.isValidRoomName(room) || !Names.isValidIdentity(identity)) {
                    return false;
                }
                cluster.replacedFromCluster(room, identity);
                return true;
            }
            case "kick" -> {
                String identity = string(message, "identity");
                String ban = string(message, "ban");
                if (!Names.isValidRoomName(room) || !Names.isValidIdentity(identity)
                    || (ban != null && !ban.matches("[0-9]{1,10}"))) {
                    return false;
                }
                Long banSeconds = ban == null ? null : Long.parseLong(ban);
                if (banSeconds != null && (banSeconds < 1 || banSeconds > Bans.MAX_BAN_SECONDS)) {
                    return false;
                }
                cluster.kickFromCluster(room, identity, banSeconds);
                return true;
            }
            default -> {
                return relay(cluster, from, type, room, message);
            }
        }
    }

    private static boolean relay(ClusterService cluster, String from, String type, String room, JsonObject message) {
        RelayCoordinator relays = cluster.relays();
        if (relays == null) {
            return false;
        }
        String trackId = string(message, "trackId");
        boolean trackNamed = Names.isValidRoomName(room) && id(trackId);
        switch (type) {
            case "relayKey" -> {
                String key = string(message, "key");
                if (key == null || key.length() > MAX_ID_CHARS) {
                    return false;
                }
                relays.keyReceived(from, key);
                return true;
            }
            case "relayKeyAck" -> {
                relays.keyAcknowledged(from);
                return true;
            }
            case "export" -> {
                String publisherId = string(message, "publisherId");
                if (!trackNamed || !id(publisherId)) {
                    return false;
                }
                relays.exportRequested(from, room, publisherId, trackId, cluster.plane());
                return true;
            }
            case "unexport" -> {
                if (!trackNamed) {
                    return false;
                }
                relays.exportReleased(from, room, trackId);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private static boolean id(String value) {
        return value != null && !value.isBlank() && value.length() <= MAX_ID_CHARS;
    }

    private static String string(JsonObject message, String field) {
        return message.getValue(field) instanceof String s ? s : null;
    }

    private static Long number(JsonObject message, String field) {
        Object value = message.getValue(field);
        return value instanceof Integer || value instanceof Long ? ((Number) value).longValue() : null;
    }
}
