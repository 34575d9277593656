package io.sfu.core.rtp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.sfu.core.rtp.RtpFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;

class RtpPacketTest {
    private static final int OFFSET = 7;

    private final RtpPacket packet = new RtpPacket();

    private boolean wrap(byte[] bytes) {
        UnsafeBuffer buffer = RtpFixtures.buffer(bytes, OFFSET);
        return packet.wrap(buffer, OFFSET, bytes.length);
    }

    @Test
    void readsEveryFixedHeaderField() {
        assertThat(wrap(hex("80 e0 ff ff  89 ab cd ef  de ad be ef  01 02 03"))).isTrue();

        assertThat(packet.version()).isEqualTo(2);
        assertThat(packet.hasPadding()).isFalse();
        assertThat(packet.hasExtension()).isFalse();
        assertThat(packet.csrcCount()).isZero();
        assertThat(packet.marker()).isTrue();
        assertThat(packet.payloadType()).isEqualTo(96);
        assertThat(packet.sequenceNumber()).isEqualTo(65535);
        assertThat(packet.timestamp()).isEqualTo(0x89ABCDEFL);
        assertThat(packet.ssrc()).isEqualTo(0xDEADBEEF);
        assertThat(packet.headerLength()).isEqualTo(12);
        assertThat(packet.payloadOffset()).isEqualTo(OFFSET + 12);
        assertThat(packet.payloadLength()).isEqualTo(3);
        assertThat(packet.paddingLength()).isZero();
        assertThat(packet.extensionProfile()).isEqualTo(-1);
        assertThat(packet.length()).isEqualTo(15);
        assertThat(packet.offset()).isEqualTo(OFFSET);
    }

    @Test
    void readsTheCsrcList() {
        assertThat(wrap(hex("82 08 00 01  00 00 00 02  00 00 00 03  11 11 11 11  22 22 22 22  aa"))).isTrue();

        assertThat(packet.csrcCount()).isEqualTo(2);
        assertThat(packet.csrc(0)).isEqualTo(0x11111111);
        assertThat(packet.csrc(1)).isEqualTo(0x22222222);
        assertThat(packet.headerLength()).isEqualTo(20);
        assertThat(packet.payloadLength()).isEqualTo(1);
    }

    @Test
    void excludesPaddingFromThePayload() {
        // P=1, CC=1, payload of 2 octets followed by 3 padding octets whose last one counts them
        assertThat(wrap(hex("a1 00 00 01  00 00 00 02  00 00 00 03  44 44 44 44  0a 0b  00 00 03"))).isTrue();

        assertThat(packet.hasPadding()).isTrue();
        assertThat(packet.paddingLength()).isEqualTo(3);
        assertThat(packet.payloadLength()).isEqualTo(2);
        assertThat(packet.payloadOffset()).isEqualTo(OFFSET + 16);
    }

    @Test
    void acceptsPaddingThatFillsEverythingAfterTheHeader() {
        assertThat(wrap(hex("a0 00 00 01  00 00 00 02  00 00 00 03  00 00 00 04"))).isTrue();

        assertThat(packet.payloadLength()).isZero();
        assertThat(packet.paddingLength()).isEqualTo(4);
    }

    @Test
    void carriesAnUnknownExtensionProfileOpaquely() {
        assertThat(wrap(hex("90 00 00 01  00 00 00 02  00 00 00 03  ab cd 00 01  10 aa 00 00  ee"))).isTrue();

        assertThat(packet.extensionProfile()).isEqualTo(0xABCD);
        assertThat(packet.hasOneByteExtensions()).isFalse();
        assertThat(packet.hasTwoByteExtensions()).isFalse();
        assertThat(packet.findExtension(1)).isEqualTo(RtpPacket.NOT_FOUND);
        assertThat(packet.extensionBlockLength()).isEqualTo(4);
        assertThat(packet.headerLength()).isEqualTo(20);
        assertThat(packet.payloadLength()).isEqualTo(1);
    }

