package io.sfu.core.rtcp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The SR + SDES compound a browser's sending stream emits: parsed field by field, and written byte for byte. */
class BrowserCompoundPacketTest {
    private static final byte[] COMPOUND = RtcpFixtures.bytes("browser-sr-sdes-compound.hex");
    private static final int SSRC = 0x5C2A11F0;

    @Test
    void readsEveryField() {
        UnsafeBuffer buffer = new UnsafeBuffer(COMPOUND);
        RtcpCompoundIterator iterator = new RtcpCompoundIterator();
        SenderReport report = new SenderReport();
        SourceDescription description = new SourceDescription();
        assertThat(iterator.wrap(buffer, 0, COMPOUND.length)).isTrue();

        assertThat(iterator.next()).isTrue();
        assertThat(report.wrap(buffer, iterator.packetOffset(), iterator.packetLength())).isTrue();
        assertThat(report.ssrc()).isEqualTo(SSRC);
        assertThat(report.ntpTimestamp()).isEqualTo(0xE98C3F2A_4BC6A7F0L);
        assertThat(report.compactNtpTimestamp()).isEqualTo(0x3F2A4BC6L);
        assertThat(report.rtpTimestamp()).isEqualTo(0x000B1A80L);
        assertThat(report.packetCount()).isEqualTo(500);
        assertThat(report.octetCount()).isEqualTo(40_000);
        assertThat(report.reportCount()).isZero();

        assertThat(iterator.next()).isTrue();
        assertThat(description.wrap(buffer, iterator.packetOffset(), iterator.packetLength())).isTrue();
        assertThat(description.chunkCount()).isEqualTo(1);
        assertThat(description.nextChunk()).isTrue();
        assertThat(description.chunkSsrc()).isEqualTo(SSRC);
        assertThat(description.nextItem()).isTrue();
        assertThat(description.itemType()).isEqualTo(SourceDescription.CNAME);
        assertThat(buffer.getStringWithoutLengthUtf8(description.itemOffset(), description.itemLength()))
            .isEqualTo("k7X3qv9ZfT2mWb0E");
        assertThat(description.nextItem()).isFalse();
        assertThat(description.nextChunk()).isFalse();
        assertThat(iterator.next()).isFalse();
    }

    @Test
    void writesTheSameBytes() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        buffer.setMemory(0, 128, (byte) 0xEE);

        int length = SenderReport.write(buffer, 0, SSRC, 0xE98C3F2A_4BC6A7F0L, 0x000B1A80L, 500, 40_000, 0);
        length += SourceDescription.write(buffer, length, SSRC, SourceDescription.CNAME,
            "k7X3qv9ZfT2mWb0E".getBytes(StandardCharsets.US_ASCII));

        byte[] written = new byte[length];
        buffer.getBytes(0, written);
        assertThat(written).isEqualTo(COMPOUND);
    }
}
