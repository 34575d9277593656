package io.sfu.signaling;

import io.sfu.core.session.MediaEngine;
import io.sfu.core.session.MediaRelay;
import io.sfu.signaling.cluster.ClusterSetup;
import io.sfu.signaling.auth.TokenService;
import io.sfu.signaling.config.SfuConfig;
import io.sfu.signaling.config.TlsIdentity;
import io.sfu.signaling.metrics.SignalingMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server: Vert.x with the signaling verticle, the metrics and the media engine it was given. Started
 * and stopped by {@link Main}, and by tests directly.
 */
public final class SfuServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SfuServer.class);
    private static final int DEV_KEY_BYTES = 32;

    private final Vertx vertx;
    private final String deploymentId;
    private final MediaEngine engine;
    private final SignalingMetrics metrics;
    private final InetSocketAddress httpAddress;
    private final InetSocketAddress mediaAddress;
    private final AtomicBoolean ready = new AtomicBoolean();
    private boolean closed;

    /** Starts the HTTP server with a running media engine; returns once it accepts connections. */
    public static SfuServer start(SfuConfig config, MediaEngine engine) throws Exception {
        return new SfuServer(config, engine, System::nanoTime, Clock.systemUTC());
    }

    /**
     * As {@link #start(SfuConfig, MediaEngine)}, on the given clocks: the monotonic one of rate limits, pings and
     * negotiation deadlines, and the wall clock of tokens and bans.
     */
    static SfuServer start(SfuConfig config, MediaEngine engine, LongSupplier nanoClock, Clock wallClock)
        throws Exception {
        return new SfuServer(config, engine, nanoClock, wallClock);
    }

    private SfuServer(SfuConfig config, MediaEngine engine, LongSupplier nanoClock, Clock wallClock)
        throws Exception {
        this.engine = engine;
        String host = httpHost(config);
        byte[] key = tokenKey(config);
        TlsIdentity tls = config.http().tls().enabled() ? TlsIdentity.read(config.http().tls(), setting -> "") : null;
        metrics = new SignalingMetrics();
        VertxOptions options = new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4);
        SignalingVerticle.Node node = null;
        if (config.cluster().enabled()) {
            SfuConfig.Cluster cluster = config.cluster();
            String nodeId = ClusterSetup.nodeId(cluster);
            MediaRelay relay = engine.relay(cluster.host(), cluster.relayPort());
            ClusterSetup.Started started = ClusterSetup.start(cluster, nodeId, options);
            vertx = started.vertx();
            node = new SignalingVerticle.Node(nodeId, started.hazelcast(), relay);
            LOG.info("node {} joined the cluster on {}:{}", nodeId, cluster.host(), cluster.port());
        } else {
            vertx = Vertx.vertx(options);
        }
        SignalingVerticle verticle = new SignalingVerticle(config, host, tls, engine, metrics,
            new TokenService(key, wallClock, config.auth().audience(), config.auth().clockSkewSeconds()), ready::get,
            nanoClock, wallClock, node);
        try {
            deploymentId = vertx.deployVerticle(verticle).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close().await(10, TimeUnit.SECONDS);
            metrics.close();
            throw e;
        }
        httpAddress = new InetSocketAddress(InetAddress.getByName(host), verticle.actualPort());
        mediaAddress = engine.localAddress() != null ? engine.localAddress()
            : new InetSocketAddress(InetAddress.getByName(config.media().host()), config.media().port());
        ready.set(true);
        LOG.info("{} mode: {} on {}", config.devMode() ? "dev" : "secret", tls != null ? "HTTPS" : "HTTP",
            format(httpAddress));
    }

    /**
     * The key tokens are signed with: the configured secret (at least 32 characters, checked at start), or in dev
     * mode one that lives as long as the process.
     */
    private static byte[] tokenKey(SfuConfig config) {
        if (config.devMode()) {
            // dev mode still issues tokens
            byte[] key = new byte[DEV_KEY_BYTES];
            new SecureRandom().nextBytes(key);
            return key;
        }
        return config.auth().secret().getBytes(StandardCharsets.UTF_8);
    }

    /** Dev mode binds loopback only, whatever the configuration says. */
    static String httpHost(SfuConfig config) throws UnknownHostException {
        String host = config.http().host();
        if (config.devMode() && !host.equals("localhost") && !InetAddress.getByName(host).isLoopbackAddress()) {
            LOG.warn("dev mode (no auth.secret): binding HTTP to 127.0.0.1 instead of {}", host);
            return "127.0.0.1";
        }
        return host;
    }

    public InetSocketAddress httpAddress() {
        return httpAddress;
    }

    public InetSocketAddress mediaAddress() {
        return mediaAddress;
    }

    public SignalingMetrics metrics() {
        return metrics;
    }

    /** The line printed on standard output once the server accepts work. */
    public String readyLine() {
        return "SFU ready http=" + format(httpAddress) + " media=" + format(mediaAddress);
    }

    static String format(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return host + ":" + address.getPort();
    }

    /** Disconnects every participant, stops the HTTP server, Vert.x and the media engine. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ready.set(false);
        try {
            vertx.undeploy(deploymentId).await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("stopping the signaling verticle failed", e);
        }
        try {
            vertx.close().await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("stopping Vert.x failed", e);
        }
        try {
            engine.close();
        } catch (RuntimeException e) {
            LOG.warn("stopping the media engine failed", e);
        }
        metrics.close();
        LOG.info("stopped");
    }
}
