package io.sfu.core.sdp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Each typed attribute parser: the values of its RFC, the exact text it writes back, and what it rejects. */
class TypedAttributeTest {

    // ---------------------------------------------------------------- well-formed values round-trip

    static Stream<Arguments> wellFormed() {
        return Stream.of(
            arguments("group BUNDLE (RFC 9143 §7.1)", (Function<String, TypedAttribute>) Group::parse, "BUNDLE 0 1 2"),
            arguments("group without mids", (Function<String, TypedAttribute>) Group::parse, "BUNDLE"),
            arguments("group LS (RFC 5888 §7)", (Function<String, TypedAttribute>) Group::parse, "LS 1 2"),
            arguments("msid stream and track", (Function<String, TypedAttribute>) Msid::parse, "stream-1 track-1"),
            arguments("msid stream only", (Function<String, TypedAttribute>) Msid::parse, "stream-1"),
            arguments("msid-semantic", (Function<String, TypedAttribute>) MsidSemantic::parse, "WMS *"),
            arguments("fingerprint sha-256", (Function<String, TypedAttribute>) Fingerprint::parse,
                "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF"),
            arguments("fingerprint sha-1 lower case", (Function<String, TypedAttribute>) Fingerprint::parse,
                "sha-1 4a:ad:b9:b1:3f:82:18:3b:54:02:12:df:3e:5d:49:6b:19:e5:7c:ab"),
            arguments("rtpmap audio", (Function<String, TypedAttribute>) Rtpmap::parse, "111 opus/48000/2"),
            arguments("rtpmap video", (Function<String, TypedAttribute>) Rtpmap::parse, "96 VP8/90000"),
            arguments("rtpmap name with dash", (Function<String, TypedAttribute>) Rtpmap::parse, "49 flexfec-03/90000"),
            arguments("fmtp H.264", (Function<String, TypedAttribute>) Fmtp::parse,
                "102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f"),
            arguments("fmtp RED without key", (Function<String, TypedAttribute>) Fmtp::parse, "63 111/111"),
            arguments("fmtp empty value", (Function<String, TypedAttribute>) Fmtp::parse, "96 x-flag="),
            arguments("rtcp-fb nack pli", (Function<String, TypedAttribute>) RtcpFb::parse, "96 nack pli"),
            arguments("rtcp-fb wildcard", (Function<String, TypedAttribute>) RtcpFb::parse, "* nack"),
            arguments("rtcp-fb trr-int (RFC 4585 §4.2)", (Function<String, TypedAttribute>) RtcpFb::parse,
                "96 trr-int 100"),
            arguments("rtcp-fb ccm tmmbr with params", (Function<String, TypedAttribute>) RtcpFb::parse,
                "98 ccm tmmbr smaxpr=120"),
            arguments("extmap plain", (Function<String, TypedAttribute>) Extmap::parse,
                "4 urn:ietf:params:rtp-hdrext:sdes:mid"),
            arguments("extmap with direction (RFC 8285 §7)", (Function<String, TypedAttribute>) Extmap::parse,
                "2/sendrecv http://example.com/082005/ext.htm#xmeta short"),
            arguments("extmap two-byte id", (Function<String, TypedAttribute>) Extmap::parse, "255 urn:x"),
            arguments("extmap offer-range id", (Function<String, TypedAttribute>) Extmap::parse, "4096/recvonly urn:x a b"),
            arguments("ssrc cname", (Function<String, TypedAttribute>) Ssrc::parse, "4294967295 cname:user@example.com"),
            arguments("ssrc msid with space", (Function<String, TypedAttribute>) Ssrc::parse, "0 msid:stream track"),
            arguments("ssrc attribute without value", (Function<String, TypedAttribute>) Ssrc::parse, "1 x-flag"),
            arguments("ssrc-group FID", (Function<String, TypedAttribute>) SsrcGroup::parse, "FID 942445265 1240081323"),
            arguments("ssrc-group SIM", (Function<String, TypedAttribute>) SsrcGroup::parse, "SIM 1 2 3"),
            arguments("rid plain", (Function<String, TypedAttribute>) Rid::parse, "q send"),
            arguments("rid with pt and restrictions (RFC 8851 §11)", (Function<String, TypedAttribute>) Rid::parse,
                "5 send pt=99,102;max-br=64000;max-width=1280;max-height=720;max-fps=30"),
            arguments("rid restrictions without pt", (Function<String, TypedAttribute>) Rid::parse,
                "1_a-b recv max-width=640;depend=0"),
            arguments("rid bare restriction", (Function<String, TypedAttribute>) Rid::parse, "r0 recv x-flag"),
            arguments("simulcast send (RFC 8853 §5.1)", (Function<String, TypedAttribute>) Simulcast::parse,
                "send q;h;f"),
            arguments("simulcast alternatives and paused (RFC 8853 §5.1)",
                (Function<String, TypedAttribute>) Simulcast::parse, "send 1,2;~4 recv c"),
            arguments("simulcast recv only", (Function<String, TypedAttribute>) Simulcast::parse, "recv ~1;2,~3"),
            arguments("candidate host UDP", (Function<String, TypedAttribute>) Candidate::parse,
                "1 1 UDP 2130706431 10.0.1.1 8998 typ host"),
            arguments("candidate srflx (RFC 8839 §5.1)", (Function<String, TypedAttribute>) Candidate::parse,
                "2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 10.0.1.1 rport 8998"),
            arguments("candidate TCP with extensions", (Function<String, TypedAttribute>) Candidate::parse,
                "724376323 1 tcp 1518214911 127.0.0.1 9 typ host tcptype active generation 0 network-id 3"),
            arguments("candidate mDNS and ufrag", (Function<String, TypedAttribute>) Candidate::parse,
                "+/aZ 256 udp 0 4f1c2e3a-0b1d-4c2e-8f3a-5b6c7d8e9f00.local 65535 typ prflx generation 0 ufrag x++Q"),
            arguments("rtcp port only (RFC 3605 §2.1)", (Function<String, TypedAttribute>) Rtcp::parse, "53020"),
            arguments("rtcp port and address", (Function<String, TypedAttribute>) Rtcp::parse,
                "53020 IN IP6 2001:2345:6789:ABCD:EF01:2345:6789:ABCD"),
            arguments("setup", (Function<String, TypedAttribute>) Setup::parse, "holdconn"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFormed")
    void wellFormedValueParsesAndWritesBackTheSameText(String name, Function<String, TypedAttribute> parser,
                                                      String value) {
        TypedAttribute parsed = parser.apply(value);

        assertThat(parsed.attributeValue()).isEqualTo(value);
        assertThat(parser.apply(parsed.attributeValue())).isEqualTo(parsed);
    }

    // ---------------------------------------------------------------- malformed values are rejected

    static Stream<Arguments> malformed() {
        return Stream.of(
            arguments("group empty", (Function<String, ?>) Group::parse, "", "extra space"),
            arguments("msid id too long", (Function<String, ?>) Msid::parse, "s".repeat(65), "1 to 64"),
            arguments("msid-semantic empty", (Function<String, ?>) MsidSemantic::parse, " ", "no semantic"),
            arguments("fingerprint no hex", (Function<String, ?>) Fingerprint::parse, "sha-256", "needs"),
            arguments("fingerprint bad hex", (Function<String, ?>) Fingerprint::parse, "sha-256 ZZ:00", "hex pairs"),
            arguments("fingerprint single digit", (Function<String, ?>) Fingerprint::parse, "sha-256 0:00", "hex pairs"),
            arguments("fingerprint trailing colon", (Function<String, ?>) Fingerprint::parse, "sha-256 00:", "hex pairs"),
            arguments("rtpmap non-numeric pt", (Function<String, ?>) Rtpmap::parse, "opus opus/48000", "payload type"),
            arguments("rtpmap pt above 127", (Function<String, ?>) Rtpmap::parse, "128 opus/48000", "out of range"),
            arguments("rtpmap without clock rate", (Function<String, ?>) Rtpmap::parse, "96 VP8", "no clock rate"),
            arguments("rtpmap zero clock rate", (Function<String, ?>) Rtpmap::parse, "96 VP8/0", "must not be 0"),
            arguments("rtpmap huge clock rate", (Function<String, ?>) Rtpmap::parse, "96 VP8/99999999999", "out of range"),
            arguments("rtpmap zero channels", (Function<String, ?>) Rtpmap::parse, "111 opus/48000/0", "must not be 0"),
            arguments("rtpmap non-numeric channels", (Function<String, ?>) Rtpmap::parse, "111 opus/48000/x",
                "not a number"),
            arguments("rtpmap empty name", (Function<String, ?>) Rtpmap::parse, "96 /90000", "not a token"),
            arguments("fmtp without parameters", (Function<String, ?>) Fmtp::parse, "96", "needs"),
            arguments("fmtp only separators", (Function<String, ?>) Fmtp::parse, "96 ;;", "no parameters"),
            arguments("fmtp duplicate key", (Function<String, ?>) Fmtp::parse, "96 apt=1;apt=2", "appears twice"),
            arguments("fmtp key with space", (Function<String, ?>) Fmtp::parse, "96 a b=1", "bad key"),
            arguments("fmtp empty key", (Function<String, ?>) Fmtp::parse, "96 =1", "bad key"),
            arguments("rtcp-fb without type", (Function<String, ?>) RtcpFb::parse, "96", "needs"),
            arguments("rtcp-fb bad pt", (Function<String, ?>) RtcpFb::parse, "x nack", "payload type"),
            arguments("extmap id 0", (Function<String, ?>) Extmap::parse, "0 urn:x", "outside"),
            arguments("extmap id 256", (Function<String, ?>) Extmap::parse, "256 urn:x", "outside"),
            arguments("extmap id 4352", (Function<String, ?>) Extmap::parse, "4352 urn:x", "out of range"),
            arguments("extmap bad direction", (Function<String, ?>) Extmap::parse, "5/both urn:x", "not a direction"),
            arguments("extmap without URI", (Function<String, ?>) Extmap::parse, "5", "needs"),
            arguments("extmap empty URI", (Function<String, ?>) Extmap::parse, "5  urn:x", "empty URI"),
            arguments("ssrc above 32 bits", (Function<String, ?>) Ssrc::parse, "4294967296 cname:x", "out of range"),
            arguments("ssrc negative", (Function<String, ?>) Ssrc::parse, "-1 cname:x", "not a number"),
            arguments("ssrc without attribute", (Function<String, ?>) Ssrc::parse, "1", "needs"),
            arguments("ssrc bad attribute name", (Function<String, ?>) Ssrc::parse, "1 :x", "not a token"),
            arguments("ssrc-group bad ssrc", (Function<String, ?>) SsrcGroup::parse, "FID 1 x", "not a number"),
            arguments("rid bad direction", (Function<String, ?>) Rid::parse, "q sendrecv", "not send or recv"),
            arguments("rid bad id", (Function<String, ?>) Rid::parse, "q! send", "rid id"),
            arguments("rid without direction", (Function<String, ?>) Rid::parse, "q", "needs"),
            arguments("rid empty pt list", (Function<String, ?>) Rid::parse, "q send pt=", "not a number"),
            arguments("rid pt not first", (Function<String, ?>) Rid::parse, "q send max-width=1;pt=96", "first"),
            arguments("rid empty restriction", (Function<String, ?>) Rid::parse, "q send ;", "bad name"),
            arguments("rid duplicate restriction", (Function<String, ?>) Rid::parse, "q send max-fps=1;max-fps=2",
                "appears twice"),
            arguments("simulcast without list", (Function<String, ?>) Simulcast::parse, "send", "needs"),
            arguments("simulcast empty stream", (Function<String, ?>) Simulcast::parse, "send q;;f", "not a rid-id"),
            arguments("simulcast bad direction", (Function<String, ?>) Simulcast::parse, "sendrecv q", "not send or recv"),
            arguments("simulcast two send lists", (Function<String, ?>) Simulcast::parse, "send q send h", "two send"),
            arguments("simulcast bare pause", (Function<String, ?>) Simulcast::parse, "send ~", "not a rid-id"),
            arguments("simulcast odd field count", (Function<String, ?>) Simulcast::parse, "send q;h;f extra", "needs"),
            arguments("simulcast legacy rid= prefix", (Function<String, ?>) Simulcast::parse, "send rid=q;h", "rid-id"),
            arguments("candidate too few fields", (Function<String, ?>) Candidate::parse, "1 1 UDP 1 10.0.0.1 9 typ",
                "at least 8 fields"),
            arguments("candidate foundation too long", (Function<String, ?>) Candidate::parse,
                "f".repeat(33) + " 1 udp 1 10.0.0.1 9 typ host", "foundation"),
            arguments("candidate component 0", (Function<String, ?>) Candidate::parse, "1 0 udp 1 10.0.0.1 9 typ host",
                "component"),
            arguments("candidate priority above 32 bits", (Function<String, ?>) Candidate::parse,
                "1 1 udp 4294967296 10.0.0.1 9 typ host", "out of range"),
            arguments("candidate port above 65535", (Function<String, ?>) Candidate::parse,
                "1 1 udp 1 10.0.0.1 65536 typ host", "out of range"),
            arguments("candidate without typ", (Function<String, ?>) Candidate::parse,
                "1 1 udp 1 10.0.0.1 9 type host", "needs 'typ'"),
            arguments("candidate extension without value", (Function<String, ?>) Candidate::parse,
                "1 1 udp 1 10.0.0.1 9 typ host generation", "has no value"),
            arguments("candidate two raddr", (Function<String, ?>) Candidate::parse,
                "1 1 udp 1 10.0.0.1 9 typ srflx raddr 1.1.1.1 raddr 2.2.2.2", "two raddr"),
            arguments("candidate bad rport", (Function<String, ?>) Candidate::parse,
                "1 1 udp 1 10.0.0.1 9 typ srflx raddr 1.1.1.1 rport x", "not a number"),
            arguments("rtcp bad port", (Function<String, ?>) Rtcp::parse, "x", "not a number"),
            arguments("rtcp partial address", (Function<String, ?>) Rtcp::parse, "9 IN IP4", "c= needs 3 fields"),
            arguments("setup unknown role", (Function<String, ?>) Setup::parse, "client", "not a setup role"),
            arguments("direction unknown", (Function<String, ?>) Direction::parse, "sendrcv", "not a direction"),
            arguments("origin bad fields", (Function<String, ?>) Origin::parse, "- 1 0 IN", "6 fields"),
            arguments("connection bad fields", (Function<String, ?>) Connection::parse, "IN IP4 1.2.3.4 x", "3 fields"),
            arguments("bandwidth negative", (Function<String, ?>) Bandwidth::parse, "AS:-1", "not a number"),
            arguments("timing one field", (Function<String, ?>) Timing::parse, "0", "2 fields"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedValueIsRejectedWithAParseException(String name, Function<String, ?> parser, String value,
                                                     String message) {
        assertThatThrownBy(() -> parser.apply(value))
            .isInstanceOf(SdpParseException.class)
            .hasMessageContaining(message);
    }

    // ---------------------------------------------------------------- typed details

    static Stream<Arguments> lexicalVariants() {
        return Stream.of(
            arguments("group with extra spaces", (Function<String, ?>) Group::parse, "BUNDLE  0 1 ",
                new Group("BUNDLE", List.of("0", "1"))),
            arguments("msid id with '@' (GStreamer)", (Function<String, ?>) Msid::parse,
                "user951303519@host-3d57845c webrtctransceiver0",
                new Msid("user951303519@host-3d57845c", "webrtctransceiver0")),
            arguments("msid with a third field", (Function<String, ?>) Msid::parse, "a b c", new Msid("a", "b")),
            arguments("rtcp-fb with a trailing space (Pion)", (Function<String, ?>) RtcpFb::parse, "96 goog-remb ",
                new RtcpFb(96, "goog-remb")),
            arguments("rtcp-fb with double spaces", (Function<String, ?>) RtcpFb::parse, "96  nack  pli",
                new RtcpFb(96, "nack", "pli")),
            arguments("setup in upper case", (Function<String, ?>) Setup::parse, "ACTPASS", Setup.ACTPASS),
            arguments("direction in upper case", (Function<String, ?>) Direction::parse, "SendOnly", Direction.SENDONLY),
            arguments("rid direction in upper case", (Function<String, ?>) Rid::parse, "q SEND",
                new Rid("q", RidDirection.SEND)),
            arguments("simulcast direction in upper case", (Function<String, ?>) Simulcast::parse, "SEND q;h",
                Simulcast.sending("q", "h")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lexicalVariants")
    void lexicalVariantsOfRealStacksAreReadAsTheirCanonicalForm(String name, Function<String, ?> parser, String value,
                                                                Object canonical) {
        assertThat(parser.apply(value)).isEqualTo(canonical);
    }

    @Test
    void fmtpKeepsParameterOrderAndLooksUpKeysIgnoringCase() {
        Fmtp fmtp = Fmtp.parse("102 profile-level-id=42e01f; packetization-mode=1 ;level-asymmetry-allowed=1");

        assertThat(fmtp.parameters().keySet())
            .containsExactly("profile-level-id", "packetization-mode", "level-asymmetry-allowed");
        assertThat(fmtp.parameter("Packetization-Mode")).isEqualTo("1");
        assertThat(fmtp.parameter("sprop-parameter-sets")).isNull();
        assertThat(fmtp.associatedPayloadType()).isEqualTo(-1);
        assertThat(fmtp.attributeValue())
            .isEqualTo("102 profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1");
        assertThat(Fmtp.rtx(97, 96).attributeValue()).isEqualTo("97 apt=96");
        assertThatThrownBy(() -> Fmtp.parse("97 apt=x").associatedPayloadType())
            .isInstanceOf(SdpParseException.class);
    }

    @Test
    void fmtpBuiltFromAMapWritesKeysInInsertionOrder() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("minptime", "10");
        params.put("useinbandfec", "1");
        params.put("x-bare", null);

        assertThat(new Fmtp(111, params).toAttribute().toString()).isEqualTo("fmtp:111 minptime=10;useinbandfec=1;x-bare");
    }

    @Test
    void fingerprintConvertsToAndFromDigestBytes() {
        byte[] digest = new byte[32];
        for (int i = 0; i < digest.length; i++) {
            digest[i] = (byte) (i * 9 + 0xA0);
        }

        Fingerprint fp = Fingerprint.of("SHA-256", digest);

        assertThat(fp.hashFunction()).isEqualTo("sha-256");
        assertThat(fp.fingerprint()).startsWith("A0:A9:B2:BB:").hasSize(32 * 3 - 1);
        assertThat(fp.bytes()).isEqualTo(digest);
        assertThat(Fingerprint.parse(fp.attributeValue()).matches("sha-256", digest)).isTrue();
        assertThat(Fingerprint.parse(fp.attributeValue().toLowerCase()).matches("SHA-256", digest)).isTrue();
        assertThat(fp.matches("sha-1", digest)).isFalse();
    }

    @Test
    void simulcastKeepsAlternativesAndPausedMarkers() {
        Simulcast sc = Simulcast.parse("recv 1,~2;3 send ~a");

        assertThat(sc.recv()).containsExactly(
            List.of(new Simulcast.SimulcastId("1", false), new Simulcast.SimulcastId("2", true)),
            List.of(new Simulcast.SimulcastId("3", false)));
        assertThat(sc.send()).containsExactly(List.of(new Simulcast.SimulcastId("a", true)));
        assertThat(sc.recvRids()).containsExactly("1", "3");
        // written send-first, which the grammar allows equally
        assertThat(sc.attributeValue()).isEqualTo("send ~a recv 1,~2;3");
        assertThat(sc.reversed().attributeValue()).isEqualTo("send 1,~2;3 recv ~a");
        assertThat(Simulcast.receiving("q", "h", "f").attributeValue()).isEqualTo("recv q;h;f");
    }

    @Test
    void ridExposesPayloadTypesAndRestrictions() {
        Rid rid = Rid.parse("5 send pt=99,102;max-width=1280;max-fps=30");

        assertThat(rid.payloadTypes()).containsExactly(99, 102);
        assertThat(rid.restriction("max-width")).isEqualTo("1280");
        assertThat(rid.restrictions().keySet()).containsExactly("max-width", "max-fps");
        assertThat(rid.reversed().attributeValue()).isEqualTo("5 recv pt=99,102;max-width=1280;max-fps=30");
    }

    @Test
    void candidateLineFromTrickleIceParsesWithOrWithoutPrefix() {
        String value = "842163049 1 udp 1677729535 203.0.113.9 61665 typ srflx raddr 0.0.0.0 rport 0 generation 0 "
            + "ufrag EsAw network-cost 999";

        Candidate c = Candidate.parseLine("candidate:" + value);

        assertThat(Candidate.parseLine("a=candidate:" + value)).isEqualTo(c);
        assertThat(c.relatedAddress()).isEqualTo("0.0.0.0");
        assertThat(c.relatedPort()).isZero();
        assertThat(c.extension("ufrag")).isEqualTo("EsAw");
        assertThat(c.extensions().keySet()).containsExactly("generation", "ufrag", "network-cost");
        assertThat(c.toCandidateLine()).isEqualTo("candidate:" + value);
        assertThatThrownBy(() -> Candidate.parseLine(value)).isInstanceOf(SdpParseException.class);
        assertThatThrownBy(() -> Candidate.parseLine("")).isInstanceOf(SdpParseException.class);
    }

    @Test
    void hostCandidateBuiltInCodeWritesTheIceLiteForm() {
        Candidate c = Candidate.host("1", "udp", 2130706431L, "127.0.0.1", 10000);

        assertThat(c.toAttribute().toString()).isEqualTo("candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host");
    }

    @Test
    void directionReversesForTheAnswer() {
        assertThat(Direction.SENDONLY.reverse()).isEqualTo(Direction.RECVONLY);
        assertThat(Direction.RECVONLY.reverse()).isEqualTo(Direction.SENDONLY);
        assertThat(Direction.SENDRECV.reverse()).isEqualTo(Direction.SENDRECV);
        assertThat(Direction.INACTIVE.reverse()).isEqualTo(Direction.INACTIVE);
        assertThat(Direction.SENDONLY.sends()).isTrue();
        assertThat(Direction.SENDONLY.receives()).isFalse();
    }

    @Test
    void typedConstructorsRejectValuesThatWouldNotParseBack() {
        assertThatThrownBy(() -> new Attribute("mid", "0\r\na=injected")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Attribute("bad name", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rtpmap(128, "opus", 48000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Extmap(15 + 241, "urn:x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Msid("a b", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Ssrc(1L << 32, "cname", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rid("q", RidDirection.SEND, List.of(), Map.of("pt", "96")))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Simulcast(List.of(), List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Fingerprint("sha-256", "XY")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Candidate.host("1", "udp", 1, "10.0.0.1 typ relay", 9))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
