package io.sfu.signaling.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfu.core.session.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Writes JSON responses and the API's error body. */
final class HttpResponses {
    private HttpResponses() {
    }

    static void json(RoutingContext ctx, int status, JsonNode body) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response()
            .setStatusCode(status)
            .putHeader("content-type", "application/json; charset=utf-8")
            .putHeader("cache-control", "no-store")
            .end(Json.write(body));
    }

    static void error(RoutingContext ctx, ErrorCode code, String message) {
        json(ctx, status(code), Wire.error(code, message));
    }

    static void error(RoutingContext ctx, int status, ErrorCode code, String message) {
        json(ctx, status, Wire.error(code, message));
    }

    /** The error body on a bare response, for requests answered before they reach the router. */
    static Future<Void> error(HttpServerResponse response, int status, ErrorCode code, String message) {
        return response.setStatusCode(status)
            .putHeader("content-type", "application/json; charset=utf-8")
            .putHeader("cache-control", "no-store")
            .end(Json.write(Wire.error(code, message)));
    }

    static void noContent(RoutingContext ctx) {
        ctx.response().setStatusCode(204).end();
    }

    /** The HTTP status of each error code. */
    static int status(ErrorCode code) {
        return switch (code) {
            case BAD_REQUEST, SDP_INVALID -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT, ROOM_FULL -> 409;
            case INTERNAL -> 500;
        };
    }
}
