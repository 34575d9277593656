package io.sfu.core.srtp;

/**
 * Settings of an {@link SrtpContext}, validated when set: how many SSRCs it keeps state for and how wide the
 * replay window is. Immutable; {@code withX} returns a changed copy.
 */
public final class SrtpConfig {
    /** Default bound on the SSRCs one context tracks: room for a large room's forwarded streams. */
    public static final int DEFAULT_MAX_SSRCS = 1024;
    /** Smallest accepted {@code srtp.maxSsrcs}. */
    public static final int MIN_MAX_SSRCS = 1;
    /** Largest accepted {@code srtp.maxSsrcs}. */
    public static final int MAX_MAX_SSRCS = 65_536;

    /**
     * Default replay window: 1024 packets, as libwebrtc configures libSRTP, so that retransmissions answering a
     * NACK (which arrive late on the same SSRC) are still inside it. RFC 3711 §3.3.2 asks for at least 64.
     */
    public static final int DEFAULT_REPLAY_WINDOW_BITS = 1024;
    /** Smallest accepted {@code srtp.replayWindowBits} (RFC 3711 §3.3.2 minimum). */
    public static final int MIN_REPLAY_WINDOW_BITS = 64;
    /** Largest accepted {@code srtp.replayWindowBits}. */
    public static final int MAX_REPLAY_WINDOW_BITS = 32_768;

    private static final SrtpConfig DEFAULTS = new SrtpConfig(DEFAULT_MAX_SSRCS, DEFAULT_REPLAY_WINDOW_BITS);

    private final int maxSsrcs;
    private final int replayWindowBits;

    private SrtpConfig(int maxSsrcs, int replayWindowBits) {
        this.maxSsrcs = maxSsrcs;
        this.replayWindowBits = replayWindowBits;
    }

    /** The defaults: {@value #DEFAULT_MAX_SSRCS} SSRCs, a {@value #DEFAULT_REPLAY_WINDOW_BITS}-packet window. */
    public static SrtpConfig defaults() {
        return DEFAULTS;
    }

    /**
     * A copy that tracks at most {@code maxSsrcs} SSRCs; packets of further SSRCs are rejected and counted.
     *
     * @throws IllegalArgumentException naming {@code srtp.maxSsrcs} when out of range
     */
    public SrtpConfig withMaxSsrcs(int maxSsrcs) {
        if (maxSsrcs < MIN_MAX_SSRCS || maxSsrcs > MAX_MAX_SSRCS) {
            throw new IllegalArgumentException("srtp.maxSsrcs must be in [" + MIN_MAX_SSRCS + ", " + MAX_MAX_SSRCS
                + "], was " + maxSsrcs);
        }
        return new SrtpConfig(maxSsrcs, replayWindowBits);
    }

    /**
     * A copy whose SRTP and SRTCP replay windows each remember {@code replayWindowBits} packets.
     *
     * @throws IllegalArgumentException naming {@code srtp.replayWindowBits} unless it is a multiple of 64 within
     *     range
     */
    public SrtpConfig withReplayWindowBits(int replayWindowBits) {
        if (replayWindowBits < MIN_REPLAY_WINDOW_BITS || replayWindowBits > MAX_REPLAY_WINDOW_BITS
            || replayWindowBits % Long.SIZE != 0) {
            throw new IllegalArgumentException("srtp.replayWindowBits must be a multiple of 64 in ["
                + MIN_REPLAY_WINDOW_BITS + ", " + MAX_REPLAY_WINDOW_BITS + "], was " + replayWindowBits);
        }
        return new SrtpConfig(maxSsrcs, replayWindowBits);
    }

    /** The bound on tracked SSRCs. */
    public int maxSsrcs() {
        return maxSsrcs;
    }

    /** The replay window width in packets. */
    public int replayWindowBits() {
        return replayWindowBits;
    }

    @Override
    public String toString() {
        return "SrtpConfig{maxSsrcs=" + maxSsrcs + ", replayWindowBits=" + replayWindowBits + '}';
    }
}
