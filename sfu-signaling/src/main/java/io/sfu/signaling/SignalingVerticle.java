package io.sfu.signaling;

import com.hazelcast.core.HazelcastInstance;
import io.sfu.core.session.ControlPlane;
import io.sfu.core.session.InMemoryRoomRegistry;
import io.sfu.core.session.MediaEngine;
import io.sfu.core.session.MediaRelay;
import io.sfu.signaling.cluster.ClusterMetrics;
import io.sfu.signaling.cluster.ClusterService;
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
    /** A node of a cluster: its id, the Hazelcast member under the clustered Vert.x, its media relay (or null). */
    record Node(String nodeId, HazelcastInstance hazelcast, MediaRelay relay) {
    }

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
    private final Node node;
    private ControlPlane plane;
    private ClusterService cluster;
    private HttpServer server;
    private WorkerExecutor metricsWorker;
    private long housekeeping = -1;

    /**
     * @param tls the HTTPS certificate and key, or null for plain HTTP
     * @param nanoClock the monotonic clock of rate limits, pings and negotiation deadlines
     * @param wallClock the clock of bans
     * @param node this server's place in a cluster, or null when it runs alone
     */
    SignalingVerticle(SfuConfig config, String httpHost, TlsIdentity tls, MediaEngine engine,
                      SignalingMetrics metrics, TokenService tokens, BooleanSupplier ready, LongSupplier nanoClock,
                      Clock wallClock, Node node) {
        this.node = node;
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
        Bans bans = new Bans(wallClock);
        if (node != null) {
            cluster = new ClusterService(vertx, node.hazelcast(), node.nodeId(),
                config.cluster().memberTimeoutSeconds(), plane, engine, node.relay(), bans,
                new ClusterMetrics(metrics.registry(), node.nodeId()), nanoClock);
            connections.cluster(cluster);
        }
        RestApi rest = new RestApi(plane, tokens, bans, connections, config, metrics, ready, nanoClock, cluster);
        rest.mount(router, new MetricsEndpoint(plane, engine, metrics, metricsWorker));
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
            .onSuccess(listening -> {
                server = listening;
                if (cluster != null) {
                    cluster.start(ownUrl(listening.actualPort()), rest);
                }
            });
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(housekeeping);
        // on the control context: disconnect everyone (close frames go out), then stop taking connections
        // clients hear where to reconnect while the directory still knows the other nodes
        plane.shutdown();
        if (cluster != null) {
            cluster.stop();
        }
        metricsWorker.close();
        return server == null ? Future.succeededFuture() : server.shutdown(2, TimeUnit.SECONDS);
    }

    /** The URL clients reach this node at: the configured one, or the HTTP server's address. */
    private String ownUrl(int port) {
        if (!config.cluster().url().isEmpty()) {
            return config.cluster().url().replaceAll("/$", "");
        }
        String host = httpHost.equals("0.0.0.0") || httpHost.equals("::") ? config.cluster().host() : httpHost;
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return (tls != null ? "https://" : "http://") + host + ":" + port;
    }

    int actualPort() {
        return server.actualPort();
    }
}
