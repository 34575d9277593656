package io.sfu.signaling.browser;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one scenario script of src/test/browser with node, bounded in time, and reads the one JSON line it prints.
 * Its standard error goes to the test log line by line. On timeout the whole process tree (node and the Chromium
 * it launched) is stopped; the run's temporary directory (TMPDIR of the script, so Chromium's profile lives there)
 * is removed in every case.
 */
final class NodeScript {
    /** The longest a scenario may run, its own deadline included. */
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** How much earlier than that the script's own deadline falls, so that it reports and cleans up first. */
    private static final Duration REPORT_MARGIN = Duration.ofSeconds(15);
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeScript() {
    }

    /** What a run gave: its exit code, its JSON result (null when it printed none) and its standard output. */
    record Result(String script, int exitCode, JsonNode json, String stdout) {

        /** Fails, with the script's own message, unless it exited with 0 and reported {@code "ok":true}. */
        Result assertPassed() {
            if (json == null) {
                fail(script + " printed no JSON result (exit code " + exitCode + "); standard output:\n" + stdout);
            }
            if (exitCode != 0 || !json.path("ok").asBoolean(false)) {
                fail(script + " failed (exit code " + exitCode + "): " + json.path("error").asText("no error given")
                    + "\nresult: " + json);
            }
            return this;
        }
    }

    /** Runs {@code node <script> --url <url> <args>} and waits for it, at most {@link #TIMEOUT}. */
    static Result run(String script, String url, String... args) throws Exception {
        return run(TIMEOUT, script, url, args);
    }

    /** As {@link #run(String, String, String...)}, waiting at most {@code timeout}. */
    static Result run(Duration timeout, String script, String url, String... args) throws Exception {
        Path scripts = BrowserEnvironment.scripts();
        Duration deadline = timeout.compareTo(REPORT_MARGIN.multipliedBy(2)) >= 0 ? timeout.minus(REPORT_MARGIN)
            : timeout.dividedBy(2);
        List<String> command = new ArrayList<>(List.of(BrowserEnvironment.node(), scripts.resolve(script).toString(),
            "--url", url, "--timeout-ms", Long.toString(deadline.toMillis())));
        command.addAll(List.of(args));
        Path tmp = Files.createTempDirectory("sfu-browser-");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(scripts.toFile());
            builder.environment().put("TMPDIR", tmp.toString());
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            Thread stderr = new Thread(() -> copyLines(process.getErrorStream(), "[" + script + "] "),
                "node-stderr-" + script);
            stderr.setDaemon(true);
            stderr.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process);
                fail(script + " did not finish within " + timeout.toMillis() + " ms and was killed with its browser;"
                    + " standard output:\n" + stdout.getNow("<none>"));
            }
            stderr.join(GRACE.toMillis());
            String out = stdout.get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            return new Result(script, process.exitValue(), lastJsonLine(out), out);
        } finally {
            deleteTree(tmp);
        }
    }

    /** SIGTERM first (the script then closes its browser), then SIGKILL for whatever of the tree is still there. */
    private static void killTree(Process process) throws InterruptedException {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
        for (ProcessHandle child : tree) {
            child.destroyForcibly();
        }
        process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static JsonNode lastJsonLine(String out) {
        String[] lines = out.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].trim();
            if (line.startsWith("{")) {
                try {
                    return JSON.readTree(line);
                } catch (IOException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyLines(InputStream in, String prefix) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                System.err.println(prefix + line);
            }
        } catch (IOException e) {
            System.err.println(prefix + "<standard error unreadable: " + e + ">");
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not remove " + root + ": " + e);
        }
    }
}
