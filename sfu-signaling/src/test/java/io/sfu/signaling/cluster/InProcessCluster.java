package io.sfu.signaling.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfu.signaling.MediaEngines;
import io.sfu.signaling.SfuServer;
import io.sfu.signaling.config.ConfigLoader;
import io.sfu.signaling.config.SfuConfig;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Test fixture: cluster nodes in this JVM, each a real server with its own media engine and relay on loopback, joined
 * over Hazelcast by {@code cluster.members}; {@link #start} returns once every node lists every other. Closed
 * together.
 */
public final class InProcessCluster implements AutoCloseable {
    private static final Duration FORMING = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<SfuServer> nodes = new ArrayList<>();
    private final List<String> ids;
    private final String secret;
    private String audience;

    private InProcessCluster(List<String> ids, String secret) {
        this.ids = ids;
        this.secret = secret;
    }

    /** Starts nodes named {@code ids} (dev mode when {@code secret} is null) and waits until they form a cluster. */
    public static InProcessCluster start(String secret, String... ids) throws Exception {
        InProcessCluster cluster = new InProcessCluster(List.of(ids), secret);
        try {
            cluster.startAll();
            cluster.awaitFormed();
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void startAll() throws Exception {
        List<String> members = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                ports.add(socket.getLocalPort());
            }
            members.add("127.0.0.1:" + ports.get(i));
        }
        for (int i = 0; i < ids.size(); i++) {
            List<ConfigLoader.Override> overrides = new ArrayList<>(List.of(
                new ConfigLoader.Override("http.port", "0", "test"),
                new ConfigLoader.Override("media.host", "127.0.0.1", "test"),
                new ConfigLoader.Override("media.port", "0", "test"),
                new ConfigLoader.Override("media.announce", List.of("127.0.0.1"), "test"),
                new ConfigLoader.Override("forwarding.workers", "1", "test"),
                new ConfigLoader.Override("cluster.nodeId", ids.get(i), "test"),
                new ConfigLoader.Override("cluster.host", "127.0.0.1", "test"),
                new ConfigLoader.Override("cluster.port", Integer.toString(ports.get(i)), "test"),
                new ConfigLoader.Override("cluster.members", members, "test")));
            if (secret != null) {
                overrides.add(new ConfigLoader.Override("auth.secret", secret, "test"));
            }
            SfuConfig config = ConfigLoader.load(null, Map.of(), overrides);
            audience = config.auth().audience();
            nodes.add(SfuServer.start(config, MediaEngines.start(config)));
        }
    }

    private void awaitFormed() throws Exception {
        long deadline = System.nanoTime() + FORMING.toNanos();
        while (true) {
            boolean formed = true;
            for (SfuServer node : nodes) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(node) + "/v1/cluster"));
                if (secret != null) {
                    request.header("Authorization", "Bearer " + secret);
                }
                String body = http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
                for (String id : ids) {
                    formed &= body.contains("\"id\":\"" + id + "\"");
                }
            }
            if (formed) {
                return;
            }
            assertThat(System.nanoTime() - deadline).as("the nodes form a cluster within " + FORMING).isNegative();
            Thread.sleep(100);
        }
    }

    /** The {@code i}-th node, in the order of the ids. */
    public SfuServer node(int i) {
        return nodes.get(i);
    }

    /** The audience tokens for these nodes name. */
    public String audience() {
        return audience;
    }

    public static String url(SfuServer node) {
        return "http://127.0.0.1:" + node.httpAddress().getPort();
    }

    @Override
    public void close() {
        nodes.forEach(SfuServer::close);
    }
}
