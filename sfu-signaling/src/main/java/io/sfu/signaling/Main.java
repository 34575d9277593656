package io.sfu.signaling;

import io.sfu.core.session.MediaEngine;
import io.sfu.signaling.config.ConfigException;
import io.sfu.signaling.config.ConfigLoader;
import io.sfu.signaling.config.SfuConfig;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Entry point of the SFU process: reads the configuration (flags, environment, file, embedded defaults), starts the
 * media engine and the HTTP API, prints the ready line on standard output and runs until SIGTERM or SIGINT. Exit
 * codes: 0 after a clean stop, 2 for a bad flag or configuration value, 1 when the server cannot start.
 */
@Command(name = "sfu", mixinStandardHelpOptions = true, version = "sfu 0.1.0", sortOptions = false,
    description = "A WebRTC Selective Forwarding Unit. Settings: flag > environment > --config file > defaults.")
public final class Main implements Callable<Integer> {
    /** Exit code for a bad flag or configuration value (also picocli's code for usage errors). */
    public static final int EXIT_BAD_CONFIG = 2;
    public static final int EXIT_START_FAILED = 1;
    private static final int STOP_TIMEOUT_SECONDS = 20;

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (see config/sfu.yaml)")
    Path config;

    @Option(names = "--http-port", paramLabel = "N", description = "HTTP port (env SFU_HTTP_PORT)")
    String httpPort;

    @Option(names = "--http-host", paramLabel = "H", description = "HTTP address (env SFU_HTTP_HOST)")
    String httpHost;

    @Option(names = "--media-port", paramLabel = "N", description = "UDP media port (env SFU_MEDIA_PORT)")
    String mediaPort;

    @Option(names = "--announce", paramLabel = "ADDR", split = ",",
        description = "address announced in ICE candidates; repeatable or comma-separated (env SFU_ANNOUNCE)")
    List<String> announce;

    @Option(names = "--secret", paramLabel = "S", description = "API secret; none means dev mode (env SFU_SECRET)")
    String secret;

    @Option(names = "--cluster-port", paramLabel = "N",
        description = "Hazelcast port of this node (env SFU_CLUSTER_PORT)")
    String clusterPort;

    @Option(names = "--cluster-members", paramLabel = "HOST:PORT", split = ",",
        description = "cluster members to join; none: a single node (env SFU_CLUSTER_MEMBERS)")
    List<String> clusterMembers;

    @Option(names = "--cluster-host", paramLabel = "ADDR", description = "cluster address of this node "
        + "(env SFU_CLUSTER_HOST)")
    String clusterHost;

    @Option(names = "--node-id", paramLabel = "ID", description = "this node's id in the cluster (env SFU_NODE_ID)")
    String nodeId;

    private final Map<String, String> environment;
    private final PrintStream out;
    private final PrintStream err;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    Main(Map<String, String> environment, PrintStream out, PrintStream err) {
        this.environment = environment;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new Main(System.getenv(), System.out, System.err).commandLine().execute(args));
    }

    CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(this);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setParameterExceptionHandler((e, args) -> {
            err.println("sfu: " + e.getMessage());
            err.println("Try 'sfu --help' for the flags.");
            return EXIT_BAD_CONFIG;
        });
        return commandLine;
    }

    /** The configuration these flags and the environment give. */
    SfuConfig configuration() throws ConfigException {
        List<ConfigLoader.Override> flags = new ArrayList<>();
        flag(flags, "http.host", httpHost, "--http-host");
        flag(flags, "http.port", httpPort, "--http-port");
        flag(flags, "media.port", mediaPort, "--media-port");
        if (announce != null) {
            List<String> addresses = new ArrayList<>();
            announce.forEach(a -> addresses.addAll(ConfigLoader.splitList(a)));
            flags.add(new ConfigLoader.Override("media.announce", addresses, "--announce"));
        }
        flag(flags, "auth.secret", secret, "--secret");
        flag(flags, "cluster.port", clusterPort, "--cluster-port");
        flag(flags, "cluster.host", clusterHost, "--cluster-host");
        flag(flags, "cluster.nodeId", nodeId, "--node-id");
        if (clusterMembers != null) {
            List<String> members = new ArrayList<>();
            clusterMembers.forEach(m -> members.addAll(ConfigLoader.splitList(m)));
            flags.add(new ConfigLoader.Override("cluster.members", members, "--cluster-members"));
        }
        return ConfigLoader.load(config, environment, flags);
    }

    private static void flag(List<ConfigLoader.Override> flags, String path, String value, String flag) {
        if (value != null) {
            flags.add(new ConfigLoader.Override(path, value, flag));
        }
    }

    @Override
    public Integer call() {
        SfuConfig sfuConfig;
        try {
            sfuConfig = configuration();
        } catch (ConfigException e) {
            err.println("sfu: " + e.getMessage());
            return EXIT_BAD_CONFIG;
        }
        MediaEngine engine;
        try {
            engine = MediaEngines.start(sfuConfig);
        } catch (Exception e) {
            LOG.error("the media engine could not start", e);
            err.println("sfu: the media engine could not start: " + e.getMessage());
            return EXIT_START_FAILED;
        }
        SfuServer server;
        try {
            server = SfuServer.start(sfuConfig, engine);
        } catch (Exception e) {
            engine.close();
            LOG.error("the server could not start", e);
            err.println("sfu: the server could not start: " + e.getMessage());
            return EXIT_START_FAILED;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::onSignal, "sfu-shutdown"));
        out.println(server.readyLine());
        out.flush();
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("stopping");
        server.close();
        stopped.countDown();
        return 0;
    }

    /**
     * SIGTERM and SIGINT run the shutdown hooks: this one lets the main thread stop the server cleanly, then ends
     * the process with status 0 (a clean stop), not the 143 the JVM would report for the signal.
     */
    private void onSignal() {
        stop.countDown();
        try {
            if (!stopped.await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                err.println("sfu: did not stop within " + STOP_TIMEOUT_SECONDS + " s");
                Runtime.getRuntime().halt(EXIT_START_FAILED);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.flush();
        err.flush();
        Runtime.getRuntime().halt(0);
    }
}
