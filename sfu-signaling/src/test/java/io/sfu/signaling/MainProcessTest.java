package io.sfu.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SFU as a process: exit codes, the ready line on standard output, a clean stop on SIGTERM. */
class MainProcessTest {
    private static final Pattern READY = Pattern.compile("SFU ready http=(\\S+):(\\d+) media=(\\S+):(\\d+)");
    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path dir;
    private Process process;

    @AfterEach
    void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private Process start(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED",
            "-Dlogback.configurationFile=logback-signaling-test.xml",
            "-cp", System.getProperty("java.class.path"),
            Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("SFU_"));
        process = builder.start();
        return process;
    }

    private static CompletableFuture<String> readAll(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (Exception e) {
                return "<unreadable: " + e + ">";
            }
        });
    }

    @Test
    void aBadFlagValueExitsWithTwoAndNamesIt() throws Exception {
        Process p = start("--media-port", "-5");
        CompletableFuture<String> err = readAll(p.getErrorStream());
        assertThat(p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(err.get(5, TimeUnit.SECONDS)).contains("media.port", "-5");
    }

    @Test
    void aBadConfigFileValueExitsWithTwoAndNamesIt() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "forwarding:\n  workers: 9999\n");
        Process p = start("--config", config.toString());
        CompletableFuture<String> err = readAll(p.getErrorStream());
        assertThat(p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(err.get(5, TimeUnit.SECONDS)).contains("forwarding.workers", "9999");
    }

    @Test
    void printsTheReadyLineServesAndStopsCleanlyOnSigterm() throws Exception {
        Path config = dir.resolve("sfu.yaml");
        Files.writeString(config, "http:\n  port: 0\nmedia:\n  port: 0\n");
        Process p = start("--config", config.toString(), "--http-host", "0.0.0.0");
        CompletableFuture<String> err = readAll(p.getErrorStream());
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (Exception e) {
                return null;
            }
        });
        String line = firstLine.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(line).as("stderr: %s", err.isDone() ? err.get() : "").isNotNull();
        Matcher ready = READY.matcher(line);
        assertThat(ready.matches()).as(line).isTrue();
        // dev mode binds loopback whatever --http-host says
        assertThat(ready.group(1)).isEqualTo("127.0.0.1");
        int port = Integer.parseInt(ready.group(2));
        assertThat(port).isPositive();
        CompletableFuture<String> restOfOut = CompletableFuture.supplyAsync(() -> {
            StringBuilder rest = new StringBuilder();
            out.lines().forEach(l -> rest.append(l).append('\n'));
            return rest.toString();
        });

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/healthz")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);

        p.destroy();
        assertThat(p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("stopped within %d s", WAIT_SECONDS).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(restOfOut.get(5, TimeUnit.SECONDS)).as("nothing but the ready line on standard output").isEmpty();
        assertThat(err.get(5, TimeUnit.SECONDS)).doesNotContain("ERROR");
    }
}
