package io.sfu.bench.forward;

import io.sfu.core.srtp.SrtpProfile;

/**
 * How the forwarding benchmarks protect what the agent sends to subscribers: one of the WebRTC SRTP profiles, or
 * nothing at all, to see the routing and rewriting cost alone.
 */
public enum Crypto {
    /** Sends RTP in the clear ({@code WebRtcTransport.unprotectedOutputForBenchmarks}); keys are still installed. */
    NONE(SrtpProfile.SRTP_AEAD_AES_128_GCM, false),
    /** RFC 7714 AES-128-GCM, what browsers negotiate first. */
    AEAD_AES_128_GCM(SrtpProfile.SRTP_AEAD_AES_128_GCM, true),
    /** RFC 3711 AES-128 counter mode with HMAC-SHA1-80, the mandatory WebRTC profile. */
    AES128_CM_HMAC_SHA1_80(SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80, true);

    private final SrtpProfile profile;
    private final boolean protectsOutput;

    Crypto(SrtpProfile profile, boolean protectsOutput) {
        this.profile = profile;
        this.protectsOutput = protectsOutput;
    }

    /** The profile of every SRTP context the rig creates (for {@link #NONE}, of the unused send contexts). */
    public SrtpProfile profile() {
        return profile;
    }

    /** False when forwarded RTP leaves unprotected. */
    public boolean protectsOutput() {
        return protectsOutput;
    }
}
