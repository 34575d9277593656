package io.sfu.signaling.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfu.signaling.Main;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test fixture: SFU processes on loopback, each started as {@code scripts/run} would (the built server on this
 * test's class path), joined into one cluster by {@code --cluster-members}; killed when closed.
 */
public final class ClusterNodes implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("SFU ready http=(\\S+):(\\d+) media=(\\S+):(\\d+)");
    private static final long START_SECONDS = 90;

    /** One node: its id, process, HTTP port and log file (standard error). */
    public record Node(String id, Process process, int httpPort, Path log) {
        public String base() {
            return "http://127.0.0.1:" + httpPort;
        }
    }

    private final List<Node> nodes = new ArrayList<>();

    private ClusterNodes() {
    }

    /**
     * Starts {@code count} nodes n1, n2, ...; with {@code secret} null they run in dev mode.
     *
     * @param logs where each node's log goes
     */
    public static ClusterNodes start(int count, String secret, Path logs) throws Exception {
        ClusterNodes cluster = new ClusterNodes();
        try {
            cluster.startAll(count, secret, logs);
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void startAll(int count, String secret, Path logs) throws Exception {
        List<Integer> clusterPorts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clusterPorts.add(freePort());
        }
        String members = String.join(",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList());
        List<CompletableFuture<String>> ready = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        List<Path> logFiles = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path log = logs.resolve("n" + (i + 1) + ".log");
            List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
                "--add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED",
                "-Xmx256m", "-Dlogback.configurationFile=logback-signaling-test.xml",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--http-port", "0", "--media-port", "0", "--announce", "127.0.0.1",
                "--node-id", "n" + (i + 1), "--cluster-port", Integer.toString(clusterPorts.get(i)),
                "--cluster-members", members));
            if (secret != null) {
                command.addAll(List.of("--secret", secret));
            }
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("SFU_"));
            Process process = builder.start();
            processes.add(process);
            logFiles.add(log);
            ready.add(firstLine(process.getInputStream()));
        }
        for (int i = 0; i < count; i++) {
            String line = ready.get(i).get(START_SECONDS, TimeUnit.SECONDS);
            assertThat(line).as("node %d's ready line; its log:%n%s", i + 1, tail(logFiles.get(i))).isNotNull();
            Matcher matcher = READY.matcher(line);
            assertThat(matcher.matches()).as(line).isTrue();
            nodes.add(new Node("n" + (i + 1), processes.get(i), Integer.parseInt(matcher.group(2)),
                logFiles.get(i)));
        }
    }

    public Node get(int index) {
        return nodes.get(index);
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static CompletableFuture<String> firstLine(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            } catch (Exception e) {
                return null;
            }
        });
    }

    /** The last lines of a node's log, for a failure message. */
    public static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (Exception e) {
            return "<no log: " + e + ">";
        }
    }

    @Override
    public void close() {
        nodes.forEach(n -> n.process().destroyForcibly());
    }
}
