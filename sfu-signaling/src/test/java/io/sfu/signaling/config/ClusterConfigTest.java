package io.sfu.signaling.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster settings: off by default, set by file, environment and flags, bad values refused by name. */
class ClusterConfigTest {
    @TempDir
    Path dir;

    private static ConfigLoader.Override flag(String path, Object value) {
        return new ConfigLoader.Override(path, value, "--flag");
    }

    @Test
    void withoutMembersTheServerRunsAlone() throws Exception {
        SfuConfig.Cluster cluster = ConfigLoader.load(null, Map.of(), List.of()).cluster();
        assertThat(cluster.enabled()).isFalse();
        assertThat(cluster.port()).isEqualTo(5701);
        assertThat(cluster.host()).isEqualTo("127.0.0.1");
        assertThat(cluster.memberTimeoutSeconds()).isEqualTo(3);
        assertThat(cluster.relayPort()).isZero();
    }

    @Test
    void membersFromTheEnvironmentAreACommaSeparatedListAndFlagsWin() throws Exception {
        Path yaml = dir.resolve("sfu.yaml");
        Files.writeString(yaml, "cluster:\n  port: 6000\n  nodeId: from-file\n  url: http://sfu-a.example:8080\n");
        SfuConfig.Cluster cluster = ConfigLoader.load(yaml, Map.of("SFU_CLUSTER_MEMBERS",
                "127.0.0.1:5701, sfu-b.example:5702", "SFU_CLUSTER_PORT", "6001", "SFU_NODE_ID", "env-node"),
            List.of(flag("cluster.nodeId", "flag-node"))).cluster();
        assertThat(cluster.enabled()).isTrue();
        assertThat(cluster.members()).containsExactly("127.0.0.1:5701", "sfu-b.example:5702");
        assertThat(cluster.port()).isEqualTo(6001);
        assertThat(cluster.nodeId()).isEqualTo("flag-node");
        assertThat(cluster.url()).isEqualTo("http://sfu-a.example:8080");
    }

    @Test
    void badClusterValuesNameTheSetting() {
        assertBad(flag("cluster.port", "0"), "cluster.port");
        assertBad(flag("cluster.port", "65536"), "cluster.port");
        assertBad(flag("cluster.members", List.of("127.0.0.1")), "cluster.members");
        assertBad(flag("cluster.members", List.of("127.0.0.1:70000")), "cluster.members");
        assertBad(flag("cluster.members", List.of("not a host:5701")), "cluster.members");
        assertBad(flag("cluster.host", "sfu.example"), "cluster.host");
        assertBad(flag("cluster.nodeId", "a/b"), "cluster.nodeId");
        assertBad(flag("cluster.nodeId", "x".repeat(65)), "cluster.nodeId");
        assertBad(flag("cluster.url", "ftp://x"), "cluster.url");
        assertBad(flag("cluster.relayPort", "-1"), "cluster.relayPort");
        assertBad(flag("cluster.memberTimeoutSeconds", "1"), "cluster.memberTimeoutSeconds");
    }

    @Test
    void hostAndPortTakesAddressesNamesAndBracketedIpv6() {
        assertThat(ConfigLoader.isHostAndPort("10.0.0.1:5701")).isTrue();
        assertThat(ConfigLoader.isHostAndPort("sfu-1.internal:5701")).isTrue();
        assertThat(ConfigLoader.isHostAndPort("[::1]:5701")).isTrue();
        assertThat(ConfigLoader.isHostAndPort("::1:5701")).isFalse();
        assertThat(ConfigLoader.isHostAndPort(":5701")).isFalse();
        assertThat(ConfigLoader.isHostAndPort("10.0.0.1:")).isFalse();
        assertThat(ConfigLoader.isHostAndPort("10.0.0.1:0")).isFalse();
    }

    private static void assertBad(ConfigLoader.Override override, String setting) {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), List.of(override)))
            .isInstanceOf(ConfigException.class).hasMessageContaining("invalid value for " + setting)
            .hasMessageContaining("--flag");
    }
}
