package io.sfu.core.rtp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RtpPacketWriterTest {
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1500]);
    private final RtpPacketWriter writer = new RtpPacketWriter();
    private final RtpPacket packet = new RtpPacket();

    @Test
    void writesTheBrowserOpusPacketByteForByte() {
        byte[] expected = RtpFixtures.bytes("browser-opus-one-byte-extensions.hex");
        byte[] payload = new byte[16];
        System.arraycopy(expected, expected.length - 16, payload, 0, 16);

        int length = writer.wrap(buffer, 3, 200)
            .payloadType(111).sequenceNumber(0x5A3C).timestamp(0x7D2B1E40L).ssrc(0x1F2E3D4C)
            .extension(1, 0xAA, 1)
            .extension(2, 0x4B1C2D, 3)
            .extension(3, 500, 2)
            .extension(4, new byte[] {'0'})
            .payload(payload)
            .length();

        byte[] written = new byte[length];
        buffer.getBytes(3, written);
        assertThat(written).isEqualTo(expected);
    }

    @Test
    void roundTripsCsrcsExtensionsPayloadAndPadding() {
        int length = writer.wrap(buffer, 0, 1500)
            .marker(true).payloadType(96).sequenceNumber(65535).timestamp(0xFFFF_FFFFL).ssrc(-1)
            .csrc(0x01010101).csrc(0x02020202)
            .extension(14, new byte[16])
            .extension(1, 7, 1)
            .payload(new byte[] {9, 8, 7})
            .padding(5)
            .length();

        assertThat(packet.wrap(buffer, 0, length)).isTrue();
        assertThat(packet.marker()).isTrue();
        assertThat(packet.payloadType()).isEqualTo(96);
        assertThat(packet.sequenceNumber()).isEqualTo(65535);
        assertThat(packet.timestamp()).isEqualTo(0xFFFF_FFFFL);
        assertThat(packet.ssrc()).isEqualTo(-1);
        assertThat(packet.csrcCount()).isEqualTo(2);
        assertThat(packet.csrc(1)).isEqualTo(0x02020202);
        assertThat(RtpPacket.valueLength(packet.findExtension(14))).isEqualTo(16);
        assertThat(packet.extensionValue(1)).isEqualTo(7);
        assertThat(packet.extensionBlockLength()).as("1+16+1+1 octets padded to 32 bits").isEqualTo(20);
        assertThat(packet.payloadLength()).isEqualTo(3);
        assertThat(buffer.getByte(packet.payloadOffset() + 2)).isEqualTo((byte) 7);
        assertThat(packet.paddingLength()).isEqualTo(5);
        assertThat(length).isEqualTo(12 + 8 + 4 + 20 + 3 + 5);
    }

    @Test
    void roundTripsTwoByteExtensionsWithEmptyAndLongValues() {
        int length = writer.wrap(buffer, 0, 1500)
            .twoByteExtensions()
            .extension(200, new byte[0])
            .extension(3, new byte[40])
            .payload(new byte[] {1})
            .length();

        assertThat(packet.wrap(buffer, 0, length)).isTrue();
        assertThat(packet.extensionProfile()).isEqualTo(RtpPacket.TWO_BYTE_PROFILE);
        assertThat(RtpPacket.valueLength(packet.findExtension(200))).isZero();
        assertThat(RtpPacket.valueLength(packet.findExtension(3))).isEqualTo(40);
        assertThat(packet.extensionBlockLength()).isEqualTo(44);
    }

    @Test
    void writesAPacketWithoutExtensionsOrPayload() {
        int length = writer.wrap(buffer, 0, 12).ssrc(5).length();

        assertThat(length).isEqualTo(12);
        assertThat(packet.wrap(buffer, 0, length)).isTrue();
        assertThat(packet.hasExtension()).isFalse();
        assertThat(packet.payloadLength()).isZero();
    }

    @Test
    void refusesPartsOutOfOrder() {
        writer.wrap(buffer, 0, 1500).extension(1, 1, 1);
        assertThatThrownBy(() -> writer.csrc(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> writer.twoByteExtensions()).isInstanceOf(IllegalStateException.class);
        writer.payload(new byte[1]);
        assertThatThrownBy(() -> writer.extension(2, 1, 1)).isInstanceOf(IllegalStateException.class);
        writer.padding(1);
        assertThatThrownBy(() -> writer.payload(new byte[1])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesIdsAndLengthsTheFormCannotCarry() {
        writer.wrap(buffer, 0, 1500);
        assertThatThrownBy(() -> writer.extension(15, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.extension(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.extension(1, new byte[17])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.extension(1, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.payloadType(128)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.padding(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesToWritePastItsCapacity() {
        writer.wrap(buffer, 0, 16);

        assertThatThrownBy(() -> writer.payload(new byte[5])).isInstanceOf(IllegalStateException.class);
        assertThat(buffer.getByte(16)).isZero();
    }

    @Test
    void refusesASixteenthCsrc() {
        writer.wrap(buffer, 0, 1500);
        for (int i = 0; i < 15; i++) {
            writer.csrc(i);
        }

        assertThatThrownBy(() -> writer.csrc(15)).isInstanceOf(IllegalStateException.class);
        assertThat(packet.wrap(buffer, 0, writer.length())).isTrue();
        assertThat(packet.csrcCount()).isEqualTo(15);
        assertThat(packet.csrc(14)).isEqualTo(14);
    }
}
