package io.sfu.core.forward;

import io.sfu.core.rtcp.GenericNack;
import io.sfu.core.rtcp.ReceiverReport;
import io.sfu.core.rtcp.ReportBlock;
import io.sfu.core.rtcp.TransportCcFeedbackBuilder;

import java.util.concurrent.TimeUnit;

/**
 * The RTCP one leg sends on its own schedule: toward a publisher, NACKs for missing packets and transport-wide
 * feedback at each tick and receiver reports every second; toward a subscriber, a sender report per forwarded
 * stream every second.
 */
final class FeedbackScheduler {
    static final long TRANSPORT_CC_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    static final int TRANSPORT_CC_PACKET_THRESHOLD = 100;
    private static final int MAX_TRANSPORT_CC_PACKETS_PER_TICK = 8;
    private static final int MAX_REPORT_BLOCKS = 31;

    private final Leg leg;
    private final Egress egress;
    private int transportCcFeedbackCount;
    private long lastTransportCcNs;

    FeedbackScheduler(Leg leg, Egress egress) {
        this.leg = leg;
        this.egress = egress;
    }

    /** NACKs and transport-wide feedback due at {@code nowNs}; returns the packets sent. */
    int onTick(long nowNs) {
        return sendNacks(nowNs) + sendTransportCc(nowNs);
    }

    private int sendNacks(long nowNs) {
        int sent = 0;
        long rttNs = leg.rtt.smoothedRttNs();
        for (int p = 0, n = leg.producers.size(); p < n; p++) {
            for (ProducerStream stream : leg.producers.get(p).streams) {
                int words = stream.collectNacks(nowNs, rttNs, egress.nackWords);
                if (words > 0) {
                    egress.sendRtcp(leg, GenericNack.writeEntries(egress.scratch, 0, leg.rtcpSsrc, stream.ssrc(),
                        egress.nackWords, words));
                    sent++;
                }
            }
        }
        return sent;
    }

    private int sendTransportCc(long nowNs) {
        TransportCcFeedbackBuilder builder = leg.transportCc;
        if (builder == null || builder.pendingPackets() == 0) {
            return 0;
        }
        if (nowNs - lastTransportCcNs < TRANSPORT_CC_INTERVAL_NS
            && builder.pendingPackets() < TRANSPORT_CC_PACKET_THRESHOLD) {
            return 0;
        }
        lastTransportCcNs = nowNs;
        int mediaSsrc = leg.producers.isEmpty() ? 0 : leg.producers.get(0).streams[0].ssrc();
        int sent = 0;
        while (builder.pendingPackets() > 0 && sent < MAX_TRANSPORT_CC_PACKETS_PER_TICK) {
            int length = builder.build(egress.scratch, 0, 1200, leg.rtcpSsrc, mediaSsrc, transportCcFeedbackCount);
            if (length <= 0) {
                break;
            }
            transportCcFeedbackCount = (transportCcFeedbackCount + 1) & 0xFF;
            egress.sendRtcp(leg, length);
            sent++;
        }
        return sent;
    }

    /** A receiver report toward the publisher and a sender report per forwarded stream, at {@code ntpTimestamp}. */
    void sendReports(long nowNs, long ntpTimestamp) {
        int blocks = 0;
        int offset = ReceiverReport.length(0);
        for (int p = 0, n = leg.producers.size(); p < n && blocks < MAX_REPORT_BLOCKS; p++) {
            for (ProducerStream stream : leg.producers.get(p).streams) {
                if (stream.ssrc() != 0 && stream.statistics.hasReceived() && blocks < MAX_REPORT_BLOCKS) {
                    stream.statistics.writeReportBlock(egress.scratch, offset + blocks * ReportBlock.LENGTH,
                        stream.ssrc(), nowNs);
                    blocks++;
                }
            }
        }
        if (blocks > 0) {
            egress.sendRtcp(leg, ReceiverReport.write(egress.scratch, 0, leg.rtcpSsrc, blocks));
        }
        for (int c = 0, n = leg.consumers.size(); c < n; c++) {
            int length = leg.consumers.get(c).writeSenderReport(ntpTimestamp, nowNs);
            if (length > 0) {
                egress.sendRtcp(leg, length);
            }
        }
    }
}
