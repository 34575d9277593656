package io.sfu.client;

import java.nio.ByteBuffer;
import java.util.function.IntConsumer;

import io.sfu.core.feedback.NackGenerator;
import io.sfu.core.feedback.NtpTime;
import io.sfu.core.feedback.ReceiveStatistics;
import io.sfu.core.feedback.RtcpFeedbackHandler;
import io.sfu.core.feedback.RtcpFeedbackReader;
import io.sfu.core.feedback.RttEstimator;
import io.sfu.core.rtcp.GenericNack;
import io.sfu.core.rtcp.PictureLossIndication;
import io.sfu.core.rtcp.ReceiverReport;
import io.sfu.core.rtcp.ReportBlock;
import io.sfu.core.rtcp.RtcpHeader;
import io.sfu.core.rtcp.SenderReport;
import io.sfu.core.rtcp.SourceDescription;
import io.sfu.core.rtcp.TransportCcFeedbackBuilder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * RTCP of one connection, both ways (RFC 3550 §6, RFC 4585). It reads the remote side's compounds with the shared
 * {@link RtcpFeedbackReader}: sender reports for the reception statistics, report blocks about our streams for the
 * round-trip time, generic NACKs answered from the senders' histories, PLI and FIR passed to the senders. And it writes ours on schedule: sender and
 * receiver reports with the CNAME every {@code pc.reportIntervalNs}, generic NACKs every {@code pc.nackIntervalNs}
 * while a received stream misses packets, and keyframe requests when asked. Loop thread; nothing is allocated per
 * packet.
 */
final class ClientRtcp implements RtcpFeedbackHandler {
    /** RTCP compounds stay below this, well inside any path MTU once protected. */
    static final int MAX_COMPOUND_BYTES = 1200;
    /** How often transport-wide feedback goes out while packets arrive (libwebrtc's default). */
    static final long TRANSPORT_CC_INTERVAL_NS = 100_000_000L;
    private static final int RTCP_BUFFER_BYTES = 1500;
    private static final int MAX_REPORT_BLOCKS = 31;
    private static final int NACK_WORDS = 16;

    private final ClientPeerConnection pc;
    private final ClientIoLoop loop;
    private final ClientPeerConnectionConfig config;
    private final ClientStats stats;
    private final ClientSocket socket;
    private final ClientTransport transport;
    private final SendPath sendPath;
    private final ReceiveStreams streams;
    private final int localSsrc;
    private final byte[] cnameBytes;
    private final RttEstimator rtt = new RttEstimator();
    private boolean reducedSize;
    private long nextReportNs;
    private long nextNackNs;
    private boolean nackPending;
    /** Arrivals of what the SFU numbered transport-wide, reported every {@link #TRANSPORT_CC_INTERVAL_NS}. */
    private final TransportCcFeedbackBuilder transportCc = new TransportCcFeedbackBuilder(2048, 1200);
    private long nextTransportCcNs;
    private int transportCcCount;

    private final UnsafeBuffer rtcpBuffer;
    private final ByteBuffer rtcpByteBuffer;
    private final RtcpFeedbackReader reader = new RtcpFeedbackReader();
    private final int[] nackWords = new int[NACK_WORDS];
    private final int[] nackSequences = new int[NACK_WORDS * 17];
    private RtpSender nackTarget;
    private long nackNowNs;
    private final IntConsumer onNackedSequence = sequence -> nackTarget.retransmit(sequence, nackNowNs);

    ClientRtcp(ClientPeerConnection pc, ClientSocket socket, ClientTransport transport, SendPath sendPath,
        ReceiveStreams streams, int localSsrc, byte[] cnameBytes) {
        this.pc = pc;
        this.loop = pc.loop();
        this.config = pc.config();
        this.stats = pc.stats();
        this.socket = socket;
        this.transport = transport;
        this.sendPath = sendPath;
        this.streams = streams;
        this.localSsrc = localSsrc;
        this.cnameBytes = cnameBytes;
        byte[] rtcp = new byte[RTCP_BUFFER_BYTES];
        this.rtcpBuffer = new UnsafeBuffer(rtcp);
        this.rtcpByteBuffer = ByteBuffer.wrap(rtcp);
    }

