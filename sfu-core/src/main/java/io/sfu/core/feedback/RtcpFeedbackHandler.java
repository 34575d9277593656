package io.sfu.core.feedback;

import io.sfu.core.rtcp.GenericNack;
import io.sfu.core.rtcp.ReportBlock;
import io.sfu.core.rtcp.TransportCcFeedback;

/**
 * What an endpoint does with the RTCP it terminates, one call per report or request that {@link RtcpFeedbackReader}
 * finds in a compound packet. The flyweights passed in are valid only during the call.
 */
public interface RtcpFeedbackHandler {
    /** A sender report (RFC 3550 §6.4.1) from the source {@code ssrc}; its report blocks follow as separate calls. */
    void onSenderReport(int ssrc, long ntpTimestamp, long rtpTimestamp, long nowNs);

    /** One report block of a sender or receiver report: what the remote side received of our stream. */
    void onReportBlock(ReportBlock block, long nowNs);

    /** A Generic NACK (RFC 4585 §6.2.1) for packets of our stream {@code nack.mediaSsrc()}. */
    void onNack(GenericNack nack, long nowNs);

    /**
     * A keyframe request for our stream {@code mediaSsrc}: a PLI (RFC 4585 §6.3.1) or one entry of a FIR
     * (RFC 5104 §4.3.1).
     */
    void onKeyframeRequest(int mediaSsrc, boolean fullIntraRequest, long nowNs);

    /**
     * A transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01) about what
     * we sent; an endpoint that does not estimate its sending rate ignores it.
     */
    default void onTransportCcFeedback(TransportCcFeedback feedback, long nowNs) {
    }

    /**
     * A receiver estimated maximum bitrate (draft-alvestrand-rmcat-remb): what the receiver thinks its downlink
     * takes, in bits per second; an endpoint that does not adapt its sending rate ignores it.
     */
    default void onReceiverEstimate(long bitrateBps, long nowNs) {
    }
}
