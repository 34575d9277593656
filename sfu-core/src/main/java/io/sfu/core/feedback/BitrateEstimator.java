package io.sfu.core.feedback;

import java.util.Arrays;

/**
 * Bitrate of a stream over a sliding window (1 s in 100 ms buckets by default), from the bytes of each packet and
 * the time it was seen. Memory is the bucket array, allocated once; time only needs to move forward.
 */
public final class BitrateEstimator {
    public static final long DEFAULT_WINDOW_NS = 1_000_000_000L;
    public static final int DEFAULT_BUCKETS = 10;

    private final long bucketNs;
    private final int bucketCount;
    private final long[] bucketBytes;

    private boolean started;
    private long originNs;
    /** Index (since originNs) of the newest bucket. */
    private long currentBucket;
    private long windowBytes;

    /** A 1 s window in ten 100 ms buckets. */
    public BitrateEstimator() {
        this(DEFAULT_WINDOW_NS, DEFAULT_BUCKETS);
    }

    /**
     * @param windowNs span of the window
     * @param buckets buckets it is cut into: the rate moves in steps of windowNs / buckets
     */
    public BitrateEstimator(long windowNs, int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be at least 1: " + buckets);
        }
        if (windowNs < buckets) {
            throw new IllegalArgumentException("windowNs must be at least one nanosecond per bucket: " + windowNs);
        }
        this.bucketCount = buckets;
        this.bucketNs = windowNs / buckets;
        this.bucketBytes = new long[buckets];
    }

    /** Adds {@code bytes} seen at {@code nowNs}. */
    public void onBytes(int bytes, long nowNs) {
        advance(nowNs);
        bucketBytes[(int) (currentBucket % bucketCount)] += bytes;
        windowBytes += bytes;
    }

    /**
     * The rate over the window ending at {@code nowNs}, in bits per second. Until a full window has passed since
     * the first sample, the rate is taken over the time elapsed so far (in whole buckets), not the whole window.
     */
    public long bitrateBps(long nowNs) {
        if (!started) {
            return 0;
        }
        advance(nowNs);
        long spanNs = Math.min(bucketCount, currentBucket + 1) * bucketNs;
        return (long) (windowBytes * 8.0 * Durations.NANOS_PER_SECOND / spanNs);
    }

    /** Forgets everything; the next sample starts a new window. */
    public void reset() {
        Arrays.fill(bucketBytes, 0);
        windowBytes = 0;
        started = false;
    }

    private void advance(long nowNs) {
        if (!started) {
            started = true;
            originNs = nowNs;
            currentBucket = 0;
            return;
        }
        long bucket = Math.floorDiv(nowNs - originNs, bucketNs);
        if (bucket <= currentBucket) {
            return; // same bucket, or time that went backwards: count it in the current one
        }
        if (bucket - currentBucket >= bucketCount) {
            Arrays.fill(bucketBytes, 0);
            windowBytes = 0;
        } else {
            for (long b = currentBucket + 1; b <= bucket; b++) {
                int index = (int) (b % bucketCount);
                windowBytes -= bucketBytes[index];
                bucketBytes[index] = 0;
            }
        }
        currentBucket = bucket;
    }
}
