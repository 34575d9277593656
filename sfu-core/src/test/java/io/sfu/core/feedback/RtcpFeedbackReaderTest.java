package io.sfu.core.feedback;

import io.sfu.core.rtcp.FullIntraRequest;
import io.sfu.core.rtcp.GenericNack;
import io.sfu.core.rtcp.PictureLossIndication;
import io.sfu.core.rtcp.ReceiverReport;
import io.sfu.core.rtcp.ReportBlock;
import io.sfu.core.rtcp.SenderReport;
import io.sfu.core.rtcp.SourceDescription;
import io.sfu.core.testing.Allocations;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A compound packet (RFC 3550 §6.1) is walked once and each report and request it carries is handed on. */
class RtcpFeedbackReaderTest {
    private final RtcpFeedbackReader reader = new RtcpFeedbackReader();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1500]);

    /** Writes down every call, as text. */
    private static final class Recorder implements RtcpFeedbackHandler {
        final List<String> calls = new ArrayList<>();

        @Override
        public void onSenderReport(int ssrc, long ntpTimestamp, long rtpTimestamp, long nowNs) {
            calls.add("SR " + ssrc + " " + Long.toHexString(ntpTimestamp) + " at " + nowNs);
        }

        @Override
        public void onReportBlock(ReportBlock block, long nowNs) {
            calls.add("block " + block.ssrc() + " lost " + block.cumulativeLost());
        }

        @Override
        public void onNack(GenericNack nack, long nowNs) {
            List<Integer> lost = new ArrayList<>();
            nack.forEachLost(lost::add);
            calls.add("NACK " + nack.mediaSsrc() + " " + lost);
        }

        @Override
        public void onKeyframeRequest(int mediaSsrc, boolean fullIntraRequest, long nowNs) {
            calls.add((fullIntraRequest ? "FIR " : "PLI ") + mediaSsrc);
        }

        @Override
        public void onTransportCcFeedback(io.sfu.core.rtcp.TransportCcFeedback feedback, long nowNs) {
            calls.add("TWCC from " + feedback.baseSequenceNumber() + " x" + feedback.packetStatusCount());
        }

        @Override
        public void onReceiverEstimate(long bitrateBps, long nowNs) {
            calls.add("REMB " + bitrateBps);
        }
    }

    private int writeCompound() {
        int at = SenderReport.write(buffer, 0, 5, 0x1234_5678_9ABC_DEF0L, 90_000, 10, 1000, 1);
        ReportBlock.write(buffer, SenderReport.length(0), 9, 0, 3, 100, 0, 0, 0);
        at += ReceiverReport.write(buffer, at, 5, 1);
        ReportBlock.write(buffer, at - ReportBlock.LENGTH, 10, 0, 4, 100, 0, 0, 0);
        at += SourceDescription.write(buffer, at, 5, SourceDescription.CNAME,
            "cname".getBytes(StandardCharsets.US_ASCII));
        at += GenericNack.write(buffer, at, 5, 11, new int[] {100, 101}, 2);
        at += PictureLossIndication.write(buffer, at, 5, 12);
        at += FullIntraRequest.write(buffer, at, 5, 13, 7);
        return at;
    }

    @Test
    void everyReportAndRequestOfACompoundIsHandedOnInOrder() {
        Recorder recorder = new Recorder();
        int length = writeCompound();

        assertThat(reader.read(buffer, 0, length, 42, recorder)).isTrue();

        assertThat(recorder.calls).containsExactly("SR 5 123456789abcdef0 at 42", "block 9 lost 3",
            "block 10 lost 4", "NACK 11 [100, 101]", "PLI 12", "FIR 13");
    }

    @Test
    void transportWideFeedbackAndRembAreHandedOn() {
        Recorder recorder = new Recorder();
        io.sfu.core.rtcp.TransportCcFeedbackBuilder builder = new io.sfu.core.rtcp.TransportCcFeedbackBuilder(16, 200);
        builder.addPacket(7, 1_000);
        builder.addPacket(9, 3_000);
        int at = builder.build(buffer, 0, 200, 5, 6, 0);
        at += io.sfu.core.rtcp.Remb.write(buffer, at, 5, 1_000_000, new int[] {6}, 1);

        assertThat(reader.read(buffer, 0, at, 0, recorder)).isTrue();
        assertThat(recorder.calls).containsExactly("TWCC from 7 x3", "REMB 1000000");
    }

    @Test
    void aReducedSizePacketOfOneRequestIsRead() {
        Recorder recorder = new Recorder();
        int length = PictureLossIndication.write(buffer, 0, 5, 12);

        assertThat(reader.read(buffer, 0, length, 0, recorder)).isTrue();
        assertThat(recorder.calls).containsExactly("PLI 12");
    }

    @Test
    void somethingThatIsNotRtcpIsRefusedAndNothingIsHandedOn() {
        Recorder recorder = new Recorder();
        buffer.setMemory(0, 40, (byte) 0x11);

        assertThat(reader.read(buffer, 0, 40, 0, recorder)).isFalse();
        assertThat(recorder.calls).isEmpty();
    }

    @Test
    void readingAllocatesNothing() {
        int length = writeCompound();
        RtcpFeedbackHandler ignore = new RtcpFeedbackHandler() {
            @Override
            public void onSenderReport(int ssrc, long ntpTimestamp, long rtpTimestamp, long nowNs) {
            }

            @Override
            public void onReportBlock(ReportBlock block, long nowNs) {
            }

            @Override
            public void onNack(GenericNack nack, long nowNs) {
            }

            @Override
            public void onKeyframeRequest(int mediaSsrc, boolean fullIntraRequest, long nowNs) {
            }
        };

        assertThat(Allocations.bytesPerRun(() -> reader.read(buffer, 0, length, 0, ignore))).isLessThan(1.0);
    }
}