    /** Whether the remote side takes reduced-size RTCP (RFC 5506): feedback then goes without a report first. */
    void reducedSize(boolean reducedSize) {
        this.reducedSize = reducedSize;
    }

    // ================================================================ schedule

    /** SRTP is ready: the first reports go out one interval from now. */
    void onConnected(long nowNs) {
        nextReportNs = nowNs + config.reportIntervalNs();
    }

    /** A received stream misses packets: NACKs go out at once, then every interval while any are missing. */
    void onPacketsMissing(long nowNs) {
        if (!nackPending) {
            nackPending = true;
            nextNackNs = nowNs;
        }
    }

    /** A received packet carried transport-wide sequence number {@code sequence}; its feedback goes out soon. */
    void onTransportSequence(int sequence, long nowNs) {
        if (transportCc.pendingPackets() == 0 && nowNs - nextTransportCcNs > 0) {
            nextTransportCcNs = nowNs + TRANSPORT_CC_INTERVAL_NS;
        }
        if (!transportCc.addPacket(sequence, nowNs / 1000)) {
            // full: report what is there now
            sendTransportCc(nowNs);
            transportCc.addPacket(sequence, nowNs / 1000);
        }
    }

    /** Sends the NACKs and reports that are due. Connected only. */
    void onTimer(long nowNs) {
        if (transportCc.pendingPackets() > 0 && nowNs - nextTransportCcNs >= 0) {
            sendTransportCc(nowNs);
            nextTransportCcNs = nowNs + TRANSPORT_CC_INTERVAL_NS;
        }
        if (nackPending && nowNs - nextNackNs >= 0) {
            sendNacks(nowNs);
            nextNackNs = nowNs + config.nackIntervalNs();
        }
        if (nowNs - nextReportNs >= 0) {
            sendReports(nowNs);
            nextReportNs = nowNs + config.reportIntervalNs();
        }
    }

    /** When {@link #onTimer} has something to send next. Connected only. */
    long nextDeadlineNs() {
        long next = nackPending ? ConnectionTimer.earliest(nextReportNs, nextNackNs) : nextReportNs;
        return transportCc.pendingPackets() > 0 ? ConnectionTimer.earliest(next, nextTransportCcNs) : next;
    }

    /** Transport-wide feedback of every arrival recorded, as many packets as it takes. */
    private void sendTransportCc(long nowNs) {
        int mediaSsrc = streams.count() > 0 ? streams.at(0).ssrc() : 0;
        while (transportCc.pendingPackets() > 0) {
            int length = transportCc.build(rtcpBuffer, 0, MAX_COMPOUND_BYTES, localSsrc, mediaSsrc,
                transportCcCount);
            if (length <= 0) {
                return;
            }
            transportCcCount = (transportCcCount + 1) & 0xFF;
            stats.increment(ClientStats.TRANSPORT_CC_SENT);
            flush(length, nowNs);
        }
    }

    // ================================================================ receiving

    /** An SRTCP compound in {@code buffer[offset, offset + length)}, unprotected in place. */
    void onRtcp(UnsafeBuffer buffer, int offset, int length, long nowNs) {
        int plain = transport.receiving().unprotectRtcp(buffer, offset, length);
        if (plain < 0) {
            stats.increment(ClientStats.SRTP_FAILURES);
            return;
        }
        stats.increment(ClientStats.RTCP_PACKETS_RECEIVED);
        reader.read(buffer, offset, plain, nowNs, this);
        pc.deliverRtcp(buffer, offset, plain, nowNs);
    }

