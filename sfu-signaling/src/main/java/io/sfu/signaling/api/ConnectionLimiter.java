package io.sfu.signaling.api;

import io.sfu.core.session.ErrorCode;
import io.sfu.signaling.metrics.SignalingMetrics;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the open HTTP connections (REST, WebSocket and demo page alike), in total and per remote IP address. A
 * connection over a cap is refused: its first request is answered 503 (total) or 429 (per address) with the API's
 * error body and the connection is closed; one that sends no request is closed after {@link #REFUSAL_GRACE_MS}.
 * Refused connections are counted, never held open against the caps. Confined to the control context.
 */
public final class ConnectionLimiter {
    /** How long a refused connection may wait to send the request that gets the refusal. */
    static final long REFUSAL_GRACE_MS = 2000;
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);

    /** Why a connection was refused: its HTTP status, message and metrics tag. */
    private record Refusal(int status, String message, String reason) {
    }

    private final Vertx vertx;
    private final int maxConnections;
    private final int maxPerAddress;
    private final SignalingMetrics metrics;
    private final Map<String, Integer> perAddress = new HashMap<>();
    private final Map<HttpConnection, Refusal> refused = new IdentityHashMap<>();
    /** The connections counted against the caps, with their remote address. */
    private final Map<HttpConnection, String> counted = new IdentityHashMap<>();

    /** @param maxPerAddress the cap per remote address, or 0 for none (dev mode: every client is on loopback) */
    public ConnectionLimiter(Vertx vertx, int maxConnections, int maxPerAddress, SignalingMetrics metrics) {
        this.vertx = vertx;
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
        this.metrics = metrics;
    }

    /** The server's connection handler: counts the connection, or marks it refused. */
    public void onConnection(HttpConnection connection) {
        String address = connection.remoteAddress() == null ? "?" : connection.remoteAddress().hostAddress();
        Refusal refusal = null;
        if (counted.size() >= maxConnections) {
            refusal = new Refusal(503, "the server holds its maximum of " + maxConnections + " connections",
                SignalingMetrics.REFUSED_TOTAL);
        } else if (maxPerAddress > 0 && perAddress.getOrDefault(address, 0) >= maxPerAddress) {
            refusal = new Refusal(429, "too many connections from " + address + " (at most " + maxPerAddress + ")",
                SignalingMetrics.REFUSED_PER_ADDRESS);
        }
        if (refusal != null) {
            metrics.connectionRefused(refusal.reason());
            LOG.debug("refusing a connection from {}: {}", address, refusal.message());
            refused.put(connection, refusal);
            connection.closeHandler(ignored -> refused.remove(connection));
            vertx.setTimer(REFUSAL_GRACE_MS, id -> connection.close());
            return;
        }
        perAddress.merge(address, 1, Integer::sum);
        counted.put(connection, address);
        metrics.connectionOpened();
        connection.closeHandler(ignored -> release(connection));
    }

    /**
     * What frees a connection's place, for whoever takes the connection over from the HTTP server: after a
     * WebSocket upgrade the HTTP connection no longer hears of the close, so the socket's owner runs this when the
     * socket closes. Running it again, or for a connection that was refused, changes nothing.
     */
    public Runnable releaseOf(HttpConnection connection) {
        return () -> release(connection);
    }

    private void release(HttpConnection connection) {
        String address = counted.remove(connection);
        if (address != null) {
            perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
            metrics.connectionClosed();
        }
    }

    /** The server's request handler: refused connections get their refusal, the others go on to {@code next}. */
    public Handler<HttpServerRequest> guard(Handler<HttpServerRequest> next) {
        return request -> {
            Refusal refusal = refused.get(request.connection());
            if (refusal == null) {
                next.handle(request);
                return;
            }
            request.response().putHeader("connection", "close");
            HttpResponses.error(request.response(), refusal.status(), ErrorCode.FORBIDDEN, refusal.message())
                .onComplete(ignored -> request.connection().close());
        };
    }
}
