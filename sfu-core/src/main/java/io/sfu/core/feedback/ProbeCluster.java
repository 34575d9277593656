package io.sfu.core.feedback;

/**
 * One bandwidth probe toward a receiver: the packets sent while it was open (media and padding alike, at a rate
 * above the estimate), and what transport-wide feedback says of them. Its result is the rate the path delivered
 * them at, no more than the rate they were sent at (the method of libwebrtc's probe bitrate estimator, in the
 * manner of draft-ietf-rmcat-gcc-02's probing). Reused from one probe to the next; allocation free.
 */
public final class ProbeCluster {
    /** Of the packets sent, at least this share must be reported before the probe is judged. */
    private static final double REPORTED_SHARE = 0.8;
    /** Received at less than this share of the sending rate, the path was saturated at what it delivered. */
    private static final double SATURATION = 0.9;

    private int id;
    private long targetBps;
    private boolean sending;
    private int sentPackets;
    private long sentBytes;
    private long firstSendNs;
    private long lastSendNs;
    private int lastSendBytes;
    private int received;
    private int lost;
    private long receivedBytes;
    private long firstArrivalNs;
    private long lastArrivalNs;
    private int firstArrivalBytes;

    /** Opens cluster {@code id} (never 0), probing at {@code targetBps}; what it knew before is forgotten. */
    void open(int id, long targetBps) {
        this.id = id;
        this.targetBps = targetBps;
        sending = true;
        sentPackets = 0;
        sentBytes = 0;
        firstSendNs = 0;
        lastSendNs = 0;
        lastSendBytes = 0;
        received = 0;
        lost = 0;
        receivedBytes = 0;
        firstArrivalNs = Long.MAX_VALUE;
        lastArrivalNs = Long.MIN_VALUE;
        firstArrivalBytes = 0;
    }

    /** The cluster being sent, or 0 when none is. */
    int sendingId() {
        return sending ? id : 0;
    }

    int id() {
        return id;
    }

    long targetBps() {
        return targetBps;
    }

    /** No more packets join the cluster. */
    void close() {
        sending = false;
    }

    void onSent(int bytes, long sendNs) {
        if (sentPackets == 0) {
            firstSendNs = sendNs;
        }
        sentPackets++;
        sentBytes += bytes;
        lastSendNs = sendNs;
        lastSendBytes = bytes;
    }

    void onReceived(int bytes, long arrivalNs) {
        received++;
        receivedBytes += bytes;
        if (arrivalNs < firstArrivalNs) {
            firstArrivalNs = arrivalNs;
            firstArrivalBytes = bytes;
        }
        lastArrivalNs = Math.max(lastArrivalNs, arrivalNs);
    }

    void onLost() {
        lost++;
    }

    int sentPackets() {
        return sentPackets;
    }

    long sentBytes() {
        return sentBytes;
    }

    /** Whether sending ended and feedback covers enough of the cluster to judge it. */
    boolean complete() {
        return !sending && sentPackets > 0 && received + lost >= REPORTED_SHARE * sentPackets;
    }

    /**
     * What the path delivered, in bits per second: the receiving rate (the first packet's bytes excluded, it opens
     * the interval), or the sending rate (the last packet's excluded) when that is lower; when the path received
     * clearly slower than it was sent, it was full, and delivers a little less than it was seen to. 0 when the
     * cluster tells nothing (too few packets received, or no time between the first and the last).
     */
    long resultBps() {
        if (received < 2 || lastArrivalNs <= firstArrivalNs || lastSendNs <= firstSendNs) {
            return 0;
        }
        double receiveBps = (receivedBytes - firstArrivalBytes) * 8e9 / (lastArrivalNs - firstArrivalNs);
        double sendBps = (sentBytes - lastSendBytes) * 8e9 / (lastSendNs - firstSendNs);
        if (receiveBps < SATURATION * sendBps) {
            return (long) (0.95 * receiveBps);
        }
        return (long) Math.min(receiveBps, sendBps);
    }

    /** Of the packets reported, the share lost. */
    double lossRatio() {
        int reported = received + lost;
        return reported == 0 ? 0 : (double) lost / reported;
    }
}
