package io.sfu.core.negotiation;

import io.sfu.core.sdp.MediaKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TrackDiffTest {

    private static PublishedTrack track(String mid, String trackId, List<Integer> ssrcs) {
        return new PublishedTrack(mid, MediaKind.VIDEO, "s", trackId, List.of(), ssrcs, Map.of(), "c",
            List.of(new NegotiatedCodec(96, "VP8", 90000, 0, Map.of(), 97, List.of("nack"))), Map.of(),
            FeedbackSupport.NONE);
    }

    @Test
    void sameTracksMakeAnEmptyDiff() {
        List<PublishedTrack> tracks = List.of(track("0", "a", List.of(1)), track("1", "b", List.of(2)));

        assertThat(TrackDiff.between(tracks, List.copyOf(tracks)).isEmpty()).isTrue();
    }

    @Test
    void tracksAreMatchedByMidAndTrackId() {
        PublishedTrack a = track("0", "a", List.of(1));
        PublishedTrack b = track("1", "b", List.of(2));
        PublishedTrack bChanged = track("1", "b", List.of(3));
        PublishedTrack cOnMidOfA = track("0", "c", List.of(1));
        PublishedTrack d = track("2", "d", List.of(4));

        TrackDiff diff = TrackDiff.between(List.of(a, b), List.of(cOnMidOfA, bChanged, d));

        assertThat(diff.added()).containsExactly(cOnMidOfA, d);
        assertThat(diff.removed()).containsExactly(a);
        assertThat(diff.updated()).containsExactly(bChanged);
    }
}
