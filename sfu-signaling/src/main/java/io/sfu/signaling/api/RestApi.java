package io.sfu.signaling.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sfu.core.logging.RateLimitedLog;
import io.sfu.core.session.ControlPlane;
import io.sfu.core.session.ErrorCode;
import io.sfu.core.session.Names;
import io.sfu.core.session.Participant;
import io.sfu.core.session.Room;
import io.sfu.core.session.SessionException;
import io.sfu.signaling.auth.ApiKey;
import io.sfu.signaling.auth.Bans;
import io.sfu.signaling.auth.TokenService;
import io.sfu.signaling.config.SfuConfig;
import io.sfu.signaling.metrics.SignalingMetrics;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP surface of the server: health, metrics, the {@code /v1} REST API, the signaling WebSocket and the demo
 * page. Every handler runs on the control context, so it may use the {@link ControlPlane} directly.
 */
public final class RestApi {
    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);
    /** Failures a client can provoke with every request: logged a few times a minute per cause. */
    private static final RateLimitedLog ERRORS = new RateLimitedLog(LOG);

    private final ControlPlane plane;
    private final TokenService tokens;
    private final Bans bans;
    private final RtcConnections connections;
    private final SfuConfig config;
    private final SignalingMetrics metrics;
    private final BooleanSupplier ready;
    private final LongSupplier nanoClock;
    private final ClusterApi cluster;

    /**
     * @param bans who may not join; a kick with {@code ?ban=} adds to it
     * @param connections the open signaling sockets, where a ban finds the banned participant's token
     */
    public RestApi(ControlPlane plane, TokenService tokens, Bans bans, RtcConnections connections, SfuConfig config,
                   SignalingMetrics metrics, BooleanSupplier ready, LongSupplier nanoClock) {
        this(plane, tokens, bans, connections, config, metrics, ready, nanoClock, null);
    }

    /** @param cluster the cluster this server is a node of, or null when it runs alone */
    public RestApi(ControlPlane plane, TokenService tokens, Bans bans, RtcConnections connections, SfuConfig config,
                   SignalingMetrics metrics, BooleanSupplier ready, LongSupplier nanoClock, ClusterApi cluster) {
        this.cluster = cluster;
        this.plane = plane;
        this.tokens = tokens;
        this.bans = bans;
        this.connections = connections;
        this.config = config;
        this.metrics = metrics;
        this.ready = ready;
        this.nanoClock = nanoClock;
    }

    /** Adds every route to the router, in the order they must be matched; {@code /metrics} is served by its own. */
    public void mount(Router router, Handler<RoutingContext> metricsEndpoint) {
        Handler<RoutingContext> keyCheck = keyCheck();
        router.get("/healthz").handler(this::health);
        // its series name rooms, identities and participant ids: as guarded as /v1
        router.get("/metrics").handler(keyCheck).handler(metricsEndpoint);
        // the WebSocket authorizes with its token, not the API key, so it comes before the key check
        router.get("/v1/rtc").handler(new RtcEndpoint(plane, tokens, bans, connections, config.devMode(),
            config.signaling(), metrics, nanoClock));
        router.route("/v1/*").handler(keyCheck);
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.http().maxBodyBytes());
        router.get("/v1/cluster").handler(this::describeCluster);
        router.post("/v1/rooms").handler(body).handler(this::createRoom);
        router.get("/v1/rooms").handler(this::listRooms);
        router.get("/v1/rooms/:room").handler(this::getRoom);
        router.delete("/v1/rooms/:room").handler(this::deleteRoom);
        router.post("/v1/rooms/:room/tokens").handler(body).handler(this::createToken);
        router.delete("/v1/rooms/:room/participants/:identity").handler(this::kick);
        router.get("/v1/rooms/:room/participants/:identity/stats").handler(this::stats);
        router.post("/v1/rooms/:room/data")
            .handler(BodyHandler.create(false).setBodyLimit(DataMessageEndpoint.bodyLimit(config)))
            .handler(new DataMessageEndpoint(plane, config));
        router.route(HttpMethod.GET, "/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));

        router.errorHandler(400, ctx -> HttpResponses.error(ctx, 400, ErrorCode.BAD_REQUEST, "bad request"));
        router.errorHandler(404, ctx -> HttpResponses.error(ctx, 404, ErrorCode.NOT_FOUND, "no such resource"));
        router.errorHandler(405, ctx -> HttpResponses.error(ctx, 405, ErrorCode.BAD_REQUEST,
            "method not allowed"));
        router.errorHandler(413, ctx -> HttpResponses.error(ctx, 413, ErrorCode.BAD_REQUEST,
            "the body exceeds " + config.http().maxBodyBytes() + " bytes"));
        router.errorHandler(500, ctx -> {
            if (ctx.failure() != null) {
                ERRORS.error("request", "{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
            }
            HttpResponses.error(ctx, 500, ErrorCode.INTERNAL, "internal error");
        });
    }

    /** Lets a request on with the API key (any request in dev mode); answers 401 otherwise. */
    private Handler<RoutingContext> keyCheck() {
        if (config.devMode()) {
            return RoutingContext::next;
        }
        ApiKey key = new ApiKey(config.auth().secret());
        return ctx -> {
            if (key.accepts(ctx.request().getHeader("Authorization"))) {
                ctx.next();
            } else {
                HttpResponses.error(ctx, ErrorCode.UNAUTHORIZED, "missing or wrong API key");
            }
        };
    }

    private void health(RoutingContext ctx) {
        if (ready.getAsBoolean()) {
            HttpResponses.json(ctx, 200, Json.object().put("status", "ok"));
        } else {
            HttpResponses.error(ctx, 503, ErrorCode.INTERNAL, "the server is not ready");
        }
    }

    private void createRoom(RoutingContext ctx) {
        try {
            ObjectNode body = body(ctx);
            String name = Json.requiredString(body, "name");
            Integer max = Json.optionalInt(body, "maxParticipants", 1, config.rooms().maxParticipantsLimit());
            Integer lastN = Json.optionalInt(body, "lastN", 0, config.rooms().maxParticipantsLimit());
            Room room = plane.createRoom(name, max, lastN);
            ctx.response().putHeader("location", "/v1/rooms/" + room.name());
            ObjectNode created = Wire.room(room, null);
            if (cluster != null) {
                created.set("node", cluster.placeRoom(room.name()));
            }
            HttpResponses.json(ctx, 201, created);
        } catch (BadRequestException e) {
            HttpResponses.error(ctx, ErrorCode.BAD_REQUEST, e.getMessage());
        } catch (SessionException e) {
            HttpResponses.error(ctx, e.code(), e.getMessage());
        }
    }

    private void listRooms(RoutingContext ctx) {
        ObjectNode result = Json.object();
        ArrayNode rooms = result.putArray("rooms");
        for (Room room : plane.rooms().rooms()) {
            rooms.addObject().put("name", room.name()).put("participants", room.size())
                .put("maxParticipants", room.maxParticipants());
        }
        HttpResponses.json(ctx, 200, result);
    }

    private void getRoom(RoutingContext ctx) {
        room(ctx).ifPresent(room -> HttpResponses.json(ctx, 200, Wire.room(room, null)));
    }

    private void deleteRoom(RoutingContext ctx) {
        room(ctx).ifPresent(room -> {
            plane.deleteRoom(room.name());
            if (cluster != null) {
                cluster.roomDeleted(room.name());
            }
            HttpResponses.noContent(ctx);
        });
    }

    private void createToken(RoutingContext ctx) {
        Optional<Room> room = room(ctx);
        if (room.isEmpty()) {
            return;
        }
        try {
            ObjectNode body = body(ctx);
            String identity = Json.requiredString(body, "identity");
            if (!Names.isValidIdentity(identity)) {
                throw new BadRequestException("invalid identity: 1 to " + Names.MAX_IDENTITY_LENGTH
                    + " characters of A-Z a-z 0-9 . _ @ -, not starting with a dot");
            }
            boolean canPublish = Json.optionalBoolean(body, "canPublish", true);
            boolean canSubscribe = Json.optionalBoolean(body, "canSubscribe", true);
            Integer ttl = Json.optionalInt(body, "ttlSeconds", 1, config.auth().maxTokenTtlSeconds());
            String token = tokens.issue(room.get().name(), identity, canPublish, canSubscribe,
                ttl == null ? config.auth().defaultTokenTtlSeconds() : ttl);
            HttpResponses.json(ctx, 201, Json.object().put("token", token));
        } catch (BadRequestException e) {
            HttpResponses.error(ctx, ErrorCode.BAD_REQUEST, e.getMessage());
        }
    }

    /**
     * Disconnects the participant; with {@code ?ban=SECONDS} (1 to {@link Bans#MAX_BAN_SECONDS}) its identity may
     * not join the room again for that long, and the token it joined with not until that token expires.
     */
    private void kick(RoutingContext ctx) {
        Long banSeconds;
        try {
            banSeconds = banSeconds(ctx.queryParam("ban"));
        } catch (BadRequestException e) {
            HttpResponses.error(ctx, ErrorCode.BAD_REQUEST, e.getMessage());
            return;
        }
        participant(ctx).ifPresent(participant -> {
            if (!ban(participant, banSeconds)) {
                HttpResponses.error(ctx, ErrorCode.FORBIDDEN, "the server holds its maximum of "
                    + Bans.MAX_ENTRIES + " bans; nobody was kicked");
                return;
            }
            if (participant.isRemote()) {
                // its own node disconnects it; the others hear of its departure from that node
                cluster.kickRemote(participant, banSeconds);
            } else {
                plane.kick(participant.room().name(), participant.identity());
            }
            HttpResponses.noContent(ctx);
        });
    }

    /**
     * A kick another node of the cluster forwarded: disconnects the participant of this identity if it is connected
     * here, banning it first with {@code banSeconds} (null: no ban).
     */
    public void kickForwarded(String room, String identity, Long banSeconds) {
        plane.room(room).flatMap(r -> r.participantByIdentity(identity)).filter(p -> !p.isRemote())
            .ifPresent(participant -> {
                if (ban(participant, banSeconds)) {
                    plane.kick(room, identity);
                }
            });
    }

    /** Bans the participant (no ban without seconds) here and, in a cluster, on every node; false when full. */
    private boolean ban(Participant participant, Long banSeconds) {
        if (banSeconds == null) {
            return true;
        }
        Optional<RtcConnection> socket = connections.ofParticipant(participant.id());
        String tokenId = socket.map(RtcConnection::tokenId).orElse(null);
        Instant tokenExpiry = socket.map(RtcConnection::tokenExpiry).orElse(null);
        String room = participant.room().name();
        if (!bans.ban(room, participant.identity(), banSeconds, tokenId, tokenExpiry)) {
            return false;
        }
        if (cluster != null) {
            cluster.banned(room, participant.identity(), banSeconds, tokenId, tokenExpiry);
        }
        return true;
    }

    private void describeCluster(RoutingContext ctx) {
        if (cluster == null) {
            ObjectNode alone = Json.object().put("clustered", false);
            alone.putArray("nodes");
            HttpResponses.json(ctx, 200, alone);
            return;
        }
        HttpResponses.json(ctx, 200, cluster.describe());
    }

    private static Long banSeconds(List<String> values) throws BadRequestException {
        if (values.isEmpty()) {
            return null;
        }
        String rule = "ban must be given once, as a whole number of seconds from 1 to " + Bans.MAX_BAN_SECONDS;
        if (values.size() > 1 || !values.get(0).matches("[0-9]{1,10}")) {
            throw new BadRequestException(rule);
        }
        long seconds = Long.parseLong(values.get(0));
        if (seconds < 1 || seconds > Bans.MAX_BAN_SECONDS) {
            throw new BadRequestException(rule);
        }
        return seconds;
    }

    private void stats(RoutingContext ctx) {
        participant(ctx).ifPresent(participant -> {
            if (!participant.isRemote()) {
                HttpResponses.json(ctx, 200, Wire.stats(participant, plane.stats(participant),
                    plane.turnRelayed(participant)));
                return;
            }
            // the counters live on the participant's own node
            cluster.remoteStats(participant).onComplete(answer -> {
                try {
                    if (answer.failed()) {
                        throw new BadRequestException(answer.cause().getMessage());
                    }
                    HttpResponses.json(ctx, 200, Json.parseObject(answer.result()));
                } catch (BadRequestException e) {
                    HttpResponses.error(ctx, 502, ErrorCode.INTERNAL, "the node of " + participant.identity()
                        + " did not give its stats");
                }
            });
        });
    }

    /** The stats of a participant connected here, as JSON text, for another node of the cluster; null if none. */
    public String statsForCluster(String room, String identity) {
        return plane.room(room).flatMap(r -> r.participantByIdentity(identity)).filter(p -> !p.isRemote())
            .map(p -> Json.write(Wire.stats(p, plane.stats(p), plane.turnRelayed(p)))).orElse(null);
    }

    /** The room named in the path, or a 404 already sent. */
    private Optional<Room> room(RoutingContext ctx) {
        String name = ctx.pathParam("room");
        Optional<Room> room = Names.isValidRoomName(name) ? plane.room(name) : Optional.empty();
        if (room.isEmpty()) {
            HttpResponses.error(ctx, ErrorCode.NOT_FOUND,
                Names.isValidRoomName(name) ? "room " + name + " does not exist" : "no such room");
        }
        return room;
    }

    /** The participant named in the path, or a 404 already sent. */
    private Optional<Participant> participant(RoutingContext ctx) {
        Optional<Room> room = room(ctx);
        if (room.isEmpty()) {
            return Optional.empty();
        }
        String identity = ctx.pathParam("identity");
        Optional<Participant> participant = Names.isValidIdentity(identity)
            ? room.get().participantByIdentity(identity) : Optional.empty();
        if (participant.isEmpty()) {
            HttpResponses.error(ctx, ErrorCode.NOT_FOUND, Names.isValidIdentity(identity)
                ? "no participant " + identity + " in room " + room.get().name() : "no such participant");
        }
        return participant;
    }

    private static ObjectNode body(RoutingContext ctx) throws BadRequestException {
        if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() == 0) {
            throw new BadRequestException("a JSON body is required");
        }
        return Json.parseObject(ctx.body().buffer().toString(StandardCharsets.UTF_8));
    }
}
