package io.sfu.core.sdp;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written offer in the style of Firefox (not a capture, see src/test/resources/sdp/README.md): the
 * session-level attributes, bundle-only sections and related-address candidates that Chromium does not write.
 */
class FirefoxStyleOfferTest {

    private final String text = Fixtures.load(Fixtures.FIREFOX_STYLE_HANDWRITTEN);
    private final SessionDescription sdp = SdpParser.parse(text);

    @Test
    void roundTripsByteForByte() {
        assertThat(sdp.write()).isEqualTo(text);
        sdp.validateAttributes();
    }

    @Test
    void sessionLevelAttributesApplyToEverySection() {
        assertThat(sdp.origin().username()).isEqualTo("mozilla...THIS_IS_SDPARTA-128.0");
        assertThat(sdp.origin().sessionVersion()).isZero();
        assertThat(sdp.fingerprint().orElseThrow().hashFunction()).isEqualTo("sha-256");
        assertThat(sdp.iceOptions()).containsExactly("trickle");
        assertThat(sdp.msidSemantic()).contains(new MsidSemantic("WMS", List.of("*")));
        assertThat(sdp.direction()).contains(Direction.SENDRECV);
        // the audio section's own direction overrides the session-level one
        assertThat(sdp.directionOf(sdp.media().get(0))).isEqualTo(Direction.SENDONLY);
        assertThat(sdp.media().get(0).fingerprint()).isEmpty();
    }

    @Test
    void bundleOnlySectionsHavePortZeroButAreNotRejected() {
        MediaDescription video = sdp.mediaByMid("1").orElseThrow();
        MediaDescription data = sdp.mediaByMid("2").orElseThrow();

        assertThat(video.port()).isZero();
        assertThat(video.isBundleOnly()).isTrue();
        assertThat(video.isRejected()).isFalse();
        assertThat(data.isBundleOnly()).isTrue();
        assertThat(sdp.mediaByMid("0").orElseThrow().isBundleOnly()).isFalse();
    }

    @Test
    void candidatesCarryRelatedAddressesAndEndOfCandidates() {
        MediaDescription audio = sdp.media().get(0);
        List<Candidate> candidates = audio.candidates();

        assertThat(candidates).extracting(Candidate::type)
            .containsExactly(Candidate.HOST, Candidate.HOST, Candidate.SRFLX, Candidate.RELAY);
        assertThat(candidates.get(0).transport()).isEqualTo("UDP");
        assertThat(candidates.get(0).isUdp()).isTrue();
        assertThat(candidates.get(0).extensions()).isEmpty();
        assertThat(candidates.get(1).tcpType()).isEqualTo("active");
        Candidate srflx = candidates.get(2);
        assertThat(srflx.address()).isEqualTo("198.51.100.7");
        assertThat(srflx.relatedAddress()).isEqualTo("192.0.2.10");
        assertThat(srflx.relatedPort()).isEqualTo(54121);
        assertThat(candidates.get(3).priority()).isEqualTo(92217343L);
        assertThat(audio.isEndOfCandidates()).isTrue();
        assertThat(audio.connection().orElseThrow().address()).isEqualTo("198.51.100.7");
    }

    @Test
    void extmapDirectionsAndBracedMsidsParse() {
        MediaDescription audio = sdp.media().get(0);
        MediaDescription video = sdp.media().get(1);

        assertThat(audio.extmaps().get(1)).isEqualTo(
            new Extmap(2, Direction.RECVONLY, "urn:ietf:params:rtp-hdrext:csrc-audio-level", null));
        assertThat(video.extmap("http://www.webrtc.org/experiments/rtp-hdrext/playout-delay").orElseThrow()
            .direction()).isEqualTo(Direction.RECVONLY);
        assertThat(audio.msid().orElseThrow().streamId()).isEqualTo("{1c0a6e2f-8b3d-4c59-9f7e-2d4b6a8c0e11}");
        assertThat(audio.codec(101).orElseThrow().fmtp().parameters()).containsOnlyKeys("0-15");
        assertThat(audio.codec(9).orElseThrow().rtpmap().channels()).isEqualTo(1);
    }

    @Test
    void videoSimulcastAndRtxPairs() {
        MediaDescription video = sdp.media().get(1);

        assertThat(video.simulcast().orElseThrow().sendRids()).containsExactly("q", "h", "f");
        assertThat(video.rids()).extracting(Rid::id).containsExactly("q", "h", "f");
        assertThat(video.codecs()).extracting(Codec::payloadType, c -> c.fmtp().associatedPayloadType())
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(120, -1),
                org.assertj.core.groups.Tuple.tuple(124, 120),
                org.assertj.core.groups.Tuple.tuple(126, -1),
                org.assertj.core.groups.Tuple.tuple(127, 126));
        assertThat(video.codec(126).orElseThrow().parameter("PROFILE-LEVEL-ID")).isEqualTo("42e01f");
    }
}
