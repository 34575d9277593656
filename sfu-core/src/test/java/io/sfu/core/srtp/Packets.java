package io.sfu.core.srtp;

import java.util.SplittableRandom;

/** RTP and RTCP packets (built by hand, so that these tests need no codec) and contexts for the tests. */
final class Packets {
    private Packets() {
    }

    /** A sending and a receiving context of {@code profile} sharing a random master key and salt. */
    static SrtpContext[] contextPair(SrtpProfile profile, SplittableRandom random) {
        byte[] key = new byte[profile.masterKeyLength()];
        byte[] salt = new byte[profile.masterSaltLength()];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) random.nextInt(256);
        }
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) random.nextInt(256);
        }
        return new SrtpContext[] {SrtpContext.forSending(profile, key, salt),
            SrtpContext.forReceiving(profile, key, salt)};
    }

    /** An RTP packet with {@code csrcs} CSRCs, an optional one-byte-header extension, and a random payload. */
    static byte[] rtp(int ssrc, int seq, int csrcs, boolean extension, int payloadLength, SplittableRandom random) {
        int extensionWords = extension ? 2 : 0;
        int header = 12 + 4 * csrcs + (extension ? 4 + 4 * extensionWords : 0);
        byte[] packet = new byte[header + payloadLength];
        packet[0] = (byte) (0x80 | (extension ? 0x10 : 0) | csrcs);
        packet[1] = (byte) 111;
        ByteArrays.putInt(packet, 4, 0x1234_5678);
        ByteArrays.putInt(packet, 8, ssrc);
        setSequence(packet, seq);
        for (int i = 0; i < csrcs; i++) {
            ByteArrays.putInt(packet, 12 + 4 * i, 0xC000_0000 + i);
        }
        if (extension) {
            int at = 12 + 4 * csrcs;
            packet[at] = (byte) 0xBE;
            packet[at + 1] = (byte) 0xDE;
            packet[at + 3] = (byte) extensionWords;
            // audio level (id 1) and a mid (id 4), padded to whole words
            packet[at + 4] = 0x10;
            packet[at + 5] = (byte) 0xAA;
            packet[at + 6] = 0x41;
            packet[at + 7] = '0';
            packet[at + 8] = '1';
        }
        for (int i = header; i < packet.length; i++) {
            packet[i] = (byte) random.nextInt(256);
        }
        return packet;
    }

    static int headerLength(byte[] rtp) {
        return SrtpPackets.rtpHeaderLength(rtp, 0, rtp.length);
    }

    static void setSequence(byte[] packet, int seq) {
        packet[2] = (byte) (seq >>> 8);
        packet[3] = (byte) seq;
    }

    /** A compound RTCP packet: a sender report with one report block, then an SDES chunk. */
    static byte[] rtcp(int ssrc, SplittableRandom random) {
        byte[] packet = new byte[52 + 12];
        packet[0] = (byte) 0x81;
        packet[1] = (byte) 200;
        packet[3] = 12;
        ByteArrays.putInt(packet, 4, ssrc);
        for (int i = 8; i < 52; i++) {
            packet[i] = (byte) random.nextInt(256);
        }
        packet[52] = (byte) 0x81;
        packet[53] = (byte) 202;
        packet[55] = 2;
        ByteArrays.putInt(packet, 56, ssrc);
        packet[60] = 1;
        packet[61] = 1;
        packet[62] = 'x';
        return packet;
    }
}
