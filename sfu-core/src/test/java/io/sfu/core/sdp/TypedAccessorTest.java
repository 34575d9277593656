package io.sfu.core.sdp;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Typed accessors of a parsed description: malformed attributes surface as SdpParseException at their line. */
class TypedAccessorTest {

    private static final String HEAD = "v=0\r\no=- 1 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

    private static MediaDescription media(String attributes) {
        return SdpParser.parse(HEAD + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n" + attributes).media().get(0);
    }

    @Test
    void malformedRtpmapIsReportedAtItsLineWhenRead() {
        MediaDescription m = media("a=mid:0\r\na=rtpmap:96 VP8\r\n");

        assertThatThrownBy(m::rtpmaps)
            .isInstanceOf(SdpParseException.class)
            .hasMessage("SDP line 7: a=rtpmap: rtpmap encoding 'VP8' has no clock rate")
            .satisfies(e -> assertThat(((SdpParseException) e).lineNumber()).isEqualTo(7));
        assertThatThrownBy(m::codecs).isInstanceOf(SdpParseException.class);
        assertThat(m.mid()).as("other attributes stay readable").contains("0");
    }

    @Test
    void validateAttributesRejectsTheFirstMalformedTypedAttribute() {
        SessionDescription sdp = SdpParser.parse(HEAD + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"
            + "a=candidate:1 1 udp 1 10.0.0.1 9 typ\r\n");

        assertThatThrownBy(sdp::validateAttributes)
            .isInstanceOf(SdpParseException.class)
            .hasMessageContaining("line 7")
            .hasMessageContaining("a=candidate");
    }

    @Test
    void valueLessTypedAttributeIsMalformed() {
        MediaDescription m = media("a=mid\r\n");

        assertThatThrownBy(m::mid).isInstanceOf(SdpParseException.class).hasMessageContaining("a=mid needs a value");
    }

    @Test
    void duplicateMidIsMalformed() {
        MediaDescription m = media("a=mid:0\r\na=mid:1\r\n");

        assertThatThrownBy(m::mid).isInstanceOf(SdpParseException.class)
            .hasMessage("SDP line 7: a=mid appears more than once");
    }

    @Test
    void conflictingDirectionsAreMalformed() {
        MediaDescription m = media("a=sendonly\r\na=recvonly\r\n");

        assertThatThrownBy(m::direction).isInstanceOf(SdpParseException.class).hasMessageContaining("conflicts");
    }

    @Test
    void iceCredentialsAreCheckedAgainstRfc8839Lengths() {
        assertThatThrownBy(() -> media("a=ice-ufrag:abc\r\n").iceUfrag()).isInstanceOf(SdpParseException.class)
            .hasMessageContaining("4 to 256");
        assertThatThrownBy(() -> media("a=ice-pwd:short\r\n").icePwd()).isInstanceOf(SdpParseException.class)
            .hasMessageContaining("22 to 256");
        assertThatThrownBy(() -> media("a=ice-ufrag:ab-cd\r\n").iceUfrag()).isInstanceOf(SdpParseException.class);
        assertThat(media("a=ice-options:trickle ice2\r\n").iceOptions()).containsExactly("trickle", "ice2");
    }

    @Test
    void iceOptionsAreReadLiberallyAsNobodyActsOnAMalformedOne() {
        // libdatachannel separates its tags by a comma
        assertThat(media("a=ice-options:ice2,trickle\r\n").iceOptions()).containsExactly("ice2", "trickle");
        assertThat(media("a=ice-options:trickle  ice2\r\n").iceOptions()).containsExactly("trickle", "ice2");
        assertThat(media("a=ice-options:trickle\r\na=ice-options:ice2 trickle\r\n").iceOptions())
            .containsExactly("trickle", "ice2");
        assertThat(media("a=ice-options:tr!ckle renomination\r\n").iceOptions()).containsExactly("renomination");
    }

    @Test
    void codecsGatherWildcardFeedbackAndIgnoreAttributesOfOtherPayloadTypes() {
        MediaDescription m = SdpParser.parse(HEAD + "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n"
            + "a=rtcp-fb:* nack\r\na=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack pli\r\na=rtpmap:97 rtx/90000\r\n"
            + "a=fmtp:97 apt=96\r\na=rtpmap:98 VP9/90000\r\n").media().get(0);

        assertThat(m.codecs()).extracting(Codec::payloadType).containsExactly(96, 97);
        assertThat(m.codec(96).orElseThrow().feedback())
            .containsExactly(new RtcpFb(RtcpFb.ANY_PAYLOAD_TYPE, "nack"), new RtcpFb(96, "nack", "pli"));
        assertThat(m.codec(97).orElseThrow().feedback()).containsExactly(new RtcpFb(RtcpFb.ANY_PAYLOAD_TYPE, "nack"));
        assertThat(m.rtcpFeedback(97)).hasSize(1);
        assertThat(m.codec(98)).as("98 has an rtpmap but is not in the m= line").isEmpty();
        assertThat(m.rtpmap(98)).isPresent();
    }

    @Test
    void nonRtpSectionKeepsPayloadTypeAttributesGeneric() {
        SessionDescription sdp = SdpParser.parse(HEAD + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
            + "a=fmtp:webrtc-datachannel max-message-size=65536\r\n");

        sdp.validateAttributes();

        MediaDescription data = sdp.media().get(0);
        assertThat(data.attributeValue("fmtp")).contains("webrtc-datachannel max-message-size=65536");
        assertThatThrownBy(data::payloadTypes).isInstanceOf(SdpParseException.class);
    }

    @Test
    void anAttributeIsParsedOnceWhateverReadsIt() {
        MediaDescription m = media("a=mid:0\r\na=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack\r\n");
        m.validateAttributes();

        Rtpmap read = m.rtpmaps().get(0);
        assertThat(m.rtpmap(96).orElseThrow()).isSameAs(read);
        assertThat(m.codecs().get(0).rtpmap()).isSameAs(read);
        assertThat(m.rtcpFeedback().get(0)).isSameAs(m.codecs().get(0).feedback().get(0));
    }

    @Test
    void aMalformedAttributeReportsTheSameErrorEveryTimeItIsReadWithoutAStackTrace() {
        MediaDescription m = media("a=mid:0\r\na=rtpmap:96 VP8\r\n");

        Throwable first = catchThrowable(m::rtpmaps);
        Throwable second = catchThrowable(m::codecs);

        assertThat(second).isSameAs(first).hasMessage("SDP line 7: a=rtpmap: rtpmap encoding 'VP8' has no clock rate");
        assertThat(first.getStackTrace()).isEmpty();
    }

    @Test
    void removingMalformedAttributesKeepsEveryWellFormedOneInItsOrder() {
        StringBuilder lines = new StringBuilder("a=mid:0\r\n");
        for (int i = 0; i < 500; i++) {
            lines.append("a=rtcp-fb:96 nack\r\na=rtcp-fb:96\r\n");
        }
        lines.append("a=rtpmap:96 VP8/90000\r\n");
        MediaDescription m = media(lines.toString());

        assertThat(m.removeMalformed(Set.of(AttributeNames.RTCP_FB))).hasSize(500)
            .allSatisfy(a -> assertThat(a.value()).isEqualTo("96"));
        assertThat(m.attributes()).hasSize(502);
        assertThat(m.rtcpFeedback()).hasSize(500);
        assertThat(m.attributes().get(501).name()).isEqualTo(AttributeNames.RTPMAP);
    }
}
