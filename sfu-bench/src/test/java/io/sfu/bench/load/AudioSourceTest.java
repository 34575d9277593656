package io.sfu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class AudioSourceTest {
    private static final long SECOND = 1_000_000_000L;

    private final RecordingSink sink = new RecordingSink();
    private final LoopMetrics metrics = new LoopMetrics();
    private long now;

    private void run(AudioSource source, long endNs) {
        long next = now;
        while (next - endNs < 0) {
            now = next;
            next = source.onTick(now);
        }
        now = endNs;
    }

    @Test
    void withoutDtxItSendsFiftyPacketsASecondOfAboutAHundredBytes() {
        AudioSource audio = new AudioSource(sink, metrics, () -> now, 8, 100, false, new int[] {1000, 2000},
            new int[] {500, 1000}, 3);
        run(audio, 20 * SECOND);

        assertThat(sink.sent).hasSize(1000);
        double mean = sink.sent.stream().mapToInt(p -> p.payload().length).average().orElse(0);
        assertThat(mean).isBetween(95.0, 105.0);
        // RTP timestamps advance 960 (20 ms at 48 kHz) per packet
        assertThat((sink.sent.get(999).rtpTimestamp() - sink.sent.get(0).rtpTimestamp()) & 0xFFFF_FFFFL)
            .isEqualTo(999L * 960);
    }

    @Test
    void dtxSilencesSendOneSmallPacketEvery400MsAndTalkSpurtsFifty() {
        AudioSource audio = new AudioSource(sink, metrics, () -> now, 8, 100, true, new int[] {1000, 1000},
            new int[] {2000, 2000}, 3);
        run(audio, 60 * SECOND);

        long voice = sink.sent.stream().filter(RecordingSink.Sent::voice).count();
        long silence = sink.sent.size() - voice;
        // talk spurts of 1 s and silences of 2 s: ~20 s of voice at 50/s, ~40 s of silence at 2.5/s
        assertThat(voice).isBetween(900L, 1100L);
        assertThat(silence).isBetween(90L, 110L);
        assertThat(sink.sent.stream().filter(p -> !p.voice()))
            .allSatisfy(p -> {
                assertThat(p.payload().length).isEqualTo(1 + Probe.LENGTH);
                assertThat(p.audioLevel()).isEqualTo(127);
            });
        assertThat(sink.sent.stream().filter(RecordingSink.Sent::voice))
            .allSatisfy(p -> assertThat(p.audioLevel()).isLessThan(40));
        // a talk spurt starts with the marker bit
        long spurts = sink.sent.stream().filter(RecordingSink.Sent::marker).count();
        assertThat(spurts).isBetween(19L, 22L);
        for (int i = 0; i < sink.sent.size(); i++) {
            byte[] p = sink.sent.get(i).payload();
            assertThat(Probe.sequence(new UnsafeBuffer(p), p.length)).isEqualTo(i);
        }
    }
}
