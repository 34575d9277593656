package io.sfu.client;

import static io.sfu.client.ClientTests.fastConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.List;

import io.sfu.core.rtp.HeaderExtensionUris;
import io.sfu.core.sdp.Codec;
import io.sfu.core.sdp.Direction;
import io.sfu.core.sdp.Extmap;
import io.sfu.core.sdp.MediaDescription;
import io.sfu.core.sdp.MediaKind;
import io.sfu.core.sdp.Msid;
import io.sfu.core.sdp.MsidSemantic;
import io.sfu.core.sdp.RidDirection;
import io.sfu.core.sdp.RtcpFb;
import io.sfu.core.sdp.SessionDescription;
import io.sfu.core.sdp.Setup;
import io.sfu.core.sdp.Simulcast;
import io.sfu.core.sdp.Ssrc;
import io.sfu.core.sdp.SsrcGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's offers and answers, read back with the SDP parser. The loop is driven by the test thread. */
class ClientSdpTest {
    private static final String FINGERPRINT = "sha-256 00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:"
        + "15:16:17:18:19:1A:1B:1C:1D:1E:1F";

    private ClientIoLoop loop;
    private DatagramChannel silentServer;
    private int serverPort;

    @BeforeEach
    void start() throws Exception {
        loop = ClientIoLoop.create(ClientIoLoopConfig.defaults());
        silentServer = DatagramChannel.open();
        silentServer.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        serverPort = ((InetSocketAddress) silentServer.getLocalAddress()).getPort();
    }

    @AfterEach
    void stop() throws Exception {
        loop.close();
        silentServer.close();
    }

    private ClientPeerConnection newPeerConnection(ClientPeerConnection.Listener listener) {
        return loop.newPeerConnection(fastConfig().streamId("stream1").cname("cname1").build(), listener);
    }

    private static void assertTransport(MediaDescription m, ClientPeerConnection pc, Setup setup) {
        assertThat(m.proto()).isEqualTo(MediaDescription.PROTO_RTP);
        assertThat(m.iceUfrag()).contains(pc.localIceCredentials().ufrag());
        assertThat(m.icePwd()).contains(pc.localIceCredentials().pwd());
        assertThat(m.fingerprint().orElseThrow().attributeValue()).isEqualTo(pc.localFingerprint());
        assertThat(m.setup()).contains(setup);
        assertThat(m.isRtcpMux()).isTrue();
        assertThat(m.isRtcpRsize()).isTrue();
    }

    private static List<String> feedback(Codec codec) {
        return codec.feedback().stream().map(fb -> fb.subtype() == null ? fb.type() : fb.type() + " " + fb.subtype())
            .toList();
    }

