package io.sfu.core.rtcp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.sfu.core.rtcp.RtcpFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;

class RtcpCompoundIteratorTest {
    private static final int OFFSET = 3;

    private final RtcpCompoundIterator iterator = new RtcpCompoundIterator();

    private boolean wrap(byte[] bytes) {
        return iterator.wrap(RtcpFixtures.buffer(bytes, OFFSET), OFFSET, bytes.length);
    }

    /** Every packet as "type/count@offset+length". */
    private List<String> packets() {
        List<String> out = new ArrayList<>();
        while (iterator.next()) {
            out.add(iterator.packetType() + "/" + iterator.count() + "@" + (iterator.packetOffset() - OFFSET) + "+"
                + iterator.packetLength());
        }
        return out;
    }

    @Test
    void walksTheBrowserSenderReportAndSourceDescription() {
        assertThat(wrap(RtcpFixtures.bytes("browser-sr-sdes-compound.hex"))).isTrue();

        assertThat(packets()).containsExactly("200/0@0+28", "202/1@28+28");
        assertThat(iterator.next()).as("stays at the end").isFalse();
    }

    @Test
    void walksAgainAfterRewind() {
        assertThat(wrap(RtcpFixtures.bytes("browser-sr-sdes-compound.hex"))).isTrue();
        packets();

        iterator.rewind();

        assertThat(packets()).hasSize(2);
    }

    @Test
    void walksAReducedSizePacketOnItsOwn() {
        assertThat(wrap(hex("81 ce 00 02  00 00 00 01  00 00 00 02"))).isTrue();

        assertThat(packets()).containsExactly("206/1@0+12");
    }

    @Test
    void movesOnPastAPacketWhoseLengthFieldIsZero() {
        assertThat(wrap(hex("80 c9 00 00  80 c9 00 00  81 cd 00 00"))).isTrue();

        assertThat(packets()).containsExactly("201/0@0+4", "201/0@4+4", "205/1@8+4");
    }

    @Test
    void reportsPaddingOnTheLastPacket() {
        assertThat(wrap(hex("80 c9 00 01  00 00 00 07  a0 cc 00 01  00 00 00 04"))).isTrue();

        assertThat(iterator.next()).isTrue();
        assertThat(iterator.hasPadding()).isFalse();
        assertThat(iterator.paddingLength()).isZero();
        assertThat(iterator.next()).isTrue();
        assertThat(iterator.hasPadding()).isTrue();
        assertThat(iterator.paddingLength()).isEqualTo(4);
        assertThat(iterator.packetLength()).isEqualTo(8);
    }

    static Stream<Arguments> malformedCompounds() {
        return Stream.of(
            Arguments.of("empty", ""),
            Arguments.of("shorter than a header", "80 c9 00"),
            Arguments.of("version 1", "40 c9 00 00"),
            Arguments.of("version 2 then version 0", "80 c9 00 00  00 c9 00 00"),
            Arguments.of("length past the end", "80 c9 00 01  00 00 00"),
            Arguments.of("length field 65535", "80 c9 ff ff  00 00 00 00"),
            Arguments.of("trailing octets after the last packet", "80 c9 00 00  80 c9"),
            Arguments.of("padding on a packet other than the last", "a0 c9 00 01  00 00 00 04  80 c9 00 00"),
            Arguments.of("padding count 0", "a0 c9 00 01  00 00 00 00"),
            Arguments.of("padding count reaching into the header", "a0 c9 00 01  00 00 00 05"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedCompounds")
    void rejectsMalformedCompounds(String name, String bytes) {
        assertThat(wrap(hex(bytes))).isFalse();
        assertThat(iterator.next()).as("nothing to iterate after a rejection").isFalse();
    }

    @Test
    void rejectsBoundsOutsideTheBuffer() {
        UnsafeBuffer buffer = new UnsafeBuffer(hex("80 c9 00 00  80 c9 00 00"));

        assertThat(iterator.wrap(buffer, 0, 9)).isFalse();
        assertThat(iterator.wrap(buffer, 6, 4)).isFalse();
        assertThat(iterator.wrap(buffer, -4, 4)).isFalse();
        assertThat(iterator.wrap(null, 0, 4)).isFalse();
        assertThat(iterator.wrap(buffer, 4, 4)).isTrue();
    }
}
