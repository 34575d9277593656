package io.sfu.core.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sfu.core.negotiation.FeedbackSupport;
import io.sfu.core.negotiation.NegotiatedCodec;
import io.sfu.core.negotiation.PublishedTrack;
import io.sfu.core.rtp.HeaderExtensionUris;
import io.sfu.core.sdp.MediaKind;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A track's relay description: what the importing node rebuilds from it, and what it refuses to read. */
class RelayDescriptionTest {
    private static final NegotiatedCodec VP8 = new NegotiatedCodec(96, "VP8", 90_000, 0, Map.of(), 97,
        List.of(NegotiatedCodec.NACK, NegotiatedCodec.PLI, NegotiatedCodec.TRANSPORT_CC));
    private static final NegotiatedCodec H264 = new NegotiatedCodec(102, "H264", 90_000, 0,
        orderedParameters(), 103, List.of(NegotiatedCodec.NACK));

    private static Map<String, String> orderedParameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("profile-level-id", "42e01f");
        parameters.put("packetization-mode", "1");
        parameters.put("flag-without-value", null);
        return parameters;
    }

    private static PublishedTrack simulcastTrack() {
        Map<String, Integer> extensions = new LinkedHashMap<>();
        extensions.put(HeaderExtensionUris.MID, 9);
        extensions.put(HeaderExtensionUris.RTP_STREAM_ID, 10);
        extensions.put(HeaderExtensionUris.TRANSPORT_WIDE_CC, 3);
        extensions.put(HeaderExtensionUris.DEPENDENCY_DESCRIPTOR, 12);
        return new PublishedTrack("1", MediaKind.VIDEO, "stream", "cam", List.of("q", "h", "f"), List.of(),
            Map.of(), null, List.of(VP8, H264), extensions, new FeedbackSupport(true, true, false, true, false));
    }

    @Test
    void theImportingNodeRebuildsTheTrackWithTheRelaysSsrcsAndExtensionIds() {
        int[] ssrcs = {11, 12, 13};
        int[] rtx = {21, 22, 23};
        String printed = RelayDescription.of(7, simulcastTrack(), ssrcs, rtx).encode();
        assertThat(printed).matches("[A-Za-z0-9_-]+");

        RelayDescription read = RelayDescription.decode(printed);
        PublishedTrack imported = read.toPublishedTrack("track-1", "pub");

        assertThat(read.roomSsrc()).isEqualTo(7);
        assertThat(imported.trackId()).isEqualTo("track-1");
        assertThat(imported.kind()).isEqualTo(MediaKind.VIDEO);
        assertThat(imported.rids()).containsExactly("q", "h", "f");
        assertThat(imported.ssrcs()).containsExactly(11, 12, 13);
        assertThat(imported.rtxSsrcs()).containsEntry(11, 21).containsEntry(12, 22).containsEntry(13, 23);
        assertThat(imported.codecs()).containsExactly(VP8, H264);
        assertThat(new java.util.ArrayList<>(imported.codecs().get(1).parameters().keySet()))
            .containsExactly("profile-level-id", "packetization-mode", "flag-without-value");
        // mid and rid are not relayed (SSRCs are announced); the rest take the relay's own ids
        assertThat(imported.extensions()).containsOnly(
            Map.entry(HeaderExtensionUris.TRANSPORT_WIDE_CC, 2), Map.entry(HeaderExtensionUris.DEPENDENCY_DESCRIPTOR, 5));
        assertThat(imported.feedback()).isEqualTo(new FeedbackSupport(true, true, false, true, false));
    }

    @Test
    void descriptionsThatAreTooLongNotBase64TruncatedOrOutOfBoundsAreRefused() {
        String good = RelayDescription.of(7, simulcastTrack(), new int[] {11, 12, 13}, new int[] {21, 22, 23})
            .encode();
        byte[] bytes = Base64.getUrlDecoder().decode(good);

        assertThatThrownBy(() -> RelayDescription.decode(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RelayDescription.decode("A".repeat(RelayDescription.MAX_CHARS + 1)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RelayDescription.decode("not base64!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RelayDescription.decode(good.substring(0, good.length() - 8)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RelayDescription.decode(good + "AAAA")).isInstanceOf(IllegalArgumentException.class);
        byte[] otherVersion = bytes.clone();
        otherVersion[0] = 2;
        assertThatThrownBy(() -> RelayDescription.decode(print(otherVersion)))
            .isInstanceOf(IllegalArgumentException.class);
        byte[] noRoom = bytes.clone();
        noRoom[1] = noRoom[2] = noRoom[3] = noRoom[4] = 0;
        assertThatThrownBy(() -> RelayDescription.decode(print(noRoom))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RelayDescription.of(7, simulcastTrack(), new int[] {11, 12}, new int[] {21, 22}))
            .as("a rid per encoding").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anyOctetsEitherReadOrAreRefusedWithIllegalArgument() {
        byte[] good = Base64.getUrlDecoder().decode(RelayDescription.of(7, simulcastTrack(), new int[] {11, 12, 13},
            new int[] {21, 22, 23}).encode());
        Random random = new Random(42);
        for (int run = 0; run < 20_000; run++) {
            byte[] mutated = good.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            String printed = print(mutated);
            try {
                RelayDescription read = RelayDescription.decode(printed);
                assertThat(read.ssrcs().length).isBetween(1, RelayDescription.MAX_ENCODINGS);
            } catch (IllegalArgumentException refused) {
                // refused, as it should be when it does not hold together
            }
        }
    }

    private static String print(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
