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
 *   <li>loss-based: over 10% of the packets of a feedback lost cuts the estimate by half the loss, under 2% lets it
 *   grow by 5% a feedback.</li>
 * </ul>
 * The estimate is the smaller of the two, between {@link #MIN_BPS} and {@link #MAX_BPS}; a receiver that sends only
 * REMB has its own estimate taken instead. Single-threaded (the
 * forwarding agent's); allocation free after construction.
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

    /** What was sent, by transport-wide sequence number modulo {@link #HISTORY}. */
    private final long[] sentNs = new long[HISTORY];
    private final int[] sentBytes = new int[HISTORY];
    private final int[] sentSequence = new int[HISTORY];

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
    private long feedbacks;
    private long receiverEstimateBps;
    private long overuses;

    /** Records a packet sent under the transport-wide sequence number {@code sequence} (16 bits). */
    public void onPacketSent(int sequence, int bytes, long nowNs) {
        int slot = sequence & (HISTORY - 1);
        sentSequence[slot] = sequence & 0xFFFF;
        sentNs[slot] = nowNs;
        sentBytes[slot] = bytes;
    }

    /** Takes one feedback the receiver sent at about {@code nowNs}; updates the estimate. */
    public void onFeedback(TransportCcFeedback feedback, long nowNs) {
        feedbacks++;
        referenceArrivalUs = feedback.referenceTimeUs();
        reported = 0;
        lost = 0;
        feedback.forEachPacket(onPacket);
        closeGroup();
        updateDelayBased(nowNs);
        updateLossBased();
    }

    private void onReportedPacket(int sequence, int status, int deltaUs) {
        int slot = sequence & (HISTORY - 1);
        if (sentSequence[slot] != sequence || sentNs[slot] == 0) {
            return;
        }
        reported++;
        if (status == TransportCcFeedback.STATUS_NOT_RECEIVED) {
            lost++;
            return;
        }
        referenceArrivalUs += deltaUs;
        long sendNs = sentNs[slot];
        long arrivalNs = referenceArrivalUs * 1000;
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
                delayBasedBps = clamp((long) (delayBasedBps * Math.pow(1.08, seconds)));
            }
            lastIncreaseNs = nowNs;
        }
    }

    private void updateLossBased() {
        if (reported == 0) {
            return;
        }
        double loss = (double) lost / reported;
        if (loss > 0.10) {
            lossBasedBps = clamp((long) (Math.min(lossBasedBps, delayBasedBps) * (1 - 0.5 * loss)));
        } else if (loss < 0.02) {
            lossBasedBps = clamp(Math.max(lossBasedBps, (long) (lossBasedBps * 1.05)));
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

    /** Times the delay-based part found the path overused (each episode once). */
    public long overuseCount() {
        return overuses;
    }
}
