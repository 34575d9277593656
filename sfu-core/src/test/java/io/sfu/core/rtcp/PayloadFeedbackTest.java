package io.sfu.core.rtcp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.sfu.core.rtcp.RtcpFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;

/** PLI (RFC 4585 §6.3.1), FIR (RFC 5104 §4.3.1) and REMB (draft-alvestrand-rmcat-remb §2.2). */
class PayloadFeedbackTest {
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);

    @Test
    void writesAPictureLossIndicationByteForByte() {
        PictureLossIndication pli = new PictureLossIndication();

        int length = PictureLossIndication.write(buffer, 0, 0x01020304, 0x0A0B0C0D);

        byte[] written = new byte[length];
        buffer.getBytes(0, written);
        assertThat(written).isEqualTo(hex("81 ce 00 02  01 02 03 04  0a 0b 0c 0d"));
        assertThat(pli.wrap(buffer, 0, length)).isTrue();
        assertThat(pli.senderSsrc()).isEqualTo(0x01020304);
        assertThat(pli.mediaSsrc()).isEqualTo(0x0A0B0C0D);
        assertThat(new FullIntraRequest().wrap(buffer, 0, length)).as("FMT tells PLI and FIR apart").isFalse();
    }

    @Test
    void roundTripsAFullIntraRequest() {
        FullIntraRequest fir = new FullIntraRequest();

        int length = FullIntraRequest.write(buffer, 0, 0x77, 0x5C2A11F0, 258);

        assertThat(length).isEqualTo(20);
        assertThat(buffer.getInt(8)).as("media SSRC field unused").isZero();
        assertThat(fir.wrap(buffer, 0, length)).isTrue();
        assertThat(fir.senderSsrc()).isEqualTo(0x77);
        assertThat(fir.entryCount()).isEqualTo(1);
        assertThat(fir.entrySsrc(0)).isEqualTo(0x5C2A11F0);
        assertThat(fir.entrySequenceNumber(0)).as("8 bits").isEqualTo(2);
    }

    @Test
    void readsSeveralFirEntries() {
        byte[] bytes = hex("84 ce 00 06  00 00 00 01  00 00 00 00  00 00 00 0a  05 00 00 00  00 00 00 0b  06 00 00 00");
        FullIntraRequest fir = new FullIntraRequest();

        assertThat(fir.wrap(new UnsafeBuffer(bytes), 0, bytes.length)).isTrue();
        assertThat(fir.entryCount()).isEqualTo(2);
        assertThat(fir.entrySsrc(1)).isEqualTo(0x0B);
        assertThat(fir.entrySequenceNumber(1)).isEqualTo(6);
    }

    @Test
    void rejectsAFirWithoutEntries() {
        byte[] bytes = hex("84 ce 00 02  00 00 00 01  00 00 00 00");

        assertThat(new FullIntraRequest().wrap(new UnsafeBuffer(bytes), 0, bytes.length)).isFalse();
    }

    @Test
    void readsARembByTheDraftLayout() {
        // 2 SSRCs, exponent 3, mantissa 0x3FFFF: 262143 << 3 = 2097144 bps
        byte[] bytes = hex("8f ce 00 06  00 00 00 01  00 00 00 00  52 45 4d 42  02 0f ff ff  00 00 00 0a  00 00 00 0b");
        Remb remb = new Remb();

        assertThat(remb.wrap(new UnsafeBuffer(bytes), 0, bytes.length)).isTrue();
        assertThat(remb.senderSsrc()).isEqualTo(1);
        assertThat(remb.bitrateBps()).isEqualTo(2_097_144L);
        assertThat(remb.ssrcCount()).isEqualTo(2);
        assertThat(remb.ssrc(0)).isEqualTo(0x0A);
        assertThat(remb.ssrc(1)).isEqualTo(0x0B);
    }

    @Test
    void roundTripsRembBitratesRoundedDownToTheMantissa() {
        Remb remb = new Remb();
        long[] bitrates = {0, 1, 262_143, 262_144, 1_000_000, 2_500_000_123L, Long.MAX_VALUE};
        for (long bitrate : bitrates) {
            int length = Remb.write(buffer, 0, 9, bitrate, new int[] {5}, 1);

            assertThat(remb.wrap(buffer, 0, length)).isTrue();
            long read = remb.bitrateBps();
            assertThat(read).as("%d rounds down", bitrate).isLessThanOrEqualTo(bitrate);
            assertThat(read).as("%d keeps 18 significant bits", bitrate)
                .isGreaterThan(bitrate - (bitrate >>> 17) - 1);
        }
        Remb.write(buffer, 0, 9, 1_000_003, new int[0], 0);
        assertThat(remb.wrap(buffer, 0, 20)).isTrue();
        assertThat(remb.bitrateBps()).as("250000 << 2").isEqualTo(1_000_000L);
    }

    @Test
    void saturatesABitrateBeyondSixtyFourBits() {
        byte[] bytes = hex("8f ce 00 04  00 00 00 01  00 00 00 00  52 45 4d 42  00 ff ff ff");
        Remb remb = new Remb();

        assertThat(remb.wrap(new UnsafeBuffer(bytes), 0, bytes.length)).isTrue();
        assertThat(remb.bitrateBps()).isEqualTo(Long.MAX_VALUE);
    }
}
