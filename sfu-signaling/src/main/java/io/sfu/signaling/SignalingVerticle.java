package io.sfu.signaling;

import io.sfu.core.session.ControlPlane;
import io.sfu.core.session.InMemoryRoomRegistry;
import io.sfu.core.session.MediaEngine;
import io.sfu.signaling.api.ConnectionLimiter;
import io.sfu.signaling.api.MetricsEndpoint;
import io.sfu.signaling.api.RestApi;
import io.sfu.signaling.api.RtcConnections;
import io.sfu.signaling.auth.Bans;
import io.sfu.signaling.auth.TokenService;
import io.sfu.signaling.config.SfuConfig;
import io.sfu.signaling.config.TlsIdentity;
import io.sfu.signaling.metrics.SignalingMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The control plane's home: one verticle instance, so one event-loop context runs every HTTP request, every
 * WebSocket, every control-plane change and the housekeeping tick (pings, negotiation deadlines); media-side reports
 * reach it through {@code runOnContext}.
 */
final class SignalingVerticle extends VerticleBase {
    /** How often the housekeeping tick runs: the granularity of the ping and negotiation deadlines. */
    static final long TICK_MS = 250;

    private final SfuConfig config;
    private final String httpHost;
    private final TlsIdentity tls;
    private final MediaEngine engine;
    private final SignalingMetrics metrics;
    private final TokenService tokens;
    private final BooleanSupplier ready;
    private final LongSupplier nanoClock;
    private final Clock wallClock;
    private ControlPlane plane;
    private HttpServer server;
    private WorkerExecutor metricsWorker;
    private long housekeeping = -1;

    /**
     * @param tls the HTTPS certificate and key, or null for plain HTTP
     * @param nanoClock the monotonic clock of rate limits, pings and negotiation deadlines
     * @param wallClock the clock of bans
     */
    SignalingVerticle(SfuConfig config, String httpHost, TlsIdentity tls, MediaEngine engine,
                      SignalingMetrics metrics, TokenService tokens, BooleanSupplier ready, LongSupplier nanoClock,
                      Clock wallClock) {
        this.config = config;
        this.httpHost = httpHost;
        this.tls = tls;
        this.engine = engine;
        this.metrics = metrics;
        this.tokens = tokens;
        this.ready = ready;
        this.nanoClock = nanoClock;
        this.wallClock = wallClock;
    }

    @Override
    public Future<?> start() throws Exception {
        Executor controlThread = task -> context.runOnContext(ignored -> task.run());
        SfuConfig.Rooms rooms = config.rooms();
        plane = new ControlPlane(new InMemoryRoomRegistry(), engine, controlThread, new ControlPlane.Limits(
            rooms.maxRooms(), rooms.defaultMaxParticipants(), rooms.maxParticipantsLimit(),
            rooms.maxTracksPerParticipant(), TimeUnit.SECONDS.toNanos(config.signaling().negotiationTimeoutSeconds())),
            nanoClock);
        metrics.bindEngine(engine);
        SfuConfig.Http http = config.http();
        // dev mode binds loopback only, where every client shares one address: only the total cap applies
        ConnectionLimiter limiter = new ConnectionLimiter(vertx, http.maxConnections(),
            config.devMode() ? 0 : http.maxConnectionsPerAddress(), metrics);
        RtcConnections connections = new RtcConnections(limiter);
        metricsWorker = vertx.createSharedWorkerExecutor("sfu-metrics", 1);
        Router router = Router.router(vertx);
        new RestApi(plane, tokens, new Bans(wallClock), connections, config, metrics, ready, nanoClock)
            .mount(router, new MetricsEndpoint(plane, engine, metrics, metricsWorker));
        housekeeping = vertx.setPeriodic(TICK_MS, id -> {
            long now = nanoClock.getAsLong();
            connections.tick(now);
            plane.expireNegotiationDeadlines(now);
        });

        int maxMessage = config.signaling().maxMessageBytes();
        // HTTP/1.1 only: with cleartext HTTP/2 on, Vert.x waits for a connection's first bytes to tell the two apart
        // before the connection handler runs, so a connection that never sends a byte escaped the caps
        HttpServerOptions options = new HttpServerOptions()
            .setHttp2ClearTextEnabled(false)
            .setMaxWebSocketMessageSize(maxMessage)
            .setMaxWebSocketFrameSize(maxMessage)
            .setCompressionSupported(false)
            .setIdleTimeout(http.idleTimeoutSeconds())
            .setIdleTimeoutUnit(TimeUnit.SECONDS);
        if (tls != null) {
            options.setSsl(true).setKeyCertOptions(KeyCertOptions.wrap(tls.keyManagers()));
        }
        return vertx.createHttpServer(options)
            .connectionHandler(limiter::onConnection)
            .requestHandler(limiter.guard(router))
            .listen(http.port(), httpHost)
            .onSuccess(listening -> server = listening);
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(housekeeping);
        // on the control context: disconnect everyone (close frames go out), then stop taking connections
        plane.shutdown();
        metricsWorker.close();
        return server == null ? Future.succeededFuture() : server.shutdown(2, TimeUnit.SECONDS);
    }

    int actualPort() {
        return server.actualPort();
    }
}
