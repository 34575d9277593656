package io.sfu.signaling;

import io.vertx.core.Vertx;

/** Entry point of the SFU process: starts the HTTP API and prints the ready line. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Vertx vertx = Vertx.vertx();
        var server = vertx.createHttpServer()
            .requestHandler(req -> {
                if ("/healthz".equals(req.path())) {
                    req.response().putHeader("content-type", "application/json").end("{\"status\":\"ok\"}");
                } else {
                    req.response().setStatusCode(404).end();
                }
            })
            .listen(8080, "127.0.0.1")
            .await();
        System.out.println("SFU ready http=127.0.0.1:" + server.actualPort() + " media=0.0.0.0:10000");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await()));
    }
}