    @Override
    public void onSenderReport(int ssrc, long ntpTimestamp, long rtpTimestamp, long nowNs) {
        ReceiveStream stream = streams.get(ssrc);
        if (stream != null) {
            stream.statistics().onSenderReport(ntpTimestamp, nowNs);
        }
    }

    @Override
    public void onReportBlock(ReportBlock block, long nowNs) {
        if (sendPath.sender(block.ssrc()) != null) {
            int arrival = NtpTime.middle32(NtpTime.fromUnixNanos(loop.unixNanos(nowNs)));
            rtt.onReportBlock((int) block.lastSenderReport(), block.delaySinceLastSenderReport(), arrival);
        }
    }

    @Override
    public void onNack(GenericNack nack, long nowNs) {
        stats.increment(ClientStats.NACKS_RECEIVED);
        RtpSender sender = sendPath.sender(nack.mediaSsrc());
        if (sender == null) {
            return;
        }
        nackTarget = sender;
        nackNowNs = nowNs;
        nack.forEachLost(onNackedSequence);
        nackTarget = null;
    }

    @Override
    public void onKeyframeRequest(int mediaSsrc, boolean fullIntraRequest, long nowNs) {
        RtpSender sender = sendPath.sender(mediaSsrc);
        if (sender == null) {
            return;
        }
        stats.increment(ClientStats.KEYFRAME_REQUESTS_RECEIVED);
        sender.onKeyframeRequest();
        pc.notifyKeyframeRequest(sender, fullIntraRequest);
    }

    /** The smoothed round-trip time from report blocks about our streams (100 ms before any). */
    long rttNs() {
        return rtt.smoothedRttNs();
    }

    // ================================================================ sending

    /** Sends a PLI (RFC 4585 §6.3.1) for a received SSRC. Connected only. */
    void requestKeyframe(int mediaSsrc, long nowNs) {
        int position = 0;
        if (!reducedSize) {
            position += ReceiverReport.write(rtcpBuffer, 0, localSsrc, 0);
        }
        position += PictureLossIndication.write(rtcpBuffer, position, localSsrc, mediaSsrc);
        flush(position, nowNs);
        stats.increment(ClientStats.PLIS_SENT);
    }

    /**
     * Protects and sends an RTCP (compound) packet of the caller's making. Connected only.
     *
     * @return false when it is shorter than a header or longer than {@value #MAX_COMPOUND_BYTES} bytes
     */
    boolean send(DirectBuffer packet, int offset, int length, long nowNs) {
        if (length < RtcpHeader.HEADER_LENGTH || length > MAX_COMPOUND_BYTES) {
            return false;
        }
        rtcpBuffer.putBytes(0, packet, offset, length);
        flush(length, nowNs);
        return true;
    }

    /** Protects and sends {@code rtcpBuffer[0, length)}; returns 0, the next write position. */
    private int flush(int length, long nowNs) {
        if (length == 0) {
            return 0;
        }
        int protectedLength = transport.sending().protectRtcp(rtcpBuffer, 0, length);
        if (protectedLength < 0) {
            stats.increment(ClientStats.SEND_FAILURES);
            return 0;
        }
        stats.increment(ClientStats.RTCP_PACKETS_SENT);
        socket.sendMedia(rtcpBuffer, rtcpByteBuffer, protectedLength, nowNs);
        return 0;
    }

