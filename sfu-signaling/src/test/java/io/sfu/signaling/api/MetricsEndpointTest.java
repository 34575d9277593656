package io.sfu.signaling.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.sfu.signaling.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A scrape is made on a worker thread of its own, never on the signaling event loop, and at most two at once. */
class MetricsEndpointTest {
    private TestServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = TestServer.devMode();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CompletableFuture<HttpResponse<String>> scrape() {
        return http.sendAsync(HttpRequest.newBuilder(server.uri("/metrics")).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theScrapeRunsOnTheMetricsWorkerNotTheEventLoop() throws Exception {
        AtomicReference<String> thread = new AtomicReference<>();
        Gauge.builder("test.probe", () -> {
            thread.set(Thread.currentThread().getName());
            return 1;
        }).register(server.server().metrics().registry());

        assertThat(server.get("/metrics").body()).contains("test_probe 1.0");
        assertThat(thread.get()).startsWith("sfu-metrics").doesNotContain("eventloop");
    }

    @Test
    void aThirdScrapeWhileTwoArePendingGets503AndTheTwoComplete() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Gauge.builder("test.slow", () -> {
            entered.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 1;
        }).register(server.server().metrics().registry());

        CompletableFuture<HttpResponse<String>> first = scrape();
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("the first scrape holds the worker").isTrue();
        // both are handled while the first holds the worker: one waits for it, the other is over the bound
        List<CompletableFuture<HttpResponse<String>>> next = List.of(scrape(), scrape());
        HttpResponse<String> over = (HttpResponse<String>) CompletableFuture.anyOf(next.get(0), next.get(1))
            .get(10, TimeUnit.SECONDS);
        assertThat(over.statusCode()).isEqualTo(503);
        assertThat(over.headers().firstValue("retry-after")).hasValue("1");
        assertThat(over.body()).contains("\"code\":\"internal\"");

        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        long served = next.stream().filter(f -> f.join().statusCode() == 200).count();
        assertThat(served).as("the one that waited was served").isEqualTo(1);
        assertThat(server.get("/metrics").status()).as("nothing left pending").isEqualTo(200);
    }
}
