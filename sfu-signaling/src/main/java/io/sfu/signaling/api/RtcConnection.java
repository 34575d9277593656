package io.sfu.signaling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.sfu.core.logging.RateLimitedLog;
import io.sfu.core.session.ControlPlane;
import io.sfu.core.session.ErrorCode;
import io.sfu.core.session.IceCandidate;
import io.sfu.core.session.LayerPreference;
import io.sfu.core.session.LeaveReason;
import io.sfu.core.session.Participant;
import io.sfu.core.session.ParticipantChannel;
import io.sfu.core.session.PeerConnectionRole;
import io.sfu.core.session.SessionException;
import io.sfu.core.session.Track;
import io.sfu.core.session.TrackSource;
import io.sfu.core.session.TurnAccess;
import io.sfu.signaling.config.SfuConfig;
import io.sfu.signaling.metrics.SignalingMetrics;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One signaling WebSocket: joins its participant, turns client messages into control-plane calls and control-plane
 * news into messages, and pings a client gone quiet (closing it with {@link CloseCodes#PING_TIMEOUT} when it does
 * not answer). Lives on the control context, like the {@link ControlPlane} it talks to.
 */
final class RtcConnection implements ParticipantChannel {
    private static final Logger LOG = LoggerFactory.getLogger(RtcConnection.class);
    private static final String MESSAGE_TOO_BIG_REASON = "message too big";
    /** Failures a client can provoke 50 times a second per socket: logged a few times a minute per cause. */
    private static final RateLimitedLog ERRORS = new RateLimitedLog(LOG);
    static final int MAX_TRACK_IDS = 256;
    /** Mids an offer's sources may name: a bound on the input, above any publisher offer's media sections. */
    static final int MAX_SOURCES = 256;
    static final int MAX_MID_LENGTH = 32;
    private static final int MAX_ECHOED_LENGTH = 64;

    private final ServerWebSocket socket;
    private final ControlPlane plane;
    private final SignalingMetrics metrics;
    private final RateLimiter limiter;
    private final SfuConfig.Signaling limits;
    private final RtcConnections connections;
    private final LongSupplier nanoClock;
    private final long pingIntervalNs;
    private final long pongTimeoutNs;
    private Buffer assembling;
    private boolean assemblingText;
    private JoinRequest join;
    private Participant participant;
    private boolean dropping;
    private boolean closing;
    private long lastHeardNs;
    private boolean pingOutstanding;
    private long pingSentNs;

    /**
     * @param limits the sizes of a message and of the write queue, the message rate {@code limiter} keeps, the
     *     ping interval and the pong timeout
     * @param connections where the socket is registered while open (by whoever upgraded it)
     */
    RtcConnection(ServerWebSocket socket, ControlPlane plane, SignalingMetrics metrics, SfuConfig.Signaling limits,
                  RateLimiter limiter, RtcConnections connections, LongSupplier nanoClock) {
        this.socket = socket;
        this.plane = plane;
        this.metrics = metrics;
        this.limits = limits;
        this.limiter = limiter;
        this.connections = connections;
        this.nanoClock = nanoClock;
        this.pingIntervalNs = TimeUnit.SECONDS.toNanos(limits.pingIntervalSeconds());
        this.pongTimeoutNs = TimeUnit.SECONDS.toNanos(limits.pongTimeoutSeconds());
    }

    void start(JoinRequest request) {
        join = request;
        metrics.socketOpened();
        lastHeardNs = nanoClock.getAsLong();
        socket.setWriteQueueMaxSize(limits.maxQueuedBytes());
        socket.closeHandler(ignored -> onClosed());
        socket.exceptionHandler(this::onSocketException);
        socket.pongHandler(ignored -> heard());
        socket.frameHandler(this::onFrame);
        ClusterApi cluster = connections.cluster();
        if (cluster != null && plane.room(join.room()).isEmpty()) {
            // created through another node a moment ago, perhaps: what the client sends meanwhile is dropped
            cluster.roomHeardOf(join.room()).onComplete(heard -> {
                if (!closing) {
                    joinRoom();
                }
            });
            return;
        }
        joinRoom();
    }

    private void joinRoom() {
        try {
            participant = plane.join(join.room(), join.identity(), join.permissions(), join.autoSubscribe(),
                join.createIfMissing(), this);
        } catch (SessionException e) {
            error(e.code(), e.getMessage());
            close(CloseCodes.forJoinError(e.code()), e.code().wireName());
            return;
        }
        ObjectNode joined = Wire.message("joined");
        joined.set("participant", Wire.participantRef(participant));
        joined.set("room", Wire.room(participant.room(), participant));
        TurnAccess turn = plane.turnAccess(participant);
        if (turn != null) {
            ObjectNode server = joined.putArray("iceServers").addObject();
            turn.urls().forEach(server.putArray("urls")::add);
            server.put("username", turn.username());
            server.put("credential", turn.credential());
        }
        ClusterApi cluster = connections.cluster();
        if (cluster != null) {
            joined.put("node", cluster.nodeId());
            joined.set("nodes", cluster.otherNodes());
        }
        send(joined);
    }

    private void onClosed() {
        metrics.socketClosed();
        connections.remove(this);
        closing = true;
        if (participant != null) {
            plane.leave(participant, LeaveReason.DISCONNECTED);
        }
    }

    /**
     * A frame the WebSocket decoder refused: one larger than the message limit, or one that breaks RFC 6455. Vert.x
     * would drop the connection without a close frame; the client is told why instead (1009 for the size, the code
     * the violation calls for otherwise, such as 1002).
     */
    private void onSocketException(Throwable e) {
        if (e instanceof CorruptedWebSocketFrameException refused) {
            int code = refused.closeStatus().code();
            LOG.info("closing the signaling socket of {}: {}", who(), refused.getMessage());
            close((short) code, code == CloseCodes.MESSAGE_TOO_BIG ? MESSAGE_TOO_BIG_REASON
                : refused.closeStatus().reasonText());
            return;
        }
        LOG.debug("signaling socket failed", e);
    }

    /**
     * Reassembles messages from frames with a size bound of its own: Vert.x's aggregation reports an oversized
     * message but leaves the socket open, while an oversized message here closes it with 1009 (RFC 6455 7.4.1).
     */
    private void onFrame(WebSocketFrame frame) {
        if (frame.isText() || frame.isBinary() || frame.isContinuation()) {
            heard();
        }
        if (frame.isText() || frame.isBinary()) {
            assembling = Buffer.buffer();
            assemblingText = frame.isText();
        } else if (!frame.isContinuation() || assembling == null) {
            return;
        }
        Buffer data = frame.binaryData();
        if (assembling.length() + data.length() > limits.maxMessageBytes()) {
            assembling = null;
            LOG.info("closing the signaling socket of {}: a message exceeds {} bytes", who(), limits.maxMessageBytes());
            close(CloseCodes.MESSAGE_TOO_BIG, MESSAGE_TOO_BIG_REASON);
            return;
        }
        assembling.appendBuffer(data);
        if (frame.isFinal()) {
            Buffer message = assembling;
            assembling = null;
            if (assemblingText) {
                onText(message.toString(StandardCharsets.UTF_8));
            } else {
                onBinary();
            }
        }
    }

    /** A pong or a message answers a ping (the pings a client sends do not: Vert.x answers those itself). */
    private void heard() {
        lastHeardNs = nanoClock.getAsLong();
        pingOutstanding = false;
    }

    /**
     * Pings the client once it has been quiet for the ping interval; closes the socket when a ping goes unanswered
     * for the pong timeout (a client whose network or process went away without a close).
     */
    void tick(long nowNs) {
        if (closing || socket.isClosed()) {
            return;
        }
        if (pingOutstanding) {
            if (nowNs - pingSentNs >= pongTimeoutNs) {
                LOG.info("closing the signaling socket of {}: no answer to a ping within {} s",
                    who(), limits.pongTimeoutSeconds());
                metrics.timedOut("ping");
                close(CloseCodes.PING_TIMEOUT, "ping timeout");
            }
        } else if (nowNs - lastHeardNs >= pingIntervalNs) {
            pingOutstanding = true;
            pingSentNs = nowNs;
            socket.writePing(Buffer.buffer());
        }
    }

    /** The id of the participant this socket joined as, once joined. */
    Optional<String> participantId() {
        return participant == null ? Optional.empty() : Optional.of(participant.id());
    }

    /** The {@code jti} of the token this socket joined with, or null without one. */
    String tokenId() {
        return join.tokenId();
    }

    /** When that token expires, or null without one. */
    Instant tokenExpiry() {
        return join.tokenExpiry();
    }

    private boolean admit() {
        if (participant == null || !participant.isActive() || closing) {
            return false;
        }
        if (!limiter.tryAcquire()) {
            metrics.dropped();
            if (!dropping) {
                // one notice per burst of drops, so the limit is visible without doubling the traffic
                dropping = true;
                error(ErrorCode.BAD_REQUEST, "too many messages: dropping them");
            }
            return false;
        }
        dropping = false;
        return true;
    }

    private void onBinary() {
        if (admit()) {
            metrics.received("other");
            error(ErrorCode.BAD_REQUEST, "binary messages are not supported");
        }
    }

    private void onText(String text) {
        if (!admit()) {
            return;
        }
        String type = null;
        try {
            ObjectNode message = Json.parseObject(text);
            type = Json.requiredString(message, "type");
            metrics.received(type);
            handle(type, message);
        } catch (BadRequestException e) {
            if (type == null) {
                metrics.received("other");
            }
            error(ErrorCode.BAD_REQUEST, e.getMessage());
        } catch (SessionException e) {
            error(e.code(), e.getMessage());
        } catch (RuntimeException e) {
            ERRORS.error("message", "signaling message of type {} from {} failed", echo(type), participant.id(), e);
            error(ErrorCode.INTERNAL, "the server failed to handle the message");
        }
    }

    private void handle(String type, ObjectNode message) throws BadRequestException, SessionException {
        switch (type) {
            case "offer" -> {
                requireRole(message, PeerConnectionRole.PUBLISHER, "offers");
                plane.publisherOffer(participant, Json.requiredString(message, "sdp"), sources(message));
            }
            case "answer" -> {
                requireRole(message, PeerConnectionRole.SUBSCRIBER, "answers");
                plane.subscriberAnswer(participant, Json.requiredString(message, "sdp"));
            }
            case "candidate" -> plane.candidate(participant, role(message), candidate(message));
            case "subscribe" -> plane.subscribe(participant,
                Json.requiredStrings(message, "trackIds", MAX_TRACK_IDS));
            case "unsubscribe" -> plane.unsubscribe(participant,
                Json.requiredStrings(message, "trackIds", MAX_TRACK_IDS));
            case "setLayer" -> plane.setLayer(participant, Json.requiredString(message, "trackId"),
                layer(message));
            case "trackSettings" -> trackSettings(message);
            case "restartIce" -> {
                requireRole(message, PeerConnectionRole.SUBSCRIBER, "ICE restart requests");
                plane.restartSubscriberIce(participant);
            }
            case "mute" -> plane.setMuted(participant, ownTrackId(message), Json.requiredBoolean(message, "muted"));
            case "leave" -> plane.leave(participant, LeaveReason.LEFT);
            default -> throw new BadRequestException("unknown message type " + echo(type));
        }
    }

    private static PeerConnectionRole role(ObjectNode message) throws BadRequestException {
        String pc = Json.requiredString(message, "pc");
        return PeerConnectionRole.fromWireName(pc)
            .orElseThrow(() -> new BadRequestException("field pc must be publisher or subscriber"));
    }

    private static void requireRole(ObjectNode message, PeerConnectionRole expected, String what)
        throws BadRequestException {
        if (role(message) != expected) {
            throw new BadRequestException("the SFU takes " + what + " on the " + expected.wireName() + " pc only");
        }
    }

    /** A trickled candidate, in the object form of {@code RTCIceCandidate.toJSON()}; null means end-of-candidates. */
    private static IceCandidate candidate(ObjectNode message) throws BadRequestException {
        if (!message.has("candidate")) {
            throw new BadRequestException("missing field candidate");
        }
        JsonNode value = message.get("candidate");
        if (value.isNull()) {
            return new IceCandidate("", null, null, null);
        }
        if (!value.isObject()) {
            throw new BadRequestException("field candidate must be an object");
        }
        ObjectNode candidate = (ObjectNode) value;
        String line = Json.optionalString(candidate, "candidate");
        return new IceCandidate(line == null ? "" : line, Json.optionalString(candidate, "sdpMid"),
            Json.optionalInt(candidate, "sdpMLineIndex", 0, 1023),
            Json.optionalString(candidate, "usernameFragment"));
    }

    /**
     * The track a {@code mute} names: by {@code trackId}, or (an addition to the contract, since a publisher is
     * not told the ids of its own tracks) by the {@code mid} of its publisher offer.
     */
    private String ownTrackId(ObjectNode message) throws BadRequestException, SessionException {
        String trackId = Json.optionalString(message, "trackId");
        String mid = Json.optionalString(message, "mid");
        if ((trackId == null) == (mid == null)) {
            throw new BadRequestException("mute needs exactly one of trackId and mid");
        }
        if (trackId != null) {
            return trackId;
        }
        for (Track track : participant.tracks()) {
            if (track.mid().equals(mid)) {
                return track.id();
            }
        }
        throw new SessionException(ErrorCode.NOT_FOUND, "this participant publishes no track with mid " + echo(mid));
    }

    /**
     * {@code {"type":"trackSettings","trackId","enabled","width","height"}}: at least one of {@code enabled} and
     * {@code height}; {@code width} is accepted and not used (layers are chosen by height).
     */
    private void trackSettings(ObjectNode message) throws BadRequestException, SessionException {
        String trackId = Json.requiredString(message, "trackId");
        Boolean enabled = Json.optionalBoolean(message, "enabled");
        Json.optionalInt(message, "width", 0, 16_384);
        Integer height = Json.optionalInt(message, "height", 0, 16_384);
        if (enabled == null && height == null) {
            throw new BadRequestException("trackSettings needs enabled or height");
        }
        // a track rendered 0 pixels high is not shown
        if (height != null && height == 0) {
            enabled = Boolean.FALSE;
            height = null;
        }
        plane.setTrackSettings(participant, trackId, enabled, height);
    }

    /**
     * {@code setLayer}'s preference: at most one of {@code rid} and {@code maxHeight}, {@code maxTemporalLayer}
     * (0 to 2) and {@code maxSpatialLayer} (0 to 2); at least one of them.
     */
    private static LayerPreference layer(ObjectNode message) throws BadRequestException {
        String rid = Json.optionalString(message, "rid");
        Integer maxHeight = Json.optionalInt(message, "maxHeight", 1, 16_384);
        Integer maxTemporalLayer = Json.optionalInt(message, "maxTemporalLayer", 0,
            LayerPreference.MAX_TEMPORAL_LAYER);
        Integer maxSpatialLayer = Json.optionalInt(message, "maxSpatialLayer", 0, LayerPreference.MAX_SPATIAL_LAYER);
        if (rid != null && maxHeight != null) {
            throw new BadRequestException("setLayer takes at most one of rid and maxHeight");
        }
        if (rid == null && maxHeight == null && maxTemporalLayer == null && maxSpatialLayer == null) {
            throw new BadRequestException("setLayer needs rid, maxHeight, maxTemporalLayer or maxSpatialLayer");
        }
        return new LayerPreference(rid, maxHeight, maxTemporalLayer, maxSpatialLayer);
    }

    /**
     * An offer's optional {@code sources}: an object of at most {@value #MAX_SOURCES} mids (of at most
     * {@value #MAX_MID_LENGTH} characters), each naming a {@link TrackSource}.
     */
    static Map<String, TrackSource> sources(ObjectNode message) throws BadRequestException {
        JsonNode value = message.get("sources");
        if (value == null || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject() || value.size() > MAX_SOURCES) {
            throw new BadRequestException("field sources must be an object of at most " + MAX_SOURCES + " mids");
        }
        Map<String, TrackSource> sources = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String mid = entry.getKey();
            if (mid.isEmpty() || mid.length() > MAX_MID_LENGTH) {
                throw new BadRequestException("a mid in sources must have 1 to " + MAX_MID_LENGTH + " characters");
            }
            JsonNode name = entry.getValue();
            TrackSource source = name.isTextual() ? TrackSource.fromWire(name.textValue()).orElse(null) : null;
            if (source == null || source == TrackSource.DATA) {
                throw new BadRequestException("sources." + echo(mid)
                    + " must be one of camera, microphone, screen, screenAudio");
            }
            sources.put(mid, source);
        }
        return sources;
    }

    private static String echo(String value) {
        if (value == null) {
            return "?";
        }
        return value.length() <= MAX_ECHOED_LENGTH ? value : value.substring(0, MAX_ECHOED_LENGTH) + "...";
    }

    @Override
    public void participantJoined(Participant other) {
        ObjectNode message = Wire.message("participantJoined");
        message.set("participant", Wire.participantRef(other));
        send(message);
    }

    @Override
    public void participantLeft(Participant other) {
        send(Wire.message("participantLeft").put("participantId", other.id()));
    }

    @Override
    public void trackPublished(Participant publisher, Track track) {
        ObjectNode message = Wire.message("trackPublished").put("participantId", publisher.id());
        message.set("track", Wire.track(track));
        send(message);
    }

    @Override
    public void trackUnpublished(Participant publisher, Track track) {
        send(Wire.message("trackUnpublished").put("participantId", publisher.id()).put("trackId", track.id()));
    }

    @Override
    public void trackMuted(Participant publisher, Track track) {
        send(Wire.message("trackMuted").put("participantId", publisher.id()).put("trackId", track.id())
            .put("muted", track.muted()));
    }

    @Override
    public void dominantSpeaker(Participant speaker) {
        send(Wire.message("dominantSpeaker").put("participantId", speaker.id()));
    }

    @Override
    public void publisherAnswer(String sdp) {
        send(Wire.message("answer").put("pc", PeerConnectionRole.PUBLISHER.wireName()).put("sdp", sdp));
    }

    @Override
    public void subscriberOffer(String sdp) {
        send(Wire.message("offer").put("pc", PeerConnectionRole.SUBSCRIBER.wireName()).put("sdp", sdp));
    }

    @Override
    public void error(ErrorCode code, String message) {
        metrics.error(code);
        send(Wire.message("error").put("code", code.wireName()).put("message", message));
    }

    @Override
    public void disconnect(LeaveReason reason) {
        if (reason == LeaveReason.NEGOTIATION_TIMEOUT) {
            metrics.timedOut("negotiation");
        }
        String elsewhere = reason == LeaveReason.SHUTDOWN && connections.cluster() != null
            ? connections.cluster().reconnectUrl() : null;
        if (elsewhere != null) {
            // the client may join the same room on another node of the cluster at once
            send(Wire.message("reconnect").put("url", elsewhere));
            close(CloseCodes.RECONNECT, "reconnect");
            return;
        }
        close(CloseCodes.forLeave(reason), reason.name().toLowerCase(Locale.ROOT));
    }

    private void send(ObjectNode message) {
        if (closing || socket.isClosed()) {
            return;
        }
        if (socket.writeQueueFull()) {
            LOG.warn("closing the signaling socket of {}: it does not read its messages", who());
            close(CloseCodes.POLICY_VIOLATION, "slow consumer");
            return;
        }
        socket.writeTextMessage(Json.write(message));
    }

    /** Who this socket is, for the logs: its participant, or a client that has not joined yet. */
    private String who() {
        return participant == null ? "a joining client" : participant.id();
    }

    private void close(short code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        if (!socket.isClosed()) {
            socket.close(code, reason);
        }
    }
}
