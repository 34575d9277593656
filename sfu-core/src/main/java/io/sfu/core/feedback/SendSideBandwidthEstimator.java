package io.sfu.core.feedback;

import io.sfu.core.rtcp.TransportCcFeedback;
import io.sfu.core.rtcp.TransportCcPacketHandler;

/**
 * Estimates how many bits per second the path to one receiver carries, from the transport-wide congestion control
 * feedback it sends about what we sent (draft-holmer-rmcat-transport-wide-cc-extensions-01), in the manner of
 * Google Congestion Control (draft-ietf-rmcat-gcc-02):
 * <ul>
 *   <li>delay-based: packets are grouped by send time (5 ms bursts); the growth of one-way delay between groups is
 *   smoothed and its trend (a least-squares slope over the last 20 groups) compared with an adaptive threshold:
 *   over it the path is overused and the estimate drops to 85% of what was acknowledged, under it the estimate grows
 *   by 8% a second;</li>
 *   <li>loss-based: over windows of at least 500 ms and 20 packets reported, over 10% lost cuts the estimate by
 *   half the loss, under 2% lets it grow by 8% a second (a receiver's feedback comes every 50-100 ms, and one burst
 *   lost at a busy receiver's socket must not count as a path losing half its packets); once 12 packets of a window,
 *   and over 10% of it, were lost the path is congested: the window closes at once (each feedback waited for loses
 *   more) and the cut starts from what the path delivered when that is below the estimate;</li>
 *   <li>neither grows beyond one and a half times what the path was seen to deliver (plus 10 kbit/s): what was
 *   never sent was never tested. Only a probe raises the estimate further ({@link #startProbe}): a cluster of
 *   packets sent above the estimate whose delivered rate ({@link ProbeCluster}) becomes the estimate when it is
 *   higher.</li>
 * </ul>
 * The estimate is the smaller of the two, between {@link #MIN_BPS} and {@link #MAX_BPS}; a receiver that sends only
 * REMB has its own estimate taken instead. Single-threaded (the
 * forwarding agent's); allocation free once its first packet was sent, unless its inputs are recorded
 * ({@link EstimatorTrace}).
 */
public final class SendSideBandwidthEstimator {
    public static final long MIN_BPS = 30_000;
    public static final long MAX_BPS = 20_000_000;
    /**
     * Where the estimate starts: high, since the SFU forwards what publishers already send (no slow start to make);
     * a path that cannot take it shows congestion within a second of feedback, and the estimate drops to what the
     * path delivered.
     */
    public static final long INITIAL_BPS = 10_000_000;

    private static final int HISTORY = 1 << 13;
    private static final long GROUP_SPAN_NS = 5_000_000L;
    private static final int TREND_WINDOW = 20;
    private static final double SMOOTHING = 0.9;
    private static final double TREND_GAIN = 4.0;
    private static final double THRESHOLD_INITIAL_MS = 12.5;
    private static final double THRESHOLD_UP = 0.0087;
    private static final double THRESHOLD_DOWN = 0.039;
    private static final long OVERUSE_TIME_NS = 10_000_000L;
    private static final long ACKED_WINDOW_NS = 500_000_000L;
    private static final long LOSS_WINDOW_NS = 500_000_000L;
    private static final int LOSS_WINDOW_PACKETS = 20;
    /** Lost in a window, over 10% of it, that closes it early: more than a burst at a busy receiver's socket. */
    private static final int CONGESTED_LOST_PACKETS = 12;
    /** A probe whose feedback has not come within this time after its last packet is judged on what came. */
    private static final long PROBE_FEEDBACK_TIMEOUT_NS = 1_500_000_000L;
    /** A probe succeeds when the path delivered at least this share of the rate it was sent at. */
    private static final double PROBE_SUCCESS_SHARE = 0.85;

    /** Records every input when {@link EstimatorTrace#DIRECTORY_PROPERTY} is set; null otherwise. */
    private final EstimatorTrace trace = EstimatorTrace.forNewEstimator();
    /**
     * What was sent, by transport-wide sequence number modulo {@link #HISTORY} (160 KB in all): made at the first
     * packet sent, since the leg of a publisher's transport never sends any.
     */
    private long[] sentNs;
    private int[] sentBytes;
    private int[] sentSequence;
    /** The probe cluster each packet was sent in, 0 for none. */
    private int[] sentCluster;

    private final TransportCcPacketHandler onPacket = this::onReportedPacket;
    private long referenceArrivalUs;
    private int reported;
    private int lost;

    // the current group of packets sent within GROUP_SPAN_NS of its first
    private boolean groupOpen;
    private long groupFirstSendNs;
    private long groupLastSendNs;
    private long groupLastArrivalNs;
    private boolean previousGroup;
    private long previousSendNs;
    private long previousArrivalNs;

