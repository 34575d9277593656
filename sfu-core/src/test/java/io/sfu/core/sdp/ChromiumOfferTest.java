package io.sfu.core.sdp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Offers (and one answer) captured from headless Chromium 156: typed values and byte-exact round trips. */
class ChromiumOfferTest {

    static final List<String> CAPTURED = Fixtures.CAPTURED;

    @ParameterizedTest
    @FieldSource("CAPTURED")
    void capturedDescriptionRoundTripsByteForByte(String fixture) {
        String text = Fixtures.load(fixture);
        assertThat(text).contains("\r\n").doesNotContain("\r\r");

        SessionDescription sdp = SdpParser.parse(text);

        assertThat(sdp.write()).isEqualTo(text);
        assertThat(sdp.toString()).isEqualTo(text);
    }

    @ParameterizedTest
    @FieldSource("CAPTURED")
    void capturedDescriptionParsesWithLineFeedsOnlyAndWritesCrlf(String fixture) {
        String text = Fixtures.load(fixture);

        SessionDescription sdp = SdpParser.parse(text.replace("\r\n", "\n"));

        assertThat(sdp.write()).isEqualTo(text);
    }

    @ParameterizedTest
    @FieldSource("CAPTURED")
    void everyTypedAttributeOfACaptureIsWellFormed(String fixture) {
        SessionDescription sdp = SdpParser.parse(Fixtures.load(fixture));

        sdp.validateAttributes();

        // every typed attribute writes back to the very text it was parsed from
        for (MediaDescription m : sdp.media()) {
            assertThat(m.extmaps()).extracting(e -> e.toAttribute().toString())
                .containsExactlyElementsOf(m.attributes(AttributeNames.EXTMAP).stream().map(Attribute::toString).toList());
            if (m.isRtp()) {
                assertThat(m.rtpmaps()).extracting(r -> "rtpmap:" + r.attributeValue())
                    .containsExactlyElementsOf(texts(m, AttributeNames.RTPMAP));
                assertThat(m.fmtps()).extracting(r -> "fmtp:" + r.attributeValue())
                    .containsExactlyElementsOf(texts(m, AttributeNames.FMTP));
                assertThat(m.rtcpFeedback()).extracting(r -> "rtcp-fb:" + r.attributeValue())
                    .containsExactlyElementsOf(texts(m, AttributeNames.RTCP_FB));
            }
            assertThat(m.candidates()).extracting(c -> "candidate:" + c.attributeValue())
                .containsExactlyElementsOf(texts(m, AttributeNames.CANDIDATE));
            assertThat(m.ssrcs()).extracting(s -> "ssrc:" + s.attributeValue())
                .containsExactlyElementsOf(texts(m, AttributeNames.SSRC));
        }
    }

    private static List<String> texts(MediaDescription m, String name) {
        return m.attributes(name).stream().map(Attribute::toString).toList();
    }

