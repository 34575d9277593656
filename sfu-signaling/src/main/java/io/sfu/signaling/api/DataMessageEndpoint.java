package io.sfu.signaling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sfu.core.session.ControlPlane;
import io.sfu.core.session.ErrorCode;
import io.sfu.core.session.Names;
import io.sfu.core.session.SessionException;
import io.sfu.signaling.config.SfuConfig;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /v1/rooms/{room}/data}: a message from the backend to a room's participants, sent on each one's
 * subscriber connection on the channel {@code server:<label>} (reliable, ordered, opened on first use), as text
 * ({@code "text"}) or binary ({@code "base64"}), to everyone or to the identities in {@code "to"}.
 */
final class DataMessageEndpoint implements Handler<RoutingContext> {
    /** The longest label, in characters. */
    static final int MAX_LABEL_LENGTH = 128;

    private final ControlPlane plane;
    private final SfuConfig config;

    DataMessageEndpoint(ControlPlane plane, SfuConfig config) {
        this.plane = plane;
        this.config = config;
    }

    /** The largest body: a payload of the largest message in base64 or in text with some escapes, and the rest. */
    static int bodyLimit(SfuConfig config) {
        return Math.max(config.http().maxBodyBytes(), 2 * config.dataChannels().maxMessageBytes() + 16_384);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String room = ctx.pathParam("room");
        if (!config.dataChannels().enabled()) {
            HttpResponses.error(ctx, ErrorCode.CONFLICT, "data channels are disabled (dataChannels.enabled)");
            return;
        }
        try {
            if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() == 0) {
                throw new BadRequestException("a JSON body is required");
            }
            ObjectNode body = Json.parseObject(ctx.body().buffer().toString(StandardCharsets.UTF_8));
            String label = Json.requiredString(body, "label");
            if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH) {
                throw new BadRequestException("label must have 1 to " + MAX_LABEL_LENGTH + " characters");
            }
            boolean hasText = body.hasNonNull("text");
            boolean hasBase64 = body.hasNonNull("base64");
            if (hasText == hasBase64) {
                throw new BadRequestException("give the payload as exactly one of text (a string) or base64");
            }
            byte[] payload = hasText ? Json.requiredString(body, "text").getBytes(StandardCharsets.UTF_8)
                : decode(Json.requiredString(body, "base64"));
            int max = config.dataChannels().maxMessageBytes();
            if (payload.length > max) {
                HttpResponses.error(ctx, 413, ErrorCode.BAD_REQUEST, "the message has " + payload.length
                    + " bytes, more than the " + max + " a message may have (dataChannels.maxMessageBytes)");
                return;
            }
            Set<String> to = recipients(body);
            if (!Names.isValidRoomName(room)) {
                HttpResponses.error(ctx, ErrorCode.NOT_FOUND, "no such room");
                return;
            }
            int recipients = plane.sendData(room, label, !hasText, payload, to);
            HttpResponses.json(ctx, 202, Json.object().put("recipients", recipients));
        } catch (BadRequestException e) {
            HttpResponses.error(ctx, ErrorCode.BAD_REQUEST, e.getMessage());
        } catch (SessionException e) {
            HttpResponses.error(ctx, e.code(), e.getMessage());
        }
    }

    private static byte[] decode(String base64) throws BadRequestException {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("base64 is not valid base64 (RFC 4648 §4): " + e.getMessage());
        }
    }

    /** The identities of {@code "to"}, or null (everyone) when absent. */
    private Set<String> recipients(ObjectNode body) throws BadRequestException {
        JsonNode to = body.get("to");
        if (to == null || to.isNull()) {
            return null;
        }
        List<String> identities = Json.requiredStrings(body, "to", config.rooms().maxParticipantsLimit());
        for (String identity : identities) {
            if (!Names.isValidIdentity(identity)) {
                throw new BadRequestException("to: invalid identity");
            }
        }
        return new LinkedHashSet<>(identities);
    }
}
