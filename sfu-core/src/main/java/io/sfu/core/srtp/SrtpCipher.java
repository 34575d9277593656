package io.sfu.core.srtp;

/**
 * One set of session keys (the SRTP or the SRTCP set of a context) and the packet transform of its profile,
 * working in place on the packet's backing array. Callers have already parsed and bounds-checked the packet;
 * offsets are array indexes. Not thread-safe.
 */
abstract class SrtpCipher {

    /** Encrypts {@code payloadLength} octets after the header and writes the tag right after them. */
    abstract void protectRtp(byte[] packet, int start, int headerLength, int payloadLength, int ssrc, long index);

    /**
     * Verifies the tag that follows the payload and, only if it verifies, decrypts the payload in place.
     *
     * @return whether the packet is authentic; an inauthentic packet is left as it was
     */
    abstract boolean unprotectRtp(byte[] packet, int start, int headerLength, int payloadLength, int ssrc, long index);

    /**
     * Protects the RTCP packet {@code packet[start .. + length)}, encrypting everything after its first eight
     * octets when {@code encrypt}, and appends the E flag + SRTCP index word and the tag.
     *
     * @return the SRTCP packet length
     */
    abstract int protectRtcp(byte[] packet, int start, int length, int ssrc, int srtcpIndex, boolean encrypt);

    /** Where, from {@code start}, an SRTCP packet of {@code srtcpLength} octets carries its E flag + index word. */
    abstract int srtcpIndexPosition(int srtcpLength);

    /**
     * Verifies an SRTCP packet and, if authentic and {@code encrypted}, decrypts it in place. The plaintext RTCP
     * packet is the first {@code srtcpLength - overhead} octets.
     *
     * @return whether the packet is authentic; an inauthentic packet is left as it was
     */
    abstract boolean unprotectRtcp(byte[] packet, int start, int srtcpLength, int ssrc, int srtcpIndex,
        boolean encrypted);

    /** The E flag + SRTCP index word of RFC 3711 §3.4. */
    static int srtcpIndexWord(int srtcpIndex, boolean encrypted) {
        return encrypted ? srtcpIndex | 0x8000_0000 : srtcpIndex;
    }

    /**
     * The SRTP ({@code control == false}) or SRTCP cipher of {@code profile}, its session keys derived from the
     * master key and salt (RFC 3711 §4.3.1 labels 0-2 and 3-5). The scratch arrays may be shared by the ciphers
     * of one owner.
     */
    static SrtpCipher create(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, boolean control,
        byte[] counters, byte[] keystream) {
        int encryptionLabel = control ? SrtpKeyDerivation.LABEL_RTCP_ENCRYPTION
            : SrtpKeyDerivation.LABEL_RTP_ENCRYPTION;
        int saltLabel = control ? SrtpKeyDerivation.LABEL_RTCP_SALT : SrtpKeyDerivation.LABEL_RTP_SALT;
        byte[] key = SrtpKeyDerivation.derive(masterKey, masterSalt, encryptionLabel, profile.masterKeyLength());
        byte[] salt = SrtpKeyDerivation.derive(masterKey, masterSalt, saltLabel, profile.masterSaltLength());
        if (profile.isAead()) {
            return new AesGcmCipher(key, salt, counters, keystream);
        }
        int authenticationLabel = control ? SrtpKeyDerivation.LABEL_RTCP_AUTHENTICATION
            : SrtpKeyDerivation.LABEL_RTP_AUTHENTICATION;
        byte[] authenticationKey = SrtpKeyDerivation.derive(masterKey, masterSalt, authenticationLabel,
            SrtpProfile.HMAC_SHA1_KEY_LENGTH);
        int tagLength = control ? profile.rtcpAuthTagLength() : profile.rtpAuthTagLength();
        return new AesCmHmacSha1Cipher(key, salt, authenticationKey, tagLength, counters, keystream);
    }
}