    // trend of the accumulated delay
    private double accumulatedDelayMs;
    private double smoothedDelayMs;
    private final double[] trendTimesMs = new double[TREND_WINDOW];
    private final double[] trendDelaysMs = new double[TREND_WINDOW];
    private int trendCount;
    private long firstArrivalNs = -1;
    private double thresholdMs = THRESHOLD_INITIAL_MS;
    private long lastThresholdUpdateNs;
    private double previousTrend;
    private long overuseSinceNs = -1;
    private boolean overusing;

    // acknowledged rate
    private final BitrateEstimator acknowledged = new BitrateEstimator(ACKED_WINDOW_NS, 10);
    private long lastArrivalNs;

    private long delayBasedBps = INITIAL_BPS;
    private long lossBasedBps = INITIAL_BPS;
    private long lastIncreaseNs = -1;
    private int lossWindowReported;
    private int lossWindowLost;
    private long lossWindowStartNs = -1;
    private long feedbacks;
    private long receiverEstimateBps;
    private long overuses;

    // probing: one cluster at a time
    private final ProbeCluster probe = new ProbeCluster();
    private int lastClusterId;
    private boolean probeAwaitingFeedback;
    private long probeEndNs;
    private long probesSucceeded;
    private long probesFailed;
    private long lastProbeResultBps;

    /** Records a packet sent under the transport-wide sequence number {@code sequence} (16 bits). */
    public void onPacketSent(int sequence, int bytes, long nowNs) {
        if (trace != null) {
            trace.sent(nowNs, sequence, bytes);
        }
        if (sentNs == null) {
            sentNs = new long[HISTORY];
            sentBytes = new int[HISTORY];
            sentSequence = new int[HISTORY];
            sentCluster = new int[HISTORY];
        }
        int slot = sequence & (HISTORY - 1);
        sentSequence[slot] = sequence & 0xFFFF;
        sentNs[slot] = nowNs;
        sentBytes[slot] = bytes;
        int cluster = probe.sendingId();
        sentCluster[slot] = cluster;
        if (cluster != 0) {
            probe.onSent(bytes, nowNs);
        }
    }

    /**
     * Opens a probe cluster at {@code targetBps}: every packet sent from now until {@link #endProbe} belongs to it,
     * and its feedback tells what the path delivers at that rate. A probe still open or unjudged is abandoned.
     */
    public void startProbe(long targetBps) {
        if (trace != null) {
            trace.probeStarted(targetBps);
        }
        lastClusterId = lastClusterId == Integer.MAX_VALUE ? 1 : lastClusterId + 1;
        probe.open(lastClusterId, targetBps);
        probeAwaitingFeedback = true;
    }

    /** The probe's last packet went out at {@code nowNs}; it is judged once its feedback came. */
    public void endProbe(long nowNs) {
        if (trace != null) {
            trace.probeEnded(nowNs);
        }
        probe.close();
        probeEndNs = nowNs;
    }

    /** Judges a probe whose feedback did not come in time (feedback itself judges the others). */
    public void onTime(long nowNs) {
        if (trace != null) {
            trace.tick(nowNs);
        }
        judgeProbe(nowNs);
    }

    /** Whether a probe is being sent or waits for its feedback. */
    public boolean probing() {
        return probeAwaitingFeedback;
    }

    /** The bytes sent so far in the probe cluster being sent. */
    public long probeSentBytes() {
        return probe.sentBytes();
    }

    /** The rate the probe being sent aims at, 0 when none is being sent. */
    public long probeTargetBps() {
        return probe.sendingId() != 0 ? probe.targetBps() : 0;
    }

    /** Takes one feedback the receiver sent at about {@code nowNs}; updates the estimate. */
    public void onFeedback(TransportCcFeedback feedback, long nowNs) {
        if (trace != null) {
            trace.feedback(nowNs, feedback);
        }
        feedbacks++;
        referenceArrivalUs = feedback.referenceTimeUs();
        reported = 0;
        lost = 0;
        feedback.forEachPacket(onPacket);
        closeGroup();
        updateDelayBased(nowNs);
        updateLossBased(nowNs);
        judgeProbe(nowNs);
    }

    /**
     * Once the probe's feedback came (or its time ran out), takes its result: the estimate rises to what the path
     * delivered when that is higher. It succeeded when the path delivered close to the rate it was sent at.
     */
    private void judgeProbe(long nowNs) {
        if (!probeAwaitingFeedback || probe.sendingId() != 0) {
            return;
        }
        if (!probe.complete() && nowNs - probeEndNs < PROBE_FEEDBACK_TIMEOUT_NS) {
            return;
        }
        probeAwaitingFeedback = false;
        long result = probe.resultBps();
        lastProbeResultBps = result;
        if (result > 0 && result >= PROBE_SUCCESS_SHARE * probe.targetBps()) {
            probesSucceeded++;
        } else {
            probesFailed++;
        }
        if (result > estimateBps()) {
            delayBasedBps = clamp(Math.max(delayBasedBps, result));
            lossBasedBps = clamp(Math.max(lossBasedBps, result));
            lastIncreaseNs = nowNs;
        }
    }

