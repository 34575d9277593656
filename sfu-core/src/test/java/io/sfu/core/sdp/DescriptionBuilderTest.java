package io.sfu.core.sdp;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Building descriptions in code, as the SFU does for its answers and subscriber offers. */
class DescriptionBuilderTest {

    private static final String HEAD = "v=0\r\no=- 1 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

    private static Fingerprint sfuFingerprint() {
        byte[] digest = new byte[32];
        for (int i = 0; i < digest.length; i++) {
            digest[i] = (byte) i;
        }
        return Fingerprint.of("sha-256", digest);
    }

    /** The ICE-lite, BUNDLE, rtcp-mux answer of API.md, built from the captured simulcast offer. */
    private static SessionDescription answer(SessionDescription offer) {
        SessionDescription answer = new SessionDescription()
            .setOrigin(new Origin("-", "4611731400430051336", 2, "IN", "IP4", "127.0.0.1"))
            .setIceLite(true)
            .setGroup(Group.bundle(offer.bundleGroup().orElseThrow().mids()))
            .add(new MsidSemantic(MsidSemantic.WMS, List.of("*")));
        for (MediaDescription o : offer.media()) {
            MediaDescription m = new MediaDescription(o.media(), 10000, o.proto())
                .setConnection(Connection.of("127.0.0.1"))
                .setMid(o.mid().orElseThrow())
                .setIceUfrag("sfuA")
                .setIcePwd("abcdefghijklmnopqrstuv")
                .setFingerprint(sfuFingerprint())
                .setSetup(Setup.PASSIVE)
                .setRtcpMux(true)
                .setRtcpRsize(true)
                .setDirection(offer.directionOf(o).reverse());
            for (Extmap e : o.extmaps()) {
                if (e.uri().endsWith(":sdes:mid") || e.uri().endsWith(":sdes:rtp-stream-id")) {
                    m.addExtmap(e);
                }
            }
            Codec first = o.codecs().get(0);
            m.addCodec(first.rtpmap(), first.fmtp(), first.feedback().stream()
                .filter(fb -> fb.type().equals("nack") || fb.type().equals("transport-cc")).toList());
            for (Codec c : o.codecs()) {
                if (c.isRtx() && c.fmtp().associatedPayloadType() == first.payloadType()) {
                    m.addCodec(c.rtpmap(), c.fmtp(), List.of());
                }
            }
            for (Rid rid : o.rids()) {
                m.add(new Rid(rid.id(), rid.direction().reverse()));
            }
            o.simulcast().ifPresent(sc -> m.setSimulcast(sc.reversed()));
            m.addCandidate(Candidate.host("1", "udp", 2130706431L, "127.0.0.1", 10000)).setEndOfCandidates(true);
            answer.addMedia(m);
        }
        return answer;
    }

    @Test
    void answerToTheCapturedSimulcastOfferIsWrittenExactly() {
        SessionDescription offer = SdpParser.parse(Fixtures.load(Fixtures.SIMULCAST));

        String text = answer(offer).write();

        String common = "c=IN IP4 127.0.0.1\r\n";
        String transport = "a=ice-ufrag:sfuA\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\n"
            + "a=fingerprint:sha-256 00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:19:"
            + "1A:1B:1C:1D:1E:1F\r\na=setup:passive\r\na=rtcp-mux\r\na=rtcp-rsize\r\na=recvonly\r\n";
        String candidates = "a=candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host\r\na=end-of-candidates\r\n";
        assertThat(text).isEqualTo("v=0\r\n"
            + "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n"
            + "s=-\r\n"
            + "t=0 0\r\n"
            + "a=ice-lite\r\n"
            + "a=group:BUNDLE 0 1\r\n"
            + "a=msid-semantic:WMS *\r\n"
            + "m=audio 10000 UDP/TLS/RTP/SAVPF 111\r\n" + common
            + "a=mid:0\r\n" + transport
            + "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
            + "a=rtpmap:111 opus/48000/2\r\n"
            + "a=rtcp-fb:111 transport-cc\r\n"
            + "a=fmtp:111 minptime=10;useinbandfec=1\r\n"
            + candidates
            + "m=video 10000 UDP/TLS/RTP/SAVPF 96 97\r\n" + common
            + "a=mid:1\r\n" + transport
            + "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
            + "a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r\n"
            + "a=rtpmap:96 VP8/90000\r\n"
            + "a=rtcp-fb:96 transport-cc\r\n"
            + "a=rtcp-fb:96 nack\r\n"
            + "a=rtcp-fb:96 nack pli\r\n"
            + "a=rtpmap:97 rtx/90000\r\n"
            + "a=fmtp:97 apt=96\r\n"
            + "a=rid:q recv\r\n"
            + "a=rid:h recv\r\n"
            + "a=rid:f recv\r\n"
            + "a=simulcast:recv q;h;f\r\n"
            + candidates);
        SessionDescription reparsed = SdpParser.parse(text);
        reparsed.validateAttributes();
        assertThat(reparsed.write()).isEqualTo(text);
        assertThat(reparsed.isIceLite()).isTrue();
        assertThat(reparsed.media().get(1).simulcast().orElseThrow().recvRids()).containsExactly("q", "h", "f");
    }

