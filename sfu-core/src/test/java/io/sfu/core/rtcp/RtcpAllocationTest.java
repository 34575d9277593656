package io.sfu.core.rtcp;

import io.sfu.core.testing.Allocations;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.function.IntConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading feedback on the forwarding path, and writing transport-wide feedback, allocate nothing. */
class RtcpAllocationTest {
    private final long[] sink = new long[1];

    @Test
    void iteratingACompoundAndReadingEveryPacketAllocatesNothing() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[1500]);
        int length = SenderReport.write(buffer, 0, 1, 2L, 3, 4, 5, 1);
        ReportBlock.write(buffer, SenderReport.length(0), 6, 7, 8, 9, 10, 11, 12);
        length += SourceDescription.write(buffer, length, 1, SourceDescription.CNAME, new byte[16]);
        length += GenericNack.write(buffer, length, 1, 2, new int[] {100, 101, 105, 130}, 4);
        length += PictureLossIndication.write(buffer, length, 1, 2);
        int compoundLength = length;
        TransportCcFeedbackBuilder builder = new TransportCcFeedbackBuilder(64, 1200);
        for (int seq = 0; seq < 50; seq++) {
            if (seq % 7 != 3) {
                builder.addPacket(seq, 1000L * seq);
            }
        }
        int transportCcOffset = 1000;
        int transportCcLength = builder.build(buffer, transportCcOffset, 500, 1, 2, 0);

        RtcpCompoundIterator iterator = new RtcpCompoundIterator();
        SenderReport senderReport = new SenderReport();
        ReportBlock block = new ReportBlock();
        SourceDescription description = new SourceDescription();
        GenericNack nack = new GenericNack();
        PictureLossIndication pli = new PictureLossIndication();
        TransportCcFeedback transportCc = new TransportCcFeedback();
        IntConsumer onLost = seq -> sink[0] += seq;
        TransportCcPacketHandler onPacket = (seq, status, deltaUs) -> sink[0] += seq + status + deltaUs;

        Runnable readAll = () -> {
            if (!iterator.wrap(buffer, 0, compoundLength)) {
                throw new AssertionError("compound must wrap");
            }
            while (iterator.next()) {
                int offset = iterator.packetOffset();
                int packetLength = iterator.packetLength();
                switch (iterator.packetType()) {
                    case RtcpHeader.SENDER_REPORT:
                        senderReport.wrap(buffer, offset, packetLength);
                        sink[0] += senderReport.ntpTimestamp() + senderReport.packetCount();
                        sink[0] += senderReport.reportBlock(0, block).cumulativeLost();
                        break;
                    case RtcpHeader.SOURCE_DESCRIPTION:
                        description.wrap(buffer, offset, packetLength);
                        while (description.nextChunk()) {
                            while (description.nextItem()) {
                                sink[0] += description.itemLength();
                            }
                        }
                        break;
                    case RtcpHeader.TRANSPORT_FEEDBACK:
                        if (nack.wrap(buffer, offset, packetLength)) {
                            sink[0] += nack.forEachLost(onLost);
                        }
                        break;
                    case RtcpHeader.PAYLOAD_FEEDBACK:
                        if (pli.wrap(buffer, offset, packetLength)) {
                            sink[0] += pli.mediaSsrc();
                        }
                        break;
                    default:
                        break;
                }
            }
            if (transportCc.wrap(buffer, transportCcOffset, transportCcLength)) {
                sink[0] += transportCc.forEachPacket(onPacket);
            }
        };

        assertThat(Allocations.bytesPerRun(readAll)).isLessThan(0.01);
        assertThat(sink[0]).isNotZero();
    }

    @Test
    void recordingAndBuildingTransportWideFeedbackAllocatesNothing() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[1500]);
        TransportCcFeedbackBuilder builder = new TransportCcFeedbackBuilder(128, 1200);
        int[] sequence = new int[1];
        long[] timeUs = new long[1];

        Runnable recordAndBuild = () -> {
            for (int i = 0; i < 40; i++) {
                int seq = sequence[0]++;
                timeUs[0] += 900 + (seq % 5) * 300;
                if (seq % 11 != 0) {
                    builder.addPacket(seq, timeUs[0]);
                }
            }
            sink[0] += builder.build(buffer, 0, 1200, 1, 2, sequence[0]);
        };

        assertThat(Allocations.bytesPerRun(recordAndBuild)).isLessThan(0.01);
        assertThat(builder.pendingPackets()).isZero();
    }
}
