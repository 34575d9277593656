package io.sfu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class ProbeTest {
    @Test
    void aTrailerWrittenAtTheEndOfAPayloadReadsBack() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[100]);
        Probe.write(buffer, 90, 0x01020304, 77, 1_700_000_000_123_456_789L);

        assertThat(Probe.present(buffer, 10, 80)).isTrue();
        assertThat(Probe.streamId(buffer, 90)).isEqualTo(0x01020304);
        assertThat(Probe.sequence(buffer, 90)).isEqualTo(77);
        assertThat(Probe.sendEpochNs(buffer, 90)).isEqualTo(1_700_000_000_123_456_789L);
        // big-endian on the wire, magic first
        assertThat(buffer.getByte(70)).isEqualTo((byte) 'S');
        assertThat(buffer.getByte(73)).isEqualTo((byte) '1');
    }

    @Test
    void aPayloadWithoutTheMagicOrTooShortHasNoTrailer() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[100]);
        assertThat(Probe.present(buffer, 0, 100)).isFalse();
        Probe.write(buffer, 30, 1, 1, 1);
        assertThat(Probe.present(buffer, 11, 19)).isFalse();
        assertThat(Probe.present(buffer, 10, 20)).isTrue();
    }

    @Test
    void streamIdsKeepTheirPartsAndGroupLayersOfATrack() {
        int id = StreamIds.of(123_456, 200, StreamIds.VIDEO, 2);
        assertThat(StreamIds.room(id)).isEqualTo(123_456);
        assertThat(StreamIds.publisher(id)).isEqualTo(200);
        assertThat(StreamIds.kind(id)).isEqualTo(StreamIds.VIDEO);
        assertThat(StreamIds.layer(id)).isEqualTo(2);
        assertThat(StreamIds.trackKey(id)).isEqualTo(StreamIds.trackKey(StreamIds.of(123_456, 200, 1, 0)))
            .isNotEqualTo(StreamIds.trackKey(StreamIds.of(123_456, 200, StreamIds.AUDIO, 0)));
        assertThat(StreamIds.of(StreamIds.MAX_ROOMS - 1, 255, 1, 3)).isPositive();
    }
}