    /** The cap on growth without a probe: one and a half times the delivered rate, plus 10 kbit/s. */
    private long growthCapBps(long currentBps) {
        long acked = acknowledged.bitrateBps(lastArrivalNs);
        return acked <= 0 ? currentBps : Math.max(currentBps, acked * 3 / 2 + 10_000);
    }

    private void onReportedPacket(int sequence, int status, int deltaUs) {
        int slot = sequence & (HISTORY - 1);
        if (sentNs == null || sentSequence[slot] != sequence || sentNs[slot] == 0) {
            return;
        }
        boolean inProbe = probeAwaitingFeedback && sentCluster[slot] == probe.id();
        if (!inProbe) {
            // a probe's packets are judged as the probe: what a failed one lost says no more than its failure
            reported++;
        }
        if (status == TransportCcFeedback.STATUS_NOT_RECEIVED) {
            if (inProbe) {
                probe.onLost();
            } else {
                lost++;
            }
            return;
        }
        referenceArrivalUs += deltaUs;
        long sendNs = sentNs[slot];
        long arrivalNs = referenceArrivalUs * 1000;
        if (inProbe) {
            probe.onReceived(sentBytes[slot], arrivalNs);
        }
        // the rate the path delivered, on the receiver's clock
        acknowledged.onBytes(sentBytes[slot], arrivalNs);
        lastArrivalNs = Math.max(lastArrivalNs, arrivalNs);
        if (groupOpen && sendNs - groupFirstSendNs > GROUP_SPAN_NS) {
            closeGroup();
        }
        if (!groupOpen) {
            groupOpen = true;
            groupFirstSendNs = sendNs;
        }
        groupLastSendNs = Math.max(groupLastSendNs, sendNs);
        groupLastArrivalNs = Math.max(groupLastArrivalNs, arrivalNs);
    }

    /** Ends the open group: its delay against the previous group feeds the trend. */
    private void closeGroup() {
        if (!groupOpen) {
            return;
        }
        groupOpen = false;
        if (previousGroup) {
            double sendDeltaMs = (groupLastSendNs - previousSendNs) / 1e6;
            double arrivalDeltaMs = (groupLastArrivalNs - previousArrivalNs) / 1e6;
            if (sendDeltaMs >= 0) {
                addDelaySample(arrivalDeltaMs - sendDeltaMs, groupLastArrivalNs);
            }
        }
        previousGroup = true;
        previousSendNs = groupLastSendNs;
        previousArrivalNs = groupLastArrivalNs;
        groupLastSendNs = 0;
        groupLastArrivalNs = 0;
    }

    private void addDelaySample(double delayVariationMs, long arrivalNs) {
        if (firstArrivalNs < 0) {
            firstArrivalNs = arrivalNs;
        }
        accumulatedDelayMs += delayVariationMs;
        smoothedDelayMs = SMOOTHING * smoothedDelayMs + (1 - SMOOTHING) * accumulatedDelayMs;
        int at = trendCount % TREND_WINDOW;
        trendTimesMs[at] = (arrivalNs - firstArrivalNs) / 1e6;
        trendDelaysMs[at] = smoothedDelayMs;
        trendCount++;
    }

