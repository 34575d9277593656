package io.sfu.core.negotiation;

import io.sfu.core.dtls.DtlsRole;
import io.sfu.core.rtp.HeaderExtensionUris;
import io.sfu.core.sdp.AttributeNames;
import io.sfu.core.sdp.Candidate;
import io.sfu.core.sdp.Codec;
import io.sfu.core.sdp.Direction;
import io.sfu.core.sdp.Extmap;
import io.sfu.core.sdp.Group;
import io.sfu.core.sdp.MediaDescription;
import io.sfu.core.sdp.MediaKind;
import io.sfu.core.sdp.Rid;
import io.sfu.core.sdp.RidDirection;
import io.sfu.core.sdp.RtcpFb;
import io.sfu.core.sdp.SdpParser;
import io.sfu.core.sdp.SessionDescription;
import io.sfu.core.sdp.Setup;
import io.sfu.core.sdp.Simulcast;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Answers to the offers captured from Chromium 156 (and the hand-written Firefox-style one) in sdp/. */
class PublisherNegotiatorTest {

    static final List<String> OFFERS = Fixtures.OFFERS;
    private static final Set<String> ALLOWED_FEEDBACK = Set.of("nack", "nack pli", "ccm fir", "transport-cc",
        "goog-remb");

    private final PublisherNegotiator negotiator = new PublisherNegotiator(new SplittableRandom(7));

    private PublisherAnswer answer(String fixture) {
        return negotiator.answer(Fixtures.load(fixture), Fixtures.LOCAL);
    }

    // ---------------------------------------------------------------- properties of every answer

    @ParameterizedTest
    @FieldSource("OFFERS")
    void answerIsIceLiteAtSessionLevelOnly(String fixture) {
        SessionDescription answer = answer(fixture).answer();

        assertThat(answer.isIceLite()).isTrue();
        assertThat(answer.media()).noneMatch(m -> m.hasAttribute(AttributeNames.ICE_LITE));
        assertThat(answer.write()).startsWith("v=0\r\no=- ").contains("\r\ns=-\r\nt=0 0\r\na=ice-lite\r\n");
    }

    @ParameterizedTest
    @FieldSource("OFFERS")
    void oneBundleGroupListsExactlyTheAcceptedMidsInOfferOrder(String fixture) {
        SessionDescription offer = Fixtures.load(fixture);
        SessionDescription answer = negotiator.answer(offer, Fixtures.LOCAL).answer();

        List<String> accepted = new ArrayList<>();
        for (MediaDescription m : answer.media()) {
            if (m.port() != 0) {
                accepted.add(m.mid().orElseThrow());
            }
        }
        assertThat(accepted).isNotEmpty();
        assertThat(answer.groups()).containsExactly(Group.bundle(accepted));
        // same m-lines, same mids, same order as the offer
        assertThat(answer.media()).extracting(MediaDescription::media)
            .containsExactlyElementsOf(offer.media().stream().map(MediaDescription::media).toList());
        assertThat(answer.media()).extracting(m -> m.mid().orElseThrow())
            .containsExactlyElementsOf(offer.media().stream().map(m -> m.mid().orElseThrow()).toList());
    }

