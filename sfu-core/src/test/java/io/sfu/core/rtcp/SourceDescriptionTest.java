package io.sfu.core.rtcp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.sfu.core.rtcp.RtcpFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;

class SourceDescriptionTest {
    private final SourceDescription description = new SourceDescription();
    private UnsafeBuffer buffer;

    private boolean wrap(byte[] bytes) {
        buffer = RtcpFixtures.buffer(bytes, 4);
        return description.wrap(buffer, 4, bytes.length);
    }

    /** Every chunk as "ssrc:[type=text, ...]". */
    private List<String> chunks() {
        List<String> out = new ArrayList<>();
        while (description.nextChunk()) {
            List<String> items = new ArrayList<>();
            while (description.nextItem()) {
                items.add(description.itemType() + "="
                    + buffer.getStringWithoutLengthUtf8(description.itemOffset(), description.itemLength()));
            }
            out.add(Integer.toHexString(description.chunkSsrc()) + ":" + items);
        }
        return out;
    }

    @Test
    void walksSeveralChunksAndItems() {
        // chunk 1: CNAME "ab", TOOL "x", null + 1 pad; chunk 2: no items (four null octets); chunk 3: NAME "" + null
        assertThat(wrap(hex("83 ca 00 07  00 00 00 01  01 02 61 62  06 01 78 00  00 00 00 02  00 00 00 00"
            + "00 00 00 03  02 00 00 00"))).isTrue();

        assertThat(description.chunkCount()).isEqualTo(3);
        assertThat(chunks()).containsExactly("1:[1=ab, 6=x]", "2:[]", "3:[2=]");
    }

    @Test
    void startsOverAfterRewind() {
        assertThat(wrap(hex("81 ca 00 02  00 00 00 01  01 01 61 00"))).isTrue();
        assertThat(chunks()).containsExactly("1:[1=a]");

        description.rewind();

        assertThat(chunks()).containsExactly("1:[1=a]");
    }

    @Test
    void hasNoItemsBeforeTheFirstChunk() {
        assertThat(wrap(hex("81 ca 00 02  00 00 00 01  01 01 61 00"))).isTrue();

        assertThat(description.nextItem()).isFalse();
    }

    @Test
    void acceptsAnSdesWithoutChunks() {
        assertThat(wrap(hex("80 ca 00 00"))).isTrue();

        assertThat(description.nextChunk()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "81 ca 00 02  00 00 00 01  01 02 61 62",
        "81 ca 00 02  00 00 00 01  01 05 61 62",
        "81 ca 00 01  00 00 00 01",
        "82 ca 00 02  00 00 00 01  01 01 61 00",
        "81 ca 00 02  00 00 00 01  01 01 61 62",
        "81 ca 00 02  00 00 00 01  01 02 61 00",
    })
    void rejectsChunksWithoutTerminatorOrRunningPastTheEnd(String bytes) {
        assertThat(wrap(hex(bytes))).isFalse();
    }

    @Test
    void writesOneChunkWithOneItemPaddedTo32Bits() {
        UnsafeBuffer out = new UnsafeBuffer(new byte[64]);
        out.setMemory(0, 64, (byte) 0xEE);

        int length = SourceDescription.write(out, 0, 7, SourceDescription.CNAME,
            "abc".getBytes(StandardCharsets.US_ASCII));

        assertThat(length).isEqualTo(16);
        byte[] written = new byte[length];
        out.getBytes(0, written);
        assertThat(written).isEqualTo(hex("81 ca 00 03  00 00 00 07  01 03 61 62  63 00 00 00"));
    }
}
