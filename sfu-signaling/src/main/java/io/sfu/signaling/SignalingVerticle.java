package io.sfu.signaling;

import io.sfu.core.session.ControlPlane;
import io.sfu.core.session.InMemoryRoomRegistry;
import io.sfu.core.session.MediaEngine;
import io.sfu.signaling.api.RestApi;
import io.sfu.signaling.auth.TokenService;
import io.sfu.signaling.config.SfuConfig;
import io.sfu.signaling.metrics.SignalingMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The control plane's home: one verticle instance, so one event-loop context runs every HTTP request, every
 * WebSocket and every control-plane change; media-side reports reach it through {@code runOnContext}.
 */
final class SignalingVerticle extends VerticleBase {
    private final SfuConfig config;
    private final String httpHost;
    private final MediaEngine engine;
    private final SignalingMetrics metrics;
    private final TokenService tokens;
    private final BooleanSupplier ready;
    private ControlPlane plane;
    private HttpServer server;

    SignalingVerticle(SfuConfig config, String httpHost, MediaEngine engine, SignalingMetrics metrics,
                      TokenService tokens, BooleanSupplier ready) {
        this.config = config;
        this.httpHost = httpHost;
        this.engine = engine;
        this.metrics = metrics;
        this.tokens = tokens;
        this.ready = ready;
    }

    @Override
    public Future<?> start() {
        Executor controlThread = task -> context.runOnContext(ignored -> task.run());
        SfuConfig.Rooms rooms = config.rooms();
        plane = new ControlPlane(new InMemoryRoomRegistry(), engine, controlThread, new ControlPlane.Limits(
            rooms.maxRooms(), rooms.defaultMaxParticipants(), rooms.maxParticipantsLimit(),
            rooms.maxTracksPerParticipant()));
        metrics.bindRooms(plane.rooms());
        metrics.bindEngine(engine);
        Router router = Router.router(vertx);
        new RestApi(plane, tokens, config, metrics, ready, System::nanoTime).mount(router);
        int maxMessage = config.signaling().maxMessageBytes();
        HttpServerOptions options = new HttpServerOptions()
            .setMaxWebSocketMessageSize(maxMessage)
            .setMaxWebSocketFrameSize(maxMessage)
            .setCompressionSupported(false);
        return vertx.createHttpServer(options)
            .requestHandler(router)
            .listen(config.http().port(), httpHost)
            .onSuccess(listening -> server = listening);
    }

    @Override
    public Future<?> stop() {
        // on the control context: disconnect everyone (close frames go out), then stop taking connections
        plane.shutdown();
        return server == null ? Future.succeededFuture() : server.shutdown(2, TimeUnit.SECONDS);
    }

    int actualPort() {
        return server.actualPort();
    }
}
