package io.sfu.bench.load;

import java.util.HashSet;
import java.util.Set;

import io.sfu.client.ClientPeerConnection;
import io.sfu.core.rtp.RtpPacket;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * What a light subscriber measures: every RTP packet counted by SSRC from its clear header (received, bytes, loss
 * and reordering from the sequence numbers, as {@link StreamTracker} counts them), and one packet in
 * {@code sample} of each SSRC, its first included, authenticated and decrypted with the connection's SRTP context,
 * its probe giving the latency. A sampled packet that fails authentication is counted as an error and not as
 * received. Decrypting every packet is most of what a subscriber costs; this keeps the count exact and the latency
 * a uniform sample. Loop thread only; nothing is allocated per packet once a stream is known.
 */
final class LightReceiver {
    /** Received SSRCs tracked at most; packets of others are counted as foreign. */
    static final int MAX_STREAMS = 1024;

    private final LoopMetrics metrics;
    private final TimeSource clock;
    private final int sample;
    private final VideoLayerListener layers;
    private final Int2ObjectHashMap<Stream> streams = new Int2ObjectHashMap<>();

    /** Told of the simulcast layer in the probe of each sampled video packet. */
    interface VideoLayerListener {
        void onVideoLayer(int streamId, long arrivalEpochNs);
    }

    /** One received SSRC. */
    private static final class Stream {
        final StreamTracker tracker;
        /** The highest RTP sequence number counted, extended to 32 bits. */
        int extendedHighest;
        long packets;

        Stream(int ssrc, LoopMetrics metrics) {
            this.tracker = new StreamTracker(ssrc, metrics);
        }

        /** {@code sequence} extended to 32 bits, as the one nearest the highest so far (RFC 3550 §A.1). */
        int extend(int sequence) {
            if (packets == 0) {
                return sequence;
            }
            return extendedHighest + (short) (sequence - (extendedHighest & 0xFFFF));
        }
    }

    LightReceiver(LoopMetrics metrics, TimeSource clock, int sample, VideoLayerListener layers) {
        if (sample < 1) {
            throw new IllegalArgumentException("sample must be at least 1");
        }
        this.metrics = metrics;
        this.clock = clock;
        this.sample = sample;
        this.layers = layers;
    }

    /** A packet delivered still protected ({@link ClientPeerConnection.Listener#onProtectedRtp}). */
    void onProtectedRtp(ClientPeerConnection pc, RtpPacket packet) {
        long arrival = clock.epochNanos();
        Stream stream = stream(packet.ssrc());
        if (stream == null) {
            return;
        }
        int payloadBytes = packet.payloadLength();
        int sequence = stream.extend(packet.sequenceNumber());
        if (stream.packets % sample == 0) {
            if (!pc.unprotect(packet)) {
                metrics.increment(LoopMetrics.Counter.AUTH_FAILURES);
                return;
            }
            measure(packet, arrival);
        }
        count(stream, sequence, arrival, payloadBytes);
    }

    /**
     * A packet the connection decrypted itself (one with padding, or a retransmission): counted, and its probe
     * measured, since it was authenticated anyway.
     */
    void onPlainRtp(RtpPacket packet) {
        long arrival = clock.epochNanos();
        Stream stream = stream(packet.ssrc());
        if (stream == null) {
            return;
        }
        int sequence = stream.extend(packet.sequenceNumber());
        measure(packet, arrival);
        count(stream, sequence, arrival, packet.payloadLength());
    }

    private Stream stream(int ssrc) {
        Stream stream = streams.get(ssrc);
        if (stream == null) {
            if (streams.size() >= MAX_STREAMS) {
                metrics.increment(LoopMetrics.Counter.FOREIGN_PACKETS);
                return null;
            }
            stream = new Stream(ssrc, metrics);
            streams.put(ssrc, stream);
        }
        return stream;
    }

    private void count(Stream stream, int sequence, long arrival, int payloadBytes) {
        if (stream.packets == 0 || sequence - stream.extendedHighest > 0) {
            stream.extendedHighest = sequence;
        }
        stream.packets++;
        stream.tracker.onUnprobedPacket(sequence, arrival, payloadBytes);
    }

    /** The probe of a decrypted packet: its latency, or a foreign packet when it has none. */
    private void measure(RtpPacket packet, long arrival) {
        metrics.increment(LoopMetrics.Counter.SAMPLED_PACKETS);
        DirectBuffer buffer = packet.buffer();
        int offset = packet.payloadOffset();
        int length = packet.payloadLength();
        if (!Probe.present(buffer, offset, length)) {
            metrics.increment(LoopMetrics.Counter.FOREIGN_PACKETS);
            return;
        }
        int end = offset + length;
        long transitNs = arrival - Probe.sendEpochNs(buffer, end);
        if (transitNs < 0) {
            metrics.increment(LoopMetrics.Counter.NEGATIVE_LATENCY);
            metrics.recordLatencyUs(0);
        } else {
            metrics.recordLatencyUs(transitNs / 1000);
        }
        int streamId = Probe.streamId(buffer, end);
        if (StreamIds.kind(streamId) == StreamIds.VIDEO) {
            layers.onVideoLayer(streamId, arrival);
        }
    }

    /** The SSRCs that delivered a packet at or after {@code sinceEpochNs}: one per received track. */
    int tracksReceivedSince(long sinceEpochNs) {
        Set<Integer> recent = new HashSet<>();
        streams.forEach((ssrc, stream) -> {
            if (stream.tracker.lastArrivalEpochNs() - sinceEpochNs >= 0) {
                recent.add(ssrc);
            }
        });
        return recent.size();
    }

    /** The streams stop being measured: they leave the stream count. */
    void close() {
        metrics.add(LoopMetrics.Counter.STREAMS, -streams.size());
        streams.clear();
    }
}
