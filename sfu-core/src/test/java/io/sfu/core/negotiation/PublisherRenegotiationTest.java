package io.sfu.core.negotiation;

import io.sfu.core.dtls.DtlsRole;
import io.sfu.core.sdp.Direction;
import io.sfu.core.sdp.MediaDescription;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Later offers on the same publisher peer connection (RFC 8829 §5.2.2, §5.3.2). */
class PublisherRenegotiationTest {

    private static final String SECOND_AUDIO = "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
        + "c=IN IP4 0.0.0.0\r\n"
        + "a=rtcp:9 IN IP4 0.0.0.0\r\n"
        + "a=ice-ufrag:no7/\r\n"
        + "a=ice-pwd:hB0oli89/WW+sDckN3STHPd1\r\n"
        + "a=ice-options:trickle\r\n"
        + "a=fingerprint:sha-256 24:26:AD:B7:1F:ED:E4:33:37:74:58:0E:38:75:70:DB:79:84:D0:57:DE:20:D9:82:81:52:72:BC"
        + ":26:97:29:F2\r\n"
        + "a=setup:actpass\r\n"
        + "a=mid:2\r\n"
        + "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"
        + "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
        + "a=sendonly\r\n"
        + "a=msid:9bfd02e0-cb86-4abd-b97a-cf05678635cf screen-audio\r\n"
        + "a=rtcp-mux\r\n"
        + "a=rtpmap:111 opus/48000/2\r\n"
        + "a=fmtp:111 minptime=10;useinbandfec=1;stereo=1\r\n"
        + "a=ssrc:424242 cname:GNJ79qOr9VpstGUg\r\n";

    private final PublisherNegotiator negotiator = new PublisherNegotiator(new SplittableRandom(11));

    /** The simulcast offer renegotiated: a new audio m-line, the video stopped sending, ICE restarted. */
    private static String secondOffer() {
        return Fixtures.text(Fixtures.SIMULCAST)
            .replace("o=- 8712874120842648815 2 ", "o=- 8712874120842648815 3 ")
            .replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0 1 2")
            .replace("a=ice-ufrag:no7/", "a=ice-ufrag:R3st")
            .replace("a=ice-pwd:hB0oli89/WW+sDckN3STHPd1", "a=ice-pwd:NewPasswordNewPassword24")
            .replace("a=sendonly\r\na=msid:9bfd02e0-cb86-4abd-b97a-cf05678635cf f6e09cae", "a=inactive\r\na=msid:"
                + "9bfd02e0-cb86-4abd-b97a-cf05678635cf f6e09cae")
            + SECOND_AUDIO.replace("a=ice-ufrag:no7/", "a=ice-ufrag:R3st")
            .replace("a=ice-pwd:hB0oli89/WW+sDckN3STHPd1", "a=ice-pwd:NewPasswordNewPassword24");
    }

    @Test
    void renegotiationKeepsSessionIdIncrementsVersionAndKeepsMidOrder() {
        PublisherAnswer first = negotiator.answer(Fixtures.text(Fixtures.SIMULCAST), Fixtures.LOCAL, null);
        LocalTransportParams restarted = Fixtures.LOCAL.withNewCredentials(new SplittableRandom(5));

        PublisherAnswer second = negotiator.answer(secondOffer(), restarted, first);

        assertThat(second.answer().origin().sessionId()).isEqualTo(first.answer().origin().sessionId());
        assertThat(second.sessionVersion()).isEqualTo(first.sessionVersion() + 1);
        assertThat(second.acceptedMids()).containsExactly("0", "1", "2");
        assertThat(second.answer().media()).extracting(m -> m.mid().orElseThrow()).containsExactly("0", "1", "2");
        assertThat(second.answer().media().get(1).direction()).contains(Direction.INACTIVE);
        assertThat(second.answer().media().get(2).direction()).contains(Direction.RECVONLY);
        assertThat(second.answer().media()).allSatisfy(m -> assertThat(m.iceUfrag()).contains(restarted.iceUfrag()));
    }

    @Test
    void iceRestartIsFlaggedAndDetectableBeforeAnswering() {
        PublisherAnswer first = negotiator.answer(Fixtures.text(Fixtures.SIMULCAST), Fixtures.LOCAL, null);
        var offer = negotiator.parseOffer(secondOffer());

        assertThat(PublisherNegotiator.isIceRestart(offer, first)).isTrue();
        PublisherAnswer second = negotiator.answer(offer, Fixtures.LOCAL.withNewCredentials(new SplittableRandom(1)),
            first);

        assertThat(second.iceRestart()).isTrue();
        assertThat(second.dtlsRestart()).isFalse();
        assertThat(second.remote().iceUfrag()).isEqualTo("R3st");

        PublisherAnswer same = negotiator.answer(Fixtures.text(Fixtures.SIMULCAST), Fixtures.LOCAL, first);
        assertThat(same.iceRestart()).isFalse();
        assertThat(PublisherNegotiator.isIceRestart(Fixtures.load(Fixtures.SIMULCAST), first)).isFalse();
    }

