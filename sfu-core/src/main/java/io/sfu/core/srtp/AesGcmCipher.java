package io.sfu.core.srtp;

import java.util.Arrays;

/**
 * AEAD_AES_128_GCM / AEAD_AES_256_GCM for SRTP (RFC 7714 §8) and SRTCP (§9), with 16-octet tags.
 *
 * <pre>
 * SRTP  IV  = (00 00 || SSRC || ROC || SEQ) XOR salt            AAD = the RTP header, CSRCs and extension included
 *       out = header || ciphertext || tag
 * SRTCP IV  = (00 00 || SSRC || 00 00 || 0 || SRTCP index) XOR salt
 *       E=1: AAD = first 8 octets || E|index; out = header(8) || ciphertext || tag || E|index
 *       E=0: AAD = whole packet || E|index;    out = packet || tag || E|index
 * </pre>
 *
 * GCM itself is {@link AesCtr} (counter blocks J0 + 1 onward, tag mask E(K, J0)) and {@link Ghash}.
 */
final class AesGcmCipher extends SrtpCipher {
    static final int TAG_LENGTH = 16;
    private static final int SALT_LENGTH = 12;
    private static final int RTCP_HEADER = 8;

    private final AesCtr aes;
    private final Ghash ghash;
    private final long saltHigh;
    private final long saltLow;
    private final byte[] tagMask = new byte[AesCtr.BLOCK];
    private final byte[] associatedTail = new byte[2 * AesCtr.BLOCK];

    /**
     * @param key session encryption key (16 or 32 octets)
     * @param salt 12-octet session salt
     */
    AesGcmCipher(byte[] key, byte[] salt, byte[] counters, byte[] keystream) {
        if (salt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("AEAD session salt must be 12 octets, was " + salt.length);
        }
        this.aes = new AesCtr(key, counters, keystream);
        byte[] hashKey = new byte[AesCtr.BLOCK];
        aes.encryptBlock(0, 0, hashKey);
        this.ghash = Ghash.forKey(hashKey);
        byte[] padded = Arrays.copyOf(salt, AesCtr.BLOCK);
        this.saltHigh = ByteArrays.getLong(padded, 0);
        this.saltLow = ByteArrays.getLong(padded, 8);
    }

    /** High half of J0 = IV || 0^31 || 1, with the 48-bit index in IV octets 6..11. */
    private long j0High(int ssrc, long index) {
        return saltHigh ^ ((ssrc & 0xFFFF_FFFFL) << 16) ^ (index >>> 32);
    }

    private long j0Low(long index) {
        return (saltLow ^ (index << 32)) | 1;
    }

    @Override
    void protectRtp(byte[] packet, int start, int headerLength, int payloadLength, int ssrc, long index) {
        long high = j0High(ssrc, index);
        long low = j0Low(index);
        int payload = start + headerLength;
        aes.xorKeystream(packet, payload, payloadLength, high, low + 1);
        ghash.reset();
        ghash.update(packet, start, headerLength);
        ghash.update(packet, payload, payloadLength);
        ghash.updateLengths(headerLength, payloadLength);
        writeTag(packet, payload + payloadLength, high, low);
    }

    @Override
    boolean unprotectRtp(byte[] packet, int start, int headerLength, int payloadLength, int ssrc, long index) {
        long high = j0High(ssrc, index);
        long low = j0Low(index);
        int payload = start + headerLength;
        ghash.reset();
        ghash.update(packet, start, headerLength);
        ghash.update(packet, payload, payloadLength);
        ghash.updateLengths(headerLength, payloadLength);
        if (!tagMatches(packet, payload + payloadLength, high, low)) {
            return false;
        }
        aes.xorKeystream(packet, payload, payloadLength, high, low + 1);
        return true;
    }

    @Override
    int protectRtcp(byte[] packet, int start, int length, int ssrc, int srtcpIndex, boolean encrypt) {
        long high = j0High(ssrc, srtcpIndex);
        long low = j0Low(srtcpIndex);
        int word = srtcpIndexWord(srtcpIndex, encrypt);
        if (encrypt) {
            aes.xorKeystream(packet, start + RTCP_HEADER, length - RTCP_HEADER, high, low + 1);
        }
        rtcpHash(packet, start, length, word, encrypt);
        writeTag(packet, start + length, high, low);
        ByteArrays.putInt(packet, start + length + TAG_LENGTH, word);
        return length + TAG_LENGTH + SrtpProfile.SRTCP_INDEX_LENGTH;
    }

    @Override
    int srtcpIndexPosition(int srtcpLength) {
        return srtcpLength - SrtpProfile.SRTCP_INDEX_LENGTH;
    }

    @Override
    boolean unprotectRtcp(byte[] packet, int start, int srtcpLength, int ssrc, int srtcpIndex, boolean encrypted) {
        long high = j0High(ssrc, srtcpIndex);
        long low = j0Low(srtcpIndex);
        int length = srtcpLength - TAG_LENGTH - SrtpProfile.SRTCP_INDEX_LENGTH;
        rtcpHash(packet, start, length, srtcpIndexWord(srtcpIndex, encrypted), encrypted);
        if (!tagMatches(packet, start + length, high, low)) {
            return false;
        }
        if (encrypted) {
            aes.xorKeystream(packet, start + RTCP_HEADER, length - RTCP_HEADER, high, low + 1);
        }
        return true;
    }

    /** GHASH of an SRTCP packet whose RTCP part (ciphertext when encrypted) is {@code length} octets. */
    private void rtcpHash(byte[] packet, int start, int length, int word, boolean encrypted) {
        ghash.reset();
        if (encrypted) {
            // AAD = header (8) || E|index (4): one zero-padded block
            ghash.updateBlock(ByteArrays.getLong(packet, start), (long) word << 32);
            ghash.update(packet, start + RTCP_HEADER, length - RTCP_HEADER);
            ghash.updateLengths(RTCP_HEADER + SrtpProfile.SRTCP_INDEX_LENGTH, length - RTCP_HEADER);
        } else {
            // AAD = the whole packet || E|index, which are not adjacent on the wire
            int whole = length & ~(AesCtr.BLOCK - 1);
            int rest = length - whole;
            ghash.update(packet, start, whole);
            System.arraycopy(packet, start + whole, associatedTail, 0, rest);
            ByteArrays.putInt(associatedTail, rest, word);
            ghash.update(associatedTail, 0, rest + SrtpProfile.SRTCP_INDEX_LENGTH);
            ghash.updateLengths(length + SrtpProfile.SRTCP_INDEX_LENGTH, 0);
        }
    }

    private void writeTag(byte[] packet, int at, long high, long low) {
        aes.encryptBlock(high, low, tagMask);
        ByteArrays.putLong(packet, at, ByteArrays.getLong(tagMask, 0) ^ ghash.high());
        ByteArrays.putLong(packet, at + 8, ByteArrays.getLong(tagMask, 8) ^ ghash.low());
    }

    private boolean tagMatches(byte[] packet, int at, long high, long low) {
        aes.encryptBlock(high, low, tagMask);
        long differenceHigh = ByteArrays.getLong(tagMask, 0) ^ ghash.high() ^ ByteArrays.getLong(packet, at);
        long differenceLow = ByteArrays.getLong(tagMask, 8) ^ ghash.low() ^ ByteArrays.getLong(packet, at + 8);
        return (differenceHigh | differenceLow) == 0;
    }
}
