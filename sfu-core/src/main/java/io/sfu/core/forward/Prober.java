package io.sfu.core.forward;

import io.sfu.core.feedback.SendSideBandwidthEstimator;

import java.util.concurrent.TimeUnit;

/**
 * Tests one subscriber's downlink before its layers move up: when the estimate holds a consumer below the layer it
 * would otherwise receive, a short cluster of packets goes out at a higher rate, media topped up with padding on a
 * retransmission stream, and the estimator judges what the path delivered. Up to twice the estimate at a time; a
 * success re-chooses the leg's layers at once and the next step follows as soon as it is judged, so a wide path is
 * found within a second or two; after a failure, and after the estimate fell, the next probe waits (longer after each
 * failure, up to {@link #MAX_BACKOFF_NS}). Owned by its leg's agent.
 */
final class Prober {
    /**
     * How long a cluster is sent for: long enough for the receiver to time a few dozen packets, short enough that a
     * path that cannot carry the probe's rate queues what it cannot carry (a router's queue holds tens of
     * milliseconds) rather than dropping it.
     */
    static final long CLUSTER_NS = TimeUnit.MILLISECONDS.toNanos(50);
    static final long FIRST_BACKOFF_NS = TimeUnit.SECONDS.toNanos(2);
    static final long MAX_BACKOFF_NS = TimeUnit.SECONDS.toNanos(6);
    /** How often a cycle tops the cluster up while it is sent. */
    static final long PACING_NS = TimeUnit.MILLISECONDS.toNanos(2);
    /** Padding octets per packet: RTP padding is at most 255. */
    static final int PADDING_BYTES = 240;
    private static final int MAX_PACKETS_PER_CYCLE = 32;

    private final Leg leg;
    private final SendSideBandwidthEstimator bandwidth;
    private long clusterStartNs = -1;
    private long targetBps;
    private long nextProbeNs;
    private long backoffNs = FIRST_BACKOFF_NS;
    private long judgedSucceeded;
    private long judgedFailed;
    private long paddingPackets;
    private long clustersStarted;
    /** The estimate the leg's layers were last chosen at, by this prober's doing or a drop it saw. */
    private long chosenAtBps = -1;

    Prober(Leg leg) {
        this.leg = leg;
        this.bandwidth = leg.bandwidth;
    }

    /**
     * Every tick: re-chooses the leg's layers at once when the estimate fell, judges a probe whose feedback is
     * overdue, and takes the outcome of one just judged (a success re-chooses the leg's layers and considers the
     * next step at once). Cheap when nothing happened.
     */
    void onTick(long nowNs) {
        bandwidth.onTime(nowNs);
        long estimate = bandwidth.estimateBps();
        if (bandwidth.hasFeedback() && (chosenAtBps < 0 || estimate < chosenAtBps - chosenAtBps / 8)) {
            // the estimate fell by an eighth or more: the layers follow now, not at the next layer decision, and
            // no probe goes out before the back-off: a path that just dropped packets loses most of a probe too
            chosenAtBps = estimate;
            if (nowNs + backoffNs - nextProbeNs > 0) {
                nextProbeNs = nowNs + backoffNs;
            }
            leg.chooseLayers(nowNs);
        } else if (estimate > chosenAtBps) {
            chosenAtBps = estimate;
        }
        if (bandwidth.probing() || clusterStartNs >= 0) {
            return;
        }
        if (bandwidth.probesSucceeded() != judgedSucceeded) {
            judgedSucceeded = bandwidth.probesSucceeded();
            nextProbeNs = nowNs;
            backoffNs = FIRST_BACKOFF_NS;
            leg.chooseLayers(nowNs);
            consider(nowNs);
        } else if (bandwidth.probesFailed() != judgedFailed) {
            judgedFailed = bandwidth.probesFailed();
            nextProbeNs = nowNs + backoffNs;
            backoffNs = Math.min(MAX_BACKOFF_NS, 2 * backoffNs);
        }
    }

    /**
     * At each layer decision, and when a subscriber asks for a higher layer: starts a probe (and tells the agent to
     * pace it) when a consumer is held below the layer it wants, none is under way and no back-off runs.
     */
    void consider(long nowNs) {
        if (bandwidth.probing() || clusterStartNs >= 0 || nowNs - nextProbeNs < 0 || !bandwidth.hasFeedback()) {
            return;
        }
        long wanted = 0;
        boolean heldBack = false;
        for (int i = 0, n = leg.consumers.size(); i < n; i++) {
            Consumer consumer = leg.consumers.get(i);
            if (consumer.isPaused()) {
                continue;
            }
            if (consumer.currentLayer > consumer.targetLayer()) {
                // a switch down is pending: the estimate just fell; probe once it settled
                return;
            }
            wanted += consumer.wantedBps(nowNs);
            heldBack |= consumer.heldBackByDownlink();
        }
        long estimate = bandwidth.estimateBps();
        long target = Math.min(wanted + wanted / 10, 2 * estimate);
        if (!heldBack || target <= estimate + estimate / 10) {
            return;
        }
        targetBps = target;
        clusterStartNs = nowNs;
        clustersStarted++;
        bandwidth.startProbe(target);
        leg.onProbeStarted();
    }

    /** Whether a cluster is being sent (the agent then runs {@link #onCycle} every {@link #PACING_NS}). */
    boolean sending() {
        return clusterStartNs >= 0;
    }

    /**
     * Tops what the leg sent during the cluster up to the probe's rate with padding, or ends the cluster when its
     * time is over. Returns the padding packets sent.
     */
    int onCycle(long nowNs) {
        long elapsedNs = nowNs - clusterStartNs;
        if (elapsedNs >= CLUSTER_NS) {
            bandwidth.endProbe(nowNs);
            clusterStartNs = -1;
            return 0;
        }
        long dueBytes = targetBps * (elapsedNs + PACING_NS) / 8_000_000_000L;
        int sent = 0;
        while (bandwidth.probeSentBytes() < dueBytes && sent < MAX_PACKETS_PER_CYCLE) {
            if (!sendPadding(nowNs)) {
                break;
            }
            sent++;
        }
        paddingPackets += sent;
        return sent;
    }

    private boolean sendPadding(long nowNs) {
        for (int i = 0, n = leg.consumers.size(); i < n; i++) {
            Consumer consumer = leg.consumers.get(i);
            if (consumer.producer.video && consumer.sendPadding(PADDING_BYTES, nowNs) > 0) {
                return true;
            }
        }
        return false;
    }

    /** Probe clusters started. */
    long clustersStarted() {
        return clustersStarted;
    }

    /** Padding packets sent for probes. */
    long paddingPackets() {
        return paddingPackets;
    }
}
