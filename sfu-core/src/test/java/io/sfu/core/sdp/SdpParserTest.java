package io.sfu.core.sdp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The line structure of RFC 8866 §5 and §9: what parses, what is rejected with which line and message. */
class SdpParserTest {

    private static final String HEAD = "v=0\r\no=- 1 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
    private static final String AUDIO = "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n";

    @Test
    void rfc8866Section5ExampleParsesEveryFieldAndRoundTrips() {
        String text = Fixtures.load("rfc8866-section5-example.sdp");

        SessionDescription sdp = SdpParser.parse(text);

        assertThat(sdp.origin()).isEqualTo(new Origin("jdoe", "3724394400", 3724394405L, "IN", "IP4", "198.51.100.1"));
        assertThat(sdp.sessionName()).isEqualTo("Call to John Smith");
        assertThat(sdp.information()).isEqualTo("SDP Offer #1");
        assertThat(sdp.uri()).isEqualTo("http://www.jdoe.example.com/home.html");
        assertThat(sdp.emails()).containsExactly("Jane Doe <jane@jdoe.example.com>");
        assertThat(sdp.phones()).containsExactly("+1 617 555-6011");
        assertThat(sdp.connection()).contains(new Connection("IN", "IP4", "198.51.100.1"));
        assertThat(sdp.media()).extracting(MediaDescription::port).containsExactly(49170, 49180, 51372);
        assertThat(sdp.media().get(0).proto()).isEqualTo("RTP/AVP");
        assertThat(sdp.media().get(0).codecs()).singleElement()
            .satisfies(c -> assertThat(c.rtpmap()).as("static payload type 0 has no rtpmap").isNull());
        assertThat(sdp.media().get(2).connection()).contains(new Connection("IN", "IP6", "2001:db8::2"));
        assertThat(sdp.media().get(2).rtpmap(99)).contains(new Rtpmap(99, "h263-1998", 90000));
        assertThat(sdp.write()).isEqualTo(text);
    }

    @Test
    void repeatAndZoneLinesStayWithTheirTimeDescription() {
        // RFC 8866 §5.10 and §5.11 examples, two time descriptions
        String text = "v=0\r\no=- 1 0 IN IP4 127.0.0.1\r\ns=-\r\nb=AS:512\r\n"
            + "t=3034423619 3042462419\r\nr=604800 3600 0 90000\r\nr=7d 1h 0 25h\r\nz=2882844526 -1h 2898848070 0\r\n"
            + "t=0 0\r\nk=prompt\r\na=recvonly\r\n"
            + "m=audio 49170/2 RTP/AVP 0\r\ni=voice\r\nc=IN IP4 224.2.1.1/127\r\nc=IN IP4 224.2.1.2/127\r\n"
            + "b=AS:64\r\nb=TIAS:64000\r\nk=prompt\r\na=ptime:20\r\n";

        SessionDescription sdp = SdpParser.parse(text);

        assertThat(sdp.timings()).containsExactly(
            new Timing(3034423619L, 3042462419L, List.of("604800 3600 0 90000", "7d 1h 0 25h"),
                "2882844526 -1h 2898848070 0"),
            Timing.PERMANENT);
        assertThat(sdp.bandwidths()).containsExactly(new Bandwidth("AS", 512));
        assertThat(sdp.key()).isEqualTo("prompt");
        MediaDescription m = sdp.media().get(0);
        assertThat(m.numberOfPorts()).isEqualTo(2);
        assertThat(m.information()).isEqualTo("voice");
        assertThat(m.connections()).hasSize(2);
        assertThat(m.bandwidths()).containsExactly(new Bandwidth("AS", 64), new Bandwidth("TIAS", 64000));
        assertThat(sdp.directionOf(m)).isEqualTo(Direction.RECVONLY);
        assertThat(sdp.write()).isEqualTo(text);
    }

