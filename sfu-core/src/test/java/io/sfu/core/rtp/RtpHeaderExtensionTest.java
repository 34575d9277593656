package io.sfu.core.rtp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.sfu.core.rtp.RtpFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;

class RtpHeaderExtensionTest {
    private static final int OFFSET = 5;

    private final RtpPacket packet = new RtpPacket();
    private UnsafeBuffer buffer;

    private void wrapFixture(String name) {
        wrap(RtpFixtures.bytes(name));
    }

    private void wrap(byte[] bytes) {
        buffer = RtpFixtures.buffer(bytes, OFFSET);
        assertThat(packet.wrap(buffer, OFFSET, bytes.length)).isTrue();
    }

    /** Every element as "id:hex value", in block order. */
    private List<String> elements() {
        List<String> out = new ArrayList<>();
        RtpExtensionCursor cursor = new RtpExtensionCursor().reset(packet);
        while (cursor.next()) {
            StringBuilder value = new StringBuilder();
            for (int i = 0; i < cursor.valueLength(); i++) {
                value.append(String.format("%02x", buffer.getByte(cursor.valueOffset() + i)));
            }
            out.add(cursor.id() + ":" + value);
        }
        return out;
    }

    private String valueHex(long found) {
        StringBuilder value = new StringBuilder();
        for (int i = 0; i < RtpPacket.valueLength(found); i++) {
            value.append(String.format("%02x", buffer.getByte(RtpPacket.valueOffset(found) + i)));
        }
        return value.toString();
    }

    @Test
    void readsTheRfc8285OneByteExampleBlock() {
        wrapFixture("rfc8285-4.2-one-byte-block.hex");

        assertThat(packet.hasOneByteExtensions()).isTrue();
        assertThat(packet.extensionBlockLength()).isEqualTo(12);
        assertThat(elements()).containsExactly("1:aa", "2:bbcc", "3:ddeeff11");
        assertThat(packet.headerLength()).isEqualTo(28);
        assertThat(packet.payloadLength()).isEqualTo(4);
    }

    @Test
    void readsTheRfc8285TwoByteExampleBlockWithAnEmptyValue() {
        wrapFixture("rfc8285-4.3-two-byte-block.hex");

        assertThat(packet.hasTwoByteExtensions()).isTrue();
        assertThat(elements()).containsExactly("1:", "2:aa", "3:ddeeff11");
        long empty = packet.findExtension(1);
        assertThat(empty).isNotEqualTo(RtpPacket.NOT_FOUND);
        assertThat(RtpPacket.valueLength(empty)).isZero();
        assertThat(packet.payloadLength()).isEqualTo(1);
    }

    @Test
    void acceptsTheTwoByteProfileWithApplicationBits() {
        wrap(hex("90 00 00 01  00 00 00 02  00 00 00 03  10 0f 00 01  07 01 99 00"));

        assertThat(packet.hasTwoByteExtensions()).isTrue();
        assertThat(elements()).containsExactly("7:99");
    }

    @Test
    void findsAnExtensionValueByIdAsABufferPosition() {
        wrapFixture("rfc8285-4.2-one-byte-block.hex");

        long found = packet.findExtension(2);

        assertThat(RtpPacket.valueOffset(found)).isEqualTo(OFFSET + 12 + 4 + 3);
        assertThat(RtpPacket.valueLength(found)).isEqualTo(2);
        assertThat(valueHex(packet.findExtension(3))).isEqualTo("ddeeff11");
        assertThat(packet.findExtension(4)).isEqualTo(RtpPacket.NOT_FOUND);
        assertThat(packet.findExtension(0)).as("id 0 is padding, never an element").isEqualTo(RtpPacket.NOT_FOUND);
    }

    @Test
    void readsTheExtensionsOfABrowserOpusPacket() {
        wrapFixture("browser-opus-one-byte-extensions.hex");

        assertThat(packet.payloadType()).isEqualTo(111);
        assertThat(packet.sequenceNumber()).isEqualTo(0x5A3C);
        assertThat(packet.timestamp()).isEqualTo(0x7D2B1E40L);
        assertThat(packet.ssrc()).isEqualTo(0x1F2E3D4C);
        long audioLevel = packet.extensionValue(1);
        assertThat(audioLevel & 0x80).as("voice activity").isEqualTo(0x80);
        assertThat(audioLevel & 0x7F).as("level in -dBov").isEqualTo(42);
        assertThat(packet.extensionValue(2)).as("abs-send-time").isEqualTo(0x4B1C2DL);
        assertThat(packet.extensionValue(3)).as("transport-wide sequence number").isEqualTo(500);
        long mid = packet.findExtension(4);
        assertThat(RtpPacket.valueLength(mid)).isEqualTo(1);
        assertThat((char) buffer.getByte(RtpPacket.valueOffset(mid))).isEqualTo('0');
        assertThat(packet.payloadOffset()).isEqualTo(OFFSET + 28);
        assertThat(packet.payloadLength()).isEqualTo(16);
        assertThat(buffer.getByte(packet.payloadOffset())).as("Opus TOC").isEqualTo((byte) 0x78);
    }

