package io.sfu.core.forward;

import io.sfu.core.feedback.RtcpFeedbackHandler;
import io.sfu.core.rtcp.GenericNack;
import io.sfu.core.rtcp.ReportBlock;
import org.agrona.concurrent.EpochNanoClock;

/**
 * Ends RTCP on one leg, since the SFU is the media endpoint of each peer connection: a publisher's sender reports
 * feed the statistics of its streams; a subscriber's report blocks give its loss and the round-trip time, its
 * NACKs are answered by the consumer they name, and its keyframe requests go (throttled) to the publisher.
 */
final class RtcpTerminator implements RtcpFeedbackHandler {
    private final Leg leg;
    private final EpochNanoClock wallClock;

    RtcpTerminator(Leg leg, EpochNanoClock wallClock) {
        this.leg = leg;
        this.wallClock = wallClock;
    }

    @Override
    public void onSenderReport(int ssrc, long ntpTimestamp, long nowNs) {
        ProducerStream stream = leg.streamBySsrc(ssrc);
        if (stream != null && stream.ssrc() == ssrc) {
            stream.statistics.onSenderReport(ntpTimestamp, nowNs);
        }
    }

    @Override
    public void onReportBlock(ReportBlock block, long nowNs) {
        Consumer consumer = leg.consumerBySsrc(block.ssrc());
        if (consumer != null) {
            consumer.onReportBlock(block);
            leg.rtt.onReportBlock(block, wallClock.nanoTime());
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
    public void onKeyframeRequest(int mediaSsrc, boolean fullIntraRequest, long nowNs) {
        Consumer consumer = leg.consumerOf(mediaSsrc);
        if (consumer != null) {
            consumer.onKeyframeRequest(nowNs);
        }
    }
}
