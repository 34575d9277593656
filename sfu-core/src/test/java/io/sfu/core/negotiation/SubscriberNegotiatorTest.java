package io.sfu.core.negotiation;

import io.sfu.core.dtls.DtlsRole;
import io.sfu.core.rtp.HeaderExtensionUris;
import io.sfu.core.sdp.AttributeNames;
import io.sfu.core.sdp.Codec;
import io.sfu.core.sdp.Direction;
import io.sfu.core.sdp.Extmap;
import io.sfu.core.sdp.Group;
import io.sfu.core.sdp.MediaDescription;
import io.sfu.core.sdp.MediaKind;
import io.sfu.core.sdp.Msid;
import io.sfu.core.sdp.SdpParser;
import io.sfu.core.sdp.SessionDescription;
import io.sfu.core.sdp.Setup;
import io.sfu.core.sdp.Ssrc;
import io.sfu.core.sdp.SsrcGroup;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SFU's offers to a subscriber and the answers it applies. */
class SubscriberNegotiatorTest {

    private static final List<PublishedTrack> ALICE = new PublisherNegotiator(new SplittableRandom(1))
        .answer(Fixtures.load(Fixtures.AUDIO_VIDEO_GATHERED), Fixtures.LOCAL).tracks();
    private static final List<PublishedTrack> BOB = new PublisherNegotiator(new SplittableRandom(2))
        .answer(Fixtures.load(Fixtures.SIMULCAST), Fixtures.LOCAL).tracks();

    private static final ForwardedTrack ALICE_AUDIO = ForwardedTrack.of("alice", ALICE.get(0), 1001, 0);
    private static final ForwardedTrack ALICE_VIDEO = ForwardedTrack.of("alice", ALICE.get(1), 2001, 2002);
    private static final ForwardedTrack BOB_AUDIO = ForwardedTrack.of("bob", BOB.get(0), 3001, 0);
    private static final ForwardedTrack BOB_VIDEO = ForwardedTrack.of("bob", BOB.get(1), 4001, 4002);

    private SubscriberNegotiator session;
    private BrowserAnswerer browser;

    @BeforeEach
    void setUp() {
        session = new SubscriberNegotiator(new SplittableRandom(3));
        browser = new BrowserAnswerer();
    }

    private SubscriberAnswerResult offerAndAnswer(List<ForwardedTrack> tracks) {
        SessionDescription offer = session.createOffer(tracks, Fixtures.LOCAL);
        return session.applyAnswer(browser.answer(offer));
    }

    // ---------------------------------------------------------------- the offer

