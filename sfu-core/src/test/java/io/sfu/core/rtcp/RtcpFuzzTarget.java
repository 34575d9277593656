package io.sfu.core.rtcp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sfu.core.feedback.RtcpFeedbackHandler;
import io.sfu.core.feedback.RtcpFeedbackReader;
import io.sfu.core.testing.HexFixtures;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.stream.Stream;

/**
 * Coverage-guided fuzzing (Jazzer) of RTCP as the SFU reads it from every decrypted SRTCP packet: the compound
 * iterator (RFC 3550 §6.1) answers without throwing and its packets tile the compound exactly; every reader (SR,
 * RR and report blocks, SDES, Generic NACK, PLI, FIR, transport-wide feedback) refuses what is not its type or does
 * not fit, and reads only inside the packet it was given (each packet is read again alone, in a buffer that ends
 * where it ends); and the feedback reader hands on exactly the reports and requests the readers find. Seeds: the
 * captured and draft examples of src/test/resources/rtcp and one packet of each type the SFU writes.
 */
class RtcpFuzzTarget {
    private final RtcpCompoundIterator compound = new RtcpCompoundIterator();
    private final SenderReport senderReport = new SenderReport();
    private final ReceiverReport receiverReport = new ReceiverReport();
    private final ReportBlock block = new ReportBlock();
    private final SourceDescription sdes = new SourceDescription();
    private final GenericNack nack = new GenericNack();
    private final PictureLossIndication pli = new PictureLossIndication();
    private final FullIntraRequest fir = new FullIntraRequest();
    private final TransportCcFeedback transportCc = new TransportCcFeedback();
    private final RtcpFeedbackReader feedbackReader = new RtcpFeedbackReader();
    private final Counts expected = new Counts();
    private final Counts handed = new Counts();

    /** How many of each thing the readers found, and the feedback reader handed on. */
    private static final class Counts implements RtcpFeedbackHandler {
        int senderReports;
        int reportBlocks;
        int nacks;
        int keyframeRequests;

        void clear() {
            senderReports = 0;
            reportBlocks = 0;
            nacks = 0;
            keyframeRequests = 0;
        }

        boolean sameAs(Counts other) {
            return senderReports == other.senderReports && reportBlocks == other.reportBlocks
                && nacks == other.nacks && keyframeRequests == other.keyframeRequests;
        }

        @Override
        public void onSenderReport(int ssrc, long ntpTimestamp, long rtpTimestamp, long nowNs) {
            senderReports++;
        }

        @Override
        public void onReportBlock(ReportBlock reportBlock, long nowNs) {
            reportBlocks++;
            reportBlock.cumulativeLost();
        }

        @Override
        public void onNack(GenericNack genericNack, long nowNs) {
            nacks++;
        }

        @Override
        public void onKeyframeRequest(int mediaSsrc, boolean fullIntraRequest, long nowNs) {
            keyframeRequests++;
        }

        @Override
        public String toString() {
            return senderReports + " SR, " + reportBlocks + " blocks, " + nacks + " NACK, " + keyframeRequests
                + " keyframe requests";
        }
    }

    static Stream<byte[]> compounds() {
        Stream<byte[]> fixtures = Stream.of("browser-sr-sdes-compound.hex", "twcc-draft-chunk-examples.hex",
            "twcc-draft-one-bit-example.hex").map(name -> HexFixtures.resource("/rtcp/" + name));
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        int length = ReceiverReport.write(buffer, 0, 0x1111, 1);
        ReportBlock.write(buffer, length - ReportBlock.LENGTH, 0x2222, 12, 3, 70_000, 40, 0x12345678, 655);
        length += GenericNack.write(buffer, length, 0x1111, 0x2222, new int[] {100, 102, 117, 300}, 4);
        length += PictureLossIndication.write(buffer, length, 0x1111, 0x2222);
        length += FullIntraRequest.write(buffer, length, 0x1111, 0x2222, 9);
        byte[] written = Arrays.copyOf(buffer.byteArray(), length);
        return Stream.concat(fixtures, Stream.of(written));
    }

    @MethodSource("compounds")
    @FuzzTest
    void anyCompoundIsWalkedOrRefusedAndEveryReaderStaysInsideItsPacket(byte[] data) {
        UnsafeBuffer buffer = new UnsafeBuffer(data);
        boolean valid = compound.wrap(buffer, 0, data.length);
        handed.clear();
        check(valid == feedbackReader.read(buffer, 0, data.length, 0, handed), "the readers disagree on the compound");
        if (!valid) {
            check(!compound.next() && handed.sameAs(new Counts()), "a refused compound was read");
            return;
        }
        expected.clear();
        int position = 0;
        int packets = 0;
        while (compound.next()) {
            check(compound.packetOffset() == position && compound.packetLength() >= RtcpHeader.HEADER_LENGTH
                && compound.paddingLength() < compound.packetLength(), "the packets do not tile the compound");
            position += compound.packetLength();
            check(++packets <= data.length / RtcpHeader.HEADER_LENGTH, "the walk does not end");
            byte[] alone = Arrays.copyOfRange(data, compound.packetOffset(), position);
            readPacket(buffer, compound.packetOffset(), compound.packetLength(), false);
            readPacket(new UnsafeBuffer(alone), 0, alone.length, true);
        }
        check(position == data.length, "the packets do not cover the compound");
        check(handed.sameAs(expected), "the feedback reader handed on " + handed + " where the readers found "
            + expected);
    }