    @Test
    void thePublisherOfferHasTheStructureOfABrowserOffer() {
        ClientPeerConnection pc = newPeerConnection(null);

        String text = pc.createOffer(List.of(TrackSpec.audio("mic"), TrackSpec.video("cam")));

        assertThat(text).startsWith("v=0\r\n").endsWith("\r\n").doesNotContain("\n\n");
        SessionDescription sdp = SessionDescription.parse(text);
        sdp.validateAttributes();
        assertThat(sdp.bundleGroup().orElseThrow().mids()).containsExactly("0", "1");
        assertThat(sdp.isExtmapAllowMixed()).isTrue();
        assertThat(sdp.msidSemantic()).contains(new MsidSemantic("WMS", List.of("stream1")));
        assertThat(sdp.media()).hasSize(2);

        MediaDescription audio = sdp.media().get(0);
        RtpSender mic = pc.sender("mic");
        assertThat(audio.media()).isEqualTo("audio");
        assertThat(audio.mid()).contains("0");
        assertTransport(audio, pc, Setup.ACTPASS);
        assertThat(audio.direction()).contains(Direction.SENDONLY);
        assertThat(audio.msid()).contains(new Msid("stream1", "mic"));
        assertThat(audio.payloadTypes()).containsExactly(111);
        Codec opus = audio.codecs().get(0);
        assertThat(opus.rtpmap().encodingName()).isEqualTo("opus");
        assertThat(opus.rtpmap().clockRate()).isEqualTo(48_000);
        assertThat(opus.rtpmap().channels()).isEqualTo(2);
        assertThat(opus.parameter("useinbandfec")).isEqualTo("1");
        assertThat(feedback(opus)).containsExactly("transport-cc");
        assertThat(audio.extmaps()).containsExactly(
            new Extmap(1, HeaderExtensionUris.AUDIO_LEVEL), new Extmap(2, HeaderExtensionUris.ABS_SEND_TIME),
            new Extmap(3, HeaderExtensionUris.TRANSPORT_WIDE_CC), new Extmap(4, HeaderExtensionUris.MID));
        assertThat(audio.ssrcGroups()).isEmpty();
        assertThat(audio.ssrcs()).containsExactly(Ssrc.cname(mic.ssrc() & 0xFFFF_FFFFL, "cname1"),
            Ssrc.msid(mic.ssrc() & 0xFFFF_FFFFL, new Msid("stream1", "mic")));
        assertThat(audio.candidates()).singleElement().satisfies(c -> {
            assertThat(c.address()).isEqualTo("127.0.0.1");
            assertThat(c.port()).isEqualTo(pc.localAddress().getPort());
            assertThat(c.isUdp()).isTrue();
            assertThat(c.type()).isEqualTo("host");
        });

        MediaDescription video = sdp.media().get(1);
        RtpSender cam = pc.sender("cam");
        assertThat(video.media()).isEqualTo("video");
        assertThat(video.mid()).contains("1");
        assertTransport(video, pc, Setup.ACTPASS);
        assertThat(video.direction()).contains(Direction.SENDONLY);
        assertThat(video.payloadTypes()).containsExactly(96, 97);
        Codec vp8 = video.codec(96).orElseThrow();
        assertThat(vp8.rtpmap().encodingName()).isEqualTo("VP8");
        assertThat(vp8.rtpmap().clockRate()).isEqualTo(90_000);
        assertThat(feedback(vp8)).containsExactlyInAnyOrder("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli");
        Codec rtx = video.codec(97).orElseThrow();
        assertThat(rtx.isRtx()).isTrue();
        assertThat(rtx.fmtp().associatedPayloadType()).isEqualTo(96);
        assertThat(video.extmaps()).extracting(Extmap::id).containsExactly(2, 3, 4, 10, 11);
        assertThat(video.extmap(HeaderExtensionUris.RTP_STREAM_ID).orElseThrow().id()).isEqualTo(10);
        assertThat(video.extmap(HeaderExtensionUris.REPAIRED_RTP_STREAM_ID).orElseThrow().id()).isEqualTo(11);
        assertThat(video.ssrcGroups()).containsExactly(new SsrcGroup(SsrcGroup.FID,
            List.of(cam.ssrc() & 0xFFFF_FFFFL, cam.rtxSsrc() & 0xFFFF_FFFFL)));
        assertThat(video.ssrcs()).extracting(Ssrc::ssrc).containsOnly(cam.ssrc() & 0xFFFF_FFFFL,
            cam.rtxSsrc() & 0xFFFF_FFFFL);
        assertThat(video.ssrcs()).hasSize(4);
        assertThat(video.candidates()).isEmpty();
        assertThat(video.rids()).isEmpty();
        assertThat(cam.ssrc()).isNotEqualTo(mic.ssrc()).isNotEqualTo(cam.rtxSsrc());
    }

    @Test
    void aSimulcastOfferNamesRidsAndNoSsrcsLikeChromium() {
        ClientPeerConnection pc = newPeerConnection(null);

        SessionDescription sdp = SessionDescription.parse(
            pc.createOffer(List.of(TrackSpec.simulcastVideo("cam", "q", "h", "f"))));

        MediaDescription video = sdp.media().get(0);
        assertThat(video.rids()).extracting(r -> r.id() + " " + r.direction())
            .containsExactly("q " + RidDirection.SEND, "h " + RidDirection.SEND, "f " + RidDirection.SEND);
        assertThat(video.simulcast()).contains(Simulcast.sending("q", "h", "f"));
        assertThat(video.ssrcs()).isEmpty();
        assertThat(video.ssrcGroups()).isEmpty();
        assertThat(video.msid()).contains(new Msid("stream1", "cam"));
        assertThat(pc.senders("cam")).extracting(RtpSender::rid).containsExactly("q", "h", "f");
        assertThat(pc.senders("cam")).extracting(RtpSender::ssrc).doesNotHaveDuplicates();
        assertThat(pc.senders("cam")).allMatch(s -> s.rtxSsrc() != 0 && s.mid().equals("0"));
    }