    @Test
    void stopsAtOneByteId15AsRfc8285Requires() {
        wrap(hex("90 00 00 01  00 00 00 02  00 00 00 03  be de 00 02  10 aa f0 21  bb cc 00 00"));

        assertThat(elements()).containsExactly("1:aa");
        assertThat(packet.findExtension(2)).isEqualTo(RtpPacket.NOT_FOUND);
    }

    @Test
    void skipsAOneByteHeaderWithIdZeroAsASinglePaddingOctet() {
        wrap(hex("90 00 00 01  00 00 00 02  00 00 00 03  be de 00 01  03 10 aa 00"));

        assertThat(elements()).containsExactly("1:aa");
    }

    @Test
    void endsIterationAtAnElementRunningPastTheBlock() {
        // the block is 4 octets; the second element claims 4 octets of data with only 1 left
        wrap(hex("90 00 00 01  00 00 00 02  00 00 00 03  be de 00 01  10 aa 23 bb  cc dd ee ff"));

        assertThat(elements()).containsExactly("1:aa");
        assertThat(packet.payloadLength()).as("the payload is unaffected").isEqualTo(4);
    }

    @Test
    void endsTwoByteIterationAtATruncatedElementHeader() {
        wrap(hex("90 00 00 01  00 00 00 02  00 00 00 03  10 00 00 01  01 01 aa 05"));

        assertThat(elements()).containsExactly("1:aa");
    }

    @Test
    void rewritesAOneByteExtensionIdKeepingItsLength() {
        wrapFixture("rfc8285-4.2-one-byte-block.hex");

        assertThat(packet.rewriteExtensionId(2, 9)).isTrue();

        assertThat(elements()).containsExactly("1:aa", "9:bbcc", "3:ddeeff11");
        assertThat(packet.rewriteExtensionId(2, 9)).as("the old id is gone").isFalse();
        assertThat(packet.rewriteExtensionId(9, 15)).as("15 is reserved in the one-byte form").isFalse();
        assertThat(packet.rewriteExtensionId(9, 0)).as("0 is padding").isFalse();
        assertThat(elements()).containsExactly("1:aa", "9:bbcc", "3:ddeeff11");
    }

    @Test
    void rewritesATwoByteExtensionIdUpTo255() {
        wrapFixture("rfc8285-4.3-two-byte-block.hex");

        assertThat(packet.rewriteExtensionId(3, 200)).isTrue();
        assertThat(packet.rewriteExtensionId(1, 256)).isFalse();

        assertThat(elements()).containsExactly("1:", "2:aa", "200:ddeeff11");
    }

    @Test
    void rewritesExtensionValuesOfTheSameLength() {
        wrapFixture("browser-opus-one-byte-extensions.hex");

        assertThat(packet.putExtensionValue(3, 0x1_FFFFL)).as("transport-wide seq keeps 16 bits").isTrue();
        assertThat(packet.putExtensionValue(2, 0xABCDEF)).isTrue();
        assertThat(packet.putExtensionValue(7, 1)).isFalse();

        assertThat(packet.extensionValue(3)).isEqualTo(0xFFFFL);
        assertThat(packet.extensionValue(2)).isEqualTo(0xABCDEFL);
        assertThat(packet.extensionValue(1)).as("neighbour untouched").isEqualTo(0xAAL);
        assertThat(packet.extensionValue(4)).as("neighbour untouched").isEqualTo(0x30L);
    }

    @Test
    void removesAnExtensionByOverwritingItWithPadding() {
        wrapFixture("rfc8285-4.2-one-byte-block.hex");

        assertThat(packet.removeExtension(2)).isTrue();
        assertThat(packet.removeExtension(2)).isFalse();

        assertThat(elements()).containsExactly("1:aa", "3:ddeeff11");
        assertThat(packet.extensionBlockLength()).isEqualTo(12);
        int elementOffset = OFFSET + 12 + 4 + 2;
        assertThat(buffer.getByte(elementOffset)).isZero();
        assertThat(buffer.getByte(elementOffset + 2)).isZero();
    }

    @Test
    void remapsEveryIdInOnePassAndErasesUnmappedOnes() {
        wrapFixture("browser-opus-one-byte-extensions.hex");
        int[] map = new int[16];
        map[1] = 10;
        map[2] = 0;
        map[3] = 5;
        map[4] = 15;

        int erased = packet.remapExtensionIds(map);

        assertThat(erased).as("id 2 maps to nothing, id 4 to the reserved 15").isEqualTo(2);
        assertThat(elements()).containsExactly("10:aa", "5:01f4");
    }

    @Test
    void erasesElementsWhoseIdIsBeyondTheMap() {
        wrapFixture("rfc8285-4.3-two-byte-block.hex");

        int erased = packet.remapExtensionIds(new int[] {0, 1, 2});

        assertThat(erased).isEqualTo(1);
        assertThat(elements()).containsExactly("1:", "2:aa");
    }
}
