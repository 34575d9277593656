package io.sfu.bench.load;

import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * A VP8-shaped video encoding: frames at a fixed rate whose sizes add up to the target bitrate, cut into packets of
 * about {@code packetBytes}, a key frame burst every {@code keyframeIntervalNs} and when a keyframe is requested.
 * Each packet starts with a VP8 payload descriptor (RFC 7741 §4.2: X=1, I=1 with a 15-bit picture id, S=1 and
 * PID=0 on the first packet of a frame); the first packet of a frame carries the VP8 frame tag, and of a key frame
 * also the start code {@code 9d 01 2a} and the frame size (RFC 6386 §9.1), so the SFU's keyframe detection sees
 * real key frames. Every packet ends with a {@link Probe}. Frame sizes vary by ±{@value #SIZE_VARIATION_PERCENT}%
 * from a seeded random source; the delta frames are made smaller to pay for the key frames, so the average bitrate
 * stays on target. A frame's packets leave paced at {@code pacingFactor} times the bitrate, each at its own time
 * (its probe stamped when it leaves), as libwebrtc's pacer sends them (a browser never sends a key frame in one
 * burst); a frame that falls due while the one before is still leaving waits for it, as in the pacer's queue. A
 * factor of 0 sends each frame in one burst. Loop thread only; nothing is allocated per frame.
 */
public final class VideoSource implements MediaSource {
    /** libwebrtc's pacing factor: its pacer sends at 2.5 times the target bitrate. */
    public static final double BROWSER_PACING_FACTOR = 2.5;
    /** RTP clock rate of video. */
    public static final int CLOCK_RATE_HZ = 90_000;
    static final int SIZE_VARIATION_PERCENT = 10;
    /** X, then I, then a two-byte picture id. */
    static final int DESCRIPTOR_LENGTH = 4;
    /** Frame tag (3) + start code (3) + width and height (4). */
    static final int KEY_HEADER_LENGTH = 10;
    /** Frame tag only. */
    static final int DELTA_HEADER_LENGTH = 3;
    private static final int MIN_PACKET_PAYLOAD = DESCRIPTOR_LENGTH + KEY_HEADER_LENGTH + Probe.LENGTH;
    /** A loop that falls this many frames behind skips them instead of sending a burst. */
    private static final int MAX_FRAMES_BEHIND = 5;
    /** Requests closer together than this share one key frame. */
    private static final long MIN_KEYFRAME_SPACING_NS = 100_000_000L;

    private final PacketSink sink;
    private final LoopMetrics metrics;
    private final TimeSource clock;
    private final int streamId;
    private final int width;
    private final int height;
    private final int packetBytes;
    private final int framesPerSecond;
    private final long frameIntervalNs;
    private final long framesPerKeyframe;
    private final int keyframeBytes;
    private final int deltaFrameBytes;
    private final SplittableRandom random;
    private final byte[] payload;
    private final UnsafeBuffer payloadBuffer;
    private final long rtpTimestampBase;
    /** Pacing: nanoseconds a byte takes at the pacing rate; 0 sends a frame in one burst. */
    private final double pacingNsPerByte;

    private boolean started;
    private long startNs;
    private long nextFrameNs;
    private long frameIndex;
    private long lastKeyframeIndex;
    private long lastKeyframeNs;
    private boolean keyframeRequested = true;
    private int pictureId;
    private int sequence;
    // the frame leaving now
    private int framePackets;
    private int framePacket;
    private int frameBase;
    private int frameExtra;
    private boolean frameKey;
    private long frameRtpTimestamp;
    private long nextPacketNs;