    @Test
    void offerForAudioAndVideoWithRtxIsSendonlyIceLiteBundledWithSsrcsAndMsid() {
        SessionDescription offer = session.createOffer(List.of(ALICE_AUDIO, ALICE_VIDEO), Fixtures.LOCAL);

        assertThat(offer.isIceLite()).isTrue();
        assertThat(offer.groups()).containsExactly(Group.bundle(List.of("0", "1")));
        assertThat(offer.media()).hasSize(2);
        for (MediaDescription m : offer.media()) {
            assertThat(m.port()).isEqualTo(9);
            assertThat(m.proto()).isEqualTo(MediaDescription.PROTO_RTP);
            assertThat(m.direction()).contains(Direction.SENDONLY);
            assertThat(m.setup()).contains(Setup.ACTPASS);
            assertThat(m.iceUfrag()).contains(Fixtures.LOCAL.iceUfrag());
            assertThat(m.icePwd()).contains(Fixtures.LOCAL.icePwd());
            assertThat(m.fingerprint()).contains(Fixtures.LOCAL.fingerprint());
            assertThat(m.isRtcpMux()).isTrue();
            assertThat(m.isRtcpRsize()).isTrue();
            assertThat(m.candidates()).isEqualTo(Fixtures.LOCAL.hostCandidates());
            assertThat(m.isEndOfCandidates()).isTrue();
            assertThat(m.hasAttribute(AttributeNames.ICE_LITE)).isFalse();
            // the browser demultiplexes by SSRC: no mid/rid extensions
            assertThat(m.extmaps()).extracting(Extmap::uri).doesNotContain(HeaderExtensionUris.MID,
                HeaderExtensionUris.RTP_STREAM_ID, HeaderExtensionUris.REPAIRED_RTP_STREAM_ID);
            // transport-wide numbers of the SFU's own, on every codec, so that the subscriber's feedback gives its
            // downlink
            assertThat(m.extmaps()).anyMatch(e -> e.id() == SubscriberNegotiator.TRANSPORT_WIDE_CC_ID
                && e.uri().equals(HeaderExtensionUris.TRANSPORT_WIDE_CC));
            for (var codec : m.rtpmaps()) {
                if (!codec.encodingName().equalsIgnoreCase("rtx")) {
                    assertThat(m.rtcpFeedback()).anyMatch(fb -> fb.payloadType() == codec.payloadType()
                        && fb.type().equals("transport-cc"));
                }
            }
        }

        MediaDescription audio = offer.media().get(0);
        assertThat(audio.mid()).contains("0");
        assertThat(audio.msid()).contains(new Msid("alice", ALICE.get(0).trackId()));
        assertThat(audio.ssrcs()).containsExactly(Ssrc.cname(1001, "alice"),
            Ssrc.msid(1001, new Msid("alice", ALICE.get(0).trackId())));
        assertThat(audio.codecs()).extracting(Codec::name).containsExactly("opus");
        assertThat(audio.fmtp(111).orElseThrow().parameters()).containsEntry("useinbandfec", "1");
        assertThat(audio.extmaps()).containsExactly(new Extmap(1, HeaderExtensionUris.AUDIO_LEVEL),
            new Extmap(2, HeaderExtensionUris.ABS_SEND_TIME), new Extmap(3, HeaderExtensionUris.TRANSPORT_WIDE_CC));

        MediaDescription video = offer.media().get(1);
        assertThat(video.mid()).contains("1");
        assertThat(video.msid()).contains(new Msid("alice", ALICE.get(1).trackId()));
        assertThat(video.ssrcGroups()).containsExactly(new SsrcGroup(SsrcGroup.FID, List.of(2001L, 2002L)));
        assertThat(video.ssrcs()).extracting(Ssrc::ssrc).containsExactly(2001L, 2001L, 2002L, 2002L);
        // the publisher's numbers are free in a new session: kept, each codec with its RTX
        assertThat(video.payloadTypes()).containsExactly(96, 97, 102, 103, 108, 109, 116, 117, 45, 46, 98, 99, 100,
            101);
        assertThat(video.codec(96).orElseThrow().feedback()).extracting(CodecPolicy::feedbackValue)
            .containsExactly("nack", "nack pli", "ccm fir", "goog-remb", "transport-cc");
        assertThat(video.codec(97).orElseThrow().fmtp().associatedPayloadType()).isEqualTo(96);
        assertThat(video.extmaps()).containsExactly(new Extmap(2, HeaderExtensionUris.ABS_SEND_TIME),
            new Extmap(3, HeaderExtensionUris.TRANSPORT_WIDE_CC), new Extmap(13, HeaderExtensionUris.VIDEO_ORIENTATION));
    }

    @Test
    void offerParsesAgainAndRoundTrips() {
        String text = session.createOffer(List.of(ALICE_AUDIO, ALICE_VIDEO, BOB_VIDEO), Fixtures.LOCAL).write();

        SessionDescription reparsed = SdpParser.parse(text);
        reparsed.validateAttributes();

        assertThat(reparsed.write()).isEqualTo(text);
        assertBundlePayloadTypesAreConsistent(reparsed);
    }

    @Test
    void videoWithoutRtxSsrcHasNoRtxCodecsOrGroup() {
        ForwardedTrack noRtx = ForwardedTrack.of("alice", ALICE.get(1), 2001, 0);

        MediaDescription video = session.createOffer(List.of(noRtx), Fixtures.LOCAL).media().get(0);

        assertThat(video.codecs()).noneMatch(Codec::isRtx);
        assertThat(video.ssrcGroups()).isEmpty();
        assertThat(video.ssrcs()).extracting(Ssrc::ssrc).containsOnly(2001L);
    }

    // ---------------------------------------------------------------- the answer