    @Test
    void aSecondOfferKeepsMidsAndSsrcsAddsNewTracksAndStopsLeftOutOnes() {
        ClientPeerConnection pc = newPeerConnection(null);
        SessionDescription first = SessionDescription.parse(
            pc.createOffer(List.of(TrackSpec.audio("mic"), TrackSpec.video("cam"))));
        int camSsrc = pc.sender("cam").ssrc();

        SessionDescription second = SessionDescription.parse(
            pc.createOffer(List.of(TrackSpec.video("cam"), TrackSpec.video("screen"))));

        assertThat(second.origin().sessionId()).isEqualTo(first.origin().sessionId());
        assertThat(second.origin().sessionVersion()).isGreaterThan(first.origin().sessionVersion());
        assertThat(second.media()).extracting(m -> m.mid().orElseThrow()).containsExactly("0", "1", "2");
        assertThat(second.media().get(0).direction()).contains(Direction.INACTIVE);
        assertThat(second.media().get(0).msid()).isEmpty();
        assertThat(second.media().get(1).ssrcGroups().get(0).ssrcs().get(0)).isEqualTo(camSsrc & 0xFFFF_FFFFL);
        assertThat(second.media().get(2).msid()).contains(new Msid("stream1", "screen"));
        assertThat(pc.sender("cam").ssrc()).isEqualTo(camSsrc);
        assertThat(pc.senders()).hasSize(3);
    }

    @Test
    void anOfferWithDataChannelsCarriesAnSctpSectionThatKeepsItsPlaceWhenTracksAreAdded() {
        ClientPeerConnection pc = newPeerConnection(null);

        SessionDescription first = SessionDescription.parse(pc.createOffer(List.of(TrackSpec.audio("mic")),
            List.of(DataChannelSpec.reliable("chat"))));
        SessionDescription second = SessionDescription.parse(
            pc.createOffer(List.of(TrackSpec.audio("mic"), TrackSpec.video("cam")), List.of()));

        assertThat(first.media()).extracting(MediaDescription::media).containsExactly("audio", "application");
        MediaDescription data = first.media().get(1);
        assertThat(data.port()).isEqualTo(MediaDescription.DISCARD_PORT);
        assertThat(data.proto()).isEqualTo(MediaDescription.PROTO_SCTP);
        assertThat(data.formats()).containsExactly("webrtc-datachannel");
        assertThat(data.attributeValue("sctp-port")).contains("5000");
        assertThat(data.attributeValue("max-message-size")).contains("262144");
        assertThat(data.setup()).contains(Setup.ACTPASS);
        assertThat(data.iceUfrag()).contains(pc.localIceCredentials().ufrag());
        assertThat(first.bundleGroup().orElseThrow().mids()).containsExactly("0", "1");
        assertThat(second.media()).extracting(MediaDescription::media)
            .containsExactly("audio", "application", "video");
        assertThat(second.media()).extracting(m -> m.mid().orElseThrow()).containsExactly("0", "1", "2");
        assertThat(second.bundleGroup().orElseThrow().mids()).containsExactly("0", "1", "2");
    }

    @Test
    void theAnswerAcceptsTheSfusDataChannelSection() {
        ClientPeerConnection pc = newPeerConnection(null);
        String dataSection = "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
            + "c=IN IP4 0.0.0.0\r\n"
            + "a=ice-ufrag:sfuA\r\n"
            + "a=ice-pwd:abcdefghijklmnopqrstuv\r\n"
            + "a=fingerprint:" + FINGERPRINT + "\r\n"
            + "a=setup:actpass\r\n"
            + "a=mid:4\r\n"
            + "a=sctp-port:5000\r\n"
            + "a=max-message-size:262144\r\n";

        SessionDescription answer = SessionDescription.parse(pc.acceptOffer(sfuOffer(2, "cam", true, dataSection)));

        MediaDescription data = answer.media().get(4);
        assertThat(data.isRejected()).isFalse();
        assertThat(data.media()).isEqualTo("application");
        assertThat(data.proto()).isEqualTo(MediaDescription.PROTO_SCTP);
        assertThat(data.mid()).contains("4");
        assertThat(data.setup()).contains(Setup.ACTIVE);
        assertThat(data.attributeValue("sctp-port")).contains("5000");
        assertThat(answer.bundleGroup().orElseThrow().mids()).containsExactly("0", "1", "3", "4");
        // the rejected older section stays rejected
        assertThat(answer.media().get(2).isRejected()).isTrue();
    }

