package io.sfu.core.rtcp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.sfu.core.rtcp.RtcpFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sender and receiver reports with their report blocks (RFC 3550 §6.4). */
class ReportsTest {
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
    private final SenderReport senderReport = new SenderReport();
    private final ReceiverReport receiverReport = new ReceiverReport();
    private final ReportBlock block = new ReportBlock();

    @Test
    void roundTripsASenderReportWithReportBlocks() {
        int length = SenderReport.write(buffer, 8, 0xA1B2C3D4, 0x0123456789ABCDEFL, 0xFFFFFFFFL, 7, 0x1_0000_0001L, 2);
        ReportBlock.write(buffer, 8 + 28, 0x11, 255, -3, 0x0002_FFFFL, 4000, 0x89ABCDEFL, 65536);
        ReportBlock.write(buffer, 8 + 28 + 24, 0x22, 0, 8_388_607, 0, 0, 0, 0);

        assertThat(length).isEqualTo(76);
        assertThat(senderReport.wrap(buffer, 8, length)).isTrue();
        assertThat(senderReport.ssrc()).isEqualTo(0xA1B2C3D4);
        assertThat(senderReport.ntpTimestamp()).isEqualTo(0x0123456789ABCDEFL);
        assertThat(senderReport.compactNtpTimestamp()).isEqualTo(0x456789ABL);
        assertThat(senderReport.rtpTimestamp()).isEqualTo(0xFFFFFFFFL);
        assertThat(senderReport.packetCount()).isEqualTo(7);
        assertThat(senderReport.octetCount()).as("the low 32 bits").isEqualTo(1);
        assertThat(senderReport.reportCount()).isEqualTo(2);

        senderReport.reportBlock(0, block);
        assertThat(block.ssrc()).isEqualTo(0x11);
        assertThat(block.fractionLost()).isEqualTo(255);
        assertThat(block.cumulativeLost()).isEqualTo(-3);
        assertThat(block.extendedHighestSequence()).isEqualTo(0x0002_FFFFL);
        assertThat(block.jitter()).isEqualTo(4000);
        assertThat(block.lastSenderReport()).isEqualTo(0x89ABCDEFL);
        assertThat(block.delaySinceLastSenderReport()).isEqualTo(65536);
        senderReport.reportBlock(1, block);
        assertThat(block.ssrc()).isEqualTo(0x22);
        assertThat(block.cumulativeLost()).isEqualTo(8_388_607);
    }

    @Test
    void roundTripsAReceiverReport() {
        int length = ReceiverReport.write(buffer, 0, 0x0BADCAFE, 1);
        ReportBlock.write(buffer, 8, 0x5C2A11F0, 64, 25, 65_636, 12, 0, 0);

        assertThat(length).isEqualTo(32);
        assertThat(receiverReport.wrap(buffer, 0, length)).isTrue();
        assertThat(receiverReport.ssrc()).isEqualTo(0x0BADCAFE);
        assertThat(receiverReport.reportCount()).isEqualTo(1);
        receiverReport.reportBlock(0, block);
        assertThat(block.ssrc()).isEqualTo(0x5C2A11F0);
        assertThat(block.fractionLost()).isEqualTo(64);
        assertThat(block.cumulativeLost()).isEqualTo(25);
        assertThat(block.extendedHighestSequence()).isEqualTo(65_636);
    }

    @Test
    void readsAnEmptyReceiverReportAsBrowsersSendWithoutIncomingMedia() {
        byte[] bytes = hex("80 c9 00 01  12 34 56 78");

        assertThat(receiverReport.wrap(new UnsafeBuffer(bytes), 0, bytes.length)).isTrue();
        assertThat(receiverReport.reportCount()).isZero();
        assertThat(receiverReport.ssrc()).isEqualTo(0x12345678);
    }

    @Test
    void clampsCumulativeLossToTwentyFourSignedBits() {
        ReportBlock.write(buffer, 0, 1, 0, Integer.MAX_VALUE, 0, 0, 0, 0);
        assertThat(block.wrap(buffer, 0).cumulativeLost()).isEqualTo(8_388_607);

        ReportBlock.write(buffer, 0, 1, 0, Integer.MIN_VALUE, 0, 0, 0, 0);
        assertThat(block.wrap(buffer, 0).cumulativeLost()).isEqualTo(-8_388_608);
    }

    @Test
    void keepsProfileSpecificExtensionsAfterTheBlocks() {
        byte[] bytes = hex("80 c9 00 03  12 34 56 78  aa bb cc dd  ee ff 00 11");

        assertThat(receiverReport.wrap(new UnsafeBuffer(bytes), 0, bytes.length)).isTrue();
        assertThat(receiverReport.reportCount()).isZero();
    }

    @Test
    void rejectsReportBlocksRunningPastTheEnd() {
        SenderReport.write(buffer, 0, 1, 0, 0, 0, 0, 1);
        buffer.putShort(2, (short) 6, java.nio.ByteOrder.BIG_ENDIAN);
        assertThat(senderReport.wrap(buffer, 0, 28)).isFalse();

        byte[] rr = hex("81 c9 00 01  12 34 56 78");
        assertThat(receiverReport.wrap(new UnsafeBuffer(rr), 0, rr.length)).isFalse();
    }

    @Test
    void rejectsTheWrongPacketType() {
        int length = ReceiverReport.write(buffer, 0, 1, 0);

        assertThat(senderReport.wrap(buffer, 0, length)).isFalse();
        assertThat(receiverReport.wrap(buffer, 0, length)).isTrue();
    }

    @Test
    void rejectsASenderReportShorterThanItsSenderInfo() {
        byte[] bytes = hex("80 c8 00 01  12 34 56 78");

        assertThat(senderReport.wrap(new UnsafeBuffer(bytes), 0, bytes.length)).isFalse();
    }

    @Test
    void refusesMoreThan31ReportBlocks() {
        assertThatThrownBy(() -> ReceiverReport.write(buffer, 0, 1, 32)).isInstanceOf(IllegalArgumentException.class);
    }
}
