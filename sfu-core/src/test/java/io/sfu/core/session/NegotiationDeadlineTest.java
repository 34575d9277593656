package io.sfu.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfu.core.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A participant that joins and never negotiates media leaves when its deadline passes, and no one else does. */
class NegotiationDeadlineTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration JUST_BEFORE = TIMEOUT.minusNanos(1);

    private final QueueExecutor control = new QueueExecutor();
    private final FakeMediaEngine engine = new FakeMediaEngine(Runnable::run);
    private final ManualClock clock = new ManualClock();
    private ControlPlane plane;

    @BeforeEach
    void setUp() {
        plane = new ControlPlane(new InMemoryRoomRegistry(), engine, control,
            new ControlPlane.Limits(3, 4, 10, 8, TIMEOUT.toNanos()), clock::nanoTime);
    }

    private Participant join(String identity, Permissions permissions, RecordingChannel channel) throws Exception {
        Participant p = plane.join("r1", identity, permissions, true, true, channel);
        control.runAll();
        return p;
    }

    private int expire() {
        int expired = plane.expireNegotiationDeadlines(clock.nanoTime());
        control.runAll();
        return expired;
    }

    @Test
    void aPublisherThatNeverOffersLeavesAtItsDeadlineAndFreesItsSlot() throws Exception {
        RecordingChannel idle = new RecordingChannel();
        RecordingChannel other = new RecordingChannel();
        Participant p = join("idle", Permissions.ALL, idle);
        clock.advance(TIMEOUT.minusSeconds(10));
        join("other", Permissions.ALL, other);
        idle.take();

        clock.advance(Duration.ofSeconds(10).minusNanos(1));
        assertThat(expire()).isZero();
        assertThat(p.isActive()).isTrue();

        clock.advanceNs(1);
        assertThat(expire()).isEqualTo(1);
        assertThat(idle.take()).containsExactly("disconnect NEGOTIATION_TIMEOUT");
        assertThat(p.isActive()).isFalse();
        assertThat(engine.session(p.id()).isClosed()).isTrue();
        assertThat(other.take()).containsExactly("participantLeft idle");
        assertThat(plane.room("r1").orElseThrow().size()).isEqualTo(1);
    }

    @Test
    void anAnsweredPublisherOfferMeetsTheDeadline() throws Exception {
        RecordingChannel channel = new RecordingChannel();
        Participant p = join("alice", Permissions.ALL, channel);
        plane.publisherOffer(p, FakeMediaEngine.offer("audio"));
        control.runAll();

        clock.advance(TIMEOUT.multipliedBy(2));
        assertThat(expire()).isZero();
        assertThat(p.isActive()).isTrue();
    }

    @Test
    void aRefusedOfferDoesNotMeetTheDeadline() throws Exception {
        RecordingChannel channel = new RecordingChannel();
        Participant p = join("alice", Permissions.ALL, channel);
        plane.publisherOffer(p, "not an sdp");
        control.runAll();
        assertThat(channel.take()).containsExactly("error sdp_invalid");

        clock.advance(TIMEOUT);
        assertThat(expire()).isEqualTo(1);
        assertThat(channel.take()).containsExactly("disconnect NEGOTIATION_TIMEOUT");
    }

    @Test
    void aReceiverIsHeldFromItsFirstOfferAndAnAppliedAnswerMeetsTheDeadline() throws Exception {
        Permissions receiveOnly = new Permissions(false, true);
        RecordingChannel viewer = new RecordingChannel();
        RecordingChannel late = new RecordingChannel();
        Participant v = join("viewer", receiveOnly, viewer);
        Participant l = join("late", receiveOnly, late);
        clock.advance(TIMEOUT.multipliedBy(3));
        assertThat(expire()).as("nothing to answer yet").isZero();

        Participant publisher = join("publisher", Permissions.ALL, new RecordingChannel());
        plane.publisherOffer(publisher, FakeMediaEngine.offer("video"));
        control.runAll();
        assertThat(viewer.take()).contains("offer");
        assertThat(late.take()).contains("offer");
        plane.subscriberAnswer(v, "v=0\r\n");
        control.runAll();

        clock.advance(JUST_BEFORE);
        assertThat(expire()).isZero();
        clock.advanceNs(1);
        assertThat(expire()).isEqualTo(1);
        assertThat(v.isActive()).isTrue();
        assertThat(l.isActive()).isFalse();
        assertThat(late.take()).containsExactly("disconnect NEGOTIATION_TIMEOUT");
        assertThat(publisher.isActive()).isTrue();
    }

    @Test
    void oneThatMayNeitherPublishNorSubscribeIsNeverHeld() throws Exception {
        Participant p = join("monitor", new Permissions(false, false), new RecordingChannel());
        clock.advance(TIMEOUT.multipliedBy(10));
        assertThat(expire()).isZero();
        assertThat(p.isActive()).isTrue();
    }

    @Test
    void withoutATimeoutNoOneIsHeld() throws Exception {
        plane = new ControlPlane(new InMemoryRoomRegistry(), engine, control, new ControlPlane.Limits(3, 4, 10, 8),
            clock::nanoTime);
        Participant p = join("idle", Permissions.ALL, new RecordingChannel());
        clock.advance(Duration.ofDays(1));
        assertThat(expire()).isZero();
        assertThat(p.isActive()).isTrue();
    }

    @Test
    void aParticipantThatLeftIsNotDisconnectedAgain() throws Exception {
        RecordingChannel channel = new RecordingChannel();
        Participant p = join("gone", Permissions.ALL, channel);
        plane.leave(p, LeaveReason.LEFT);
        control.runAll();
        channel.take();

        clock.advance(TIMEOUT);
        assertThat(expire()).isZero();
        assertThat(channel.take()).isEmpty();
    }
}
