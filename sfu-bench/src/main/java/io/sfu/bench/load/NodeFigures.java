package io.sfu.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * The figures of a run over the nodes of a cluster: each node read on its own, and per step each node's share and
 * what the nodes relayed to each other ({@link LoadReport.ClusterStep}).
 */
final class NodeFigures {
    private NodeFigures() {
    }

    /** One reading of each node, in the nodes' order. */
    static List<ResourceSampler.Sample> sample(List<ResourceSampler> samplers) {
        List<ResourceSampler.Sample> samples = new ArrayList<>(samplers.size());
        for (ResourceSampler sampler : samplers) {
            samples.add(sampler.sample());
        }
        return List.copyOf(samples);
    }

    /**
     * Each node's figures and the relay's copies between two readings of every node; null for a single node.
     * {@code publishedPackets} are the media packets the publishers sent in between.
     */
    static LoadReport.ClusterStep clusterStep(List<SfuApi> nodes, List<ResourceSampler.Sample> start,
                                              List<ResourceSampler.Sample> end, long publishedPackets) {
        if (nodes.size() < 2) {
            return null;
        }
        List<LoadReport.NodeStep> perNode = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            ResourceSampler.Sample a = start.get(i);
            ResourceSampler.Sample b = end.get(i);
            long wall = b.wallNs() - a.wallNs();
            perNode.add(new LoadReport.NodeStep(nodes.get(i).base().toString(),
                LoadRunner.rate(a.sfuCpuNs(), b.sfuCpuNs(), wall, 100),
                LoadRunner.rate(a.sfuPacketsForwarded(), b.sfuPacketsForwarded(), wall, 1e9),
                LoadRunner.rate(a.relayPacketsSent(), b.relayPacketsSent(), wall, 1e9),
                LoadRunner.rate(a.relayPacketsReceived(), b.relayPacketsReceived(), wall, 1e9)));
        }
        ResourceSampler.Sample a = ResourceSampler.Sample.sum(start);
        ResourceSampler.Sample b = ResourceSampler.Sample.sum(end);
        Double relayedPerSecond = LoadRunner.rate(a.relayPacketsSent(), b.relayPacketsSent(), b.wallNs() - a.wallNs(),
            1e9);
        double relayed = b.relayPacketsSent() - a.relayPacketsSent();
        Double copies = Double.isNaN(relayed) || publishedPackets <= 0 ? null
            : LoadRunner.round3(relayed / publishedPackets / (nodes.size() - 1));
        return new LoadReport.ClusterStep(nodes.size(), List.copyOf(perNode), relayedPerSecond, copies);
    }
}
