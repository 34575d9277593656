package io.sfu.signaling.api;

import io.sfu.core.session.ControlPlane;
import io.sfu.core.session.ErrorCode;
import io.sfu.core.session.Names;
import io.sfu.core.session.Permissions;
import io.sfu.signaling.auth.Bans;
import io.sfu.signaling.auth.TokenClaims;
import io.sfu.signaling.auth.TokenException;
import io.sfu.signaling.auth.TokenService;
import io.sfu.signaling.config.SfuConfig;
import io.sfu.signaling.metrics.SignalingMetrics;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/rtc}: authorizes the join before the WebSocket upgrade (a refused one gets an HTTP error and no
 * socket: 401 for a bad token, 403 for a banned identity or token), then hands the socket to a new
 * {@link RtcConnection}. Query: {@code token=JWT}, or in dev mode {@code room=NAME&identity=NAME}; optional
 * {@code autoSubscribe=false}.
 */
final class RtcEndpoint implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(RtcEndpoint.class);

    private final ControlPlane plane;
    private final TokenService tokens;
    private final Bans bans;
    private final RtcConnections connections;
    private final boolean devMode;
    private final SfuConfig.Signaling limits;
    private final SignalingMetrics metrics;
    private final LongSupplier nanoClock;

    RtcEndpoint(ControlPlane plane, TokenService tokens, Bans bans, RtcConnections connections, boolean devMode,
                SfuConfig.Signaling limits, SignalingMetrics metrics, LongSupplier nanoClock) {
        this.plane = plane;
        this.tokens = tokens;
        this.bans = bans;
        this.connections = connections;
        this.devMode = devMode;
        this.limits = limits;
        this.metrics = metrics;
        this.nanoClock = nanoClock;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!request.canUpgradeToWebSocket()) {
            HttpResponses.error(ctx, ErrorCode.BAD_REQUEST, "this endpoint takes a WebSocket upgrade");
            return;
        }
        if (devMode && !isLocalOrigin(request.getHeader("Origin"))) {
            // a dev-mode server trusts anyone who can reach it, so pages of other sites must not reach it
            HttpResponses.error(ctx, ErrorCode.FORBIDDEN, "dev mode accepts WebSockets from local pages only");
            return;
        }
        JoinRequest join;
        try {
            join = authorize(ctx);
        } catch (BadRequestException e) {
            HttpResponses.error(ctx, ErrorCode.BAD_REQUEST, e.getMessage());
            return;
        } catch (TokenException e) {
            HttpResponses.error(ctx, ErrorCode.UNAUTHORIZED, e.getMessage());
            return;
        }
        String banned = bans.refusal(join.room(), join.identity(), join.tokenId());
        if (banned != null) {
            HttpResponses.error(ctx, ErrorCode.FORBIDDEN, banned);
            return;
        }
        RateLimiter limiter = new RateLimiter(limits.messagesPerSecond(), limits.messageBurst(), nanoClock);
        HttpConnection upgradedFrom = request.connection();
        request.toWebSocket()
            .onSuccess(socket -> {
                RtcConnection connection = new RtcConnection(socket, plane, metrics, limits, limiter, connections,
                    nanoClock);
                connections.add(connection, upgradedFrom);
                connection.start(join);
            })
            .onFailure(e -> LOG.debug("WebSocket upgrade failed", e));
    }

    private JoinRequest authorize(RoutingContext ctx) throws BadRequestException, TokenException {
        String token = single(ctx, "token");
        String room = single(ctx, "room");
        String identity = single(ctx, "identity");
        String auto = single(ctx, "autoSubscribe");
        boolean autoSubscribe = true;
        if (auto != null) {
            if (!auto.equals("true") && !auto.equals("false")) {
                throw new BadRequestException("autoSubscribe must be true or false");
            }
            autoSubscribe = auto.equals("true");
        }
        if (token != null) {
            TokenClaims claims = tokens.verify(token);
            if (room != null && !room.equals(claims.room())) {
                throw new TokenException("the token is for another room");
            }
            if (identity != null && !identity.equals(claims.identity())) {
                throw new TokenException("the token is for another identity");
            }
            return new JoinRequest(claims.room(), claims.identity(), claims.permissions(), autoSubscribe, devMode,
                claims.tokenId(), claims.expiresAt());
        }
        if (!devMode) {
            throw new TokenException("a token is required");
        }
        if (room == null || identity == null) {
            throw new BadRequestException("dev mode joins need room and identity in the query");
        }
        if (!Names.isValidRoomName(room)) {
            throw new BadRequestException("invalid room name");
        }
        if (!Names.isValidIdentity(identity)) {
            throw new BadRequestException("invalid identity");
        }
        return new JoinRequest(room, identity, Permissions.ALL, autoSubscribe, true, null, null);
    }

    private static String single(RoutingContext ctx, String name) throws BadRequestException {
        List<String> values = ctx.queryParam(name);
        if (values.size() > 1) {
            throw new BadRequestException("query parameter " + name + " is given more than once");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    /** No Origin (a non-browser client) or a page served from a loopback host. */
    static boolean isLocalOrigin(String origin) {
        if (origin == null) {
            return true;
        }
        try {
            String host = URI.create(origin).getHost();
            if (host == null) {
                return false;
            }
            return host.equals("localhost") || host.equals("[::1]") || host.equals("::1")
                || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