    @Test
    void acceptsAnEmptyExtensionBlock() {
        assertThat(wrap(hex("90 00 00 01  00 00 00 02  00 00 00 03  be de 00 00"))).isTrue();

        assertThat(packet.hasOneByteExtensions()).isTrue();
        assertThat(packet.findExtension(1)).isEqualTo(RtpPacket.NOT_FOUND);
        assertThat(packet.payloadLength()).isZero();
    }

    static Stream<Arguments> malformedPackets() {
        return Stream.of(
            Arguments.of("empty", ""),
            Arguments.of("shorter than the fixed header", "80 00 00 01  00 00 00 02  00 00 00"),
            Arguments.of("version 0", "00 00 00 01  00 00 00 02  00 00 00 03"),
            Arguments.of("version 1", "40 00 00 01  00 00 00 02  00 00 00 03"),
            Arguments.of("version 3", "c0 00 00 01  00 00 00 02  00 00 00 03"),
            Arguments.of("CSRC list past the end", "82 00 00 01  00 00 00 02  00 00 00 03  11 11 11 11"),
            Arguments.of("extension header past the end", "90 00 00 01  00 00 00 02  00 00 00 03  be de"),
            Arguments.of("extension length past the end",
                "90 00 00 01  00 00 00 02  00 00 00 03  be de 00 02  10 aa 00 00"),
            Arguments.of("extension length of 65535 words",
                "90 00 00 01  00 00 00 02  00 00 00 03  be de ff ff  10 aa 00 00"),
            Arguments.of("padding count 0", "a0 00 00 01  00 00 00 02  00 00 00 03  aa bb 00"),
            Arguments.of("padding count larger than the payload", "a0 00 00 01  00 00 00 02  00 00 00 03  aa 03"),
            Arguments.of("padding with no room after the header", "a0 00 00 01  00 00 00 02  00 00 00 01"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedPackets")
    void rejectsMalformedPackets(String name, String bytes) {
        assertThat(wrap(hex(bytes))).isFalse();
    }

    @Test
    void rejectsBoundsOutsideTheBuffer() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[20]);
        buffer.putByte(0, (byte) 0x80);

        assertThat(packet.wrap(buffer, 0, 21)).isFalse();
        assertThat(packet.wrap(buffer, 9, 12)).isFalse();
        assertThat(packet.wrap(buffer, -1, 12)).isFalse();
        assertThat(packet.wrap(buffer, Integer.MAX_VALUE, 12)).isFalse();
        assertThat(packet.wrap(buffer, 0, -5)).isFalse();
        assertThat(packet.wrap(null, 0, 12)).isFalse();
        assertThat(packet.wrap(buffer, 0, 20)).isTrue();
    }

    @Test
    void rewritesHeaderFieldsInPlaceKeepingTheirNeighbours() {
        byte[] bytes = hex("80 e0 00 01  00 00 00 02  00 00 00 03  01 02 03");
        UnsafeBuffer buffer = RtpFixtures.buffer(bytes, OFFSET);
        assertThat(packet.wrap(buffer, OFFSET, bytes.length)).isTrue();

        packet.payloadType(111).sequenceNumber(0xBEEF).timestamp(0x1_2345_6789L).ssrc(0x0BADF00D);
        assertThat(packet.marker()).as("payload type keeps the marker").isTrue();
        packet.marker(false);
        assertThat(packet.payloadType()).as("marker keeps the payload type").isEqualTo(111);

        assertThat(packet.wrap(buffer, OFFSET, bytes.length)).isTrue();
        assertThat(packet.payloadType()).isEqualTo(111);
        assertThat(packet.marker()).isFalse();
        assertThat(packet.sequenceNumber()).isEqualTo(0xBEEF);
        assertThat(packet.timestamp()).as("only the low 32 bits are kept").isEqualTo(0x23456789L);
        assertThat(packet.ssrc()).isEqualTo(0x0BADF00D);
        assertThat(buffer.getByte(OFFSET + 12)).as("payload untouched").isEqualTo((byte) 1);
        assertThat(buffer.getByte(OFFSET - 1)).as("octet before the packet untouched").isZero();
    }
}
