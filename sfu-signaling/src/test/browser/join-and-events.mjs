// Joining and room events from real browsers: alice joins an empty room, bob and carol join after her (each
// sees the ones before in joined.room.participants), alice is told of both; bob closes his page and carol sends
// `leave`, and the ones still there are told with participantLeft. Needs no media engine.
//   node join-and-events.mjs --url http://127.0.0.1:PORT [--room NAME]
import { check, log, Participant, roomName, runScenario, waitUntil } from './lib/harness.mjs';

const EVENT_WAIT_MS = 5_000;

function sameParticipant(entry, participant) {
  return entry && entry.id === participant.id && entry.identity === participant.identity;
}

function roomEvents(events) {
  return events.events.map((e) => {
    const copy = { ...e };
    delete copy.at;
    return copy;
  });
}

async function waitForEvent(participant, what, match) {
  return waitUntil(participant.identity + ' to receive ' + what, EVENT_WAIT_MS, async () => {
    const events = await participant.events();
    return events.events.find(match);
  });
}

await runScenario('join-and-events', {
  options: { room: { type: 'string' } },
  async run(context, options) {
    const room = options.room || roomName('events');
    const browser = await context.browser();
    const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((identity) =>
      Participant.open(browser, options.origin, identity)));
    context.result.room = room;

    const aliceJoined = await alice.join(room);
    log('alice joined as ' + alice.id);
    check(aliceJoined.type === 'joined' && aliceJoined.participant.identity === 'alice'
      && typeof aliceJoined.participant.id === 'string' && aliceJoined.participant.id.length > 0,
      'alice: joined.participant has the wrong shape', aliceJoined);
    check(aliceJoined.room.name === room, 'alice: joined.room.name is not ' + room, aliceJoined.room);
    check(Array.isArray(aliceJoined.room.participants) && aliceJoined.room.participants.length === 0,
      'alice: joined.room.participants of a new room is not empty', aliceJoined.room);

    const bobJoined = await bob.join(room);
    log('bob joined as ' + bob.id);
    check(bobJoined.participant.identity === 'bob' && bob.id !== alice.id, 'bob: joined.participant is wrong',
      bobJoined.participant);
    check(bobJoined.room.participants.length === 1 && sameParticipant(bobJoined.room.participants[0], alice)
      && Array.isArray(bobJoined.room.participants[0].tracks), 'bob: joined.room.participants is not [alice]',
    bobJoined.room.participants);
    await waitForEvent(alice, 'participantJoined for bob', (e) => e.type === 'participantJoined'
      && sameParticipant(e.participant, bob));

    const carolJoined = await carol.join(room);
    log('carol joined as ' + carol.id);
    const others = carolJoined.room.participants.map((p) => p.identity).sort();
    check(others.join(',') === 'alice,bob' && carolJoined.room.participants.every((p) =>
      sameParticipant(p, p.identity === 'alice' ? alice : bob)), 'carol: joined.room.participants is not '
      + '[alice, bob]', carolJoined.room.participants);
    await waitForEvent(alice, 'participantJoined for carol', (e) => e.type === 'participantJoined'
      && sameParticipant(e.participant, carol));
    await waitForEvent(bob, 'participantJoined for carol', (e) => e.type === 'participantJoined'
      && sameParticipant(e.participant, carol));

    // bob closes his page: no leave message, the socket just goes away
    await bob.close();
    await waitForEvent(alice, 'participantLeft for bob', (e) => e.type === 'participantLeft'
      && e.participantId === bob.id);
    await waitForEvent(carol, 'participantLeft for bob', (e) => e.type === 'participantLeft'
      && e.participantId === bob.id);

    // carol leaves with the leave message: the server closes her socket with 1000
    const left = await carol.leave();
    check(left.ok && left.closed.code === 1000, 'carol: leave did not end with close code 1000', left);
    await waitForEvent(alice, 'participantLeft for carol', (e) => e.type === 'participantLeft'
      && e.participantId === carol.id);

    const aliceEvents = await alice.events();
    const carolEvents = await carol.events();
    context.result.participants = {
      alice: { id: alice.id, joined: aliceJoined, events: roomEvents(aliceEvents) },
      bob: { id: bob.id, joined: bobJoined },
      carol: { id: carol.id, joined: carolJoined, events: roomEvents(carolEvents), closed: left.closed },
    };
    check(aliceEvents.events.every((e) => e.type !== 'error'), 'alice received an error', aliceEvents.events);
    check(carolEvents.events.every((e) => e.type !== 'error'), 'carol received an error', carolEvents.events);
    await alice.close();
    await carol.close();
  },
});