    /** Every reader on one packet; {@code count} adds what the feedback reader should hand on to the expectations. */
    private void readPacket(DirectBuffer buffer, int offset, int length, boolean count) {
        int type = buffer.getByte(offset + RtcpHeader.TYPE_OFFSET) & 0xFF;
        int format = RtcpHeader.count(buffer, offset);
        if (senderReport.wrap(buffer, offset, length)) {
            check(type == RtcpHeader.SENDER_REPORT, "a sender report of another type");
            senderReport.ntpTimestamp();
            senderReport.compactNtpTimestamp();
            senderReport.rtpTimestamp();
            senderReport.packetCount();
            senderReport.octetCount();
            readBlocks(senderReport);
            if (count) {
                expected.senderReports++;
                expected.reportBlocks += senderReport.reportCount();
            }
        }
        if (receiverReport.wrap(buffer, offset, length)) {
            check(type == RtcpHeader.RECEIVER_REPORT, "a receiver report of another type");
            readBlocks(receiverReport);
            if (count) {
                expected.reportBlocks += receiverReport.reportCount();
            }
        }
        if (sdes.wrap(buffer, offset, length)) {
            check(type == RtcpHeader.SOURCE_DESCRIPTION, "a source description of another type");
            int chunks = 0;
            while (sdes.nextChunk()) {
                chunks++;
                sdes.chunkSsrc();
                while (sdes.nextItem()) {
                    check(sdes.itemOffset() + sdes.itemLength() <= offset + length, "an SDES item runs past");
                    sdes.itemType();
                }
            }
            check(chunks == sdes.chunkCount(), "SDES walked " + chunks + " of " + sdes.chunkCount() + " chunks");
        }
        if (nack.wrap(buffer, offset, length)) {
            check(type == RtcpHeader.TRANSPORT_FEEDBACK && format == GenericNack.FORMAT, "a NACK of another type");
            nack.senderSsrc();
            nack.mediaSsrc();
            int bits = 0;
            for (int i = 0; i < nack.entryCount(); i++) {
                bits += Integer.bitCount(nack.lostBitmask(i));
            }
            int lost = nack.forEachLost(sequence -> check(sequence >= 0 && sequence <= 0xFFFF, "a lost number"));
            check(lost == nack.entryCount() + bits, "the NACK named " + lost + " lost packets");
            if (count) {
                expected.nacks++;
            }
        }
        if (pli.wrap(buffer, offset, length)) {
            check(type == RtcpHeader.PAYLOAD_FEEDBACK && format == PictureLossIndication.FORMAT,
                "a PLI of another type");
            pli.senderSsrc();
            pli.mediaSsrc();
            if (count) {
                expected.keyframeRequests++;
            }
        }
        if (fir.wrap(buffer, offset, length)) {
            check(type == RtcpHeader.PAYLOAD_FEEDBACK && format == FullIntraRequest.FORMAT, "a FIR of another type");
            for (int i = 0; i < fir.entryCount(); i++) {
                fir.entrySsrc(i);
                fir.entrySequenceNumber(i);
            }
            if (count) {
                expected.keyframeRequests += fir.entryCount();
            }
        }
        if (transportCc.wrap(buffer, offset, length)) {
            check(type == RtcpHeader.TRANSPORT_FEEDBACK && format == TransportCcFeedback.FORMAT,
                "transport-wide feedback of another type");
            transportCc.referenceTimeUs();
            transportCc.feedbackPacketCount();
            int[] received = new int[1];
            int reported = transportCc.forEachPacket((sequence, status, deltaUs) -> {
                check(sequence >= 0 && sequence <= 0xFFFF && status >= 0 && status <= 3, "a bad packet report");
                if (status != TransportCcFeedback.STATUS_NOT_RECEIVED) {
                    received[0]++;
                }
            });
            check(reported == transportCc.packetStatusCount() && received[0] == transportCc.receivedCount(),
                "the feedback reports other packets than it counted");
        }
    }

    private void readBlocks(ReceptionReportPacket packet) {
        packet.ssrc();
        for (int i = 0; i < packet.reportCount(); i++) {
            ReportBlock b = packet.reportBlock(i, block);
            b.ssrc();
            b.fractionLost();
            b.cumulativeLost();
            b.extendedHighestSequence();
            b.jitter();
            b.lastSenderReport();
            b.delaySinceLastSenderReport();
        }
    }

    private static void check(boolean holds, String what) {
        if (!holds) {
            throw new AssertionError(what);
        }
    }
}
