package io.sfu.core.forward;

import io.sfu.core.rtp.codec.KeyframeDetector;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A published track on its forwarding agent: its encodings and the consumers it fans out to. Owned by the agent;
 * the consumer array is replaced only on the agent's thread, so the fan-out loop needs no lock.
 */
final class Producer {
    final ProducerSpec spec;
    final ForwardTransport transport;
    final byte[] mid;
    final boolean video;
    final int clockRateHz;
    final ProducerStream[] streams;
    /** Keyframe detector by payload type; null for audio or unknown codecs. */
    final KeyframeDetector[] detectors = new KeyframeDetector[128];
    /** Primary payload type by RTX payload type, -1 where the payload type is not RTX. */
    final int[] primaryByRtx = new int[128];
    Consumer[] consumers = new Consumer[4];
    int consumerCount;
    boolean muted;

    // audio level (RFC 6464) over the current dominant-speaker interval
    long levelSum;
    int levelCount;
    long lastAverageLevel;

    Producer(ProducerSpec spec, ForwardTransport transport, long keyframeIntervalNs) {
        this.spec = spec;
        this.transport = transport;
        this.mid = spec.mid() == null ? null : spec.mid().getBytes(StandardCharsets.US_ASCII);
        this.video = spec.video();
        this.clockRateHz = spec.clockRateHz();
        Arrays.fill(primaryByRtx, -1);
        for (ProducerSpec.Codec codec : spec.codecs()) {
            if (video && KeyframeDetector.supports(codec.name())) {
                detectors[codec.payloadType() & 0x7F] = KeyframeDetector.forCodec(codec.name());
            }
            if (codec.rtxPayloadType() >= 0) {
                primaryByRtx[codec.rtxPayloadType() & 0x7F] = codec.payloadType();
            }
        }
        this.streams = new ProducerStream[spec.encodings().size()];
        for (int i = 0; i < streams.length; i++) {
            ProducerSpec.Encoding encoding = spec.encodings().get(i);
            streams[i] = new ProducerStream(this, i, encoding.rid(), encoding.ssrc(), encoding.rtxSsrc(),
                clockRateHz, video, spec.nack(), keyframeIntervalNs);
        }
    }

    String trackId() {
        return spec.trackId();
    }

    void addConsumer(Consumer consumer) {
        if (consumerCount == consumers.length) {
            consumers = Arrays.copyOf(consumers, consumers.length * 2);
        }
        consumers[consumerCount++] = consumer;
    }

    void removeConsumer(Consumer consumer) {
        for (int i = 0; i < consumerCount; i++) {
            if (consumers[i] == consumer) {
                System.arraycopy(consumers, i + 1, consumers, i, consumerCount - i - 1);
                consumers[--consumerCount] = null;
                return;
            }
        }
    }

    /** The stream whose rid equals the bytes at {@code buffer[offset..offset+length)}, or null. */
    ProducerStream streamByRid(org.agrona.DirectBuffer buffer, int offset, int length) {
        for (ProducerStream stream : streams) {
            byte[] rid = stream.rid;
            if (rid != null && rid.length == length && equalBytes(rid, buffer, offset)) {
                return stream;
            }
        }
        return null;
    }

    boolean midEquals(org.agrona.DirectBuffer buffer, int offset, int length) {
        return mid != null && mid.length == length && equalBytes(mid, buffer, offset);
    }

    private static boolean equalBytes(byte[] expected, org.agrona.DirectBuffer buffer, int offset) {
        for (int i = 0; i < expected.length; i++) {
            if (buffer.getByte(offset + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /** The highest encoding that received a packet within {@code windowNs}, or -1. */
    int highestActiveIndex(long nowNs, long windowNs) {
        for (int i = streams.length - 1; i >= 0; i--) {
            ProducerStream stream = streams[i];
            if (stream.packets > 0 && nowNs - stream.lastPacketNs < windowNs) {
                return i;
            }
        }
        return -1;
    }
}
