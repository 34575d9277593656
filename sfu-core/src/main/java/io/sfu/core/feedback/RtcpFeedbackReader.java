package io.sfu.core.feedback;

import io.sfu.core.rtcp.FullIntraRequest;
import io.sfu.core.rtcp.GenericNack;
import io.sfu.core.rtcp.PictureLossIndication;
import io.sfu.core.rtcp.ReceiverReport;
import io.sfu.core.rtcp.ReportBlock;
import io.sfu.core.rtcp.RtcpCompoundIterator;
import io.sfu.core.rtcp.RtcpHeader;
import io.sfu.core.rtcp.Remb;
import io.sfu.core.rtcp.SenderReport;
import io.sfu.core.rtcp.TransportCcFeedback;
import org.agrona.DirectBuffer;

/**
 * Walks a decrypted RTCP compound packet (RFC 3550 §6.1) and hands each sender report, report block, Generic NACK,
 * PLI and FIR entry to a {@link RtcpFeedbackHandler}; SDES, BYE, APP, XR and transport-wide feedback are skipped
 * (nothing an endpoint of this project acts on). One reader per thread: its flyweights are reused, nothing is
 * allocated.
 */
public final class RtcpFeedbackReader {
    private final RtcpCompoundIterator compound = new RtcpCompoundIterator();
    private final SenderReport senderReport = new SenderReport();
    private final ReceiverReport receiverReport = new ReceiverReport();
    private final ReportBlock reportBlock = new ReportBlock();
    private final Remb remb = new Remb();
    private final TransportCcFeedback transportCc = new TransportCcFeedback();
    private final GenericNack nack = new GenericNack();
    private final PictureLossIndication pli = new PictureLossIndication();
    private final FullIntraRequest fir = new FullIntraRequest();

    /**
     * Reads the compound packet at {@code buffer[offset, offset + length)}.
     *
     * @return false when it is not a valid compound packet (nothing was handed on)
     */
    public boolean read(DirectBuffer buffer, int offset, int length, long nowNs, RtcpFeedbackHandler handler) {
        if (!compound.wrap(buffer, offset, length)) {
            return false;
        }
        while (compound.next()) {
            int at = compound.packetOffset();
            int n = compound.packetLength();
            switch (compound.packetType()) {
                case RtcpHeader.SENDER_REPORT -> {
                    if (senderReport.wrap(buffer, at, n)) {
                        handler.onSenderReport(senderReport.ssrc(), senderReport.ntpTimestamp(),
                            senderReport.rtpTimestamp(), nowNs);
                        for (int i = 0; i < senderReport.reportCount(); i++) {
                            handler.onReportBlock(senderReport.reportBlock(i, reportBlock), nowNs);
                        }
                    }
                }
                case RtcpHeader.RECEIVER_REPORT -> {
                    if (receiverReport.wrap(buffer, at, n)) {
                        for (int i = 0; i < receiverReport.reportCount(); i++) {
                            handler.onReportBlock(receiverReport.reportBlock(i, reportBlock), nowNs);
                        }
                    }
                }
                case RtcpHeader.TRANSPORT_FEEDBACK -> {
                    if (compound.count() == GenericNack.FORMAT && nack.wrap(buffer, at, n)) {
                        handler.onNack(nack, nowNs);
                    } else if (compound.count() == TransportCcFeedback.FORMAT && transportCc.wrap(buffer, at, n)) {
                        handler.onTransportCcFeedback(transportCc, nowNs);
                    }
                }
                case RtcpHeader.PAYLOAD_FEEDBACK -> {
                    int format = compound.count();
                    if (format == PictureLossIndication.FORMAT && pli.wrap(buffer, at, n)) {
                        handler.onKeyframeRequest(pli.mediaSsrc(), false, nowNs);
                    } else if (format == FullIntraRequest.FORMAT && fir.wrap(buffer, at, n)) {
                        for (int i = 0; i < fir.entryCount(); i++) {
                            handler.onKeyframeRequest(fir.entrySsrc(i), true, nowNs);
                        }
                    } else if (format == Remb.FORMAT && remb.wrap(buffer, at, n)) {
                        handler.onReceiverEstimate(remb.bitrateBps(), nowNs);
                    }
                }
                default -> {
                    // nothing to act on
                }
            }
        }
        return true;
    }
}
