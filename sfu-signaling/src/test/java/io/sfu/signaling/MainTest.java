package io.sfu.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flag handling of the entry point, in process: a refused flag or value never starts a server. */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        Main main = new Main(env, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return main.commandLine().execute(args);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anUnknownFlagExitsWithTwo() {
        assertThat(run(Map.of(), "--http-prot", "1")).isEqualTo(2);
        assertThat(stderr()).contains("--http-prot");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aBadFlagValueExitsWithTwoNamingTheValue() {
        assertThat(run(Map.of(), "--http-port", "99999")).isEqualTo(2);
        assertThat(stderr()).contains("http.port", "99999", "--http-port");
    }

    @Test
    void aBadEnvironmentValueExitsWithTwo() {
        assertThat(run(Map.of("SFU_HTTP_PORT", "eighty"))).isEqualTo(2);
        assertThat(stderr()).contains("'eighty'", "SFU_HTTP_PORT");
    }

    @Test
    void aMissingFlagArgumentExitsWithTwo() {
        assertThat(run(Map.of(), "--secret")).isEqualTo(2);
        assertThat(stderr()).contains("--secret");
    }

    @Test
    void aShortSecretExitsWithTwoNamingTheSetting() {
        assertThat(run(Map.of(), "--secret", "too-short-a-secret")).isEqualTo(2);
        assertThat(stderr()).contains("auth.secret", "--secret", "at least 32 characters")
            .doesNotContain("too-short-a-secret");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aTurnCertificateThatIsNotThereExitsWithTwoNamingTheSetting(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("sfu.yaml"), "turn:\n  enabled: true\n  tlsCertificate: "
            + dir.resolve("missing-cert.pem") + "\n  tlsKey: " + dir.resolve("missing-key.pem") + "\n");

        assertThat(run(Map.of(), "--config", config.toString())).isEqualTo(2);
        assertThat(stderr()).contains("turn.tlsCertificate", "no readable file");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void helpNamesEveryFlag() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--config", "--http-port", "--media-port",
            "--announce", "--secret", "--http-host", "--cluster-port", "--cluster-members", "--cluster-host",
            "--node-id");
    }

    @Test
    void badClusterFlagsAndVariablesExitWithTwoNamingTheSetting() throws Exception {
        assertThat(run(Map.of(), "--cluster-members", "127.0.0.1:5701,nowhere")).isEqualTo(2);
        assertThat(stderr()).contains("cluster.members", "'nowhere'", "--cluster-members");
        assertThat(run(Map.of(), "--cluster-port", "0")).isEqualTo(2);
        assertThat(stderr()).contains("cluster.port", "--cluster-port");
        assertThat(run(Map.of(), "--node-id", "no spaces")).isEqualTo(2);
        assertThat(stderr()).contains("cluster.nodeId", "--node-id");
        assertThat(run(Map.of(), "--cluster-host", "not-an-address")).isEqualTo(2);
        assertThat(stderr()).contains("cluster.host", "--cluster-host");
        assertThat(run(Map.of("SFU_CLUSTER_MEMBERS", "10.0.0.1:99999"))).isEqualTo(2);
        assertThat(stderr()).contains("cluster.members", "SFU_CLUSTER_MEMBERS");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
