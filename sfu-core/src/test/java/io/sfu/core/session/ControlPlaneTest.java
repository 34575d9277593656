package io.sfu.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ControlPlaneTest {
    private final QueueExecutor control = new QueueExecutor();
    private final FakeMediaEngine engine = new FakeMediaEngine(Runnable::run);
    private ControlPlane plane;

    @BeforeEach
    void setUp() {
        plane = new ControlPlane(new InMemoryRoomRegistry(), engine, control, new ControlPlane.Limits(3, 4, 10, 8));
    }

    private Participant join(String room, String identity, RecordingChannel channel) throws SessionException {
        Participant p = plane.join(room, identity, Permissions.ALL, true, true, channel);
        control.runAll();
        return p;
    }

    private void publish(Participant p, String... kinds) throws SessionException {
        plane.publisherOffer(p, FakeMediaEngine.offer(kinds));
        control.runAll();
    }

    private void answerSubscriber(Participant p) throws SessionException {
        plane.subscriberAnswer(p, "v=0\r\n");
        control.runAll();
    }

    @Test
    void joinTellsTheOthersButNotTheJoiner() throws Exception {
        RecordingChannel alice = new RecordingChannel();
        RecordingChannel bob = new RecordingChannel();
        join("r1", "alice", alice);
        join("r1", "bob", bob);

        assertThat(alice.take()).containsExactly("participantJoined bob");
        assertThat(bob.take()).isEmpty();
        assertThat(plane.room("r1")).get().extracting(Room::size).isEqualTo(2);
    }

    @Test
    void publishingAnswersThePublisherAndOffersTheTrackToTheOthers() throws Exception {
        RecordingChannel alice = new RecordingChannel();
        RecordingChannel bob = new RecordingChannel();
        Participant a = join("r1", "alice", alice);
        Participant b = join("r1", "bob", bob);
        alice.take();

        publish(a, "audio", "video");

        assertThat(alice.take()).containsExactly("answer");
        assertThat(bob.take()).containsExactly("trackPublished alice audio 0", "trackPublished alice video 1",
            "offer");
        List<SubscribedTrack> offered = engine.session(b.id()).subscriberOffers().get(0);
        assertThat(offered).extracting(SubscribedTrack::publisherId).containsOnly(a.id());
        assertThat(offered).extracting(t -> t.track().mid()).containsExactly("0", "1");
        assertThat(engine.session(a.id()).subscriberOffers()).isEmpty();
    }

    @Test
    void aLateJoinerIsOfferedTheTracksAlreadyPublished() throws Exception {
        Participant a = join("r1", "alice", new RecordingChannel());
        publish(a, "video");
        RecordingChannel bob = new RecordingChannel();
        Participant b = join("r1", "bob", bob);

        assertThat(bob.take()).containsExactly("offer");
        assertThat(engine.session(b.id()).subscriberOffers()).hasSize(1);
    }

    @Test
    void subscriberOffersComeOneAtATime() throws Exception {
        RecordingChannel bob = new RecordingChannel();
        Participant a = join("r1", "alice", new RecordingChannel());
        Participant b = join("r1", "bob", bob);
        Participant c = join("r1", "carol", new RecordingChannel());
        publish(a, "video");
        publish(c, "audio");

        assertThat(bob.take()).filteredOn("offer"::equals).hasSize(1);
        assertThat(engine.session(b.id()).subscriberOffers()).hasSize(1);

        answerSubscriber(b);

        assertThat(bob.take()).containsExactly("offer");
        List<List<SubscribedTrack>> offers = engine.session(b.id()).subscriberOffers();
        assertThat(offers).hasSize(2);
        assertThat(offers.get(1)).extracting(SubscribedTrack::publisherId).containsExactly(a.id(), c.id());

        answerSubscriber(b);
        assertThat(bob.take()).isEmpty();
    }

    @Test
    void anAnswerWithoutAnOfferIsABadRequest() throws Exception {
        Participant a = join("r1", "alice", new RecordingChannel());
        assertThatThrownBy(() -> plane.subscriberAnswer(a, "v=0\r\n"))
            .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @Test
    void anSdpTheEngineRejectsIsReportedAndTheParticipantStaysUsable() throws Exception {
        RecordingChannel alice = new RecordingChannel();
        Participant a = join("r1", "alice", alice);

        plane.publisherOffer(a, "not sdp");
        control.runAll();
        assertThat(alice.take()).containsExactly("error sdp_invalid");

        publish(a, "audio");
        assertThat(alice.take()).containsExactly("answer");
        assertThat(a.tracks()).hasSize(1);
    }

    @Test
    void aRejectedSubscriberAnswerKeepsTheOfferOpen() throws Exception {
        RecordingChannel bob = new RecordingChannel();
        Participant a = join("r1", "alice", new RecordingChannel());
        Participant b = join("r1", "bob", bob);
        publish(a, "audio");
        bob.take();

        plane.subscriberAnswer(b, "garbage");
        control.runAll();
        assertThat(bob.take()).containsExactly("error sdp_invalid");

        answerSubscriber(b);
        assertThat(engine.session(b.id()).subscriberAnswers()).hasSize(1);
    }

    @Test
    void withoutPublishPermissionAnOfferIsForbidden() throws Exception {
        Participant viewer = plane.join("r1", "viewer", new Permissions(false, true), true, true,
            new RecordingChannel());
        assertThatThrownBy(() -> plane.publisherOffer(viewer, FakeMediaEngine.offer("audio")))
            .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
    }

    @Test
    void aSecondOfferWhileTheFirstIsAnsweredIsAConflict() throws Exception {
        Participant a = join("r1", "alice", new RecordingChannel());
        plane.publisherOffer(a, FakeMediaEngine.offer("audio"));
        assertThatThrownBy(() -> plane.publisherOffer(a, FakeMediaEngine.offer("audio")))
            .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        control.runAll();
        publish(a, "audio", "video");
        assertThat(a.tracks()).hasSize(2);
    }

    @Test
    void renegotiationWithFewerTracksUnpublishesTheMissingOnes() throws Exception {
        RecordingChannel bob = new RecordingChannel();
        Participant a = join("r1", "alice", new RecordingChannel());
        join("r1", "bob", bob);
        publish(a, "audio", "video");
        bob.take();

        publish(a, "audio");

        assertThat(bob.take()).containsExactly("trackUnpublished alice 1");
        assertThat(a.tracks()).extracting(Track::mid).containsExactly("0");
    }

    @Test
    void unsubscribeRenegotiatesWithoutTheTrackAndUnknownIdsAreNotFound() throws Exception {
        Participant a = join("r1", "alice", new RecordingChannel());
        Participant b = join("r1", "bob", new RecordingChannel());
        publish(a, "audio", "video");
        answerSubscriber(b);
        String videoId = a.tracks().get(1).id();

        plane.unsubscribe(b, List.of(videoId));
        control.runAll();
        assertThat(b.wants(videoId)).isFalse();
        List<List<SubscribedTrack>> offers = engine.session(b.id()).subscriberOffers();
        assertThat(offers.get(offers.size() - 1)).extracting(t -> t.track().id()).containsExactly(a.tracks().get(0).id());

        assertThatThrownBy(() -> plane.subscribe(b, List.of(videoId, "TR_nope")))
            .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(b.wants(videoId)).isTrue();
    }

    @Test
    void withoutAutoSubscribeNothingIsForwardedUntilSubscribed() throws Exception {
        Participant a = join("r1", "alice", new RecordingChannel());
        RecordingChannel bob = new RecordingChannel();
        Participant b = plane.join("r1", "bob", Permissions.ALL, false, true, bob);
        publish(a, "video");
        assertThat(bob.take()).containsExactly("trackPublished alice video 0");

        plane.subscribe(b, List.of(a.tracks().get(0).id()));
        control.runAll();
        assertThat(bob.take()).containsExactly("offer");
    }

    @Test
    void muteTellsTheOthersAndTheEngineWithoutRenegotiating() throws Exception {
        RecordingChannel bob = new RecordingChannel();
        Participant a = join("r1", "alice", new RecordingChannel());
        Participant b = join("r1", "bob", bob);
        publish(a, "audio");
        answerSubscriber(b);
        bob.take();
        String trackId = a.tracks().get(0).id();

        plane.setMuted(a, trackId, true);
        control.runAll();

        assertThat(bob.take()).containsExactly("trackMuted alice 0 true");
        assertThat(engine.session(a.id()).mutes()).containsEntry(trackId, true);
        assertThat(engine.session(b.id()).subscriberOffers()).hasSize(1);
        assertThatThrownBy(() -> plane.setMuted(b, trackId, true)).isInstanceOf(SessionException.class);
    }

    @Test
    void aFullRoomRefusesAJoin() throws Exception {
        plane.createRoom("small", 1);
        join("small", "alice", new RecordingChannel());
        assertThatThrownBy(() -> plane.join("small", "bob", Permissions.ALL, true, false, new RecordingChannel()))
            .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ROOM_FULL));
        assertThat(engine.sessions()).hasSize(1);
    }

    @Test
    void aSecondConnectionWithTheSameIdentityReplacesTheFirst() throws Exception {
        plane.createRoom("small", 1);
        RecordingChannel first = new RecordingChannel();
        Participant old = join("small", "alice", first);
        Participant now = join("small", "alice", new RecordingChannel());

        assertThat(first.take()).containsExactly("disconnect REPLACED");
        assertThat(old.isActive()).isFalse();
        assertThat(engine.session(old.id()).isClosed()).isTrue();
        assertThat(plane.room("small").orElseThrow().participants()).containsExactly(now);
    }

    @Test
    void leavingReleasesMediaTellsTheOthersAndDropsAnEmptyRoomCreatedOnJoin() throws Exception {
        RecordingChannel bob = new RecordingChannel();
        Participant a = join("r1", "alice", new RecordingChannel());
        Participant b = join("r1", "bob", bob);
        publish(a, "audio");
        answerSubscriber(b);
        bob.take();

        plane.leave(a, LeaveReason.DISCONNECTED);
        control.runAll();

        assertThat(engine.session(a.id()).isClosed()).isTrue();
        assertThat(bob.take()).containsExactly("participantLeft alice", "offer");
        assertThat(engine.session(b.id()).subscriberOffers().get(1)).isEmpty();

        plane.leave(b, LeaveReason.LEFT);
        assertThat(plane.room("r1")).isEmpty();
    }

    @Test
    void aRoomCreatedThroughTheApiOutlivesItsParticipants() throws Exception {
        plane.createRoom("kept", null);
        Participant a = join("kept", "alice", new RecordingChannel());
        plane.leave(a, LeaveReason.LEFT);
        assertThat(plane.room("kept")).isPresent();
    }

    @Test
    void expiredConsentRemovesTheParticipant() throws Exception {
        RecordingChannel alice = new RecordingChannel();
        RecordingChannel bob = new RecordingChannel();
        Participant a = join("r1", "alice", alice);
        join("r1", "bob", bob);
        alice.take();

        engine.session(a.id()).expireConsent();
        control.runAll();

        assertThat(alice.take()).containsExactly("disconnect CONSENT_EXPIRED");
        assertThat(bob.take()).containsExactly("participantLeft alice");
    }

    @Test
    void reportsForAParticipantThatLeftAreIgnored() throws Exception {
        RecordingChannel bob = new RecordingChannel();
        Participant a = join("r1", "alice", new RecordingChannel());
        join("r1", "bob", bob);
        plane.publisherOffer(a, FakeMediaEngine.offer("audio"));
        plane.leave(a, LeaveReason.DISCONNECTED);
        bob.take();

        control.runAll();

        assertThat(bob.take()).isEmpty();
        assertThat(plane.room("r1").orElseThrow().trackCount()).isZero();
    }

    @Test
    void deletingARoomDisconnectsEveryone() throws Exception {
        plane.createRoom("r2", null);
        RecordingChannel alice = new RecordingChannel();
        RecordingChannel bob = new RecordingChannel();
        join("r2", "alice", alice);
        join("r2", "bob", bob);
        alice.take();

        assertThat(plane.deleteRoom("r2")).isTrue();

        assertThat(alice.take()).containsExactly("disconnect ROOM_DELETED");
        assertThat(bob.take()).containsExactly("participantLeft alice", "disconnect ROOM_DELETED");
        assertThat(plane.room("r2")).isEmpty();
        assertThat(plane.deleteRoom("r2")).isFalse();
    }

    @Test
    void kickRemovesTheParticipantByIdentity() throws Exception {
        RecordingChannel alice = new RecordingChannel();
        join("r1", "alice", alice);
        join("r1", "bob", new RecordingChannel());
        alice.take();

        assertThat(plane.kick("r1", "bob")).isTrue();
        assertThat(alice.take()).containsExactly("participantLeft bob");
        assertThat(plane.kick("r1", "bob")).isFalse();
    }

    @Test
    void roomCreationIsValidatedAndBounded() throws Exception {
        assertThatThrownBy(() -> plane.createRoom("bad name", null)).isInstanceOfSatisfying(SessionException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
        assertThatThrownBy(() -> plane.createRoom("r", 11)).isInstanceOfSatisfying(SessionException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
        assertThat(plane.createRoom("a", null).maxParticipants()).isEqualTo(4);
        assertThatThrownBy(() -> plane.createRoom("a", 2)).isInstanceOfSatisfying(SessionException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        plane.createRoom("b", 2);
        plane.createRoom("c", 2);
        assertThatThrownBy(() -> plane.createRoom("d", 2)).isInstanceOfSatisfying(SessionException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        assertThatThrownBy(() -> plane.join("e", "alice", Permissions.ALL, true, true, new RecordingChannel()))
            .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
    }

    @Test
    void joiningAMissingRoomWithoutCreateIsNotFound() {
        assertThatThrownBy(() -> plane.join("nope", "alice", Permissions.ALL, true, false, new RecordingChannel()))
            .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void aTrackIdPublishedByAnotherParticipantIsDropped() throws Exception {
        Participant a = join("r1", "alice", new RecordingChannel());
        Participant b = join("r1", "bob", new RecordingChannel());
        publish(a, "audio");
        Track taken = a.tracks().get(0);

        engine.session(b.id()).reportTracks(List.of(taken,
            new Track("TR_own", TrackKind.VIDEO, "0", List.of(), false, TrackSource.CAMERA)));
        control.runAll();

        assertThat(b.tracks()).extracting(Track::id).containsExactly("TR_own");
        assertThat(plane.room("r1").orElseThrow().publisherOf(taken.id())).contains(a);
    }

    @Test
    void statsListEveryPublishedTrackWithTheEnginesCounters() throws Exception {
        Participant a = join("r1", "alice", new RecordingChannel());
        publish(a, "audio", "video");
        String audio = a.tracks().get(0).id();
        engine.session(a.id()).setStats(List.of(
            new TrackStats(audio, TrackStats.Direction.PUBLISHED, 10, 1000, 1, 2, 3, 64_000, null),
            new TrackStats("TR_x", TrackStats.Direction.SUBSCRIBED, 5, 500, 0, 0, 0, 1000, "h")));

        List<TrackStats> stats = plane.stats(a);

        assertThat(stats).extracting(TrackStats::trackId).containsExactly(audio, a.tracks().get(1).id(), "TR_x");
        assertThat(stats.get(0).packets()).isEqualTo(10);
        assertThat(stats.get(1).packets()).isZero();
    }

    @Test
    void theDominantSpeakerIsAnnouncedOncePerChange() throws Exception {
        RecordingChannel alice = new RecordingChannel();
        Participant a = join("r1", "alice", alice);
        Participant b = join("r1", "bob", new RecordingChannel());
        alice.take();

        engine.session(a.id()).reportDominantSpeaker(b.id());
        engine.session(b.id()).reportDominantSpeaker(b.id());
        control.runAll();

        assertThat(alice.take()).containsExactly("dominantSpeaker bob");
    }

    @Test
    void shutdownDisconnectsEveryoneAndRefusesJoins() throws Exception {
        RecordingChannel alice = new RecordingChannel();
        join("r1", "alice", alice);
        plane.shutdown();
        assertThat(alice.take()).containsExactly("disconnect SHUTDOWN");
        assertThatThrownBy(() -> plane.join("r1", "bob", Permissions.ALL, true, true, new RecordingChannel()))
            .isInstanceOf(SessionException.class);
    }
}