    @Test
    void trackDiffReportsTheStoppedVideoAndTheNewAudio() {
        PublisherAnswer first = negotiator.answer(Fixtures.text(Fixtures.SIMULCAST), Fixtures.LOCAL, null);
        PublisherAnswer second = negotiator.answer(secondOffer(), Fixtures.LOCAL, first);

        TrackDiff diff = TrackDiff.between(first.tracks(), second.tracks());

        assertThat(diff.removed()).extracting(PublishedTrack::mid).containsExactly("1");
        assertThat(diff.added()).extracting(PublishedTrack::mid, PublishedTrack::trackId)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("2", "screen-audio"));
        assertThat(diff.added().get(0).ssrcs()).containsExactly(424242);
        assertThat(diff.updated()).isEmpty();
        assertThat(diff.isEmpty()).isFalse();
    }

    @Test
    void offerThatDropsAnMlineIsRefused() {
        PublisherAnswer first = negotiator.answer(secondOffer(), Fixtures.LOCAL, null);

        assertThatThrownBy(() -> negotiator.answer(Fixtures.text(Fixtures.SIMULCAST), Fixtures.LOCAL, first))
            .isInstanceOf(NegotiationException.class).hasMessageContaining("never removed");
    }

    @Test
    void offerThatChangesTheMidOfANegotiatedMlineIsRefused() {
        PublisherAnswer first = negotiator.answer(Fixtures.text(Fixtures.SIMULCAST), Fixtures.LOCAL, null);
        String changed = Fixtures.text(Fixtures.SIMULCAST).replace("a=mid:1", "a=mid:video")
            .replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0 video");

        assertThatThrownBy(() -> negotiator.answer(changed, Fixtures.LOCAL, first))
            .isInstanceOf(NegotiationException.class).hasMessageContaining("keeps its mid");
    }

    @Test
    void aRejectedMlineMayBeRecycledWithANewMidAndKind() {
        PublisherAnswer first = negotiator.answer(Fixtures.text(Fixtures.VARIANTS_MAX_BUNDLE), Fixtures.LOCAL, null);
        assertThat(first.answer().media().get(4).port()).isZero();
        String text = Fixtures.text(Fixtures.VARIANTS_MAX_BUNDLE);
        // the data channel m-line (index 4) becomes a new audio m-line with mid 5
        String recycled = text.substring(0, text.indexOf("m=application"))
            .replace("a=group:BUNDLE 0 1 2 3 4", "a=group:BUNDLE 0 1 2 3 5")
            + SECOND_AUDIO.replace("a=mid:2", "a=mid:5").replace("no7/", "Ebc0")
            .replace("hB0oli89/WW+sDckN3STHPd1", "K2GMRf93Va9KaPwEWDHTUzNy");

        PublisherAnswer second = negotiator.answer(recycled, Fixtures.LOCAL, first);

        MediaDescription m = second.answer().media().get(4);
        assertThat(m.mid()).contains("5");
        assertThat(m.port()).isEqualTo(9);
        assertThat(second.tracks()).extracting(PublishedTrack::mid).containsExactly("2", "5");
    }

    @Test
    void everyTransceiverStoppedIsAnsweredWithEverythingRejected() {
        PublisherAnswer first = negotiator.answer(Fixtures.text(Fixtures.SIMULCAST), Fixtures.LOCAL, null);
        String stopped = Fixtures.text(Fixtures.SIMULCAST).replace("a=group:BUNDLE 0 1\r\n", "")
            .replace("m=audio 9 ", "m=audio 0 ").replace("m=video 9 ", "m=video 0 ");

        PublisherAnswer second = negotiator.answer(stopped, Fixtures.LOCAL, first);

        assertThat(second.answer().media()).allSatisfy(m -> assertThat(m.port()).isZero());
        assertThat(second.tracks()).isEmpty();
        assertThat(second.remote()).isEqualTo(first.remote());
        assertThat(TrackDiff.between(first.tracks(), second.tracks()).removed()).hasSize(2);
        // without a previous answer there is no transport to keep
        assertThatThrownBy(() -> negotiator.answer(stopped, Fixtures.LOCAL, null))
            .isInstanceOf(NegotiationException.class);
    }

    @Test
    void newFingerprintIsADtlsRestart() {
        PublisherAnswer first = negotiator.answer(Fixtures.text(Fixtures.SIMULCAST), Fixtures.LOCAL, null);
        String other = Fixtures.text(Fixtures.SIMULCAST).replace("a=fingerprint:sha-256 24:26:AD",
            "a=fingerprint:sha-256 42:26:AD");

        assertThat(negotiator.answer(other, Fixtures.LOCAL, first).dtlsRestart()).isTrue();
        assertThat(negotiator.answer(Fixtures.text(Fixtures.SIMULCAST), Fixtures.LOCAL, first).dtlsRestart())
            .isFalse();
    }

    @Test
    void actpassRenegotiationKeepsTheEstablishedDtlsRole() {
        String passive = Fixtures.text(Fixtures.SIMULCAST).replace("a=setup:actpass", "a=setup:passive");
        PublisherAnswer first = negotiator.answer(passive, Fixtures.LOCAL, null);
        assertThat(first.remote().localDtlsRole()).isEqualTo(DtlsRole.CLIENT);

        PublisherAnswer second = negotiator.answer(Fixtures.text(Fixtures.SIMULCAST), Fixtures.LOCAL, first);

        assertThat(second.remote().setup()).isEqualTo(io.sfu.core.sdp.Setup.ACTPASS);
        assertThat(second.remote().localDtlsRole()).isEqualTo(DtlsRole.CLIENT);
        assertThat(second.answer().media()).allSatisfy(m ->
            assertThat(m.setup()).contains(io.sfu.core.sdp.Setup.ACTIVE));
        assertThat(second.dtlsRestart()).isFalse();
    }
}