    @Test
    void handWrittenChromiumAnswerIsApplied() {
        session.createOffer(List.of(ALICE_AUDIO, ALICE_VIDEO), Fixtures.LOCAL);

        SubscriberAnswerResult result = session.applyAnswer(Fixtures.text(Fixtures.SUBSCRIBER_ANSWER_HANDWRITTEN));

        RemoteTransportParams remote = result.remote();
        assertThat(remote.iceUfrag()).isEqualTo("Qx7c");
        assertThat(remote.icePwd()).isEqualTo("dKm2Rr8ZfE1sWq0+JvYt5nHb");
        assertThat(remote.setup()).isEqualTo(Setup.ACTIVE);
        assertThat(remote.localDtlsRole()).isEqualTo(DtlsRole.SERVER);
        assertThat(remote.trickle()).isTrue();
        assertThat(result.iceRestart()).isFalse();
        assertThat(session.isOfferPending()).isFalse();

        assertThat(result.media()).extracting(SubscriberAnswerResult.AnsweredMedia::mid,
                SubscriberAnswerResult.AnsweredMedia::direction)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("0", Direction.RECVONLY),
                org.assertj.core.groups.Tuple.tuple("1", Direction.RECVONLY));
        AnsweredTrack audio = result.track("alice/" + ALICE.get(0).trackId()).orElseThrow();
        assertThat(audio.isActive()).isTrue();
        assertThat(audio.ssrc()).isEqualTo(1001);
        assertThat(audio.payloadTypes().asMap()).containsExactly(Map.entry(111, 111));
        assertThat(audio.extensions()).containsExactly(Map.entry(HeaderExtensionUris.AUDIO_LEVEL, 1),
            Map.entry(HeaderExtensionUris.ABS_SEND_TIME, 2));