    /** The least-squares slope of the smoothed delay over the arrival time, over the last groups. */
    private double trend() {
        int n = Math.min(trendCount, TREND_WINDOW);
        if (n < 2) {
            return 0;
        }
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < n; i++) {
            meanX += trendTimesMs[i];
            meanY += trendDelaysMs[i];
        }
        meanX /= n;
        meanY /= n;
        double numerator = 0;
        double denominator = 0;
        for (int i = 0; i < n; i++) {
            numerator += (trendTimesMs[i] - meanX) * (trendDelaysMs[i] - meanY);
            denominator += (trendTimesMs[i] - meanX) * (trendTimesMs[i] - meanX);
        }
        return denominator == 0 ? 0 : numerator / denominator;
    }

    private void updateDelayBased(long nowNs) {
        double modifiedTrend = trend() * Math.min(trendCount, 60) * TREND_GAIN;
        long sinceNs = lastThresholdUpdateNs == 0 ? 0 : Math.min(100_000_000L, nowNs - lastThresholdUpdateNs);
        lastThresholdUpdateNs = nowNs;
        if (Math.abs(modifiedTrend) < thresholdMs + 15) {
            double gain = Math.abs(modifiedTrend) < thresholdMs ? THRESHOLD_DOWN : THRESHOLD_UP;
            thresholdMs += gain * (Math.abs(modifiedTrend) - thresholdMs) * (sinceNs / 1e6);
            thresholdMs = Math.max(6, Math.min(600, thresholdMs));
        }
        boolean overuse = false;
        if (modifiedTrend > thresholdMs) {
            if (overuseSinceNs < 0) {
                overuseSinceNs = nowNs;
            }
            overuse = nowNs - overuseSinceNs >= OVERUSE_TIME_NS && modifiedTrend >= previousTrend;
        } else {
            overuseSinceNs = -1;
        }
        previousTrend = modifiedTrend;
        if (overuse) {
            long acked = acknowledged.bitrateBps(lastArrivalNs);
            long target = (long) (0.85 * (acked > 0 ? acked : delayBasedBps));
            if (!overusing) {
                overuses++;
            }
            overusing = true;
            delayBasedBps = clamp(Math.min(delayBasedBps, target));
            lastIncreaseNs = nowNs;
        } else if (modifiedTrend < -thresholdMs) {
            // draining queues: hold
            overusing = false;
            lastIncreaseNs = nowNs;
        } else {
            overusing = false;
            if (lastIncreaseNs >= 0) {
                double seconds = Math.min(1.0, (nowNs - lastIncreaseNs) / 1e9);
                long grown = (long) (delayBasedBps * Math.pow(1.08, seconds));
                delayBasedBps = clamp(Math.min(grown, growthCapBps(delayBasedBps)));
            }
            lastIncreaseNs = nowNs;
        }
    }

    private void updateLossBased(long nowNs) {
        if (lossWindowStartNs < 0) {
            lossWindowStartNs = nowNs;
        }
        lossWindowReported += reported;
        lossWindowLost += lost;
        long elapsedNs = nowNs - lossWindowStartNs;
        boolean congested = lossWindowLost >= CONGESTED_LOST_PACKETS && lossWindowLost * 10 > lossWindowReported;
        if (lossWindowReported < LOSS_WINDOW_PACKETS || (elapsedNs < LOSS_WINDOW_NS && !congested)) {
            return;
        }
        double loss = (double) lossWindowLost / lossWindowReported;
        lossWindowReported = 0;
        lossWindowLost = 0;
        lossWindowStartNs = nowNs;
        if (loss > 0.10) {
            long base = Math.min(lossBasedBps, delayBasedBps);
            long acked = acknowledged.bitrateBps(lastArrivalNs);
            if (congested && acked > 0) {
                // a congested path: cut from what it delivered when that is less, or an estimate far above the
                // rate sent (as the initial one is) stays far above it, and the layers the link cannot carry stay
                // on. A few packets lost at a low rate (the first ones of a call, say) are no such evidence.
                base = Math.min(base, acked);
            }
            lossBasedBps = clamp((long) (base * (1 - 0.5 * loss)));
        } else if (loss < 0.02) {
            double seconds = Math.min(1.0, elapsedNs / 1e9);
            long grown = Math.min((long) (lossBasedBps * Math.pow(1.08, seconds)), growthCapBps(lossBasedBps));
            lossBasedBps = clamp(Math.max(lossBasedBps, grown));
        }
    }

    private static long clamp(long bps) {
        return Math.max(MIN_BPS, Math.min(MAX_BPS, bps));
    }

    /**
     * A receiver's own estimate (REMB), for a receiver that sends no transport-wide feedback: it stands for the
     * estimate until such feedback arrives, which then takes over.
     */
    public void onReceiverEstimate(long bitrateBps) {
        if (trace != null) {
            trace.receiverEstimate(bitrateBps);
        }
        receiverEstimateBps = clamp(bitrateBps);
    }

    /** The estimate in bits per second: from transport-wide feedback, else the receiver's REMB. */
    public long estimateBps() {
        if (feedbacks == 0 && receiverEstimateBps > 0) {
            return receiverEstimateBps;
        }
        return Math.min(delayBasedBps, lossBasedBps);
    }

    /** Whether transport-wide feedback or a REMB has arrived, so that the estimate comes from the path. */
    public boolean hasFeedback() {
        return feedbacks > 0 || receiverEstimateBps > 0;
    }

    /** Feedback packets taken. */
    public long feedbackCount() {
        return feedbacks;
    }

    /** Probes whose path delivered close to the rate they were sent at. */
    public long probesSucceeded() {
        return probesSucceeded;
    }

    /** Probes the path did not carry (or whose feedback did not come). */
    public long probesFailed() {
        return probesFailed;
    }

    /** What the last judged probe found the path delivered, in bits per second (0 before any, or when unknown). */
    public long lastProbeResultBps() {
        return lastProbeResultBps;
    }

    /** Times the delay-based part found the path overused (each episode once). */
    public long overuseCount() {
        return overuses;
    }
}