    private String sfuOffer(long version, String secondTrack, boolean secondActive, String extra) {
        String transport = "c=IN IP4 127.0.0.1\r\n"
            + "a=ice-ufrag:sfuA\r\n"
            + "a=ice-pwd:abcdefghijklmnopqrstuv\r\n"
            + "a=fingerprint:" + FINGERPRINT + "\r\n"
            + "a=setup:actpass\r\n"
            + "a=rtcp-mux\r\n"
            + "a=rtcp-rsize\r\n";
        String candidate = "a=candidate:1 1 udp 2130706431 127.0.0.1 " + serverPort + " typ host\r\n"
            + "a=end-of-candidates\r\n";
        String video = "a=extmap:3 " + HeaderExtensionUris.TRANSPORT_WIDE_CC + "\r\n"
            + "a=extmap:4 " + HeaderExtensionUris.MID + "\r\n"
            + "a=rtpmap:96 VP8/90000\r\n"
            + "a=rtcp-fb:96 nack\r\n"
            + "a=rtcp-fb:96 nack pli\r\n"
            + "a=rtcp-fb:96 ccm fir\r\n"
            + "a=rtpmap:97 rtx/90000\r\n"
            + "a=fmtp:97 apt=96\r\n";
        return "v=0\r\n"
            + "o=- 4242 " + version + " IN IP4 127.0.0.1\r\n"
            + "s=-\r\n"
            + "t=0 0\r\n"
            + "a=ice-lite\r\n"
            + "a=group:BUNDLE 0 1 3" + (extra.isEmpty() ? "" : " 4") + "\r\n"
            + "a=extmap-allow-mixed\r\n"
            + "a=msid-semantic:WMS *\r\n"
            + "m=audio " + serverPort + " UDP/TLS/RTP/SAVPF 111\r\n"
            + transport
            + "a=mid:0\r\n"
            + "a=extmap:1 " + HeaderExtensionUris.AUDIO_LEVEL + "\r\n"
            + "a=extmap:4 " + HeaderExtensionUris.MID + "\r\n"
            + "a=sendonly\r\n"
            + "a=msid:alice mic\r\n"
            + "a=rtpmap:111 opus/48000/2\r\n"
            + "a=rtcp-fb:111 transport-cc\r\n"
            + "a=fmtp:111 minptime=10;useinbandfec=1\r\n"
            + "a=ssrc:1111 cname:alice\r\n"
            + "a=ssrc:1111 msid:alice mic\r\n"
            + candidate
            + "m=video " + serverPort + " UDP/TLS/RTP/SAVPF 96 97\r\n"
            + transport
            + "a=mid:1\r\n"
            + video
            + (secondActive ? "a=sendonly\r\na=msid:bob " + secondTrack + "\r\n"
                + "a=ssrc-group:FID 2222 3333\r\n"
                + "a=ssrc:2222 cname:bob\r\na=ssrc:2222 msid:bob " + secondTrack + "\r\n"
                + "a=ssrc:3333 cname:bob\r\na=ssrc:3333 msid:bob " + secondTrack + "\r\n"
                : "a=inactive\r\n")
            + candidate
            + "m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\n"
            + "c=IN IP4 0.0.0.0\r\n"
            + "a=mid:2\r\n"
            + "m=video " + serverPort + " UDP/TLS/RTP/SAVPF 96 97\r\n"
            + transport
            + "a=mid:3\r\n"
            + video
            + "a=inactive\r\n"
            + candidate
            + extra;
    }

