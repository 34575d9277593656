package io.sfu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.sfu.core.rtp.codec.KeyframeDetector;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class VideoSourceTest {
    private static final long SECOND = 1_000_000_000L;

    private final RecordingSink sink = new RecordingSink();
    private final LoopMetrics metrics = new LoopMetrics();
    private long now = 5 * SECOND;

    private VideoSource source(long bitrateBps, long keyframeIntervalNs) {
        return new VideoSource(sink, metrics, () -> now + 1_700_000_000_000_000_000L, 42, bitrateBps, 30, 1100,
            keyframeIntervalNs, 5.0, 1280, 720, 7);
    }

    /** Drives the source like the loop timer would, until {@code endNs}. */
    private void run(VideoSource source, long endNs) {
        long next = now;
        while (next - endNs < 0) {
            now = next;
            next = source.onTick(now);
        }
        now = endNs;
    }

    @Test
    void thirtyFramesASecondAddUpToTheTargetBitrate() {
        VideoSource video = source(2_500_000, 3 * SECOND);
        long start = now;
        run(video, start + 30 * SECOND);

        long bytes = sink.sent.stream().mapToLong(p -> p.payload().length).sum();
        double kbps = bytes * 8 / 30.0 / 1000;
        assertThat(kbps).isBetween(2500 * 0.95, 2500 * 1.05);
        long frames = sink.sent.stream().filter(RecordingSink.Sent::marker).count();
        assertThat(frames).isEqualTo(900);
        assertThat(sink.sent).allSatisfy(p -> assertThat(p.payload().length).isLessThanOrEqualTo(1100));
        double meanPacket = bytes / (double) sink.sent.size();
        assertThat(meanPacket).isBetween(900.0, 1100.0);
        assertThat(metrics.get(LoopMetrics.Counter.SENT_PACKETS)).isEqualTo(sink.sent.size());
        assertThat(metrics.get(LoopMetrics.Counter.SENT_PAYLOAD_BYTES)).isEqualTo(bytes);
    }

    @Test
    void theSfusVp8ParserSeesAKeyFrameExactlyAtTheStartOfEveryKeyFrameBurst() {
        VideoSource video = source(1_000_000, 2 * SECOND);
        run(video, now + 10 * SECOND);

        KeyframeDetector detector = KeyframeDetector.forCodec("VP8");
        List<Integer> keyframeFrames = new ArrayList<>();
        List<Integer> burstSizes = new ArrayList<>();
        int frame = 0;
        int packetsInFrame = 0;
        boolean keyframe = false;
        for (RecordingSink.Sent p : sink.sent) {
            boolean detected = detector.isKeyframe(p.payload(), 0, p.payload().length);
            if (packetsInFrame == 0) {
                keyframe = detected;
                if (detected) {
                    keyframeFrames.add(frame);
                }
                assertThat(p.payload()[0] & 0x10).as("S bit on the first packet of a frame").isNotZero();
            } else {
                assertThat(detected).as("only the first packet of a frame starts a key frame").isFalse();
                assertThat(p.payload()[0] & 0x10).as("S bit on a later packet").isZero();
            }
            packetsInFrame++;
            if (p.marker()) {
                if (keyframe) {
                    burstSizes.add(packetsInFrame);
                }
                frame++;
                packetsInFrame = 0;
            }
        }
        // a key frame at the start, then one every 60 frames (2 s at 30 fps)
        assertThat(keyframeFrames).containsExactly(0, 60, 120, 180, 240);
        assertThat(metrics.get(LoopMetrics.Counter.KEYFRAMES_SENT)).isEqualTo(5);
        // a key frame is a burst: about five average frames
        int averageFramePackets = (int) Math.ceil(1_000_000 / 8.0 / 30 / 1100);
        assertThat(burstSizes).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(4 * averageFramePackets));
    }

    @Test
    void aKeyframeRequestMakesTheNextFrameAKeyFrame() {
        VideoSource video = source(1_000_000, 100 * SECOND);
        run(video, now + SECOND);
        sink.sent.clear();
        video.requestKeyframe(now);
        run(video, now + 34_000_000L);

        assertThat(KeyframeDetector.forCodec("VP8").isKeyframe(sink.sent.get(0).payload(), 0,
            sink.sent.get(0).payload().length)).isTrue();
        assertThat(metrics.get(LoopMetrics.Counter.KEYFRAME_REQUESTS)).isEqualTo(1);
    }

    @Test
    void everyPacketCarriesAProbeWithConsecutiveSequenceNumbersAndTheSendTime() {
        VideoSource video = source(500_000, 3 * SECOND);
        run(video, now + 2 * SECOND);

        for (int i = 0; i < sink.sent.size(); i++) {
            byte[] payload = sink.sent.get(i).payload();
            UnsafeBuffer b = new UnsafeBuffer(payload);
            assertThat(Probe.present(b, 0, payload.length)).isTrue();
            assertThat(Probe.streamId(b, payload.length)).isEqualTo(42);
            assertThat(Probe.sequence(b, payload.length)).isEqualTo(i);
            assertThat(Probe.sendEpochNs(b, payload.length)).isGreaterThan(1_700_000_000_000_000_000L);
        }
        // RTP timestamps step by 3000 (90 kHz / 30 fps) from frame to frame
        List<Long> frameTimestamps = sink.sent.stream().filter(RecordingSink.Sent::marker)
            .map(RecordingSink.Sent::rtpTimestamp).toList();
        for (int i = 1; i < frameTimestamps.size(); i++) {
            assertThat((frameTimestamps.get(i) - frameTimestamps.get(i - 1)) & 0xFFFF_FFFFL).isEqualTo(3000);
        }
    }

    @Test
    void refusedPacketsDoNotUseUpSequenceNumbersAndAKeyFrameThatDidNotLeaveIsOwed() {
        VideoSource video = source(500_000, 100 * SECOND);
        sink.refuse = true;
        run(video, now + 200_000_000L);
        assertThat(metrics.get(LoopMetrics.Counter.SEND_REFUSED)).isPositive();
        sink.refuse = false;
        run(video, now + 34_000_000L);

        byte[] first = sink.sent.get(0).payload();
        assertThat(Probe.sequence(new UnsafeBuffer(first), first.length)).isZero();
        assertThat(KeyframeDetector.forCodec("VP8").isKeyframe(first, 0, first.length)).isTrue();
    }

    @Test
    void aLoopThatFellFarBehindSkipsFramesInsteadOfSendingABurst() {
        VideoSource video = source(500_000, 100 * SECOND);
        video.onTick(now);
        sink.sent.clear();
        now += SECOND;
        video.onTick(now);

        assertThat(sink.sent.stream().filter(RecordingSink.Sent::marker).count()).isEqualTo(1);
        assertThat(metrics.get(LoopMetrics.Counter.FRAMES_SKIPPED)).isGreaterThan(20);
    }

    /** The probe's send time of a recorded packet (epoch ns of the test clock). */
    private static long sendTime(RecordingSink.Sent p) {
        UnsafeBuffer b = new UnsafeBuffer(p.payload());
        return Probe.sendEpochNs(b, p.payload().length);
    }

    @Test
    void aPacedKeyFrameLeavesSpreadAtTheFactorTimesTheBitrateEachPacketStampedWhenItLeaves() {
        long bitrate = 2_500_000;
        double factor = 2.5;
        VideoSource video = new VideoSource(sink, metrics, () -> now + 1_700_000_000_000_000_000L, 42, bitrate, 30,
            1100, 3 * SECOND, 5.0, 1280, 720, 7, factor);
        long start = now;
        long firstFrameEnd = -1;
        // the first frame is a key frame: drive the loop until its last packet (marker) left
        long next = now;
        while (firstFrameEnd < 0) {
            now = next;
            next = video.onTick(now);
            if (!sink.sent.isEmpty() && sink.sent.get(sink.sent.size() - 1).marker()) {
                firstFrameEnd = now;
            }
        }
        List<RecordingSink.Sent> key = new ArrayList<>(sink.sent);
        assertThat(key.size()).isGreaterThan(40);
        long bytesBeforeLast = key.subList(0, key.size() - 1).stream().mapToLong(p -> p.payload().length).sum();
        long expectedNs = (long) (bytesBeforeLast * 8e9 / (factor * bitrate));
        // the last packet leaves when the ones before it took their time at the pacing rate, not at once
        assertThat(firstFrameEnd - start).isBetween(expectedNs - key.size(), expectedNs + key.size());
        assertThat(expectedNs).as("a 48-packet key frame at 6.25 Mbit/s").isGreaterThan(60_000_000L);
        // each packet carries its own send time, one packet's pacing interval after the one before
        for (int i = 1; i < key.size(); i++) {
            long gap = sendTime(key.get(i)) - sendTime(key.get(i - 1));
            long interval = (long) (key.get(i - 1).payload().length * 8e9 / (factor * bitrate));
            assertThat(gap).isBetween(interval - 1, interval + 1);
        }
        // frames that fell due meanwhile follow, and the average bitrate stays on target
        run(video, start + 10 * SECOND);
        long bytes = sink.sent.stream().mapToLong(p -> p.payload().length).sum();
        assertThat(bytes * 8 / 10.0 / 1000).isBetween(2500 * 0.95, 2500 * 1.05);
        assertThat(sink.sent.stream().filter(RecordingSink.Sent::marker).count()).isBetween(299L, 300L);
        assertThat(metrics.get(LoopMetrics.Counter.FRAMES_SKIPPED)).isZero();
    }

    @Test
    void pacingZeroSendsEachFrameInOneBurstAsBefore() {
        VideoSource video = new VideoSource(sink, metrics, () -> now + 1_700_000_000_000_000_000L, 42, 2_500_000, 30,
            1100, 3 * SECOND, 5.0, 1280, 720, 7, 0);
        long next = video.onTick(now);
        assertThat(sink.sent).isNotEmpty();
        assertThat(sink.sent.get(sink.sent.size() - 1).marker()).isTrue();
        assertThat(sink.sent).allSatisfy(p -> assertThat(sendTime(p)).isEqualTo(sendTime(sink.sent.get(0))));
        assertThat(next - now).isEqualTo(SECOND / 30);
    }
}