    @Test
    void lineFeedsAloneAndAMissingFinalLineEndAreAccepted() {
        String lf = HEAD.replace("\r\n", "\n") + "m=audio 9 UDP/TLS/RTP/SAVPF 111\na=mid:0";

        SessionDescription sdp = SdpParser.parse(lf);

        assertThat(sdp.media().get(0).mid()).contains("0");
        assertThat(sdp.write()).isEqualTo(HEAD + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n");
    }

    @Test
    void trailingBlankLinesAreIgnored() {
        SessionDescription sdp = SdpParser.parse(HEAD + AUDIO + "\r\n\r\n\n");

        assertThat(sdp.write()).isEqualTo(HEAD + AUDIO);
    }

    @Test
    void descriptionWithoutMediaIsValid() {
        assertThat(SdpParser.parse(HEAD).media()).isEmpty();
    }

    @Test
    void unknownAttributesAndValuesAreKeptVerbatimInOrder() {
        String text = HEAD + "a=x-google-flag:conference\r\na=x-odd:value with :colons  and  spaces\r\n"
            + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=empty:\r\na=flag\r\na=rtcp-xr:rcvr-rtt=all\r\n";

        SessionDescription sdp = SdpParser.parse(text);

        assertThat(sdp.attributes()).containsExactly(new Attribute("x-google-flag", "conference"),
            new Attribute("x-odd", "value with :colons  and  spaces"));
        MediaDescription video = sdp.media().get(0);
        assertThat(video.attributes()).extracting(Attribute::name, Attribute::value).containsExactly(
            org.assertj.core.groups.Tuple.tuple("empty", ""),
            org.assertj.core.groups.Tuple.tuple("flag", null),
            org.assertj.core.groups.Tuple.tuple("rtcp-xr", "rcvr-rtt=all"));
        assertThat(sdp.write()).isEqualTo(text);
    }

    @Test
    void whiteSpaceThatEndsALineIsDroppedSoFlagsAndValuesStayRecognisable() {
        SessionDescription sdp = SdpParser.parse(HEAD + "m=audio 9 UDP/TLS/RTP/SAVPF 111 \r\na=rtcp-mux \r\n"
            + "a=mid:0\t\r\n");

        MediaDescription audio = sdp.media().get(0);
        assertThat(audio.formats()).containsExactly("111");
        assertThat(audio.isRtcpMux()).isTrue();
        assertThat(audio.mid()).contains("0");
        assertThat(sdp.write()).isEqualTo(HEAD + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtcp-mux\r\na=mid:0\r\n");
    }

    static Stream<Arguments> liberal() {
        return Stream.of(
            arguments("m= double space", HEAD + "m=audio  9 UDP/TLS/RTP/SAVPF 111\r\n"),
            arguments("m= trailing space", HEAD + "m=audio 9 UDP/TLS/RTP/SAVPF 111 \r\n"),
            arguments("attribute name not a token", HEAD + "a=bad name:value\r\n"),
            arguments("attribute without name", HEAD + "a=:value\r\n"),
            arguments("empty attribute line", HEAD + "a=\r\n"),
            arguments("empty line in the middle", HEAD + "\r\n" + AUDIO),
            arguments("line of spaces in the middle", HEAD + "  \r\n" + AUDIO));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("liberal")
    void lexicalOdditiesOfRealStacksAreAccepted(String name, String text) {
        SessionDescription sdp = SdpParser.parse(text);

        assertThat(sdp.origin().sessionId()).isEqualTo("1");
        assertThat(SdpParser.parse(sdp.write()).write()).isEqualTo(sdp.write());
    }

    @Test
    void limitsOtherThanTheDefaultBoundMediaSectionsAndLength() {
        String twoSections = HEAD + AUDIO + AUDIO.replace("a=mid:0", "a=mid:1");
        SdpLimits one = new SdpLimits(SdpParser.MAX_SDP_LENGTH, SdpParser.MAX_LINE_LENGTH, 1, 8);

        assertThatThrownBy(() -> SdpParser.parse(twoSections, one)).isInstanceOf(SdpParseException.class)
            .hasMessageContaining("more than 1 media sections");
        assertThatThrownBy(() -> SdpParser.parse(twoSections, new SdpLimits(twoSections.length() - 1, 4096, 2, 8)))
            .hasMessageContaining("more than the limit of " + (twoSections.length() - 1));
        assertThat(SdpParser.parse(twoSections, new SdpLimits(twoSections.length(), 4096, 2, 8)).media()).hasSize(2);
        String manySections = HEAD + AUDIO.repeat(100);
        assertThat(SdpParser.parse(manySections, SdpLimits.DEFAULT.withMediaSections(100, 64 * 1024)).media())
            .hasSize(100);
    }

    @Test
    void attributeLinesRememberTheirInputLine() {
        SessionDescription sdp = SdpParser.parse(HEAD + AUDIO);

        assertThat(sdp.media().get(0).attribute("mid").orElseThrow().lineNumber()).isEqualTo(7);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
            arguments("empty input", "", 0, "empty"),
            arguments("missing v= first line", "o=- 1 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n", 1, "first line must be v=0"),
            arguments("unsupported version", "v=1\r\n", 1, "only v=0"),
            arguments("only the version", "v=0\r\n", 1, "ends before"),
            arguments("o= missing", "v=0\r\ns=-\r\nt=0 0\r\n", 2, "second line must be o="),
            arguments("s= missing", "v=0\r\no=- 1 0 IN IP4 127.0.0.1\r\nt=0 0\r\n", 3, "third line must be s="),
            arguments("o= with five fields", "v=0\r\no=- 1 0 IN IP4\r\ns=-\r\nt=0 0\r\n", 2, "o= needs 6 fields"),
            arguments("o= non-numeric version", "v=0\r\no=- 1 x IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n", 2,
                "session version 'x' is not a number"),
            arguments("o= session id with a sign", "v=0\r\no=- -1 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n", 2,
                "session id"),
            arguments("t= missing before m=", "v=0\r\no=- 1 0 IN IP4 127.0.0.1\r\ns=-\r\n" + AUDIO, 4,
                "before any t= line"),
            arguments("t= missing entirely", "v=0\r\no=- 1 0 IN IP4 127.0.0.1\r\ns=-\r\n", 3, "no t= line"),
            arguments("t= non-numeric", HEAD.replace("t=0 0", "t=now 0"), 4, "t= start time 'now' is not a number"),
            arguments("unknown line type letter", HEAD + "x=unknown\r\n", 5, "unknown line type 'x='"),
            arguments("upper-case line type", HEAD + "A=rtcp-mux\r\n", 5, "lower-case letter"),
            arguments("line without '='", HEAD + "hello\r\n", 5, "expected '<type>=<value>'"),
            arguments("space before '='", HEAD + "a =mid:0\r\n", 5, "expected '<type>=<value>'"),
            arguments("single character line", HEAD + "a\r\n", 5, "expected '<type>=<value>'"),
            arguments("session line out of order", "v=0\r\no=- 1 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nc=IN IP4 0.0.0.0\r\n",
                5, "out of order"),
            arguments("repeated s=", "v=0\r\no=- 1 0 IN IP4 127.0.0.1\r\ns=-\r\ns=-\r\nt=0 0\r\n", 4, "out of order"),
            arguments("repeated o=", "v=0\r\no=- 1 0 IN IP4 127.0.0.1\r\no=- 1 0 IN IP4 127.0.0.1\r\ns=-\r\n", 3,
                "third line must be s="),
            arguments("second v=", HEAD + "v=0\r\n", 5, "v= may only be the first line"),
            arguments("r= without t=", "v=0\r\no=- 1 0 IN IP4 127.0.0.1\r\ns=-\r\nr=7d 1h 0 25h\r\n", 4,
                "r= must follow a t= line"),
            arguments("r= after a=", HEAD + "a=x\r\nr=7d 1h 0 25h\r\n", 6, "r= must follow a t= line"),
            arguments("two z= for one t=", HEAD + "z=0 0\r\nz=0 0\r\n", 6, "z= must follow a t= line, once"),
            arguments("media line out of order", HEAD + "m=audio 9 RTP/AVP 0\r\na=mid:0\r\nc=IN IP4 0.0.0.0\r\n", 7,
                "out of order"),
            arguments("session-only line in media", HEAD + AUDIO + "t=0 0\r\n", 8, "session-level line"),
            arguments("m= without formats", HEAD + "m=audio 9 UDP/TLS/RTP/SAVPF\r\n", 5, "m= needs"),
            arguments("m= non-numeric port", HEAD + "m=audio nine UDP/TLS/RTP/SAVPF 111\r\n", 5,
                "m= port 'nine' is not a number"),
            arguments("m= port out of range", HEAD + "m=audio 65536 UDP/TLS/RTP/SAVPF 111\r\n", 5, "out of range"),
            arguments("m= signed port", HEAD + "m=audio +9 UDP/TLS/RTP/SAVPF 111\r\n", 5, "is not a number"),
            arguments("m= zero number of ports", HEAD + "m=audio 9/0 RTP/AVP 0\r\n", 5, "number of ports"),
            arguments("m= non-numeric payload type", HEAD + "m=audio 9 UDP/TLS/RTP/SAVPF opus\r\n", 5,
                "payload type 'opus' is not a number"),
            arguments("m= payload type above 127", HEAD + "m=audio 9 UDP/TLS/RTP/SAVPF 128\r\n", 5, "out of range"),
            arguments("m= bad proto", HEAD + "m=audio 9 UDP//RTP 111\r\n", 5, "proto"),
            arguments("m= bad media token", HEAD + "m=au(dio 9 RTP/AVP 0\r\n", 5, "media type"),
            arguments("c= with two fields", HEAD + "m=audio 9 RTP/AVP 0\r\nc=IN IP4\r\n", 6, "c= needs 3 fields"),
            arguments("b= non-numeric", HEAD + "m=audio 9 RTP/AVP 0\r\nb=AS:fast\r\n", 6, "b= bandwidth 'fast'"),
            arguments("b= without type", HEAD + "m=audio 9 RTP/AVP 0\r\nb=512\r\n", 6, "b= needs"),
            arguments("carriage return inside a line", HEAD + "a=mid:0\rb\r\n", 5, "carriage return"),
            arguments("NUL character", HEAD + "a=mid:\0\r\n", 5, "NUL"),
            arguments("line too long", HEAD + "a=x:" + "y".repeat(SdpParser.MAX_LINE_LENGTH) + "\r\n", 5,
                "longer than " + SdpParser.MAX_LINE_LENGTH),
            arguments("description too large", HEAD + ("a=x:" + "y".repeat(1000) + "\r\n").repeat(70), 0,
                "more than the limit of " + SdpParser.MAX_SDP_LENGTH),
            arguments("too many media sections", HEAD + "m=audio 0 RTP/AVP 0\r\n".repeat(SdpParser.MAX_MEDIA_SECTIONS + 1),
                5 + SdpParser.MAX_MEDIA_SECTIONS, "more than " + SdpParser.MAX_MEDIA_SECTIONS + " media sections"),
            arguments("too many attributes", HEAD + "m=audio 0 RTP/AVP 0\r\n"
                + "a=x\r\n".repeat(SdpParser.MAX_ATTRIBUTES_PER_SECTION + 1),
                6 + SdpParser.MAX_ATTRIBUTES_PER_SECTION, "more than " + SdpParser.MAX_ATTRIBUTES_PER_SECTION));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedDescriptionIsRejectedNamingTheLine(String name, String text, int line, String message) {
        assertThatThrownBy(() -> SdpParser.parse(text))
            .isInstanceOf(SdpParseException.class)
            .hasMessageContaining(message)
            .satisfies(e -> assertThat(((SdpParseException) e).lineNumber()).isEqualTo(line));
    }

    @Test
    void nullDescriptionIsAParseError() {
        assertThatThrownBy(() -> SdpParser.parse(null)).isInstanceOf(SdpParseException.class);
    }

    @Test
    void messageStartsWithTheLineNumber() {
        assertThatThrownBy(() -> SdpParser.parse(HEAD + "x=1\r\n"))
            .hasMessage("SDP line 5: unknown line type 'x='");
    }

    @Test
    void limitsAdmitTheirOwnBoundary() {
        StringBuilder many = new StringBuilder(HEAD);
        for (int i = 0; i < SdpParser.MAX_MEDIA_SECTIONS; i++) {
            many.append("m=audio 0 RTP/AVP 0\r\n");
        }
        assertThat(SdpParser.parse(many.toString()).media()).hasSize(SdpParser.MAX_MEDIA_SECTIONS);

        String longLine = "a=x:" + "y".repeat(SdpParser.MAX_LINE_LENGTH - 4);
        assertThat(SdpParser.parse(HEAD + longLine + "\r\n").attributes()).hasSize(1);

        String padded = HEAD + "a=x:" + "y".repeat(SdpParser.MAX_SDP_LENGTH - HEAD.length() - 6) + "\r\n";
        assertThat(padded).hasSize(SdpParser.MAX_SDP_LENGTH);
        assertThatThrownBy(() -> SdpParser.parse(padded)).hasMessageContaining("longer than")
            .as("the size limit admits exactly MAX_SDP_LENGTH; the line limit is what rejects this one");
    }
}