    @ParameterizedTest
    @FieldSource("OFFERS")
    void everyAcceptedMlineCarriesTheSfuTransportAndItsCandidates(String fixture) {
        SessionDescription offer = Fixtures.load(fixture);
        SessionDescription answer = negotiator.answer(offer, Fixtures.LOCAL).answer();

        for (int i = 0; i < answer.media().size(); i++) {
            MediaDescription m = answer.media().get(i);
            if (m.port() == 0) {
                continue;
            }
            assertThat(m.port()).as("mid %s", m.mid()).isEqualTo(9);
            assertThat(m.proto()).isEqualTo(offer.media().get(i).proto());
            assertThat(m.connection().orElseThrow().address()).isEqualTo("0.0.0.0");
            assertThat(m.iceUfrag()).contains("sfuUfrag");
            assertThat(m.icePwd()).contains("sfuPasswordSfuPassword22");
            assertThat(m.fingerprint()).contains(Fixtures.LOCAL.fingerprint());
            assertThat(m.setup()).contains(Setup.PASSIVE);
            assertThat(m.isRtcpMux()).isTrue();
            assertThat(m.isRtcpRsize()).isEqualTo(offer.media().get(i).isRtcpRsize());
            assertThat(m.candidates()).extracting(Candidate::address, Candidate::port, Candidate::type,
                    Candidate::transport, Candidate::component)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("127.0.0.1", 10000, "host", "udp", 1),
                    org.assertj.core.groups.Tuple.tuple("::1", 10000, "host", "udp", 1));
            assertThat(m.isEndOfCandidates()).isTrue();
        }
    }

    @ParameterizedTest
    @FieldSource("OFFERS")
    void theSfuNeverSendsOnThePublisherConnection(String fixture) {
        SessionDescription offer = Fixtures.load(fixture);
        SessionDescription answer = negotiator.answer(offer, Fixtures.LOCAL).answer();

        for (int i = 0; i < answer.media().size(); i++) {
            MediaDescription m = answer.media().get(i);
            if (m.port() == 0) {
                continue;
            }
            Direction offered = offer.directionOf(offer.media().get(i));
            assertThat(m.direction()).as("mid %s offered %s", m.mid(), offered)
                .contains(offered.sends() ? Direction.RECVONLY : Direction.INACTIVE);
        }
    }

    @ParameterizedTest
    @FieldSource("OFFERS")
    void audioKeepsOnlyOpusWithItsFmtpAndTransportCc(String fixture) {
        SessionDescription offer = Fixtures.load(fixture);
        SessionDescription answer = negotiator.answer(offer, Fixtures.LOCAL).answer();

        for (int i = 0; i < answer.media().size(); i++) {
            MediaDescription m = answer.media().get(i);
            if (m.port() == 0 || !m.media().equals("audio")) {
                continue;
            }
            MediaDescription o = offer.media().get(i);
            assertThat(m.codecs()).isNotEmpty().allSatisfy(c -> {
                assertThat(c.name()).isEqualTo("opus");
                assertThat(c.rtpmap().clockRate()).isEqualTo(48000);
                assertThat(c.rtpmap().channels()).isEqualTo(2);
                assertThat(c.fmtp()).isEqualTo(o.fmtp(c.payloadType()).orElse(null));
                assertThat(c.feedback()).allMatch(fb -> fb.type().equals("transport-cc"));
                assertThat(c.hasFeedback("transport-cc", null))
                    .isEqualTo(o.codec(c.payloadType()).orElseThrow().hasFeedback("transport-cc", null));
            });
        }
    }

    @ParameterizedTest
    @FieldSource("OFFERS")
    void videoKeepsForwardableCodecsWithTheirRtxAndAllowedFeedbackInOfferOrder(String fixture) {
        SessionDescription offer = Fixtures.load(fixture);
        SessionDescription answer = negotiator.answer(offer, Fixtures.LOCAL).answer();

        for (int i = 0; i < answer.media().size(); i++) {
            MediaDescription m = answer.media().get(i);
            if (m.port() == 0 || !m.media().equals("video")) {
                continue;
            }
            MediaDescription o = offer.media().get(i);
            List<Integer> pts = m.payloadTypes();
            // the offer's numbers, in the offer's order
            assertThat(o.payloadTypes()).containsSubsequence(pts);
            for (Codec c : m.codecs()) {
                assertThat(c.name()).isIn("VP8", "VP9", "H264", "AV1", "rtx");
                assertThat(c.rtpmap()).isEqualTo(o.rtpmap(c.payloadType()).orElseThrow());
                assertThat(c.fmtp()).isEqualTo(o.fmtp(c.payloadType()).orElse(null));
                if (c.is("H264")) {
                    assertThat(c.parameter("packetization-mode")).isEqualTo("1");
                    assertThat(c.parameter("level-asymmetry-allowed")).isEqualTo("1");
                }
                if (c.is("VP9")) {
                    assertThat(c.parameter("profile-id")).isIn(null, "0", "2");
                }
                if (c.isRtx()) {
                    int apt = c.fmtp().associatedPayloadType();
                    assertThat(pts).contains(apt);
                    assertThat(m.codec(apt).orElseThrow().isRtx()).isFalse();
                    assertThat(c.feedback()).isEmpty();
                } else {
                    // every primary that had an RTX in the offer keeps it
                    boolean offeredRtx = o.codecs().stream().anyMatch(r -> r.isRtx()
                        && r.fmtp().associatedPayloadType() == c.payloadType());
                    assertThat(m.codecs().stream().anyMatch(r -> r.isRtx()
                        && r.fmtp().associatedPayloadType() == c.payloadType())).isEqualTo(offeredRtx);
                    List<String> offeredAllowed = o.codec(c.payloadType()).orElseThrow().feedback().stream()
                        .map(PublisherNegotiatorTest::value).filter(ALLOWED_FEEDBACK::contains).distinct().toList();
                    assertThat(c.feedback()).extracting(PublisherNegotiatorTest::value)
                        .containsExactlyElementsOf(offeredAllowed);
                }
            }
            assertThat(m.codecs()).noneMatch(c -> c.is("red") || c.is("ulpfec") || c.is("flexfec-03"));
        }
    }

    private static String value(RtcpFb fb) {
        return fb.subtype() == null ? fb.type() : fb.type() + " " + fb.subtype();
    }

    @ParameterizedTest
    @FieldSource("OFFERS")
    void acceptedExtensionsKeepTheOfferedIds(String fixture) {
        SessionDescription offer = Fixtures.load(fixture);
        SessionDescription answer = negotiator.answer(offer, Fixtures.LOCAL).answer();

        for (int i = 0; i < answer.media().size(); i++) {
            MediaDescription m = answer.media().get(i);
            MediaDescription o = offer.media().get(i);
            for (Extmap e : m.extmaps()) {
                assertThat(PublisherNegotiator.ACCEPTED_HEADER_EXTENSIONS).contains(e.uri());
                assertThat(o.extmap(e.uri()).orElseThrow().id()).isEqualTo(e.id());
            }
            if (m.port() != 0) {
                List<String> offeredAccepted = o.extmaps().stream().map(Extmap::uri)
                    .filter(PublisherNegotiator.ACCEPTED_HEADER_EXTENSIONS::contains)
                    .filter(uri -> o.extmap(uri).orElseThrow().direction() != Direction.RECVONLY).toList();
                assertThat(m.extmaps()).extracting(Extmap::uri).containsExactlyElementsOf(offeredAccepted);
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OFFERS")
    void writtenAnswerParsesAgainAndRoundTrips(String fixture) {
        String text = answer(fixture).answer().write();

        SessionDescription reparsed = SdpParser.parse(text);
        reparsed.validateAttributes();

        assertThat(reparsed.write()).isEqualTo(text);
    }

    // ---------------------------------------------------------------- per capture

    @Test
    void gatheredAudioVideoOfferYieldsTwoTracksWithSsrcsMsidAndRtx() {
        PublisherAnswer a = answer(Fixtures.AUDIO_VIDEO_GATHERED);

        assertThat(a.acceptedMids()).containsExactly("0", "1");
        assertThat(a.tracks()).hasSize(2);
        PublishedTrack audio = a.tracks().get(0);
        assertThat(audio.mid()).isEqualTo("0");
        assertThat(audio.kind()).isEqualTo(MediaKind.AUDIO);
        assertThat(audio.streamId()).isEqualTo("65d48a9e-25ac-487c-b295-73134a8666fc");
        assertThat(audio.trackId()).isEqualTo("2a1d6342-f543-4dfe-94bc-3cebd1e3b206");
        assertThat(audio.ssrcs()).containsExactly((int) 3868367940L);
        assertThat(audio.rtxSsrcs()).isEmpty();
        assertThat(audio.cname()).isEqualTo("M4kCltHhaHNwML4N");
        assertThat(audio.rids()).isEmpty();
        assertThat(audio.codecs()).extracting(NegotiatedCodec::payloadType, NegotiatedCodec::name,
                NegotiatedCodec::clockRate, NegotiatedCodec::channels, NegotiatedCodec::rtxPayloadType)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(111, "opus", 48000, 2, -1));
        assertThat(audio.codecs().get(0).parameters()).containsExactly(Map.entry("minptime", "10"),
            Map.entry("useinbandfec", "1"));
        assertThat(audio.extensionId(HeaderExtensionUris.AUDIO_LEVEL)).isEqualTo(1);
        assertThat(audio.extensionId(HeaderExtensionUris.MID)).isEqualTo(4);
        assertThat(audio.feedback()).isEqualTo(new FeedbackSupport(false, false, false, true, false));

        PublishedTrack video = a.tracks().get(1);
        assertThat(video.mid()).isEqualTo("1");
        assertThat(video.kind()).isEqualTo(MediaKind.VIDEO);
        assertThat(video.trackId()).isEqualTo("5d5b1d58-4541-4759-aa8c-d81c94ea1114");
        assertThat(video.ssrcs()).containsExactly(1526071976);
        assertThat(video.rtxSsrcs()).containsExactly(Map.entry(1526071976, 1557596055));
        assertThat(video.codecs()).extracting(NegotiatedCodec::payloadType)
            .containsExactly(96, 102, 108, 116, 45, 98, 100);
        assertThat(video.codecs()).extracting(NegotiatedCodec::rtxPayloadType)
            .containsExactly(97, 103, 109, 117, 46, 99, 101);
        assertThat(video.codec(96).orElseThrow().feedback())
            .containsExactly("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli");
        assertThat(video.extensionId(HeaderExtensionUris.RTP_STREAM_ID)).isEqualTo(10);
        assertThat(video.extensionId(HeaderExtensionUris.VIDEO_ORIENTATION)).isEqualTo(13);
        assertThat(video.extensionId("urn:ietf:params:rtp-hdrext:toffset")).isEqualTo(-1);
        assertThat(video.feedback()).isEqualTo(new FeedbackSupport(true, true, true, true, true));
    }

    @Test
    void gatheredOfferCandidatesAreReadAsTheRemoteTransport() {
        RemoteTransportParams remote = answer(Fixtures.AUDIO_VIDEO_GATHERED).remote();

        assertThat(remote.iceUfrag()).isEqualTo("x++Q");
        assertThat(remote.icePwd()).isEqualTo("ewkRjvZb06EFA1nkKDLVgxy8");
        assertThat(remote.fingerprint().hashFunction()).isEqualTo("sha-256");
        assertThat(remote.fingerprint().fingerprint()).startsWith("AE:77:BC");
        assertThat(remote.setup()).isEqualTo(Setup.ACTPASS);
        assertThat(remote.localDtlsRole()).isEqualTo(DtlsRole.SERVER);
        assertThat(remote.trickle()).isTrue();
        assertThat(remote.endOfCandidates()).isFalse();
        assertThat(remote.candidates()).hasSize(8);
        assertThat(remote.candidates()).filteredOn(Candidate::isUdp).extracting(Candidate::address)
            .containsExactly("127.0.0.1", "192.0.2.2", "::1", "fd00::2");
    }

    @Test
    void simulcastOfferIsAnsweredWithRecvRidsInOrder() {
        PublisherAnswer a = answer(Fixtures.SIMULCAST);
        MediaDescription video = a.answer().mediaByMid("1").orElseThrow();

        assertThat(video.rids()).containsExactly(new Rid("q", RidDirection.RECV), new Rid("h", RidDirection.RECV),
            new Rid("f", RidDirection.RECV));
        assertThat(video.simulcast()).contains(Simulcast.receiving("q", "h", "f"));
        assertThat(video.attributeValue(AttributeNames.SIMULCAST)).contains("recv q;h;f");

        PublishedTrack track = a.tracks().get(1);
        assertThat(track.mid()).isEqualTo("1");
        assertThat(track.rids()).containsExactly("q", "h", "f");
        assertThat(track.isSimulcast()).isTrue();
        // Chromium's simulcast offer signals no SSRC for video: learned from the mid/rid extensions at run time
        assertThat(track.ssrcs()).isEmpty();
        assertThat(track.cname()).isNull();
        assertThat(track.extensionId(HeaderExtensionUris.MID)).isEqualTo(4);
        assertThat(track.extensionId(HeaderExtensionUris.RTP_STREAM_ID)).isEqualTo(10);
        assertThat(track.extensionId(HeaderExtensionUris.REPAIRED_RTP_STREAM_ID)).isEqualTo(11);
        assertThat(track.streamId()).isEqualTo("9bfd02e0-cb86-4abd-b97a-cf05678635cf");
        assertThat(track.trackId()).isEqualTo("f6e09cae-09c6-4388-848b-b605a3f74df6");
        assertThat(a.tracks().get(0).rids()).isEmpty();
    }

    @Test
    void variantsOfferRejectsTheDataChannelAndAnswersEachDirection() {
        PublisherAnswer a = answer(Fixtures.VARIANTS_MAX_BUNDLE);
        List<MediaDescription> media = a.answer().media();

        assertThat(a.acceptedMids()).containsExactly("0", "1", "2", "3");
        MediaDescription data = media.get(4);
        assertThat(data.media()).isEqualTo("application");
        assertThat(data.port()).isZero();
        assertThat(data.mid()).contains("4");
        assertThat(data.formats()).containsExactly("webrtc-datachannel");
        assertThat(data.attributes()).extracting(io.sfu.core.sdp.Attribute::name).containsExactly("mid");

        // recvonly audio, recvonly video, sendrecv video, inactive audio
        assertThat(media.subList(0, 4)).extracting(m -> m.direction().orElseThrow())
            .containsExactly(Direction.INACTIVE, Direction.INACTIVE, Direction.RECVONLY, Direction.INACTIVE);

        // only the sendrecv video sends: its msid has no stream ("-")
        assertThat(a.tracks()).hasSize(1);
        PublishedTrack t = a.tracks().get(0);
        assertThat(t.mid()).isEqualTo("2");
        assertThat(t.streamId()).isEqualTo("stream-2");
        assertThat(t.trackId()).isEqualTo("47c1f4f3-eb22-48c2-a122-7a9d8d239d45");
        assertThat(t.ssrcs()).containsExactly(1253050286);
        assertThat(t.rtxSsrcs()).containsExactly(Map.entry(1253050286, (int) 2466962301L));
        assertThat(t.cname()).isEqualTo("b09/UJ+SKqj9EXOp");
    }

    @Test
    void variantsOfferDropsUnforwardableVideoProfilesAndFec() {
        MediaDescription video = answer(Fixtures.VARIANTS_MAX_BUNDLE).answer().mediaByMid("1").orElseThrow();

        // VP9 profiles 1 and 3 (35, 37), H.264 packetization-mode 0, red, ulpfec, flexfec and their RTX are gone;
        // H.264 high 4:4:4 in mode 1 (41) and AV1 profile 1 (47) stay
        assertThat(video.payloadTypes())
            .containsExactly(96, 97, 98, 99, 100, 101, 102, 103, 108, 109, 116, 117, 41, 42, 45, 46, 47, 48);
    }

    @Test
    void firefoxStyleOfferAcceptsBundleOnlyVideoAndRejectsBundleOnlyDataChannel() {
        PublisherAnswer a = answer(Fixtures.FIREFOX_STYLE_HANDWRITTEN);
        SessionDescription answer = a.answer();

        assertThat(a.acceptedMids()).containsExactly("0", "1");
        MediaDescription video = answer.media().get(1);
        assertThat(video.port()).isEqualTo(9);
        assertThat(video.isBundleOnly()).isFalse();
        assertThat(video.payloadTypes()).containsExactly(120, 124, 126, 127);
        // extensions the offerer only receives (6/recvonly) are dropped
        assertThat(video.extmaps()).extracting(Extmap::id).containsExactly(3, 4, 7, 10, 11);
        assertThat(video.simulcast()).contains(Simulcast.receiving("q", "h", "f"));
        MediaDescription data = answer.media().get(2);
        assertThat(data.port()).isZero();
        assertThat(data.isBundleOnly()).isFalse();

        // session-level fingerprint and a=sendrecv, media-level setup and credentials
        assertThat(a.remote().fingerprint().fingerprint()).startsWith("3B:62:0A");
        assertThat(a.remote().iceUfrag()).isEqualTo("5a1b2c3d");
        assertThat(a.remote().endOfCandidates()).isTrue();
        assertThat(a.remote().candidates()).extracting(Candidate::type)
            .containsExactly("host", "host", "srflx", "relay");

        PublishedTrack audio = a.tracks().get(0);
        assertThat(audio.streamId()).isEqualTo("{1c0a6e2f-8b3d-4c59-9f7e-2d4b6a8c0e11}");
        assertThat(audio.codecs().get(0).parameters()).containsEntry("stereo", "1");
        assertThat(audio.ssrcs()).containsExactly((int) 3735928559L);
        PublishedTrack v = a.tracks().get(1);
        assertThat(v.rids()).containsExactly("q", "h", "f");
        assertThat(v.ssrcs()).containsExactly((int) 2882400001L, (int) 2882400003L);
        assertThat(v.rtxSsrcs()).containsExactly(Map.entry((int) 2882400001L, (int) 2882400002L));
        assertThat(v.codecs()).extracting(NegotiatedCodec::name, NegotiatedCodec::rtxPayloadType)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("VP8", 124),
                org.assertj.core.groups.Tuple.tuple("H264", 127));
    }

    // ---------------------------------------------------------------- variations

    @Test
    void passiveOfferMakesTheSfuTheDtlsClient() {
        String offer = Fixtures.text(Fixtures.SIMULCAST).replace("a=setup:actpass", "a=setup:passive");

        PublisherAnswer a = negotiator.answer(offer, Fixtures.LOCAL, null);

        assertThat(a.remote().setup()).isEqualTo(Setup.PASSIVE);
        assertThat(a.remote().localDtlsRole()).isEqualTo(DtlsRole.CLIENT);
        assertThat(a.answer().media()).allSatisfy(m -> assertThat(m.setup()).contains(Setup.ACTIVE));
    }

    @Test
    void activeOfferKeepsTheSfuTheDtlsServer() {
        String offer = Fixtures.text(Fixtures.SIMULCAST).replace("a=setup:actpass", "a=setup:active");

        PublisherAnswer a = negotiator.answer(offer, Fixtures.LOCAL, null);

        assertThat(a.remote().localDtlsRole()).isEqualTo(DtlsRole.SERVER);
        assertThat(a.answer().media()).allSatisfy(m -> assertThat(m.setup()).contains(Setup.PASSIVE));
    }

    @Test
    void simulcastAlternativesAcceptTheFirstAndKeepPausedStreams() {
        String offer = Fixtures.text(Fixtures.SIMULCAST)
            .replace("a=rid:f send\r\n", "a=rid:f send\r\na=rid:x send\r\n")
            .replace("a=simulcast:send q;h;f", "a=simulcast:send q,x;~h;f");

        PublisherAnswer a = negotiator.answer(offer, Fixtures.LOCAL, null);
        MediaDescription video = a.answer().media().get(1);

        assertThat(video.attributeValue(AttributeNames.SIMULCAST)).contains("recv q;~h;f");
        assertThat(video.rids()).extracting(Rid::id).containsExactly("q", "h", "f");
        assertThat(a.tracks().get(1).rids()).containsExactly("q", "h", "f");
    }

    @Test
    void simulcastStreamsWithoutRidLineOrRestrictedToDroppedCodecsAreLeftOut() {
        String offer = Fixtures.text(Fixtures.SIMULCAST)
            .replace("a=rid:h send\r\n", "a=rid:h send pt=104\r\n") // H.264 packetization-mode 0: dropped
            .replace("a=rid:f send\r\n", "a=rid:f send pt=104,96;max-width=1280\r\n")
            .replace("a=simulcast:send q;h;f", "a=simulcast:send q;h;f;z");

        MediaDescription video = negotiator.answer(offer, Fixtures.LOCAL, null).answer().media().get(1);

        assertThat(video.rids()).containsExactly(new Rid("q", RidDirection.RECV),
            new Rid("f", RidDirection.RECV, List.of(96), Map.of()));
        assertThat(video.simulcast()).contains(Simulcast.receiving("q", "f"));
    }

    @Test
    void legacySsrcGroupSimIsReadAsPrimarySsrcsWithTheirRtx() {
        String offer = Fixtures.text(Fixtures.AUDIO_VIDEO_GATHERED).replace(
            "a=ssrc-group:FID 1526071976 1557596055\r\n",
            "a=ssrc-group:SIM 11 12 13\r\na=ssrc-group:FID 11 21\r\na=ssrc-group:FID 12 22\r\n"
                + "a=ssrc-group:FID 13 23\r\na=ssrc-group:FID 1526071976 1557596055\r\n");

        PublishedTrack video = negotiator.answer(offer, Fixtures.LOCAL, null).tracks().get(1);

        assertThat(video.ssrcs()).containsExactly(11, 12, 13);
        assertThat(video.rtxSsrcs()).containsExactly(Map.entry(11, 21), Map.entry(12, 22), Map.entry(13, 23));
        assertThat(video.rids()).isEmpty();
        assertThat(video.cname()).isEqualTo("M4kCltHhaHNwML4N");
    }

    @Test
    void msidFromSsrcAttributeWhenNoMediaLevelMsid() {
        String offer = Fixtures.text(Fixtures.AUDIO_VIDEO_GATHERED).replace(
            "a=msid:65d48a9e-25ac-487c-b295-73134a8666fc 5d5b1d58-4541-4759-aa8c-d81c94ea1114\r\n", "");

        PublishedTrack video = negotiator.answer(offer, Fixtures.LOCAL, null).tracks().get(1);

        assertThat(video.streamId()).isEqualTo("65d48a9e-25ac-487c-b295-73134a8666fc");
        assertThat(video.trackId()).isEqualTo("5d5b1d58-4541-4759-aa8c-d81c94ea1114");
    }

    @Test
    void missingMsidGetsGeneratedStreamAndTrackIds() {
        String offer = Fixtures.text(Fixtures.AUDIO_VIDEO_GATHERED)
            .replace("a=msid:65d48a9e-25ac-487c-b295-73134a8666fc 2a1d6342-f543-4dfe-94bc-3cebd1e3b206\r\n", "")
            .replace("a=ssrc:3868367940 msid:65d48a9e-25ac-487c-b295-73134a8666fc "
                + "2a1d6342-f543-4dfe-94bc-3cebd1e3b206\r\n", "");

        PublishedTrack audio = negotiator.answer(offer, Fixtures.LOCAL, null).tracks().get(0);

        assertThat(audio.streamId()).isEqualTo("stream-0");
        assertThat(audio.trackId()).isEqualTo("track-0");
    }

    @Test
    void duplicateTrackIdIsReplacedByAGeneratedOne() {
        String offer = Fixtures.text(Fixtures.AUDIO_VIDEO_GATHERED)
            .replace("a=msid:65d48a9e-25ac-487c-b295-73134a8666fc 5d5b1d58-4541-4759-aa8c-d81c94ea1114",
                "a=msid:65d48a9e-25ac-487c-b295-73134a8666fc 2a1d6342-f543-4dfe-94bc-3cebd1e3b206");

        List<PublishedTrack> tracks = negotiator.answer(offer, Fixtures.LOCAL, null).tracks();

        assertThat(tracks.get(0).trackId()).isEqualTo("2a1d6342-f543-4dfe-94bc-3cebd1e3b206");
        assertThat(tracks.get(1).trackId()).isEqualTo("track-1");
        assertThat(tracks.get(1).streamId()).isEqualTo("65d48a9e-25ac-487c-b295-73134a8666fc");
    }

    @Test
    void offerOnlyExtensionIdsAreRemappedToOneFreeIdAcrossMlines() {
        String offer = Fixtures.text(Fixtures.SIMULCAST)
            .replace("a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid", "a=extmap:4100 urn:ietf:params:rtp-hdrext:sdes:mid");

        PublisherAnswer a = negotiator.answer(offer, Fixtures.LOCAL, null);

        // 4 is the only id below 15 that no m-line of the offer uses any more: both m-lines get it
        assertThat(a.tracks()).allSatisfy(t -> assertThat(t.extensionId(HeaderExtensionUris.MID)).isEqualTo(4));
        assertThat(a.answer().media()).allSatisfy(m ->
            assertThat(m.extmap(HeaderExtensionUris.MID).orElseThrow().id()).isEqualTo(4));
    }

    @Test
    void sendonlyExtensionIsAnsweredRecvonly() {
        String offer = Fixtures.text(Fixtures.SIMULCAST).replace("a=extmap:2 http", "a=extmap:2/sendonly http");

        MediaDescription audio = negotiator.answer(offer, Fixtures.LOCAL, null).answer().media().get(0);

        assertThat(audio.extmap(HeaderExtensionUris.ABS_SEND_TIME).orElseThrow().direction())
            .isEqualTo(Direction.RECVONLY);
    }

    @Test
    void mlineOutsideTheBundleGroupOrWithoutCodecIsRejectedWithPortZero() {
        String offer = Fixtures.text(Fixtures.AUDIO_VIDEO_GATHERED).replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 1");

        PublisherAnswer a = negotiator.answer(offer, Fixtures.LOCAL, null);

        assertThat(a.answer().media().get(0).port()).isZero();
        assertThat(a.acceptedMids()).containsExactly("1");
        assertThat(a.tracks()).extracting(PublishedTrack::mid).containsExactly("1");

        String g722Only = Fixtures.text(Fixtures.SIMULCAST).replace("m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
            "m=audio 9 UDP/TLS/RTP/SAVPF 9 0 8");
        PublisherAnswer b = negotiator.answer(g722Only, Fixtures.LOCAL, null);
        assertThat(b.answer().media().get(0).port()).isZero();
        assertThat(b.answer().media().get(0).formats()).containsExactly("9", "0", "8");
        assertThat(b.acceptedMids()).containsExactly("1");
    }

    @Test
    void offererRejectedMlineStaysRejected() {
        String offer = Fixtures.text(Fixtures.AUDIO_VIDEO_GATHERED).replace("m=audio 52333 ", "m=audio 0 ")
            .replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 1");

        PublisherAnswer a = negotiator.answer(offer, Fixtures.LOCAL, null);

        assertThat(a.answer().media().get(0).port()).isZero();
        assertThat(a.acceptedMids()).containsExactly("1");
        // the transport comes from the first bundled m-line that is not rejected
        assertThat(a.remote().iceUfrag()).isEqualTo("x++Q");
    }

    @Test
    void simulcastSignalledBySsrcsGivesItsLayersInTheSimGroupsOrderWithTheirRtx() {
        // the video m-line of a Chromium offer, sent as three SSRC-signalled layers (as libwebrtc's native API and
        // older browsers write simulcast): a SIM group, lowest first, and an FID group per layer
        String ssrcLines = "a=ssrc-group:FID 1526071976 1557596055\r\n"
            + "a=ssrc:1526071976 cname:M4kCltHhaHNwML4N\r\n";
        String simulcastBySsrc = "a=ssrc-group:SIM 1526071976 21 31\r\n"
            + "a=ssrc-group:FID 1526071976 1557596055\r\na=ssrc-group:FID 21 22\r\na=ssrc-group:FID 31 32\r\n"
            + "a=ssrc:1526071976 cname:M4kCltHhaHNwML4N\r\na=ssrc:21 cname:M4kCltHhaHNwML4N\r\n"
            + "a=ssrc:31 cname:M4kCltHhaHNwML4N\r\n";
        String offer = Fixtures.text(Fixtures.AUDIO_VIDEO_GATHERED);
        assertThat(offer).contains(ssrcLines);
        PublisherAnswer a = negotiator.answer(io.sfu.core.sdp.SdpParser.parse(offer.replace(ssrcLines, simulcastBySsrc)),
            Fixtures.LOCAL);

        PublishedTrack video = a.tracks().get(1);
        assertThat(video.rids()).isEmpty();
        assertThat(video.ssrcs()).containsExactly(1526071976, 21, 31);
        assertThat(video.rtxSsrcs()).containsExactly(Map.entry(1526071976, 1557596055), Map.entry(21, 22),
            Map.entry(31, 32));
        assertThat(video.layerCount()).isEqualTo(3);
        assertThat(a.tracks().get(0).layerCount()).as("audio, one SSRC").isEqualTo(1);
    }

    @Test
    void sessionIdIsRandomAndVersionStartsAtOne() {
        PublisherAnswer first = answer(Fixtures.SIMULCAST);
        PublisherAnswer second = answer(Fixtures.SIMULCAST);

        assertThat(first.sessionVersion()).isEqualTo(1);
        assertThat(first.answer().origin().sessionId()).isNotEqualTo(second.answer().origin().sessionId());
        assertThat(Long.parseLong(first.answer().origin().sessionId())).isPositive();
    }

    @Test
    void answeringDoesNotModifyTheOffer() {
        SessionDescription offer = Fixtures.load(Fixtures.FIREFOX_STYLE_HANDWRITTEN);
        String before = offer.write();

        negotiator.answer(offer, Fixtures.LOCAL);

        assertThat(offer.write()).isEqualTo(before);
    }
}
