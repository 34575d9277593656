package io.sfu.signaling.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;
import io.sfu.signaling.config.SfuConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * Starts Vert.x in clustered mode on Hazelcast as the cluster settings say: members found by TCP-IP join on the
 * configured list (no multicast, no cloud discovery, no phone-home), a member that misses heartbeats (one a second)
 * for {@code memberTimeoutSeconds} removed, and the event bus on the cluster address.
 */
public final class ClusterSetup {
    /** The Hazelcast member attribute that carries the SFU node id, so that membership events name the node. */
    public static final String NODE_ID_ATTRIBUTE = "sfu.nodeId";
    private static final String CLUSTER_NAME = "sfu";
    private static final int START_TIMEOUT_SECONDS = 60;

    private ClusterSetup() {
    }

    /** The configured node id, or a random one when none is set. */
    public static String nodeId(SfuConfig.Cluster cluster) {
        if (!cluster.nodeId().isEmpty()) {
            return cluster.nodeId();
        }
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        return "node-" + HexFormat.of().formatHex(random);
    }

    /** The Hazelcast configuration of this node. */
    static Config hazelcast(SfuConfig.Cluster cluster, String nodeId) {
        // vert.x's own settings for its maps (subscriptions, locks) come first; the network is ours
        Config config = ConfigUtil.loadConfig();
        config.setClusterName(CLUSTER_NAME);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(cluster.memberTimeoutSeconds()));
        config.setProperty("hazelcast.heartbeat.failuredetector.type", "deadline");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        // nodes started at the same moment may form two clusters at first: merge them soon
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "2");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "2");
        // Vert.x leaves the cluster itself on close; the JVM's hook would race it
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.local.localAddress", cluster.host());
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.getMemberAttributeConfig().setAttribute(NODE_ID_ATTRIBUTE, nodeId);
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(cluster.port()).setPortAutoIncrement(false);
        network.setPublicAddress(cluster.host() + ":" + cluster.port());
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members()).setConnectionTimeoutSeconds(2);
        return config;
    }

    /** Clustered Vert.x and the Hazelcast member under it. */
    public record Started(Vertx vertx, HazelcastInstance hazelcast) {
    }

    /** Starts clustered Vert.x; returns once this node joined (or formed) the cluster. */
    public static Started start(SfuConfig.Cluster cluster, String nodeId, VertxOptions options) throws Exception {
        HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast(cluster, nodeId));
        options.setEventBusOptions(new EventBusOptions().setHost(cluster.host()).setPort(0)
            .setClusterPublicHost(cluster.host()));
        Vertx vertx = Vertx.builder().with(options).withClusterManager(manager).buildClustered()
            .await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return new Started(vertx, manager.getHazelcastInstance());
    }
}