    /**
     * @param bitrateBps         average bitrate of the payloads
     * @param framesPerSecond    frame rate
     * @param packetBytes        payload bytes of a full packet (the last packet of a frame is shorter)
     * @param keyframeIntervalNs time between periodic key frames
     * @param keyframeFactor     key frame size over the average frame size
     * @param pacingFactor       the pacing rate over the bitrate ({@link #BROWSER_PACING_FACTOR}); 0: bursts
     */
    public VideoSource(PacketSink sink, LoopMetrics metrics, TimeSource clock, int streamId, long bitrateBps,
        int framesPerSecond, int packetBytes, long keyframeIntervalNs, double keyframeFactor, int width, int height,
        long seed, double pacingFactor) {
        if (bitrateBps <= 0 || framesPerSecond <= 0 || framesPerSecond > 120 || packetBytes < MIN_PACKET_PAYLOAD
            || packetBytes > 1200 || keyframeIntervalNs <= 0 || keyframeFactor < 1
            || !(pacingFactor == 0 || pacingFactor >= 1 && pacingFactor <= 100)) {
            throw new IllegalArgumentException("video source settings out of range");
        }
        this.sink = sink;
        this.metrics = metrics;
        this.clock = clock;
        this.streamId = streamId;
        this.width = width;
        this.height = height;
        this.packetBytes = packetBytes;
        this.framesPerSecond = framesPerSecond;
        this.frameIntervalNs = 1_000_000_000L / framesPerSecond;
        this.framesPerKeyframe = Math.max(2, Math.round(keyframeIntervalNs * framesPerSecond / 1e9));
        double averageFrameBytes = bitrateBps / 8.0 / framesPerSecond;
        this.keyframeBytes = (int) Math.max(MIN_PACKET_PAYLOAD, Math.min(averageFrameBytes * keyframeFactor,
            averageFrameBytes * framesPerKeyframe / 2));
        this.deltaFrameBytes = (int) Math.max(MIN_PACKET_PAYLOAD,
            (averageFrameBytes * framesPerKeyframe - keyframeBytes) / (framesPerKeyframe - 1));
        this.random = new SplittableRandom(seed);
        this.payload = new byte[packetBytes];
        this.payloadBuffer = new UnsafeBuffer(payload);
        this.pacingNsPerByte = pacingFactor == 0 ? 0 : 8e9 / (pacingFactor * bitrateBps);
        this.rtpTimestampBase = random.nextInt() & 0xFFFF_FFFFL;
        this.pictureId = random.nextInt(0x8000);
        // filler that is not all zeros, like compressed data
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) random.nextInt(256);
        }
    }

    /** A source that sends each frame in one burst (no pacing). */
    public VideoSource(PacketSink sink, LoopMetrics metrics, TimeSource clock, int streamId, long bitrateBps,
        int framesPerSecond, int packetBytes, long keyframeIntervalNs, double keyframeFactor, int width, int height,
        long seed) {
        this(sink, metrics, clock, streamId, bitrateBps, framesPerSecond, packetBytes, keyframeIntervalNs,
            keyframeFactor, width, height, seed, 0);
    }

    @Override
    public long onTick(long nowNs) {
        if (!started) {
            started = true;
            startNs = nowNs;
            nextFrameNs = nowNs;
            nextPacketNs = nowNs;
        }
        sendDuePackets(nowNs);
        if (framePacket < framePackets) {
            return nextPacketNs;
        }
        long behind = (nowNs - nextFrameNs) / frameIntervalNs;
        if (behind > MAX_FRAMES_BEHIND) {
            metrics.add(LoopMetrics.Counter.FRAMES_SKIPPED, behind);
            frameIndex += behind;
            nextFrameNs = frameTimeNs(frameIndex);
        }
        if (nowNs - nextFrameNs >= 0) {
            // paced from when the frame was due, or from the end of the frame before if it left later
            if (nextPacketNs - nextFrameNs < 0) {
                nextPacketNs = nextFrameNs;
            }
            startFrame(nowNs);
            frameIndex++;
            nextFrameNs = frameTimeNs(frameIndex);
            sendDuePackets(nowNs);
        }
        return framePacket < framePackets ? nextPacketNs : nextFrameNs;
    }

    /** Sends the packets of the frame in progress whose time at the pacing rate has come. */
    private void sendDuePackets(long nowNs) {
        while (framePacket < framePackets && nowNs - nextPacketNs >= 0) {
            int length = sendPacket(framePacket);
            framePacket++;
            nextPacketNs += (long) (length * pacingNsPerByte);
        }
    }

    /** When frame {@code index} is due: exact, so that 30 frames take one second however the division falls. */
    private long frameTimeNs(long index) {
        return startNs + index * 1_000_000_000L / framesPerSecond;
    }

    /** Makes the next frame a key frame (a PLI or FIR from the SFU), unless one went out a moment ago. */
    @Override
    public void requestKeyframe(long nowNs) {
        metrics.increment(LoopMetrics.Counter.KEYFRAME_REQUESTS);
        if (nowNs - lastKeyframeNs >= MIN_KEYFRAME_SPACING_NS) {
            keyframeRequested = true;
        }
    }

    private void startFrame(long nowNs) {
        boolean key = keyframeRequested || frameIndex - lastKeyframeIndex >= framesPerKeyframe;
        int nominal = key ? keyframeBytes : deltaFrameBytes;
        int variation = nominal * SIZE_VARIATION_PERCENT / 100;
        int frameBytes = Math.max(MIN_PACKET_PAYLOAD, nominal - variation + random.nextInt(2 * variation + 1));
        if (key) {
            keyframeRequested = false;
            lastKeyframeNs = nowNs;
            lastKeyframeIndex = frameIndex;
            metrics.increment(LoopMetrics.Counter.KEYFRAMES_SENT);
        }
        framePackets = (frameBytes + packetBytes - 1) / packetBytes;
        framePacket = 0;
        frameBase = frameBytes / framePackets;
        frameExtra = frameBytes % framePackets;
        frameKey = key;
        frameRtpTimestamp = (rtpTimestampBase + frameIndex * CLOCK_RATE_HZ / framesPerSecond) & 0xFFFF_FFFFL;
        pictureId = (pictureId + 1) & 0x7FFF;
    }

    /** Sends packet {@code p} of the frame in progress, its probe stamped now; returns its payload length. */
    private int sendPacket(int p) {
        int length = Math.max(MIN_PACKET_PAYLOAD, frameBase + (p < frameExtra ? 1 : 0));
        boolean first = p == 0;
        writeDescriptor(first);
        if (first) {
            writeFrameHeader(frameKey);
        }
        Probe.write(payloadBuffer, length, streamId, sequence, clock.epochNanos());
        if (sink.send(payload, 0, length, p == framePackets - 1, frameRtpTimestamp)) {
            sequence++;
            metrics.increment(LoopMetrics.Counter.SENT_PACKETS);
            metrics.add(LoopMetrics.Counter.SENT_PAYLOAD_BYTES, length);
        } else {
            metrics.increment(LoopMetrics.Counter.SEND_REFUSED);
            if (first) {
                // a key frame that did not leave is still owed
                keyframeRequested |= frameKey;
            }
        }
        return length;
    }

    private void writeDescriptor(boolean startOfFrame) {
        // X=1, N=0, S, PID=0 | I=1 | M=1 + 15-bit picture id
        payload[0] = (byte) (0x80 | (startOfFrame ? 0x10 : 0));
        payload[1] = (byte) 0x80;
        payload[2] = (byte) (0x80 | (pictureId >>> 8));
        payload[3] = (byte) pictureId;
    }

    private void writeFrameHeader(boolean key) {
        int at = DESCRIPTOR_LENGTH;
        // frame tag (RFC 6386 §9.1): P (bit 0) = 0 for a key frame, version 0, show_frame (bit 4) = 1
        payload[at] = (byte) (key ? 0x10 : 0x11);
        payload[at + 1] = 0;
        payload[at + 2] = 0;
        if (key) {
            payload[at + 3] = (byte) 0x9d;
            payload[at + 4] = 0x01;
            payload[at + 5] = 0x2a;
            payload[at + 6] = (byte) width;
            payload[at + 7] = (byte) ((width >>> 8) & 0x3F);
            payload[at + 8] = (byte) height;
            payload[at + 9] = (byte) ((height >>> 8) & 0x3F);
        }
    }

    @Override
    public int streamId() {
        return streamId;
    }

    /** Payload bytes of a key frame before the random variation. */
    int keyframeBytes() {
        return keyframeBytes;
    }

    /** Payload bytes of a delta frame before the random variation. */
    int deltaFrameBytes() {
        return deltaFrameBytes;
    }
}
