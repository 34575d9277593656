package io.sfu.signaling.api;

import io.sfu.core.session.ControlPlane;
import io.sfu.core.session.ErrorCode;
import io.sfu.core.session.MediaEngine;
import io.sfu.signaling.metrics.SignalingMetrics;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} (behind the API key in secret mode, see {@link RestApi}). The control context only takes the
 * snapshot of what it owns; the JVM metrics and the text are made on one worker thread of their own, so a scrape
 * never holds up signaling, and at most {@link #MAX_PENDING_SCRAPES} scrapes run or wait at once: one more gets 503.
 */
public final class MetricsEndpoint implements Handler<RoutingContext> {
    /** Scrapes running or waiting for the worker at once. */
    public static final int MAX_PENDING_SCRAPES = 2;
    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final ControlPlane plane;
    private final MediaEngine engine;
    private final SignalingMetrics metrics;
    private final WorkerExecutor worker;
    private int pending;

    /** @param worker where the text is made; a single thread keeps scrapes from piling onto the worker pool */
    public MetricsEndpoint(ControlPlane plane, MediaEngine engine, SignalingMetrics metrics, WorkerExecutor worker) {
        this.plane = plane;
        this.engine = engine;
        this.metrics = metrics;
        this.worker = worker;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (pending >= MAX_PENDING_SCRAPES) {
            ctx.response().putHeader("retry-after", "1");
            HttpResponses.error(ctx, 503, ErrorCode.INTERNAL, "scrapes are already running; try again");
            return;
        }
        pending++;
        SignalingMetrics.Snapshot snapshot = metrics.snapshot(plane, engine);
        worker.executeBlocking(() -> metrics.render(snapshot), false).onComplete(result -> {
            pending--;
            if (result.succeeded()) {
                if (!ctx.response().closed()) {
                    ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(result.result());
                }
            } else {
                LOG.error("a metrics scrape failed", result.cause());
                HttpResponses.error(ctx, 500, ErrorCode.INTERNAL, "the scrape failed");
            }
        });
    }
}
