package io.sfu.bench.load;

import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * An Opus-shaped audio stream: a 20 ms frame (50 packets/s) of about {@code packetBytes} while "talking", and with
 * discontinuous transmission (DTX) one small comfort-noise packet every {@value #DTX_INTERVAL_MS} ms during
 * silences, as Opus sends. Talk spurts and silences alternate with seeded random lengths. The RFC 6464 audio level
 * follows (voice, about -30 dBov, while talking; 127 in silence) so the SFU's dominant speaker detection has
 * something to work with, and the first packet of a talk spurt has the marker bit (RFC 3551 §4.1). Every payload
 * starts with an Opus TOC byte and ends with a {@link Probe}. Loop thread only; nothing is allocated per packet.
 */
public final class AudioSource implements MediaSource {
    /** RTP clock rate of Opus. */
    public static final int CLOCK_RATE_HZ = 48_000;
    static final long FRAME_NS = 20_000_000L;
    static final int DTX_INTERVAL_MS = 400;
    private static final int FRAMES_PER_DTX_PACKET = DTX_INTERVAL_MS / 20;
    private static final int SAMPLES_PER_FRAME = 960;
    /** TOC: config 15 (SILK/CELT hybrid, fullband, 20 ms), mono, one frame. */
    private static final byte TOC = 0x78;
    private static final int DTX_PAYLOAD_BYTES = 1 + Probe.LENGTH;
    private static final int MAX_FRAMES_BEHIND = 10;

    private final PacketSink sink;
    private final LoopMetrics metrics;
    private final TimeSource clock;
    private final int streamId;
    private final int packetBytes;
    private final boolean dtx;
    private final long talkMinFrames;
    private final long talkMaxFrames;
    private final long silenceMinFrames;
    private final long silenceMaxFrames;
    private final SplittableRandom random;
    private final byte[] payload;
    private final UnsafeBuffer payloadBuffer;
    private final long rtpTimestampBase;

    private boolean started;
    private long nextFrameNs;
    private long frameIndex;
    private boolean talking;
    private long framesLeftInState;
    private boolean spurtStart;
    private long silentFrames;
    private int sequence;

    /**
     * @param packetBytes payload bytes of a voice packet
     * @param dtx         whether silences send only comfort noise every {@value #DTX_INTERVAL_MS} ms
     * @param talkMs      shortest and longest talk spurt
     * @param silenceMs   shortest and longest silence
     */
    public AudioSource(PacketSink sink, LoopMetrics metrics, TimeSource clock, int streamId, int packetBytes,
        boolean dtx, int[] talkMs, int[] silenceMs, long seed) {
        if (packetBytes < DTX_PAYLOAD_BYTES || packetBytes > 1200 || talkMs[0] < 20 || talkMs[1] < talkMs[0]
            || silenceMs[0] < 0 || silenceMs[1] < silenceMs[0]) {
            throw new IllegalArgumentException("audio source settings out of range");
        }
        this.sink = sink;
        this.metrics = metrics;
        this.clock = clock;
        this.streamId = streamId;
        this.packetBytes = packetBytes;
        this.dtx = dtx;
        this.talkMinFrames = talkMs[0] / 20;
        this.talkMaxFrames = talkMs[1] / 20;
        this.silenceMinFrames = silenceMs[0] / 20;
        this.silenceMaxFrames = silenceMs[1] / 20;
        this.random = new SplittableRandom(seed);
        this.payload = new byte[packetBytes + 8];
        this.payloadBuffer = new UnsafeBuffer(payload);
        this.rtpTimestampBase = random.nextInt() & 0xFFFF_FFFFL;
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) random.nextInt(256);
        }
        // start at a random point of a talk spurt so that many sources do not all talk at once
        this.talking = true;
        this.spurtStart = true;
        this.framesLeftInState = 1 + random.nextLong(Math.max(1, talkMaxFrames));
    }

    @Override
    public long onTick(long nowNs) {
        if (!started) {
            started = true;
            nextFrameNs = nowNs;
        }
        long behind = (nowNs - nextFrameNs) / FRAME_NS;
        if (behind > MAX_FRAMES_BEHIND) {
            frameIndex += behind;
            nextFrameNs += behind * FRAME_NS;
        }
        if (nowNs - nextFrameNs >= 0) {
            frame();
            frameIndex++;
            nextFrameNs += FRAME_NS;
        }
        return nextFrameNs;
    }

    private void frame() {
        if (framesLeftInState <= 0) {
            talking = !talking;
            if (talking) {
                framesLeftInState = between(talkMinFrames, talkMaxFrames);
                spurtStart = true;
            } else {
                framesLeftInState = between(silenceMinFrames, silenceMaxFrames);
                silentFrames = 0;
            }
        }
        framesLeftInState--;
        long rtpTimestamp = (rtpTimestampBase + frameIndex * SAMPLES_PER_FRAME) & 0xFFFF_FFFFL;
        if (talking) {
            sink.audioLevel(25 + random.nextInt(10), true);
            int length = packetBytes - 8 + random.nextInt(17);
            send(length, spurtStart, rtpTimestamp);
            spurtStart = false;
        } else if (!dtx) {
            sink.audioLevel(127, false);
            send(packetBytes, false, rtpTimestamp);
        } else if (silentFrames++ % FRAMES_PER_DTX_PACKET == 0) {
            sink.audioLevel(127, false);
            send(DTX_PAYLOAD_BYTES, false, rtpTimestamp);
        }
    }

    private long between(long min, long max) {
        return max <= min ? Math.max(1, min) : Math.max(1, min + random.nextLong(max - min + 1));
    }

    private void send(int length, boolean marker, long rtpTimestamp) {
        payload[0] = TOC;
        Probe.write(payloadBuffer, length, streamId, sequence, clock.epochNanos());
        if (sink.send(payload, 0, length, marker, rtpTimestamp)) {
            sequence++;
            metrics.increment(LoopMetrics.Counter.SENT_PACKETS);
            metrics.add(LoopMetrics.Counter.SENT_PAYLOAD_BYTES, length);
        } else {
            metrics.increment(LoopMetrics.Counter.SEND_REFUSED);
        }
    }

    @Override
    public int streamId() {
        return streamId;
    }

    /** Whether the source is in a talk spurt. */
    boolean talking() {
        return talking;
    }
}