    @Test
    void subscriberOfferCarriesMsidAndSsrcLines() {
        Msid msid = new Msid("participant-1", "track-7");
        MediaDescription video = MediaDescription.webRtc("video")
            .setMid("0")
            .setDirection(Direction.SENDONLY)
            .setMsid(msid)
            .addCodec(new Rtpmap(96, "VP8", 90000), null, List.of(new RtcpFb(96, "nack", "pli")))
            .add(new SsrcGroup(SsrcGroup.FID, List.of(1111L, 2222L)))
            .add(Ssrc.cname(1111L, "sfu"))
            .add(Ssrc.msid(1111L, msid));

        assertThat(video.toString()).isEqualTo("m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\n"
            + "a=mid:0\r\na=sendonly\r\na=msid:participant-1 track-7\r\na=rtpmap:96 VP8/90000\r\n"
            + "a=rtcp-fb:96 nack pli\r\na=ssrc-group:FID 1111 2222\r\na=ssrc:1111 cname:sfu\r\n"
            + "a=ssrc:1111 msid:participant-1 track-7\r\n");
        assertThat(video.msid()).contains(msid);
        assertThat(video.ssrcs()).extracting(Ssrc::attribute).containsExactly("cname", "msid");
    }

    @Test
    void setDirectionReplacesTheDirectionInPlace() {
        SessionDescription sdp = SdpParser.parse(HEAD
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=sendrecv\r\na=rtcp-mux\r\n");
        MediaDescription audio = sdp.media().get(0);

        audio.setDirection(Direction.INACTIVE);

        assertThat(audio.attributes()).extracting(Attribute::name).containsExactly("mid", "inactive", "rtcp-mux");
        assertThat(audio.direction()).contains(Direction.INACTIVE);
        assertThat(MediaDescription.webRtc("audio").setDirection(Direction.RECVONLY).attributes())
            .containsExactly(Attribute.flag("recvonly"));
    }

    @Test
    void setAttributeReplacesTheFirstAndDropsTheOthers() {
        MediaDescription m = MediaDescription.webRtc("audio")
            .addAttribute("x", "1").addAttribute("mid", "0").addAttribute("x", "2").addAttribute("rtcp-mux");

        m.setAttribute("x", "3");

        assertThat(m.attributes()).extracting(Attribute::toString).containsExactly("x:3", "mid:0", "rtcp-mux");
    }

    @Test
    void removeAttributesDropsEveryAttributeOfThatName() {
        MediaDescription m = SdpParser.parse(Fixtures.load(Fixtures.AUDIO_VIDEO_GATHERED)).media().get(0);
        int before = m.attributes().size();

        m.removeAttributes(AttributeNames.CANDIDATE).removeAttributes(AttributeNames.SSRC);

        assertThat(m.candidates()).isEmpty();
        assertThat(m.ssrcs()).isEmpty();
        assertThat(m.attributes()).hasSize(before - 8 - 2);
        assertThat(m.mid()).contains("0");
    }

    @Test
    void flagsAreAddedOnceAndRemoved() {
        MediaDescription m = MediaDescription.webRtc("video");

        m.setRtcpMux(true).setRtcpMux(true).setBundleOnly(true).setPort(0);

        assertThat(m.attributes(AttributeNames.RTCP_MUX)).hasSize(1);
        assertThat(m.isBundleOnly()).isTrue();
        assertThat(m.isRejected()).isFalse();
        m.setBundleOnly(false);
        assertThat(m.isRejected()).isTrue();
    }

    @Test
    void setGroupReplacesOnlyTheSameSemantics() {
        SessionDescription sdp = new SessionDescription()
            .setGroup(new Group("LS", List.of("0", "1")))
            .setGroup(Group.bundle(List.of("0")));

        sdp.setGroup(Group.bundle(List.of("0", "1")));

        assertThat(sdp.groups()).containsExactly(new Group("LS", List.of("0", "1")), Group.bundle(List.of("0", "1")));
    }

    @Test
    void copyIsIndependentOfTheOriginal() {
        SessionDescription original = SdpParser.parse(Fixtures.load(Fixtures.SIMULCAST));
        String before = original.write();

        SessionDescription copy = original.copy();
        copy.setOrigin(copy.origin().withSessionVersion(3));
        copy.media().get(0).setDirection(Direction.INACTIVE).removeAttributes(AttributeNames.SSRC);
        copy.addMedia(MediaDescription.webRtc("audio").addPayloadType(0));

        assertThat(original.write()).isEqualTo(before);
        assertThat(copy.write()).isNotEqualTo(before);
        assertThat(copy.origin().sessionVersion()).isEqualTo(3);
    }

    @Test
    void newDescriptionIsValidAndParsesBack() {
        SessionDescription sdp = new SessionDescription();

        assertThat(sdp.write()).isEqualTo("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        assertThat(SdpParser.parse(sdp.write()).write()).isEqualTo(sdp.write());
    }

    @Test
    void buildersRejectLineBreaksAndOutOfRangeValues() {
        SessionDescription sdp = new SessionDescription();
        MediaDescription m = MediaDescription.webRtc("audio");

        assertThatThrownBy(() -> sdp.setSessionName("x\r\na=ice-lite")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.setMid("0 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.setPort(65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.addFormat("opus")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.setIceUfrag("abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.setIcePwd("tooshort")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.addAttribute("a b", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sdp.setTimings(new ArrayList<>())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MediaDescription("application", 9, MediaDescription.PROTO_SCTP)
            .addFormat("webrtc-datachannel").setProto(MediaDescription.PROTO_RTP))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
