package io.sfu.core.rtp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 4588 §4: an RTX packet is the original under the RTX SSRC, sequence and payload type, OSN first. */
class RtxPacketTest {
    private final RtpPacket rtp = new RtpPacket();

    private static byte[] original() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        int length = new RtpPacketWriter().wrap(buffer, 0, 256).payloadType(96).sequenceNumber(4242)
            .timestamp(90_000).ssrc(0x1111).marker(true).extension(3, 0x0102, 2).payload(new byte[] {1, 2, 3, 4, 5})
            .length();
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    @Test
    void wrapPutsTheOriginalSequenceNumberBeforeThePayloadUnderTheRtxStream() {
        byte[] original = original();
        UnsafeBuffer buffer = new UnsafeBuffer(Arrays.copyOf(original, 256));
        assertThat(rtp.wrap(buffer, 0, original.length)).isTrue();
        int headerLength = rtp.headerLength();

        int length = RtxPacket.wrap(rtp, 97, 0x2222, 7);

        assertThat(length).isEqualTo(original.length + RtxPacket.OSN_LENGTH);
        assertThat(rtp.payloadType()).isEqualTo(97);
        assertThat(rtp.ssrc()).isEqualTo(0x2222);
        assertThat(rtp.sequenceNumber()).isEqualTo(7);
        assertThat(rtp.timestamp()).isEqualTo(90_000);
        assertThat(rtp.marker()).isTrue();
        assertThat(rtp.extensionValue(3)).isEqualTo(0x0102);
        byte[] payload = Arrays.copyOfRange(buffer.byteArray(), headerLength, length);
        assertThat(payload).containsExactly(4242 >> 8, 4242 & 0xFF, 1, 2, 3, 4, 5);
    }

    @Test
    void unwrapRestoresTheOriginalPacketByteForByte() {
        byte[] original = original();
        UnsafeBuffer buffer = new UnsafeBuffer(Arrays.copyOf(original, 256));
        rtp.wrap(buffer, 0, original.length);
        int rtxLength = RtxPacket.wrap(rtp, 97, 0x2222, 7);
        rtp.wrap(buffer, 0, rtxLength);

        assertThat(RtxPacket.unwrap(rtp, 0x1111, 96)).isTrue();

        assertThat(rtp.offset()).isEqualTo(RtxPacket.OSN_LENGTH);
        assertThat(Arrays.copyOfRange(buffer.byteArray(), rtp.offset(), rtp.offset() + rtp.length()))
            .isEqualTo(original);
    }

    @Test
    void aPaddingOnlyProbeCarriesNoOriginalAndIsLeftAlone() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        int length = new RtpPacketWriter().wrap(buffer, 0, 64).payloadType(97).sequenceNumber(1).ssrc(0x2222)
            .padding(8).length();
        byte[] before = Arrays.copyOf(buffer.byteArray(), length);
        rtp.wrap(buffer, 0, length);

        assertThat(RtxPacket.unwrap(rtp, 0x1111, 96)).isFalse();
        assertThat(Arrays.copyOf(buffer.byteArray(), length)).isEqualTo(before);
    }

    @Test
    void wrapDropsThePaddingOfTheOriginal() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        int length = new RtpPacketWriter().wrap(buffer, 0, 128).payloadType(96).sequenceNumber(9).ssrc(0x1111)
            .payload(new byte[] {9, 9}).padding(4).length();
        rtp.wrap(buffer, 0, length);

        int rtxLength = RtxPacket.wrap(rtp, 97, 0x2222, 1);

        assertThat(rtp.hasPadding()).isFalse();
        assertThat(rtxLength).isEqualTo(RtpPacket.FIXED_HEADER_LENGTH + RtxPacket.OSN_LENGTH + 2);
        assertThat(rtp.payloadLength()).isEqualTo(4);
    }
}
