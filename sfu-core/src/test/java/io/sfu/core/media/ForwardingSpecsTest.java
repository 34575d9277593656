package io.sfu.core.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfu.core.forward.ProducerSpec;
import io.sfu.core.forward.TrackCounters;
import io.sfu.core.negotiation.FeedbackSupport;
import io.sfu.core.negotiation.PublishedTrack;
import io.sfu.core.sdp.MediaKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForwardingSpecsTest {

    private static PublishedTrack video(List<String> rids, List<Integer> ssrcs, Map<Integer, Integer> rtx) {
        return new PublishedTrack("1", MediaKind.VIDEO, "stream", "track", rids, ssrcs, rtx, "cname", List.of(),
            Map.of(), FeedbackSupport.NONE);
    }

    @Test
    void simulcastSignalledBySsrcsBecomesOneEncodingPerLayerLowestFirst() {
        ProducerSpec spec = ForwardingSpecs.producer("t", "p", "room", video(List.of(), List.of(1, 2, 3),
            Map.of(1, 11, 2, 12, 3, 13)), false, new TrackCounters());

        assertThat(spec.encodings()).containsExactly(new ProducerSpec.Encoding(null, 1, 11),
            new ProducerSpec.Encoding(null, 2, 12), new ProducerSpec.Encoding(null, 3, 13));
    }

    @Test
    void aTrackOfOneSsrcOrOfRidsKeepsItsEncodings() {
        assertThat(ForwardingSpecs.producer("t", "p", "room", video(List.of(), List.of(5), Map.of(5, 6)),
            false, new TrackCounters()).encodings()).containsExactly(new ProducerSpec.Encoding(null, 5, 6));
        assertThat(ForwardingSpecs.producer("t", "p", "room", video(List.of(), List.of(), Map.of()),
            false, new TrackCounters()).encodings()).containsExactly(new ProducerSpec.Encoding(null, 0, 0));
        assertThat(ForwardingSpecs.producer("t", "p", "room", video(List.of("q", "f"), List.of(7, 8), Map.of(8, 9)),
            false, new TrackCounters()).encodings()).containsExactly(new ProducerSpec.Encoding("q", 7, 0),
            new ProducerSpec.Encoding("f", 8, 9));
    }
}
