package io.sfu.bench.rtcp;

import io.sfu.bench.NanosecondBenchmark;
import io.sfu.core.rtcp.GenericNack;
import io.sfu.core.rtcp.PictureLossIndication;
import io.sfu.core.rtcp.ReportBlock;
import io.sfu.core.rtcp.RtcpCompoundIterator;
import io.sfu.core.rtcp.RtcpHeader;
import io.sfu.core.rtcp.SenderReport;
import io.sfu.core.rtcp.SourceDescription;
import io.sfu.core.rtcp.TransportCcFeedback;
import io.sfu.core.rtcp.TransportCcFeedbackBuilder;
import io.sfu.core.rtcp.TransportCcPacketHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;

/**
 * Reading incoming RTCP on the forwarding path: a compound SR + SDES + NACK + PLI walked packet by packet with
 * every field read, and a transport-wide congestion control feedback parsed packet by packet; plus writing such
 * a feedback from recorded arrivals.
 */
public class RtcpCompoundBenchmark extends NanosecondBenchmark {
    private static final int TRANSPORT_CC_OFFSET = 512;
    private static final int TRANSPORT_CC_PACKETS = 100;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
    private final UnsafeBuffer output = new UnsafeBuffer(new byte[1500]);
    private final RtcpCompoundIterator iterator = new RtcpCompoundIterator();
    private final SenderReport senderReport = new SenderReport();
    private final ReportBlock reportBlock = new ReportBlock();
    private final SourceDescription description = new SourceDescription();
    private final GenericNack nack = new GenericNack();
    private final PictureLossIndication pli = new PictureLossIndication();
    private final TransportCcFeedback transportCc = new TransportCcFeedback();
    private final TransportCcFeedbackBuilder builder =
        new TransportCcFeedbackBuilder(2 * TRANSPORT_CC_PACKETS, 1200);
    private final IntConsumer onLost = this::onLost;
    private final TransportCcPacketHandler onPacket = this::onPacket;
    private int compoundLength;
    private int transportCcLength;
    private long sum;
    private int nextSequence;
    private long nextArrivalUs;

    @Setup
    public void setUp() {
        int length = SenderReport.write(buffer, 0, 0x5C2A11F0, 0xE98C3F2A_4BC6A7F0L, 0x000B1A80L, 500, 40_000, 1);
        ReportBlock.write(buffer, SenderReport.length(0), 0x0BADCAFE, 12, 40, 70_000, 33, 0x3F2A4BC6L, 1234);
        length += SourceDescription.write(buffer, length, 0x5C2A11F0, SourceDescription.CNAME,
            "k7X3qv9ZfT2mWb0E".getBytes(StandardCharsets.US_ASCII));
        length += GenericNack.write(buffer, length, 0x5C2A11F0, 0x0BADCAFE, new int[] {100, 103, 110, 140, 141}, 5);
        length += PictureLossIndication.write(buffer, length, 0x5C2A11F0, 0x0BADCAFE);
        compoundLength = length;

        for (int seq = 0; seq < TRANSPORT_CC_PACKETS; seq++) {
            if (seq % 9 != 4) {
                builder.addPacket(seq, 10_000_000L + 1_200L * seq + (seq % 4) * 700L);
            }
        }
        transportCcLength = builder.build(buffer, TRANSPORT_CC_OFFSET, 1200, 1, 2, 0);
        if (!iterator.wrap(buffer, 0, compoundLength)
            || !transportCc.wrap(buffer, TRANSPORT_CC_OFFSET, transportCcLength)) {
            throw new IllegalStateException("benchmark packets must parse");
        }
        nextSequence = TRANSPORT_CC_PACKETS;
        nextArrivalUs = 20_000_000L;
    }

    @Benchmark
    public long iterateCompoundReadingEveryField() {
        sum = 0;
        RtcpCompoundIterator packets = iterator;
        if (!packets.wrap(buffer, 0, compoundLength)) {
            return -1;
        }
        while (packets.next()) {
            int offset = packets.packetOffset();
            int length = packets.packetLength();
            switch (packets.packetType()) {
                case RtcpHeader.SENDER_REPORT:
                    readSenderReport(offset, length);
                    break;
                case RtcpHeader.SOURCE_DESCRIPTION:
                    readSourceDescription(offset, length);
                    break;
                case RtcpHeader.TRANSPORT_FEEDBACK:
                    if (nack.wrap(buffer, offset, length)) {
                        sum += nack.senderSsrc() + nack.mediaSsrc() + nack.forEachLost(onLost);
                    }
                    break;
                case RtcpHeader.PAYLOAD_FEEDBACK:
                    if (pli.wrap(buffer, offset, length)) {
                        sum += pli.senderSsrc() + pli.mediaSsrc();
                    }
                    break;
                default:
                    break;
            }
        }
        return sum;
    }

    @Benchmark
    public long parseTransportCcFeedback() {
        sum = 0;
        if (!transportCc.wrap(buffer, TRANSPORT_CC_OFFSET, transportCcLength)) {
            return -1;
        }
        sum += transportCc.baseSequenceNumber() + transportCc.referenceTimeUs() + transportCc.feedbackPacketCount();
        return sum + transportCc.forEachPacket(onPacket);
    }

    @Benchmark
    public int recordAndBuildTransportCcFeedback() {
        for (int i = 0; i < TRANSPORT_CC_PACKETS; i++) {
            int seq = nextSequence++;
            nextArrivalUs += 1_200 + (seq % 4) * 700;
            if (seq % 9 != 4) {
                builder.addPacket(seq, nextArrivalUs);
            }
        }
        return builder.build(output, 0, 1200, 1, 2, nextSequence);
    }

    private void readSenderReport(int offset, int length) {
        if (!senderReport.wrap(buffer, offset, length)) {
            return;
        }
        sum += senderReport.ssrc() + senderReport.ntpTimestamp() + senderReport.rtpTimestamp()
            + senderReport.packetCount() + senderReport.octetCount();
        for (int i = 0; i < senderReport.reportCount(); i++) {
            ReportBlock block = senderReport.reportBlock(i, reportBlock);
            sum += block.ssrc() + block.fractionLost() + block.cumulativeLost() + block.extendedHighestSequence()
                + block.jitter() + block.lastSenderReport() + block.delaySinceLastSenderReport();
        }
    }

    private void readSourceDescription(int offset, int length) {
        if (!description.wrap(buffer, offset, length)) {
            return;
        }
        while (description.nextChunk()) {
            sum += description.chunkSsrc();
            while (description.nextItem()) {
                sum += description.itemType() + description.itemOffset() + description.itemLength();
            }
        }
    }

    private void onLost(int sequenceNumber) {
        sum += sequenceNumber;
    }

    private void onPacket(int sequenceNumber, int status, int deltaUs) {
        sum += sequenceNumber + status + deltaUs;
    }
}