        // this browser has no H.264: those payload types are not forwarded
        AnsweredTrack video = result.track("alice/" + ALICE.get(1).trackId()).orElseThrow();
        assertThat(video.mid()).isEqualTo("1");
        assertThat(video.rtxSsrc()).isEqualTo(2002);
        assertThat(video.codecs()).extracting(NegotiatedCodec::name)
            .containsExactly("VP8", "AV1", "VP9", "VP9");
        assertThat(video.codecs()).extracting(NegotiatedCodec::rtxPayloadType).containsExactly(97, 46, 99, 101);
        assertThat(video.codecs().get(0).feedback()).containsExactlyInAnyOrder("nack", "nack pli", "ccm fir",
            "goog-remb");
        assertThat(video.payloadTypes().toSubscriber(96)).isEqualTo(96);
        assertThat(video.payloadTypes().toSubscriber(97)).isEqualTo(97);
        assertThat(video.payloadTypes().toSubscriber(102)).isEqualTo(-1);
        assertThat(video.payloadTypes().toSubscriber(103)).isEqualTo(-1);
        int[] table = new int[128];
        video.payloadTypes().copyTo(table);
        assertThat(table[45]).isEqualTo(45);
        assertThat(table[108]).isEqualTo(-1);
        assertThat(session.tracks()).containsExactly(audio, video);
    }

    @Test
    void removedTrackLeavesAnInactiveMlineWithItsMidAndCodecs() {
        SessionDescription first = session.createOffer(List.of(ALICE_AUDIO, ALICE_VIDEO), Fixtures.LOCAL);
        session.applyAnswer(browser.answer(first));

        SessionDescription offer = session.createOffer(List.of(ALICE_AUDIO), Fixtures.LOCAL);

        assertThat(offer.media()).hasSize(2);
        MediaDescription video = offer.media().get(1);
        assertThat(video.mid()).contains("1");
        assertThat(video.port()).isEqualTo(9);
        assertThat(video.direction()).contains(Direction.INACTIVE);
        assertThat(video.payloadTypes()).isEqualTo(first.media().get(1).payloadTypes());
        assertThat(video.codecs()).isEqualTo(first.media().get(1).codecs());
        assertThat(video.hasAttribute(AttributeNames.MSID)).isFalse();
        assertThat(video.ssrcs()).isEmpty();
        assertThat(video.ssrcGroups()).isEmpty();
        assertThat(video.isEndOfCandidates()).isTrue();
        assertThat(offer.groups()).containsExactly(Group.bundle(List.of("0", "1")));

        SubscriberAnswerResult result = session.applyAnswer(browser.answer(offer));

        assertThat(result.media().get(1).direction()).isEqualTo(Direction.INACTIVE);
        assertThat(result.media().get(1).trackKey()).isNull();
        assertThat(result.tracks()).extracting(AnsweredTrack::key).containsExactly(ALICE_AUDIO.key());
        assertThat(session.track(ALICE_VIDEO.key())).isEmpty();
    }

    @Test
    void newTrackOfTheSameKindReusesTheInactiveMlineAndKeepsItsMid() {
        offerAndAnswer(List.of(ALICE_AUDIO, ALICE_VIDEO));
        offerAndAnswer(List.of(ALICE_AUDIO));

        SessionDescription offer = session.createOffer(List.of(ALICE_AUDIO, BOB_VIDEO), Fixtures.LOCAL);

        assertThat(offer.media()).hasSize(2);
        MediaDescription video = offer.media().get(1);
        assertThat(video.mid()).contains("1");
        assertThat(video.direction()).contains(Direction.SENDONLY);
        assertThat(video.msid()).contains(new Msid("bob", BOB.get(1).trackId()));
        assertThat(video.ssrcGroups()).containsExactly(new SsrcGroup(SsrcGroup.FID, List.of(4001L, 4002L)));
        SubscriberAnswerResult result = session.applyAnswer(browser.answer(offer));
        assertThat(result.track(BOB_VIDEO.key()).orElseThrow().mid()).isEqualTo("1");
    }

    @Test
    void trackSwappedInOneOfferTakesTheFreedMlineSoTheCountNeverGrows() {
        offerAndAnswer(List.of(ALICE_AUDIO, ALICE_VIDEO));

        SessionDescription offer = session.createOffer(List.of(BOB_AUDIO, BOB_VIDEO), Fixtures.LOCAL);

        assertThat(offer.media()).extracting(m -> m.mid().orElseThrow()).containsExactly("0", "1");
        assertThat(offer.media()).extracting(m -> m.msid().orElseThrow().streamId()).containsOnly("bob");
        session.applyAnswer(browser.answer(offer));
        assertThat(session.mediaSectionCount()).isEqualTo(2);
    }

    @Test
    void newTrackWithoutAnInactiveMlineOfItsKindIsAppendedWithAFreshMid() {
        offerAndAnswer(List.of(ALICE_AUDIO, ALICE_VIDEO));
        offerAndAnswer(List.of(ALICE_VIDEO)); // audio m-line 0 inactive

        SessionDescription offer = session.createOffer(List.of(ALICE_VIDEO, BOB_VIDEO), Fixtures.LOCAL);

        assertThat(offer.media()).extracting(m -> m.mid().orElseThrow()).containsExactly("0", "1", "2");
        assertThat(offer.media()).extracting(MediaDescription::media).containsExactly("audio", "video", "video");
        assertThat(offer.media().get(0).direction()).contains(Direction.INACTIVE);
        assertThat(offer.groups()).containsExactly(Group.bundle(List.of("0", "1", "2")));
    }

    @Test
    void aTrackSentAsAv1IsOfferedTheDependencyDescriptorAndTheOthersAreNot() {
        NegotiatedCodec av1 = new NegotiatedCodec(45, "AV1", 90000, 0, orderedMap(), 46, List.of("nack", "nack pli"));
        ForwardedTrack carol = new ForwardedTrack("carol/cam", "carol", "cam", MediaKind.VIDEO, List.of(av1), 5001,
            5002, null);
        browser.decodes = java.util.Set.of("opus", "vp8", "vp9", "av1", "h264");

        SessionDescription offer = session.createOffer(List.of(ALICE_VIDEO, carol), Fixtures.LOCAL);
        SubscriberAnswerResult result = session.applyAnswer(browser.answer(offer));

        assertThat(offer.media().get(0).extmaps()).as("alice's VP8")
            .doesNotContain(new Extmap(4, HeaderExtensionUris.DEPENDENCY_DESCRIPTOR));
        assertThat(offer.media().get(1).extmaps()).contains(new Extmap(4, HeaderExtensionUris.DEPENDENCY_DESCRIPTOR));
        assertThat(result.track("carol/cam").orElseThrow().extensions())
            .containsEntry(HeaderExtensionUris.DEPENDENCY_DESCRIPTOR, 4);
    }

    @Test
    void formatAlreadyNumberedInTheSessionKeepsThatNumberForAnotherPublisher() {
        // carol publishes H.264 42e01f at 96, where alice has VP8; alice's 108 is the same H.264 format
        NegotiatedCodec h264 = new NegotiatedCodec(96, "H264", 90000, 0,
            orderedMap("level-asymmetry-allowed", "1", "packetization-mode", "1", "profile-level-id", "42e01f"), 97,
            List.of("nack", "nack pli"));
        ForwardedTrack carol = new ForwardedTrack("carol/cam", "carol", "cam", MediaKind.VIDEO, List.of(h264), 5001,
            5002, null);
        browser.decodes = java.util.Set.of("opus", "vp8", "vp9", "av1", "h264");

        SessionDescription offer = session.createOffer(List.of(ALICE_VIDEO, carol), Fixtures.LOCAL);
        SubscriberAnswerResult result = session.applyAnswer(browser.answer(offer));

        assertBundlePayloadTypesAreConsistent(offer);
        assertThat(offer.media().get(1).payloadTypes()).containsExactly(108, 109);
        assertThat(result.track("carol/cam").orElseThrow().payloadTypes().asMap())
            .containsExactly(Map.entry(96, 108), Map.entry(97, 109));
    }

    @Test
    void payloadTypeConflictGetsAFreeDynamicNumberAndTheForwarderMapping() {
        NegotiatedCodec h264 = new NegotiatedCodec(96, "H264", 90000, 0,
            orderedMap("packetization-mode", "1", "profile-level-id", "640c1f"), 97, List.of("nack"));
        ForwardedTrack carol = new ForwardedTrack("carol/cam", "carol", "cam", MediaKind.VIDEO, List.of(h264), 5001,
            5002, null);
        browser.decodes = java.util.Set.of("opus", "vp8", "vp9", "av1", "h264");

        SessionDescription offer = session.createOffer(List.of(ALICE_VIDEO, carol), Fixtures.LOCAL);
        assertBundlePayloadTypesAreConsistent(offer);
        SubscriberAnswerResult result = session.applyAnswer(browser.answer(offer));

        AnsweredTrack alice = result.track(ALICE_VIDEO.key()).orElseThrow();
        AnsweredTrack c = result.track("carol/cam").orElseThrow();
        assertThat(alice.payloadTypes().toSubscriber(96)).isEqualTo(96);
        // 96 and 97 mean VP8 and its RTX in this session: the first free dynamic numbers are 104 and 105
        int remapped = c.payloadTypes().toSubscriber(96);
        int remappedRtx = c.payloadTypes().toSubscriber(97);
        assertThat(remapped).isEqualTo(104);
        assertThat(remappedRtx).isEqualTo(105);
        assertThat(c.codecs()).extracting(NegotiatedCodec::payloadType, NegotiatedCodec::rtxPayloadType)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(remapped, remappedRtx));
        MediaDescription line = offer.media().get(1);
        assertThat(line.rtpmap(remapped).orElseThrow().encodingName()).isEqualTo("H264");
        assertThat(line.fmtp(remappedRtx).orElseThrow().associatedPayloadType()).isEqualTo(remapped);
    }

    @Test
    void samePayloadTypeForTheSameCodecIsShared() {
        SessionDescription offer = session.createOffer(List.of(ALICE_VIDEO, BOB_VIDEO), Fixtures.LOCAL);
        session.applyAnswer(browser.answer(offer));

        assertThat(offer.media().get(0).payloadTypes()).isEqualTo(offer.media().get(1).payloadTypes());
        assertThat(session.track(BOB_VIDEO.key()).orElseThrow().payloadTypes().toSubscriber(96)).isEqualTo(96);
    }

    @Test
    void payloadTypeMeaningNeverChangesWithinTheSession() {
        offerAndAnswer(List.of(ALICE_VIDEO));
        offerAndAnswer(List.of()); // alice leaves: the m-line goes inactive, VP8 keeps 96
        NegotiatedCodec h264 = new NegotiatedCodec(96, "H264", 90000, 0,
            orderedMap("packetization-mode", "1", "profile-level-id", "640c1f"), -1, List.of());
        ForwardedTrack carol = new ForwardedTrack("carol/cam", "carol", "cam", MediaKind.VIDEO, List.of(h264), 5001,
            0, null);

        SessionDescription offer = session.createOffer(List.of(carol), Fixtures.LOCAL);

        assertThat(offer.media()).hasSize(1);
        assertThat(offer.media().get(0).rtpmap(96)).isEmpty();
        assertThat(offer.media().get(0).codecs()).extracting(Codec::name).containsExactly("H264");
    }

    @Test
    void runningOutOfPayloadTypesFailsTheOfferWithoutChangingTheSession() {
        offerAndAnswer(List.of(ALICE_AUDIO));
        // 40 distinct formats with RTX need 80 numbers; the session has 61 dynamic ones
        List<NegotiatedCodec> many = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(new NegotiatedCodec(96, "H264", 90000, 0, orderedMap("packetization-mode", "1",
                "profile-level-id", String.format("42e0%02x", i)), 97, List.of()));
        }
        ForwardedTrack greedy = new ForwardedTrack("g/v", "g", "v", MediaKind.VIDEO, many, 7001, 7002, null);
        long version = session.createOffer(List.of(ALICE_AUDIO), Fixtures.LOCAL).origin().sessionVersion();
        session.rollback();

        assertThatThrownBy(() -> session.createOffer(List.of(ALICE_AUDIO, greedy), Fixtures.LOCAL))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("payload type");

        assertThat(session.isOfferPending()).isFalse();
        SessionDescription next = session.createOffer(List.of(ALICE_AUDIO), Fixtures.LOCAL);
        assertThat(next.origin().sessionVersion()).isEqualTo(version + 1);
        assertThat(next.media()).hasSize(1);
    }

    // ---------------------------------------------------------------- the outstanding offer

    @Test
    void anOfferCreatedWhileAnotherIsUnansweredReplacesIt() {
        SessionDescription first = session.createOffer(List.of(ALICE_AUDIO), Fixtures.LOCAL);
        SessionDescription second = session.createOffer(List.of(ALICE_VIDEO), Fixtures.LOCAL);

        assertThat(session.isOfferPending()).isTrue();
        assertThat(second.origin().sessionVersion()).isEqualTo(first.origin().sessionVersion() + 1);
        assertThat(second.media()).hasSize(1);
        assertThat(second.media().get(0).media()).isEqualTo("video");
        session.applyAnswer(browser.answer(second));
        assertThat(session.tracks()).extracting(AnsweredTrack::key).containsExactly(ALICE_VIDEO.key());
    }

    @Test
    void rollbackDiscardsTheOfferAndItsState() {
        offerAndAnswer(List.of(ALICE_AUDIO));
        session.createOffer(List.of(ALICE_AUDIO, ALICE_VIDEO), Fixtures.LOCAL);

        assertThat(session.rollback()).isTrue();
        assertThat(session.rollback()).isFalse();
        assertThat(session.mediaSectionCount()).isEqualTo(1);
        assertThat(session.needsOffer(List.of(ALICE_AUDIO))).isFalse();
        assertThat(session.needsOffer(List.of(ALICE_AUDIO, ALICE_VIDEO))).isTrue();
        SessionDescription again = session.createOffer(List.of(ALICE_AUDIO, ALICE_VIDEO), Fixtures.LOCAL);
        assertThat(again.media()).hasSize(2);
    }

    @Test
    void answerWithoutOfferIsABadRequest() {
        assertThatThrownBy(() -> session.applyAnswer(Fixtures.text(Fixtures.SUBSCRIBER_ANSWER_HANDWRITTEN)))
            .isInstanceOf(NegotiationException.class)
            .satisfies(e -> assertThat(((NegotiationException) e).code()).isEqualTo(NegotiationException.BAD_REQUEST));
    }

    @Test
    void versionIncrementsUnderOneSessionId() {
        SessionDescription first = session.createOffer(List.of(ALICE_AUDIO), Fixtures.LOCAL);
        session.applyAnswer(browser.answer(first));
        SessionDescription second = session.createOffer(List.of(ALICE_AUDIO, ALICE_VIDEO), Fixtures.LOCAL);

        assertThat(second.origin().sessionId()).isEqualTo(first.origin().sessionId())
            .isEqualTo(session.sessionId());
        assertThat(second.origin().sessionVersion()).isEqualTo(first.origin().sessionVersion() + 1);
    }

    // ---------------------------------------------------------------- answers that do not fit

    @Test
    void answersThatDoNotFitTheOfferAreRefusedAndTheOfferStaysOutstanding() {
        Map<String, UnaryOperator<String>> broken = new HashMap<>();
        broken.put("mids swapped", s -> s.replace("a=mid:0", "a=mid:X").replace("a=mid:1", "a=mid:0")
            .replace("a=mid:X", "a=mid:1"));
        broken.put("no BUNDLE", s -> s.replace("a=group:BUNDLE 0 1\r\n", ""));
        broken.put("BUNDLE without video", s -> s.replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0"));
        broken.put("sendonly answer", s -> s.replace("a=recvonly", "a=sendonly"));
        broken.put("setup actpass", s -> s.replace("a=setup:active", "a=setup:actpass"));
        broken.put("no fingerprint", s -> s.replaceAll("a=fingerprint:[^\r]*\r\n", ""));
        broken.put("no ice-pwd", s -> s.replaceAll("a=ice-pwd:[^\r]*\r\n", ""));
        broken.put("no rtcp-mux", s -> s.replace("a=rtcp-mux\r\n", ""));
        broken.put("unknown payload type", s -> s.replace("m=audio 9 UDP/TLS/RTP/SAVPF 111",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111 0"));
        broken.put("payload type renamed", s -> s.replace("a=rtpmap:96 VP8/90000", "a=rtpmap:96 H265/90000"));
        broken.put("no common codec", s -> s.replace("m=audio 9 UDP/TLS/RTP/SAVPF 111", "m=audio 9 UDP/TLS/RTP/SAVPF 0"));
        broken.put("one m-line missing", s -> s.substring(0, s.indexOf("m=video")));
        broken.put("media type changed", s -> s.replace("m=audio", "m=text"));
        broken.put("garbage", s -> "v=0\r\nnonsense");
        for (Map.Entry<String, UnaryOperator<String>> e : broken.entrySet()) {
            SubscriberNegotiator s = new SubscriberNegotiator(new SplittableRandom(3));
            s.createOffer(List.of(ALICE_AUDIO, ALICE_VIDEO), Fixtures.LOCAL);
            String answer = e.getValue().apply(Fixtures.text(Fixtures.SUBSCRIBER_ANSWER_HANDWRITTEN));

            assertThatThrownBy(() -> s.applyAnswer(answer)).as(e.getKey())
                .isInstanceOf(NegotiationException.class)
                .satisfies(x -> assertThat(((NegotiationException) x).code()).isEqualTo(NegotiationException.SDP_INVALID));
            assertThat(s.isOfferPending()).as(e.getKey()).isTrue();
            assertThat(s.tracks()).as(e.getKey()).isEmpty();
        }
    }

    @Test
    void passiveAnswerMakesTheSfuTheDtlsClient() {
        session.createOffer(List.of(ALICE_AUDIO, ALICE_VIDEO), Fixtures.LOCAL);

        SubscriberAnswerResult result = session.applyAnswer(Fixtures.text(Fixtures.SUBSCRIBER_ANSWER_HANDWRITTEN)
            .replace("a=setup:active", "a=setup:passive"));

        assertThat(result.remote().localDtlsRole()).isEqualTo(DtlsRole.CLIENT);
    }

    @Test
    void declinedTrackIsInactiveAndRejectedMlineIsLeftOutUntilRecycled() {
        browser.decline.add("0");
        browser.reject.add("1");

        SubscriberAnswerResult result = offerAndAnswer(List.of(ALICE_AUDIO, ALICE_VIDEO));

        assertThat(result.track(ALICE_AUDIO.key()).orElseThrow().isActive()).isFalse();
        assertThat(result.track(ALICE_VIDEO.key())).isEmpty();
        assertThat(result.media().get(1).rejected()).isTrue();
        assertThat(session.needsOffer(List.of(ALICE_AUDIO, ALICE_VIDEO))).isFalse();

        // the rejected m-line stays rejected while its track is forwarded
        browser.reject.clear();
        SessionDescription again = session.createOffer(List.of(ALICE_AUDIO, ALICE_VIDEO), Fixtures.LOCAL);
        assertThat(again.media().get(1).port()).isZero();
        assertThat(again.groups()).containsExactly(Group.bundle(List.of("0")));
        session.applyAnswer(browser.answer(again));

        // once the track goes, a new track recycles the m-line with a new mid
        SessionDescription recycled = session.createOffer(List.of(ALICE_AUDIO, BOB_AUDIO), Fixtures.LOCAL);
        assertThat(recycled.media()).hasSize(2);
        assertThat(recycled.media().get(1).media()).isEqualTo("audio");
        assertThat(recycled.media().get(1).mid()).contains("2");
        assertThat(recycled.media().get(1).port()).isEqualTo(9);
        assertThat(recycled.groups()).containsExactly(Group.bundle(List.of("0", "2")));
        SubscriberAnswerResult last = session.applyAnswer(browser.answer(recycled));
        assertThat(last.track(BOB_AUDIO.key()).orElseThrow().mid()).isEqualTo("2");
    }

    @Test
    void changedAnswererCredentialsAreAnIceRestart() {
        offerAndAnswer(List.of(ALICE_AUDIO));
        browser.ufrag = "Nw9q";

        SubscriberAnswerResult result = offerAndAnswer(List.of(ALICE_AUDIO, ALICE_VIDEO));

        assertThat(result.iceRestart()).isTrue();
        assertThat(session.remoteTransport().orElseThrow().iceUfrag()).isEqualTo("Nw9q");
    }

    @Test
    void tracksSharingAKeyOrAnSsrcAreRefused() {
        ForwardedTrack sameSsrc = ForwardedTrack.of("bob", BOB.get(0), 1001, 0);

        assertThatThrownBy(() -> session.createOffer(List.of(ALICE_AUDIO, ALICE_AUDIO), Fixtures.LOCAL))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> session.createOffer(List.of(ALICE_AUDIO, sameSsrc), Fixtures.LOCAL))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(session.isOfferPending()).isFalse();
    }

    @Test
    void forwardedTrackValidatesItsIdsAndSsrcs() {
        NegotiatedCodec opus = ALICE.get(0).codecs().get(0);
        assertThatThrownBy(() -> new ForwardedTrack("k", "has space", "t", MediaKind.AUDIO, List.of(opus), 1, 0, null))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ForwardedTrack("k", "p", "t", MediaKind.AUDIO, List.of(), 1, 0, null))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ForwardedTrack("k", "p", "t", MediaKind.AUDIO, List.of(opus), 1, 2, null))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ForwardedTrack("k", "p", "t", MediaKind.AUDIO, List.of(opus), 1, 0, " ").cname())
            .isEqualTo("p");
    }

    @Test
    void needsOfferComparesWithTheLatestState() {
        assertThat(session.needsOffer(List.of())).isFalse();
        assertThat(session.needsOffer(List.of(ALICE_AUDIO))).isTrue();
        offerAndAnswer(List.of(ALICE_AUDIO));
        assertThat(session.needsOffer(List.of(ALICE_AUDIO))).isFalse();
        assertThat(session.needsOffer(List.of())).isTrue();
        assertThat(session.needsOffer(List.of(ForwardedTrack.of("alice", ALICE.get(0), 1002, 0)))).isTrue();
    }

    @Test
    void ssrcsAboveTwoToThe31AreWrittenUnsigned() {
        ForwardedTrack high = ForwardedTrack.of("alice", ALICE.get(1), 0xF000_0001, 0xF000_0002);

        MediaDescription video = session.createOffer(List.of(high), Fixtures.LOCAL).media().get(0);

        assertThat(video.ssrcGroups()).containsExactly(new SsrcGroup(SsrcGroup.FID, List.of(0xF000_0001L,
            0xF000_0002L)));
    }

    // ---------------------------------------------------------------- helpers

    /** RFC 8843 §9.1: within one BUNDLE group a payload type number means one format on every m-line. */
    static void assertBundlePayloadTypesAreConsistent(SessionDescription sdp) {
        Map<Integer, String> meaning = new HashMap<>();
        for (MediaDescription m : sdp.media()) {
            for (Codec c : m.codecs()) {
                String format = c.rtpmap() + " " + (c.fmtp() == null ? "" : c.fmtp().parameters());
                String previous = meaning.putIfAbsent(c.payloadType(), format);
                assertThat(previous == null || previous.equals(format))
                    .as("payload type %d means %s and %s", c.payloadType(), previous, format).isTrue();
            }
        }
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
