package io.sfu.core.forward;

import io.sfu.core.feedback.BitrateEstimator;
import io.sfu.core.feedback.KeyframeRequestThrottle;
import io.sfu.core.feedback.NackGenerator;
import io.sfu.core.feedback.PacketHistory;
import io.sfu.core.feedback.ReceiveStatistics;

import java.nio.charset.StandardCharsets;

/**
 * One incoming encoding of a published track (the only one, or one simulcast layer): its SSRCs, receive
 * statistics, the NACK generator toward the publisher, and the history of recent packets answering subscribers'
 * NACKs (the publisher's decrypted originals, shared by every subscriber).
 */
final class ProducerStream {
    static final int VIDEO_HISTORY_PACKETS = 512;
    static final int AUDIO_HISTORY_PACKETS = 128;

    final Producer producer;
    final int index;
    final byte[] rid;
    int ssrc;
    int rtxSsrc;
    final ReceiveStatistics statistics;
    final NackGenerator nack;
    final PacketHistory history;
    final BitrateEstimator bitrate = new BitrateEstimator();
    final KeyframeRequestThrottle keyframeThrottle;

    long packets;
    long bytes;
    long keyframes;
    long nacksSent;
    long keyframeRequests;
    long lastPacketNs;
    boolean active;

    ProducerStream(Producer producer, int index, String rid, int ssrc, int rtxSsrc, int clockRateHz, boolean video,
                   boolean nackEnabled, long keyframeIntervalNs) {
        this.producer = producer;
        this.index = index;
        this.rid = rid == null ? null : rid.getBytes(StandardCharsets.US_ASCII);
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
        this.statistics = new ReceiveStatistics(clockRateHz);
        this.nack = nackEnabled ? new NackGenerator() : null;
        this.history = new PacketHistory(video ? VIDEO_HISTORY_PACKETS : AUDIO_HISTORY_PACKETS);
        this.keyframeThrottle = new KeyframeRequestThrottle(keyframeIntervalNs);
    }
}
