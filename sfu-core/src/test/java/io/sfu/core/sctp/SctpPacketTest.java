package io.sfu.core.sctp;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SctpPacketTest {

    /** Bitwise CRC32c (RFC 9260 Appendix A, reflected polynomial 0x82F63B78), independent of java.util.zip. */
    private static int crc32c(byte[] data, int from, int to) {
        int crc = 0xFFFFFFFF;
        for (int i = from; i < to; i++) {
            crc ^= data[i] & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc >>> 1) ^ (0x82F63B78 & -(crc & 1));
            }
        }
        return ~crc;
    }

    private static List<String[]> rfc3720Vectors() throws IOException {
        try (InputStream in = SctpPacketTest.class.getResourceAsStream("rfc3720-crc32c.txt")) {
            List<String[]> vectors = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    vectors.add(line.trim().split("\\s+"));
                }
            }
            return vectors;
        }
    }

    @Test
    void theChecksumMatchesTheRfc3720VectorsInTransmissionOrder() throws IOException {
        List<String[]> vectors = rfc3720Vectors();
        assertThat(vectors).hasSize(5);
        for (String[] vector : vectors) {
            byte[] input = HexFormat.of().parseHex(vector[0]);
            // a "packet" whose header is the first 12 bytes: the field at 8..11 counts as zero, so put the
            // vector's bytes there back after signing a copy with those four bytes zeroed
            byte[] packet = new byte[input.length];
            System.arraycopy(input, 0, packet, 0, input.length);
            int expected = crc32c(input, 0, input.length);
            assertThat(String.format("%08x", Integer.reverseBytes(expected))).isEqualTo(vector[1]);
            boolean checksumFieldZero = input[8] == 0 && input[9] == 0 && input[10] == 0 && input[11] == 0;
            if (checksumFieldZero) {
                new SctpPacket().sign(packet, 0, packet.length);
                assertThat(HexFormat.of().formatHex(packet, 8, 12)).isEqualTo(vector[1]);
            }
        }
    }

    @Test
    void aPacketWeSignVerifiesAndCarriesItsChecksumLeastSignificantByteFirst() {
        byte[] packet = SctpPackets.chunk(0x01020304, SctpPacket.COOKIE_ACK, 0, new byte[0]);
        byte[] zeroed = packet.clone();
        zeroed[8] = zeroed[9] = zeroed[10] = zeroed[11] = 0;
        int crc = crc32c(zeroed, 0, zeroed.length);
        assertThat(packet[8] & 0xFF).isEqualTo(crc & 0xFF);
        assertThat(packet[11] & 0xFF).isEqualTo(crc >>> 24);
        SctpPacket reader = new SctpPacket();
        assertThat(reader.wrap(packet, 0, packet.length)).isTrue();
        assertThat(reader.sourcePort()).isEqualTo(5000);
        assertThat(reader.destinationPort()).isEqualTo(5000);
        assertThat(reader.verificationTag()).isEqualTo(0x01020304);
        assertThat(reader.chunkType(reader.firstChunk())).isEqualTo(SctpPacket.COOKIE_ACK);
        assertThat(reader.nextChunk(reader.firstChunk())).isEqualTo(-1);
    }

    @Test
    void aPacketReadsTheSameAtAnyOffsetInTheArray() {
        byte[] packet = SctpPackets.packet(7, new int[] {SctpPacket.SACK, SctpPacket.DATA}, new int[] {0, 3},
            new byte[][] {new byte[12], SctpPackets.dataValue(1, 2, 3, 51, new byte[] {9, 9, 9})});
        byte[] shifted = new byte[packet.length + 5];
        System.arraycopy(packet, 0, shifted, 5, packet.length);
        SctpPacket reader = new SctpPacket();
        assertThat(reader.wrap(shifted, 5, packet.length)).isTrue();
        assertThat(reader.chunkCount()).isEqualTo(2);
        int second = reader.nextChunk(reader.firstChunk());
        assertThat(reader.chunkType(second)).isEqualTo(SctpPacket.DATA);
        assertThat(reader.chunkFlags(second)).isEqualTo(3);
        assertThat(reader.chunkLength(second)).isEqualTo(4 + 12 + 3);
    }

    @Test
    void malformedPacketsAreRefused() {
        SctpPacket reader = new SctpPacket();
        byte[] good = SctpPackets.chunk(1, SctpPacket.COOKIE_ACK, 0, new byte[0]);
        byte[] badCrc = good.clone();
        badCrc[8] ^= 1;
        assertThat(reader.wrap(badCrc, 0, badCrc.length)).as("bad checksum").isFalse();
        assertThat(reader.wrap(good, 0, 12)).as("header only").isFalse();
        assertThat(reader.wrap(good, 1, good.length)).as("past the array").isFalse();
        assertThat(reader.wrap(null, 0, 16)).as("no array").isFalse();
        byte[] longChunk = good.clone();
        SctpBytes.put16(longChunk, 14, 8);
        new SctpPacket().sign(longChunk, 0, longChunk.length);
        assertThat(reader.wrap(longChunk, 0, longChunk.length)).as("chunk past the packet").isFalse();
        byte[] shortChunk = good.clone();
        SctpBytes.put16(shortChunk, 14, 3);
        new SctpPacket().sign(shortChunk, 0, shortChunk.length);
        assertThat(reader.wrap(shortChunk, 0, shortChunk.length)).as("chunk shorter than its header").isFalse();
        assertThat(reader.firstChunk()).isEqualTo(-1);
    }

    @Test
    void aPacketOfMaxChunksIsReadAndOneMoreIsRefused() {
        SctpPacket reader = new SctpPacket();
        assertThat(reader.wrap(heartbeatAcks(SctpPacket.MAX_CHUNKS), 0,
            heartbeatAcks(SctpPacket.MAX_CHUNKS).length)).isTrue();
        byte[] tooMany = heartbeatAcks(SctpPacket.MAX_CHUNKS + 1);
        assertThat(reader.wrap(tooMany, 0, tooMany.length)).isFalse();
    }

    static byte[] heartbeatAcks(int count) {
        int[] types = new int[count];
        java.util.Arrays.fill(types, SctpPacket.COOKIE_ACK);
        return SctpPackets.packet(1, types, new int[count], new byte[count][0]);
    }
}