    /**
     * Sender reports for every sender that has sent, receiver report blocks for every received stream, and the
     * CNAME (RFC 3550 §6.4, §6.5), split over compounds that fit {@value #MAX_COMPOUND_BYTES} bytes.
     */
    private void sendReports(long nowNs) {
        long ntp = NtpTime.fromUnixNanos(loop.unixNanos(nowNs));
        UnsafeBuffer b = rtcpBuffer;
        int position = 0;
        int reportSsrc = localSsrc;
        boolean anySender = false;
        for (RtpSender s : sendPath.senders()) {
            if (!s.isActive() || s.packetsSent() == 0) {
                continue;
            }
            if (!anySender) {
                reportSsrc = s.ssrc();
                anySender = true;
            }
            if (position + SenderReport.length(0) > MAX_COMPOUND_BYTES) {
                position = flush(position, nowNs);
            }
            position += SenderReport.write(b, position, s.ssrc(), ntp, s.rtpTimestampAt(nowNs), s.packetsSent(),
                s.payloadBytesSent(), 0);
        }
        long lost = 0;
        int index = 0;
        boolean anyBlock = false;
        int streamCount = streams.count();
        while (index < streamCount) {
            if (position + ReceiverReport.length(1) > MAX_COMPOUND_BYTES) {
                position = flush(position, nowNs);
            }
            int headerAt = position;
            int room = Math.min(MAX_REPORT_BLOCKS,
                (MAX_COMPOUND_BYTES - position - ReceiverReport.length(0)) / ReportBlock.LENGTH);
            int blocks = 0;
            position += ReceiverReport.length(0);
            while (index < streamCount && blocks < room) {
                ReceiveStream s = streams.at(index++);
                ReceiveStatistics st = s.statistics();
                if (!st.hasReceived()) {
                    continue;
                }
                position += st.writeReportBlock(b, position, s.ssrc(), nowNs);
                lost += Math.max(0, st.cumulativeLost());
                blocks++;
            }
            if (blocks == 0) {
                position = headerAt;
            } else {
                ReceiverReport.write(b, headerAt, reportSsrc, blocks);
                anyBlock = true;
            }
        }
        stats.set(ClientStats.PACKETS_LOST, lost);
        if (!anySender && !anyBlock) {
            return;
        }
        int sdesLength = SourceDescription.length(cnameBytes.length);
        if (position + sdesLength > MAX_COMPOUND_BYTES) {
            position = flush(position, nowNs);
        }
        if (position == 0) {
            position += ReceiverReport.write(b, 0, reportSsrc, 0);
        }
        position += SourceDescription.write(b, position, reportSsrc, SourceDescription.CNAME, cnameBytes);
        flush(position, nowNs);
    }

    /** Generic NACKs (RFC 4585 §6.2.1) for what every stream's generator says is due. */
    private void sendNacks(long nowNs) {
        boolean missing = false;
        int position = 0;
        long rttNs = rtt.smoothedRttNs();
        int streamCount = streams.count();
        for (int i = 0; i < streamCount; i++) {
            ReceiveStream s = streams.at(i);
            NackGenerator generator = s.nackGenerator();
            if (generator == null || generator.missingCount() == 0) {
                continue;
            }
            int words = generator.collectRequests(nowNs, rttNs, nackWords);
            if (words > 0) {
                int count = expandNackWords(words);
                if (position + GenericNack.maxLength(count) > MAX_COMPOUND_BYTES) {
                    position = flush(position, nowNs);
                }
                if (position == 0 && !reducedSize) {
                    position += ReceiverReport.write(rtcpBuffer, 0, localSsrc, 0);
                }
                position += GenericNack.write(rtcpBuffer, position, localSsrc, s.ssrc(), nackSequences, count);
                stats.increment(ClientStats.NACKS_SENT);
                stats.add(ClientStats.NACKED_PACKETS_REQUESTED, count);
            }
            if (generator.missingCount() > 0) {
                missing = true;
            }
        }
        flush(position, nowNs);
        nackPending = missing;
    }

    private int expandNackWords(int words) {
        int count = 0;
        for (int w = 0; w < words; w++) {
            int packetId = nackWords[w] >>> 16;
            int bitmask = nackWords[w] & 0xFFFF;
            nackSequences[count++] = packetId;
            while (bitmask != 0) {
                nackSequences[count++] = (packetId + Integer.numberOfTrailingZeros(bitmask) + 1) & 0xFFFF;
                bitmask &= bitmask - 1;
            }
        }
        return count;
    }
}
