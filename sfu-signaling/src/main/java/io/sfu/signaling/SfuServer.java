package io.sfu.signaling;

import io.sfu.core.session.MediaEngine;
import io.sfu.signaling.auth.TokenService;
import io.sfu.signaling.config.SfuConfig;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server: Vert.x with the signaling verticle, the metrics and the media engine it was given. Started
 * and stopped by {@link Main}, and by tests directly.
 */
public final class SfuServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SfuServer.class);
    private static final int RECOMMENDED_SECRET_BYTES = 32;

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
        return new SfuServer(config, engine);
    }

    private SfuServer(SfuConfig config, MediaEngine engine) throws Exception {
        this.engine = engine;
        String host = httpHost(config);
        byte[] key = tokenKey(config);
        metrics = new SignalingMetrics();
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4));
        SignalingVerticle verticle = new SignalingVerticle(config, host, engine, metrics,
            new TokenService(key, Clock.systemUTC()), ready::get);
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
        LOG.info("{} mode: HTTP on {}", config.devMode() ? "dev" : "secret", format(httpAddress));
    }

    /** The key tokens are signed with: the configured secret, or in dev mode one that lives as long as the process. */
    private static byte[] tokenKey(SfuConfig config) {
        if (config.devMode()) {
            // dev mode still issues tokens
            byte[] key = new byte[RECOMMENDED_SECRET_BYTES];
            new SecureRandom().nextBytes(key);
            return key;
        }
        byte[] key = config.auth().secret().getBytes(StandardCharsets.UTF_8);
        if (key.length < RECOMMENDED_SECRET_BYTES) {
            LOG.warn("auth.secret has {} bytes; HS256 wants at least {} (RFC 7518 section 3.2)", key.length,
                RECOMMENDED_SECRET_BYTES);
        }
        return key;
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