    @Test
    void publisherOfferAfterGatheringHasAudioAndVideoWithCandidates() {
        SessionDescription sdp = SdpParser.parse(Fixtures.load(Fixtures.AUDIO_VIDEO_GATHERED));

        assertThat(sdp.version()).isZero();
        assertThat(sdp.origin()).isEqualTo(new Origin("-", "8410275011080952541", 2, "IN", "IP4", "127.0.0.1"));
        assertThat(sdp.sessionName()).isEqualTo("-");
        assertThat(sdp.timings()).containsExactly(Timing.PERMANENT);
        assertThat(sdp.bundleGroup()).contains(Group.bundle(List.of("0", "1")));
        assertThat(sdp.isExtmapAllowMixed()).isTrue();
        assertThat(sdp.isIceLite()).isFalse();
        assertThat(sdp.msidSemantic()).contains(
            new MsidSemantic("WMS", List.of("65d48a9e-25ac-487c-b295-73134a8666fc")));
        assertThat(sdp.media()).extracting(MediaDescription::media).containsExactly("audio", "video");
        assertThat(sdp.media()).extracting(m -> m.mid().orElseThrow()).containsExactly("0", "1");

        MediaDescription audio = sdp.mediaByMid("0").orElseThrow();
        assertThat(audio.port()).isEqualTo(52333);
        assertThat(audio.proto()).isEqualTo(MediaDescription.PROTO_RTP);
        assertThat(audio.payloadTypes()).containsExactly(111, 63, 9, 0, 8, 13, 110, 126);
        assertThat(audio.connection()).contains(new Connection("IN", "IP4", "127.0.0.1"));
        assertThat(audio.rtcp()).contains(new Rtcp(9, Connection.IP4_ANY));
        assertThat(audio.iceUfrag()).contains("x++Q");
        assertThat(audio.icePwd()).contains("ewkRjvZb06EFA1nkKDLVgxy8");
        assertThat(audio.iceOptions()).containsExactly("trickle");
        assertThat(audio.setup()).contains(Setup.ACTPASS);
        assertThat(audio.direction()).contains(Direction.SENDRECV);
        assertThat(audio.isRtcpMux()).isTrue();
        assertThat(audio.isRtcpRsize()).isTrue();
        assertThat(audio.msid()).contains(new Msid("65d48a9e-25ac-487c-b295-73134a8666fc",
            "2a1d6342-f543-4dfe-94bc-3cebd1e3b206"));
        Fingerprint fingerprint = audio.fingerprint().orElseThrow();
        assertThat(fingerprint.hashFunction()).isEqualTo("sha-256");
        assertThat(fingerprint.bytes()).isEqualTo(HexFormat.of().parseHex(
            "AE77BCC234D44E559C4C0A98FCB080DBA2D6CB4534DBB649B61AB22DA5949C57"));
        assertThat(audio.extmaps()).extracting(Extmap::id, Extmap::uri).containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "urn:ietf:params:rtp-hdrext:ssrc-audio-level"),
            org.assertj.core.groups.Tuple.tuple(2, "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"),
            org.assertj.core.groups.Tuple.tuple(3,
                "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"),
            org.assertj.core.groups.Tuple.tuple(4, "urn:ietf:params:rtp-hdrext:sdes:mid"));

        Codec opus = audio.codecs().get(0);
        assertThat(opus.rtpmap()).isEqualTo(new Rtpmap(111, "opus", 48000, 2));
        assertThat(opus.fmtp().parameters()).containsExactly(Map.entry("minptime", "10"), Map.entry("useinbandfec", "1"));
        assertThat(opus.feedback()).containsExactly(new RtcpFb(111, "transport-cc"));
        Codec red = audio.codec(63).orElseThrow();
        assertThat(red.rtpmap()).isEqualTo(new Rtpmap(63, "red", 48000, 2));
        assertThat(red.fmtp().parameters()).containsOnlyKeys("111/111").containsEntry("111/111", null);
        assertThat(audio.codec(0).orElseThrow().rtpmap()).isEqualTo(new Rtpmap(0, "PCMU", 8000));
        assertThat(audio.ssrcs()).containsExactly(
            Ssrc.cname(3868367940L, "M4kCltHhaHNwML4N"),
            new Ssrc(3868367940L, "msid",
                "65d48a9e-25ac-487c-b295-73134a8666fc 2a1d6342-f543-4dfe-94bc-3cebd1e3b206"));

        List<Candidate> candidates = audio.candidates();
        assertThat(candidates).hasSize(8);
        Candidate loopback = candidates.get(0);
        assertThat(loopback.foundation()).isEqualTo("395051198");
        assertThat(loopback.component()).isEqualTo(1);
        assertThat(loopback.isUdp()).isTrue();
        assertThat(loopback.priority()).isEqualTo(2122194687L);
        assertThat(loopback.address()).isEqualTo("127.0.0.1");
        assertThat(loopback.port()).isEqualTo(52333);
        assertThat(loopback.type()).isEqualTo(Candidate.HOST);
        assertThat(loopback.relatedAddress()).isNull();
        assertThat(loopback.relatedPort()).isEqualTo(-1);
        assertThat(loopback.extensions()).containsExactly(Map.entry("generation", "0"), Map.entry("network-id", "3"),
            Map.entry("network-cost", "50"));
        assertThat(candidates.get(2).address()).isEqualTo("::1");
        Candidate tcp = candidates.get(4);
        assertThat(tcp.isTcp()).isTrue();
        assertThat(tcp.port()).isEqualTo(9);
        assertThat(tcp.tcpType()).isEqualTo("active");
        assertThat(audio.isEndOfCandidates()).isFalse();

        MediaDescription video = sdp.mediaByMid("1").orElseThrow();
        assertThat(video.port()).isEqualTo(9);
        assertThat(video.candidates()).isEmpty();
        assertThat(video.extmap("urn:ietf:params:rtp-hdrext:toffset").orElseThrow().id()).isEqualTo(14);
        assertThat(video.extmap("urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id").orElseThrow().id()).isEqualTo(10);
        Codec vp8 = video.codecs().get(0);
        assertThat(vp8.name()).isEqualTo("VP8");
        assertThat(vp8.feedback()).extracting(RtcpFb::type, RtcpFb::subtype).containsExactly(
            org.assertj.core.groups.Tuple.tuple("goog-remb", null),
            org.assertj.core.groups.Tuple.tuple("transport-cc", null),
            org.assertj.core.groups.Tuple.tuple("ccm", "fir"),
            org.assertj.core.groups.Tuple.tuple("nack", null),
            org.assertj.core.groups.Tuple.tuple("nack", "pli"));
        assertThat(vp8.hasFeedback("nack", "pli")).isTrue();
        Codec rtx = video.codec(97).orElseThrow();
        assertThat(rtx.isRtx()).isTrue();
        assertThat(rtx.fmtp().associatedPayloadType()).isEqualTo(96);
        Codec h264 = video.codec(102).orElseThrow();
        assertThat(h264.parameter("profile-level-id")).isEqualTo("42001f");
        assertThat(h264.parameter("packetization-mode")).isEqualTo("1");
        assertThat(h264.fmtp().parameters().keySet())
            .containsExactly("level-asymmetry-allowed", "packetization-mode", "profile-level-id");
        assertThat(video.codecs()).extracting(Codec::name).contains("AV1", "VP9", "red", "ulpfec");
        assertThat(video.ssrcGroups()).containsExactly(
            new SsrcGroup(SsrcGroup.FID, List.of(1526071976L, 1557596055L)));
    }

    @Test
    void simulcastOfferListsThreeRidsAndNoVideoSsrcs() {
        SessionDescription sdp = SdpParser.parse(Fixtures.load(Fixtures.SIMULCAST));

        assertThat(sdp.bundleGroup().orElseThrow().mids()).containsExactly("0", "1");
        MediaDescription audio = sdp.media().get(0);
        assertThat(audio.direction()).contains(Direction.SENDONLY);
        assertThat(audio.iceUfrag()).contains("no7/");
        assertThat(audio.icePwd()).contains("hB0oli89/WW+sDckN3STHPd1");
        assertThat(audio.fingerprint().orElseThrow().fingerprint()).isEqualTo(
            "24:26:AD:B7:1F:ED:E4:33:37:74:58:0E:38:75:70:DB:79:84:D0:57:DE:20:D9:82:81:52:72:BC:26:97:29:F2");
        assertThat(audio.ssrcs()).extracting(Ssrc::ssrc).containsOnly(2272081225L);

        MediaDescription video = sdp.media().get(1);
        assertThat(video.media()).isEqualTo("video");
        assertThat(video.mid()).contains("1");
        assertThat(video.direction()).contains(Direction.SENDONLY);
        assertThat(video.rids()).containsExactly(
            new Rid("q", RidDirection.SEND), new Rid("h", RidDirection.SEND), new Rid("f", RidDirection.SEND));
        Simulcast simulcast = video.simulcast().orElseThrow();
        assertThat(simulcast.sendRids()).containsExactly("q", "h", "f");
        assertThat(simulcast.send()).containsExactly(
            List.of(new Simulcast.SimulcastId("q", false)),
            List.of(new Simulcast.SimulcastId("h", false)),
            List.of(new Simulcast.SimulcastId("f", false)));
        assertThat(simulcast.recv()).isEmpty();
        assertThat(video.ssrcs()).isEmpty();
        assertThat(video.ssrcGroups()).isEmpty();
        // the ids the SFU needs to map SSRCs to layers
        assertThat(video.extmap("urn:ietf:params:rtp-hdrext:sdes:mid").orElseThrow().id()).isEqualTo(4);
        assertThat(video.extmap("urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id").orElseThrow().id()).isEqualTo(10);
        assertThat(video.extmap("urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id").orElseThrow().id())
            .isEqualTo(11);
        assertThat(video.extmap(
            "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension")
            .orElseThrow().id()).isEqualTo(12);
        assertThat(video.msid().orElseThrow().streamId()).isEqualTo("9bfd02e0-cb86-4abd-b97a-cf05678635cf");
    }

    @Test
    void maxBundleVariantsKeepDirectionsTracklessMsidAndDataChannel() {
        SessionDescription sdp = SdpParser.parse(Fixtures.load(Fixtures.VARIANTS_MAX_BUNDLE));

        assertThat(sdp.bundleGroup().orElseThrow().mids()).containsExactly("0", "1", "2", "3", "4");
        assertThat(sdp.msidSemantic()).contains(new MsidSemantic("WMS", List.of()));
        assertThat(sdp.attributeValue(AttributeNames.MSID_SEMANTIC)).contains(" WMS");
        assertThat(sdp.media()).extracting(sdp::directionOf).containsExactly(
            Direction.RECVONLY, Direction.RECVONLY, Direction.SENDRECV, Direction.INACTIVE, Direction.SENDRECV);
        assertThat(sdp.media().get(0).msid()).isEmpty();
        assertThat(sdp.media().get(2).msid().orElseThrow().streamId()).isEqualTo("-");
        assertThat(sdp.media().get(2).ssrcGroups()).extracting(SsrcGroup::semantics).containsExactly("FID");
        assertThat(sdp.media().get(1).codec(49).orElseThrow().name()).isEqualTo("flexfec-03");
        assertThat(sdp.media()).noneMatch(MediaDescription::isBundleOnly).noneMatch(MediaDescription::isRejected);

        MediaDescription data = sdp.media().get(4);
        assertThat(data.media()).isEqualTo("application");
        assertThat(data.proto()).isEqualTo(MediaDescription.PROTO_SCTP);
        assertThat(data.isRtp()).isFalse();
        assertThat(data.formats()).containsExactly("webrtc-datachannel");
        assertThat(data.mid()).contains("4");
        assertThat(data.attributeValue(AttributeNames.SCTP_PORT)).contains("5000");
        assertThat(data.attributeValue(AttributeNames.MAX_MESSAGE_SIZE)).contains("262144");
        assertThat(data.isRtcpMux()).isFalse();
        assertThat(data.direction()).isEmpty();
    }

    @Test
    void answerToASimulcastOfferIsActiveAndReceiveOnly() {
        SessionDescription sdp = SdpParser.parse(Fixtures.load(Fixtures.SIMULCAST_ANSWER));

        assertThat(sdp.media()).allSatisfy(m -> {
            assertThat(m.setup()).contains(Setup.ACTIVE);
            assertThat(m.direction()).contains(Direction.RECVONLY);
            assertThat(m.iceUfrag()).contains("HBjt");
            assertThat(m.msid()).isEmpty();
            assertThat(m.rids()).isEmpty();
            assertThat(m.simulcast()).isEmpty();
        });
    }
}
