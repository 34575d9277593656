package io.sfu.core.srtp;

/**
 * The DTLS-SRTP protection profiles this SFU speaks (RFC 5764 §4.1.2, RFC 7714 §14.2), with the key, salt and
 * tag lengths of each.
 *
 * <p>The two AES-CM profiles differ only in the SRTP tag: SRTP_AES128_CM_HMAC_SHA1_32 keeps the 80-bit tag for
 * SRTCP (RFC 5764 §4.1.2). The AEAD profiles use a 16-octet tag for both (RFC 7714 §14.2) and a 96-bit salt.
 */
public enum SrtpProfile {
    /** AES-128 in GCM mode, RFC 7714. */
    SRTP_AEAD_AES_128_GCM(0x0007, 16, 12, 16, 16),
    /** AES-256 in GCM mode, RFC 7714. */
    SRTP_AEAD_AES_256_GCM(0x0008, 32, 12, 16, 16),
    /** AES-128 counter mode with an 80-bit HMAC-SHA1 tag, RFC 3711 (the mandatory WebRTC profile). */
    SRTP_AES128_CM_HMAC_SHA1_80(0x0001, 16, 14, 10, 10),
    /** AES-128 counter mode with a 32-bit HMAC-SHA1 tag on SRTP and an 80-bit tag on SRTCP. */
    SRTP_AES128_CM_HMAC_SHA1_32(0x0002, 16, 14, 4, 10);

    /** Octets of the SRTCP trailer word that carries the E flag and the 31-bit SRTCP index (RFC 3711 §3.4). */
    public static final int SRTCP_INDEX_LENGTH = 4;

    /** The HMAC-SHA1 session authentication key length, n_a = 160 bits (RFC 3711 §8.2). */
    static final int HMAC_SHA1_KEY_LENGTH = 20;

    private final int id;
    private final int masterKeyLength;
    private final int masterSaltLength;
    private final int rtpAuthTagLength;
    private final int rtcpAuthTagLength;

    SrtpProfile(int id, int masterKeyLength, int masterSaltLength, int rtpAuthTagLength, int rtcpAuthTagLength) {
        this.id = id;
        this.masterKeyLength = masterKeyLength;
        this.masterSaltLength = masterSaltLength;
        this.rtpAuthTagLength = rtpAuthTagLength;
        this.rtcpAuthTagLength = rtcpAuthTagLength;
    }

    /** The two-octet SRTPProtectionProfile value of the use_srtp extension. */
    public int id() {
        return id;
    }

    /** Master key length in octets; the session encryption key has the same length. */
    public int masterKeyLength() {
        return masterKeyLength;
    }

    /** Master salt length in octets: 14 for AES-CM, 12 for AEAD; the session salt has the same length. */
    public int masterSaltLength() {
        return masterSaltLength;
    }

    /** Octets the SRTP authentication tag (or AEAD tag) adds to an RTP packet. */
    public int rtpAuthTagLength() {
        return rtpAuthTagLength;
    }

    /** Octets the SRTCP authentication tag (or AEAD tag) adds to an RTCP packet. */
    public int rtcpAuthTagLength() {
        return rtcpAuthTagLength;
    }

    /** Octets protecting an RTCP packet adds: the tag and the E flag + SRTCP index word. */
    public int srtcpOverhead() {
        return rtcpAuthTagLength + SRTCP_INDEX_LENGTH;
    }

    /** Whether this is an AEAD (AES-GCM) profile rather than AES-CM with HMAC-SHA1. */
    public boolean isAead() {
        return this == SRTP_AEAD_AES_128_GCM || this == SRTP_AEAD_AES_256_GCM;
    }

    /** Octets of DTLS exporter output needed for both directions: two master keys and two master salts. */
    public int keyingMaterialLength() {
        return 2 * (masterKeyLength + masterSaltLength);
    }

    /** Whether {@code id} names one of the supported profiles. */
    public static boolean isSupported(int id) {
        for (SrtpProfile profile : values()) {
            if (profile.id == id) {
                return true;
            }
        }
        return false;
    }

    /**
     * The profile with the given use_srtp id.
     *
     * @throws IllegalArgumentException if the id is not one of the supported profiles
     */
    public static SrtpProfile fromId(int id) {
        for (SrtpProfile profile : values()) {
            if (profile.id == id) {
                return profile;
            }
        }
        throw new IllegalArgumentException(String.format("unsupported SRTP protection profile 0x%04x", id));
    }
}
