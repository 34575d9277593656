package io.sfu.core.negotiation;

import io.sfu.core.sdp.AttributeNames;
import io.sfu.core.sdp.Group;
import io.sfu.core.sdp.MediaDescription;
import io.sfu.core.sdp.MediaKind;
import io.sfu.core.sdp.SessionDescription;
import io.sfu.core.sdp.Setup;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The data channel m-line (RFC 8841) in publisher answers and subscriber offers, with data channels enabled. */
class DataChannelNegotiationTest {
    private static final int MAX_MESSAGE = 262_144;
    /** Chromium's offer with audio, video and a data channel (mid 4) in one BUNDLE group. */
    private static final String OFFER = Fixtures.VARIANTS_MAX_BUNDLE;

    private final PublisherNegotiator publisher = new PublisherNegotiator(new SplittableRandom(7),
        PublisherNegotiator.Limits.DEFAULT, MAX_MESSAGE);

    @Test
    void thePublishersDataChannelIsAnsweredWithTheSfusSctpPortAndLargestMessageInTheBundleGroup() {
        SessionDescription offer = Fixtures.load(OFFER);
        offer.media().get(4).setAttribute(AttributeNames.MAX_MESSAGE_SIZE, "1048576");

        PublisherAnswer answer = publisher.answer(offer, Fixtures.LOCAL);

        MediaDescription data = answer.answer().media().get(4);
        assertThat(data.media()).isEqualTo("application");
        assertThat(data.port()).isEqualTo(9);
        assertThat(data.proto()).isEqualTo("UDP/DTLS/SCTP");
        assertThat(data.formats()).containsExactly("webrtc-datachannel");
        assertThat(data.mid()).contains("4");
        assertThat(data.attributeValue(AttributeNames.SCTP_PORT)).contains("5000");
        assertThat(data.attributeValue(AttributeNames.MAX_MESSAGE_SIZE)).contains("262144");
        assertThat(data.iceUfrag()).contains(Fixtures.LOCAL.iceUfrag());
        assertThat(data.fingerprint()).contains(Fixtures.LOCAL.fingerprint());
        assertThat(data.setup()).contains(Setup.PASSIVE);
        assertThat(data.candidates()).isNotEmpty();
        assertThat(answer.acceptedMids()).containsExactly("0", "1", "2", "3", "4");
        assertThat(answer.dataChannel()).isEqualTo(new DataChannelSection.PeerParams("4", 5000, 1_048_576));
        assertThat(answer.tracks()).hasSize(1);
    }

    @Test
    void aSecondDataChannelMlineGetsPortZero() {
        SessionDescription offer = Fixtures.load(OFFER);
        offer.addMedia(offer.media().get(4).copy().setMid("5"));
        List<String> mids = new ArrayList<>(offer.bundleGroup().orElseThrow().mids());
        mids.add("5");
        offer.setGroup(Group.bundle(mids));

        PublisherAnswer answer = publisher.answer(offer, Fixtures.LOCAL);

        assertThat(answer.answer().media().get(4).port()).isEqualTo(9);
        MediaDescription second = answer.answer().media().get(5);
        assertThat(second.port()).isZero();
        assertThat(second.mid()).contains("5");
        assertThat(answer.acceptedMids()).doesNotContain("5");
        assertThat(answer.dataChannel().mid()).isEqualTo("4");
    }

    @Test
    void theOlderDtlsSctpFormAndADisabledSfuGetPortZero() {
        SessionDescription offer = Fixtures.load(OFFER);
        MediaDescription old = offer.media().get(4);
        old.setProto("DTLS/SCTP").setFormats(List.of("5000"));
        old.addAttribute("sctpmap", "5000 webrtc-datachannel 1024");

        PublisherAnswer oldForm = publisher.answer(offer, Fixtures.LOCAL);
        PublisherAnswer disabled = new PublisherNegotiator(new SplittableRandom(7))
            .answer(Fixtures.load(OFFER), Fixtures.LOCAL);

        assertThat(oldForm.answer().media().get(4).port()).isZero();
        assertThat(oldForm.dataChannel()).isNull();
        assertThat(disabled.answer().media().get(4).port()).isZero();
        assertThat(disabled.dataChannel()).isNull();
    }

    @Test
    void aRenegotiationKeepsTheDataChannelAccepted() {
        PublisherAnswer first = publisher.answer(Fixtures.load(OFFER), Fixtures.LOCAL);

        PublisherAnswer again = publisher.answer(Fixtures.load(OFFER), Fixtures.LOCAL, first);

        assertThat(again.answer().media().get(4).port()).isEqualTo(9);
        assertThat(again.dataChannel()).isEqualTo(first.dataChannel());
    }

    @Test
    void subscriberOffersCarryTheDataChannelFirstEvenWithoutATrack() {
        SubscriberNegotiator session = new SubscriberNegotiator(new SplittableRandom(3), MAX_MESSAGE);
        BrowserAnswerer browser = new BrowserAnswerer();
        browser.dataChannels = true;

        SessionDescription offer = session.createOffer(List.of(), Fixtures.LOCAL);
        SubscriberAnswerResult result = session.applyAnswer(browser.answer(offer));

        assertThat(offer.media()).hasSize(1);
        MediaDescription data = offer.media().get(0);
        assertThat(data.media()).isEqualTo("application");
        assertThat(data.mid()).contains(SubscriberNegotiator.DATA_CHANNEL_MID);
        assertThat(data.setup()).contains(Setup.ACTPASS);
        assertThat(data.attributeValue(AttributeNames.MAX_MESSAGE_SIZE)).contains("262144");
        assertThat(offer.groups()).containsExactly(Group.bundle(List.of("data")));
        assertThat(result.remote()).as("the data channel carries the transport").isNotNull();
        assertThat(result.remote().iceUfrag()).isEqualTo(browser.ufrag);
        assertThat(session.dataChannel()).contains(new DataChannelSection.PeerParams("data", 5000, 262_144));
    }

    @Test
    void tracksFollowTheDataChannelAndAnAnswerRejectingItKeepsTheTracks() {
        SubscriberNegotiator session = new SubscriberNegotiator(new SplittableRandom(3), MAX_MESSAGE);
        BrowserAnswerer browser = new BrowserAnswerer();
        NegotiatedCodec vp8 = new NegotiatedCodec(96, "VP8", 90000, 0, java.util.Map.of(), 97,
            List.of("nack", "nack pli"));
        ForwardedTrack alice = new ForwardedTrack("alice/cam", "alice", "cam", MediaKind.VIDEO, List.of(vp8), 1001,
            1002, null);

        SessionDescription offer = session.createOffer(List.of(alice), Fixtures.LOCAL);
        SubscriberAnswerResult result = session.applyAnswer(browser.answer(offer));

        assertThat(offer.media()).extracting(MediaDescription::media).containsExactly("application", "video");
        assertThat(offer.groups()).as("the data channel tags the bundle").containsExactly(
            Group.bundle(List.of("data", "0")));
        assertThat(result.track("alice/cam")).isPresent();
        assertThat(session.dataChannel()).as("rejected by the browser").isEmpty();

        browser.dataChannels = true;
        SessionDescription next = session.createOffer(List.of(alice), Fixtures.LOCAL);
        session.applyAnswer(browser.answer(next));
        assertThat(session.dataChannel()).isPresent();
        assertThat(session.track("alice/cam")).isPresent();
    }
}