    @Test
    void theAnswerToAnSfuOfferMirrorsItAndTheOfferedTracksAreReported() {
        ClientTests.Recorder events = new ClientTests.Recorder();
        ClientPeerConnection pc = newPeerConnection(events);

        String text = pc.acceptOffer(sfuOffer(2, "cam", true, ""));
        loop.doWork();

        assertThat(text).startsWith("v=0\r\n").endsWith("\r\n");
        SessionDescription answer = SessionDescription.parse(text);
        answer.validateAttributes();
        assertThat(answer.isIceLite()).isFalse();
        assertThat(answer.bundleGroup().orElseThrow().mids()).containsExactly("0", "1", "3");
        assertThat(answer.isExtmapAllowMixed()).isTrue();
        assertThat(answer.media()).extracting(m -> m.mid().orElseThrow()).containsExactly("0", "1", "2", "3");
        for (MediaDescription m : answer.media()) {
            assertThat(m.candidates()).isEmpty();
            assertThat(m.ssrcs()).isEmpty();
            assertThat(m.msid()).isEmpty();
        }

        MediaDescription audio = answer.media().get(0);
        assertThat(audio.port()).isEqualTo(MediaDescription.DISCARD_PORT);
        assertTransport(audio, pc, Setup.ACTIVE);
        assertThat(audio.direction()).contains(Direction.RECVONLY);
        assertThat(audio.payloadTypes()).containsExactly(111);
        assertThat(audio.codecs().get(0).parameter("minptime")).isEqualTo("10");
        assertThat(feedback(audio.codecs().get(0))).containsExactly("transport-cc");
        assertThat(audio.extmaps()).containsExactly(new Extmap(1, HeaderExtensionUris.AUDIO_LEVEL),
            new Extmap(4, HeaderExtensionUris.MID));

        MediaDescription video = answer.media().get(1);
        assertTransport(video, pc, Setup.ACTIVE);
        assertThat(video.direction()).contains(Direction.RECVONLY);
        assertThat(video.payloadTypes()).containsExactly(96, 97);
        assertThat(video.codec(97).orElseThrow().fmtp().associatedPayloadType()).isEqualTo(96);
        assertThat(video.rtcpFeedback()).contains(new RtcpFb(96, "nack"), new RtcpFb(96, "nack", "pli"));

        MediaDescription data = answer.media().get(2);
        assertThat(data.port()).isZero();
        assertThat(data.isRejected()).isTrue();
        assertThat(data.formats()).containsExactly("webrtc-datachannel");

        assertThat(answer.media().get(3).direction()).contains(Direction.INACTIVE);

        assertThat(events.tracks).containsExactly(
            new RemoteTrack("alice", "mic", MediaKind.AUDIO, "0", 1111, 0, 111, 48_000),
            new RemoteTrack("bob", "cam", MediaKind.VIDEO, "1", 2222, 3333, 96, 90_000));
        assertThat(pc.remoteTracks()).hasSize(2);
        assertThat(pc.remoteAddress().getPort()).isEqualTo(serverPort);
        assertThat(events.states).containsExactly(ClientState.CHECKING);
    }

    @Test
    void laterOffersRenegotiateTracksOnTheSameTransport() {
        ClientTests.Recorder events = new ClientTests.Recorder();
        ClientPeerConnection pc = newPeerConnection(events);
        SessionDescription first = SessionDescription.parse(pc.acceptOffer(sfuOffer(2, "cam", true, "")));
        loop.doWork();
        String newSection = "m=video " + serverPort + " UDP/TLS/RTP/SAVPF 96\r\n"
            + "c=IN IP4 127.0.0.1\r\na=ice-ufrag:sfuA\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\n"
            + "a=fingerprint:" + FINGERPRINT + "\r\na=setup:actpass\r\na=rtcp-mux\r\na=mid:4\r\n"
            + "a=rtpmap:96 VP8/90000\r\na=sendonly\r\na=msid:carol cam\r\na=ssrc:4444 cname:carol\r\n";

        SessionDescription second = SessionDescription.parse(pc.acceptOffer(sfuOffer(3, "cam", false, newSection)));
        loop.doWork();

        assertThat(second.origin().sessionId()).isEqualTo(first.origin().sessionId());
        assertThat(second.origin().sessionVersion()).isGreaterThan(first.origin().sessionVersion());
        assertThat(second.media()).hasSize(5);
        assertThat(second.media().get(1).direction()).contains(Direction.INACTIVE);
        assertThat(second.media().get(4).direction()).contains(Direction.RECVONLY);
        assertThat(second.media().get(4).iceUfrag()).isEqualTo(first.media().get(0).iceUfrag());
        assertThat(second.media().get(4).isRtcpRsize()).isFalse();
        assertThat(second.bundleGroup().orElseThrow().mids()).containsExactly("0", "1", "3", "4");
        assertThat(events.removedTracks).extracting(RemoteTrack::ssrc).containsExactly(2222);
        assertThat(events.tracks).extracting(RemoteTrack::ssrc).containsExactly(1111, 2222, 4444);
        assertThat(pc.remoteTracks()).extracting(RemoteTrack::participantId).containsExactlyInAnyOrder("alice", "carol");
        assertThat(events.states).containsExactly(ClientState.CHECKING);
    }

    @Test
    void anOfferOfALargeRoomIsRead() {
        // two m-lines per other publisher: a room of 300 offers 598, beyond the parser's default for one peer
        StringBuilder sdp = new StringBuilder("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        for (int m = 0; m < 598; m++) {
            sdp.append("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:").append(m)
                .append("\r\na=sendonly\r\na=rtpmap:111 opus/48000/2\r\n");
        }

        assertThat(ClientSdp.parse(sdp.toString()).media()).hasSize(598);
    }
}
