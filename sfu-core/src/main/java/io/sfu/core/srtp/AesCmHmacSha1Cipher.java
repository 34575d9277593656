package io.sfu.core.srtp;

/**
 * AES-CM encryption (RFC 3711 §4.1.1) with HMAC-SHA1 authentication (§4.2.1), for the
 * SRTP_AES128_CM_HMAC_SHA1_80/_32 profiles.
 *
 * <pre>
 * IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16)         i: 48-bit SRTP index, or the 31-bit SRTCP index
 * SRTP tag  = HMAC(k_a, header || encrypted payload || ROC)   truncated to 80 or 32 bits
 * SRTCP     = header(8) || encrypted payload || E|index(4) || tag(80 bits), tag over all that precedes it
 * </pre>
 */
final class AesCmHmacSha1Cipher extends SrtpCipher {
    private static final int RTCP_HEADER = 8;

    private final AesCtr aes;
    private final HmacSha1 hmac;
    private final int tagLength;
    private final long saltHigh;
    private final long saltLow;
    private final byte[] mac = new byte[HmacSha1.MAC_LENGTH];

    /**
     * @param key session encryption key k_e
     * @param salt 14-octet session salt k_s
     * @param authenticationKey session authentication key k_a
     * @param tagLength octets of the HMAC kept as the tag
     */
    AesCmHmacSha1Cipher(byte[] key, byte[] salt, byte[] authenticationKey, int tagLength, byte[] counters,
        byte[] keystream) {
        if (salt.length != 14) {
            throw new IllegalArgumentException("AES-CM session salt must be 14 octets, was " + salt.length);
        }
        this.aes = new AesCtr(key, counters, keystream);
        this.hmac = new HmacSha1(authenticationKey);
        this.tagLength = tagLength;
        byte[] shifted = new byte[AesCtr.BLOCK];
        System.arraycopy(salt, 0, shifted, 0, salt.length);
        this.saltHigh = ByteArrays.getLong(shifted, 0);
        this.saltLow = ByteArrays.getLong(shifted, 8);
    }

    private long ivHigh(int ssrc) {
        return saltHigh ^ (ssrc & 0xFFFF_FFFFL);
    }

    private long ivLow(long index) {
        return saltLow ^ (index << 16);
    }

    @Override
    void protectRtp(byte[] packet, int start, int headerLength, int payloadLength, int ssrc, long index) {
        aes.xorKeystream(packet, start + headerLength, payloadLength, ivHigh(ssrc), ivLow(index));
        int authenticated = headerLength + payloadLength;
        rtpMac(packet, start, authenticated, index);
        System.arraycopy(mac, 0, packet, start + authenticated, tagLength);
    }

    @Override
    boolean unprotectRtp(byte[] packet, int start, int headerLength, int payloadLength, int ssrc, long index) {
        int authenticated = headerLength + payloadLength;
        rtpMac(packet, start, authenticated, index);
        if (!ByteArrays.constantTimeEquals(mac, 0, packet, start + authenticated, tagLength)) {
            return false;
        }
        aes.xorKeystream(packet, start + headerLength, payloadLength, ivHigh(ssrc), ivLow(index));
        return true;
    }

    private void rtpMac(byte[] packet, int start, int authenticated, long index) {
        hmac.start();
        hmac.update(packet, start, authenticated);
        hmac.updateInt((int) (index >>> 16));
        hmac.finish(mac);
    }

    @Override
    int protectRtcp(byte[] packet, int start, int length, int ssrc, int srtcpIndex, boolean encrypt) {
        if (encrypt) {
            aes.xorKeystream(packet, start + RTCP_HEADER, length - RTCP_HEADER, ivHigh(ssrc), ivLow(srtcpIndex));
        }
        ByteArrays.putInt(packet, start + length, srtcpIndexWord(srtcpIndex, encrypt));
        int authenticated = length + SrtpProfile.SRTCP_INDEX_LENGTH;
        rtcpMac(packet, start, authenticated);
        System.arraycopy(mac, 0, packet, start + authenticated, tagLength);
        return authenticated + tagLength;
    }

    @Override
    int srtcpIndexPosition(int srtcpLength) {
        return srtcpLength - tagLength - SrtpProfile.SRTCP_INDEX_LENGTH;
    }

    @Override
    boolean unprotectRtcp(byte[] packet, int start, int srtcpLength, int ssrc, int srtcpIndex, boolean encrypted) {
        int authenticated = srtcpLength - tagLength;
        rtcpMac(packet, start, authenticated);
        if (!ByteArrays.constantTimeEquals(mac, 0, packet, start + authenticated, tagLength)) {
            return false;
        }
        if (encrypted) {
            int encryptedLength = authenticated - SrtpProfile.SRTCP_INDEX_LENGTH - RTCP_HEADER;
            aes.xorKeystream(packet, start + RTCP_HEADER, encryptedLength, ivHigh(ssrc), ivLow(srtcpIndex));
        }
        return true;
    }

    private void rtcpMac(byte[] packet, int start, int authenticated) {
        hmac.start();
        hmac.update(packet, start, authenticated);
        hmac.finish(mac);
    }
}
