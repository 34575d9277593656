// Media through the SFU between real browsers, the proof that conferencing works: two participants each receive
// the other's video (frames decoded) and audio (packets received) within 10 s; a third joins and all three
// receive both others; one leaves, the two others are told (participantLeft or trackUnpublished), renegotiate,
// and keep receiving from each other. Needs the media engine.
//   node media-two-and-three.mjs --url http://127.0.0.1:PORT [--within-ms 10000] [--room NAME]
import { check, log, Participant, roomName, runScenario, waitUntil } from './lib/harness.mjs';
import { everyPair, transceiversOf, waitConnected, waitFlowing } from './lib/media.mjs';

// counters sampled once media flows must rise again within this long (the fake camera runs at ~20 fps)
const RISE_MS = 5_000;
const RENEGOTIATE_MS = 10_000;
const EVENT_MS = 5_000;

async function publishAll(participants) {
  const results = await Promise.all(participants.map((p) => p.publish()));
  results.forEach((r, i) => check(r.ok, participants[i].identity + ': publishing failed: ' + r.error));
  return Object.fromEntries(participants.map((p, i) => [p.identity, results[i].answeredInMs]));
}

/** Every pair receives within `withinMs` of `startedAt`, then every counter rises once more. */
async function phase(name, pairs, startedAt, withinMs) {
  const remaining = Math.max(1, withinMs - (Date.now() - startedAt));
  const first = await waitFlowing(name + ': every participant receiving video and audio from every other',
    pairs, remaining);
  const firstMediaMs = Date.now() - startedAt;
  log(name + ': media flows between everyone ' + firstMediaMs + ' ms after publishing started');
  const rising = await waitFlowing(name + ': every counter rising again', pairs, RISE_MS, first.counters);
  return { firstMediaMs, received: first.counters, rising: rising.counters };
}

await runScenario('media-two-and-three', {
  options: { room: { type: 'string' }, 'within-ms': { type: 'string' } },
  async run(context, options) {
    const room = options.room || roomName('media');
    const withinMs = options['within-ms'] ? Number(options['within-ms']) : 10_000;
    context.result.room = room;
    context.result.withinMs = withinMs;
    const browser = await context.browser();
    const alice = await Participant.open(browser, options.origin, 'alice');
    const bob = await Participant.open(browser, options.origin, 'bob');
    await alice.join(room);
    await bob.join(room);
    const ids = { alice: alice.id, bob: bob.id };
    context.result.ids = ids;
    const phases = {};
    context.result.phases = phases;

    // two participants
    let started = Date.now();
    const answeredTwo = await publishAll([alice, bob]);
    phases.two = { answeredInMs: answeredTwo, ...await phase('two', everyPair([alice, bob]), started, withinMs) };

    // a third joins
    const carol = await Participant.open(browser, options.origin, 'carol');
    await carol.join(room);
    ids.carol = carol.id;
    started = Date.now();
    const answeredThree = await publishAll([carol]);
    phases.three = { answeredInMs: answeredThree,
      ...await phase('three', everyPair([alice, bob, carol]), started, withinMs) };

    // bob leaves by closing his page; alice and carol are told, renegotiate and keep receiving each other
    const before = {};
    for (const p of [alice, carol]) before[p.identity] = (await p.negotiations()).length;
    const leftAt = Date.now();
    await bob.close();
    const told = {};
    for (const p of [alice, carol]) {
      const event = await waitUntil(p.identity + ' to be told that bob left', EVENT_MS, async () => {
        const { events } = await p.events();
        return events.find((e) => (e.type === 'participantLeft' && e.participantId === bob.id)
          || (e.type === 'trackUnpublished' && e.participantId === bob.id));
      });
      told[p.identity] = { type: event.type, participantId: event.participantId, trackId: event.trackId };
    }
    const renegotiatedInMs = {};
    for (const p of [alice, carol]) {
      await waitUntil(p.identity + ' to answer a subscriber offer without bob', RENEGOTIATE_MS, async () => {
        const later = (await p.negotiations()).slice(before[p.identity]);
        const failed = later.find((n) => n.doneAt !== undefined && !n.ok);
        if (failed) throw new Error(p.identity + ': the subscriber offer after bob left failed: ' + failed.error);
        if (!later.some((n) => n.ok)) return false;
        // done once none of bob's transceivers still receives
        const bobs = await transceiversOf(p, bob.id);
        return bobs.every((t) => t.currentDirection !== 'recvonly' && t.currentDirection !== 'sendrecv')
          ? true : { done: false, bobTransceivers: bobs };
      });
      renegotiatedInMs[p.identity] = Date.now() - leftAt;
      await waitConnected(p, 'subscriber', RENEGOTIATE_MS);
    }
    const stayed = everyPair([alice, carol]);
    const afterLeave = await waitFlowing('after bob left: alice and carol receiving each other', stayed,
      RENEGOTIATE_MS);
    const rising = await waitFlowing('after bob left: counters rising again', stayed, RISE_MS,
      afterLeave.counters);
    phases.afterLeave = {
      left: 'bob',
      told,
      renegotiatedInMs,
      received: afterLeave.counters,
      rising: rising.counters,
      bobTransceivers: {
        alice: await transceiversOf(alice, bob.id),
        carol: await transceiversOf(carol, bob.id),
      },
    };
    await alice.close();
    await carol.close();
  },
});
