package io.sfu.core.forward;

import io.sfu.core.feedback.RtcpFeedbackHandler;
import io.sfu.core.rtcp.GenericNack;
import io.sfu.core.rtcp.ReportBlock;
import io.sfu.core.rtcp.TransportCcFeedback;

/**
 * Ends RTCP on one leg, since the SFU is the media endpoint of each peer connection: a publisher's sender reports
 * feed the statistics of its streams and give its clock; a subscriber's report blocks give its loss and the
 * round-trip time, its NACKs are answered by the consumer they name, its keyframe requests go (throttled) to the
 * publisher, and its transport-wide feedback feeds the estimate of its downlink.
 */
final class RtcpTerminator implements RtcpFeedbackHandler {
    private final Leg leg;

    RtcpTerminator(Leg leg) {
        this.leg = leg;
    }

    @Override
    public void onSenderReport(int ssrc, long ntpTimestamp, long rtpTimestamp, long nowNs) {
        ProducerStream stream = leg.streamBySsrc(ssrc);
        if (stream != null && stream.ssrc() == ssrc) {
            stream.onSenderReport(ntpTimestamp, rtpTimestamp, nowNs);
        }
    }

    @Override
    public void onReportBlock(ReportBlock block, long nowNs) {
        Consumer consumer = leg.consumerBySsrc(block.ssrc());
        if (consumer != null) {
            consumer.onReportBlock(block);
            // our reports may carry a publisher's NTP time: the round trip is measured from when we sent them
            long sentNs = consumer.senderReportSentNs((int) block.lastSenderReport());
            if (block.lastSenderReport() != 0 && sentNs >= 0) {
                leg.rtt.onEchoedSenderReport(sentNs, block.delaySinceLastSenderReport(), nowNs);
            }
        }
    }

    @Override
    public void onNack(GenericNack nack, long nowNs) {
        Consumer consumer = leg.consumerBySsrc(nack.mediaSsrc());
        if (consumer != null) {
            consumer.onNack(nack, nowNs);
        }
    }

    @Override
    public void onTransportCcFeedback(TransportCcFeedback feedback, long nowNs) {
        leg.bandwidth.onFeedback(feedback, nowNs);
    }

    @Override
    public void onReceiverEstimate(long bitrateBps, long nowNs) {
        leg.bandwidth.onReceiverEstimate(bitrateBps);
    }

    @Override
    public void onKeyframeRequest(int mediaSsrc, boolean fullIntraRequest, long nowNs) {
        Consumer consumer = leg.consumerOf(mediaSsrc);
        if (consumer != null) {
            consumer.onKeyframeRequest(nowNs);
        }
    }
}
