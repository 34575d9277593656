// Negotiation with real browsers: alice publishes audio and video (with --simulcast: video as rids q, h and f);
// Chromium accepts the SFU's answer and the publisher pc connects. Then bob joins and publishes the same way: each
// accepts the subscriber offer that carries the other's tracks, and the subscriber pc connects. Needs the engine.
//   node negotiate.mjs --url http://127.0.0.1:PORT [--simulcast] [--room NAME]
// With --expect-refusal CODE it checks the server without a media engine instead: alice's offer is refused with
// an error of that code, and her socket stays open.
import { check, log, Participant, roomName, runScenario, waitUntil } from './lib/harness.mjs';
import { waitConnected } from './lib/media.mjs';
import { candidateAddresses, sfuSdpProblems, summarize } from './lib/sdp.mjs';

const CONNECT_MS = 15_000;
const OFFER_MS = 10_000;

function publishedReport(result, connectedInMs) {
  const answer = summarize(result.answerSdp);
  return {
    answeredInMs: result.answeredInMs,
    connectedInMs,
    offer: summarize(result.offerSdp).media.map((m) => ({ kind: m.kind, mid: m.mid, rids: m.rids,
      simulcast: m.simulcast })),
    answer,
    answerProblems: sfuSdpProblems(answer, 'publisher answer'),
    announced: candidateAddresses(answer),
  };
}

async function publishAndConnect(participant, simulcast) {
  const result = await participant.publish({ simulcast });
  check(result.ok, participant.identity + ': publishing failed: ' + result.error);
  log(participant.identity + ' published, answer applied in ' + result.answeredInMs + ' ms');
  const connectedInMs = await waitConnected(participant, 'publisher', CONNECT_MS);
  log(participant.identity + ' publisher connected');
  return publishedReport(result, connectedInMs);
}

async function subscriberReport(participant, sender) {
  const negotiations = await waitUntil(participant.identity + ' to answer a subscriber offer carrying '
    + sender.identity + "'s tracks", OFFER_MS, async () => {
    const all = await participant.negotiations(true);
    const done = all.filter((n) => n.doneAt !== undefined);
    const failed = done.find((n) => !n.ok);
    if (failed) throw new Error(participant.identity + ': the subscriber offer was not accepted: ' + failed.error);
    const carrying = done.filter((n) => summarize(n.offerSdp).media.some((m) => m.port !== 0 && m.msid
      && m.msid.startsWith(sender.id + ' ')));
    return carrying.length > 0 ? all : { done: false, negotiations: done.length };
  });
  const connectedInMs = await waitConnected(participant, 'subscriber', CONNECT_MS);
  log(participant.identity + ' subscriber connected');
  const last = negotiations[negotiations.length - 1];
  const offer = summarize(last.offerSdp);
  return {
    negotiations: negotiations.map((n) => ({ ok: n.ok, error: n.error })),
    connectedInMs,
    offer,
    offerProblems: sfuSdpProblems(offer, 'subscriber offer'),
    // the msid of each m-line in use: "<participantId> <trackId>"
    senders: offer.media.filter((m) => m.port !== 0 && m.msid).map((m) => ({ kind: m.kind,
      participantId: m.msid.split(' ')[0], trackId: m.msid.split(' ')[1] })),
  };
}

/**
 * The tracks of `publisher` that `participant` was told of: in joined.room.participants when the publisher was
 * there first with its tracks, else by trackPublished events (waiting, bounded, for two).
 */
async function publishedTracks(participant, publisher) {
  return waitUntil(participant.identity + ' to be told of ' + publisher.identity + "'s two tracks", OFFER_MS,
    async () => {
      const { joined, events } = await participant.events();
      const before = joined.room.participants.find((p) => p.id === publisher.id);
      const tracks = (before ? before.tracks : []).map((track) => ({ from: 'joined', track }));
      for (const e of events) {
        if (e.type === 'trackPublished' && e.participantId === publisher.id) {
          tracks.push({ from: 'trackPublished', track: e.track });
        }
      }
      return tracks.length >= 2 ? tracks : { done: false, tracks };
    });
}

async function refusal(context, options, room) {
  const browser = await context.browser();
  const alice = await Participant.open(browser, options.origin, 'alice');
  await alice.join(room);
  const result = await alice.publish({ simulcast: options.simulcast });
  const events = await alice.events();
  context.result.refusal = { ok: result.ok, errorCode: result.errorCode || null, error: result.error || null,
    offerHadMedia: summarize(result.offerSdp).media.map((m) => m.kind), socketOpen: events.closed === null };
  check(!result.ok && result.errorCode === options['expect-refusal'], 'alice: expected the offer to be refused '
    + 'with ' + options['expect-refusal'], result.error || 'it was answered');
  check(events.closed === null, 'alice: the socket closed after the refusal', events.closed);
  await alice.close();
}

await runScenario('negotiate', {
  options: { room: { type: 'string' }, simulcast: { type: 'boolean' }, 'expect-refusal': { type: 'string' } },
  async run(context, options) {
    const room = options.room || roomName('negotiate');
    const simulcast = Boolean(options.simulcast);
    context.result.room = room;
    context.result.simulcast = simulcast;
    if (options['expect-refusal']) {
      await refusal(context, options, room);
      return;
    }
    const browser = await context.browser();
    const alice = await Participant.open(browser, options.origin, 'alice');
    await alice.join(room);
    const alicePublished = await publishAndConnect(alice, simulcast);
    context.result.alice = { id: alice.id, publisher: alicePublished };

    const bob = await Participant.open(browser, options.origin, 'bob');
    await bob.join(room);
    const bobPublished = await publishAndConnect(bob, simulcast);
    context.result.bob = { id: bob.id, publisher: bobPublished };

    context.result.alice.subscriber = await subscriberReport(alice, bob);
    context.result.bob.subscriber = await subscriberReport(bob, alice);
    // joined and trackPublished name the tracks the subscriber offers carry: msid "<participantId> <trackId>"
    context.result.alice.trackPublished = await publishedTracks(alice, bob);
    context.result.bob.trackPublished = await publishedTracks(bob, alice);
    // an encoder starts a moment after the connection: with simulcast, wait (bounded) for the lowest layer to send
    const [aliceStats, bobStats] = await Promise.all([alice, bob].map((p) => (simulcast
      ? waitUntil(p.identity + "'s lowest simulcast layer to send", OFFER_MS, async () => {
        const stats = await p.stats();
        return stats.outbound.some((o) => o.rid === 'q' && o.packetsSent > 0) ? stats : { done: false, stats };
      })
      : p.stats())));
    context.result.alice.outbound = aliceStats.outbound;
    context.result.bob.outbound = bobStats.outbound;

    for (const [name, report] of [['alice', context.result.alice], ['bob', context.result.bob]]) {
      check(report.publisher.answerProblems.length === 0, name + ': the publisher answer breaks API.md',
        report.publisher.answerProblems);
      check(report.subscriber.offerProblems.length === 0, name + ': the subscriber offer breaks API.md',
        report.subscriber.offerProblems);
      if (simulcast) {
        const video = report.publisher.answer.media.find((m) => m.kind === 'video');
        check(video && /^recv q;h;f$/.test(video.simulcast || ''), name + ': the answer does not receive '
          + 'simulcast q;h;f', video);
      }
    }
    for (const [name, report] of [['alice', context.result.alice], ['bob', context.result.bob]]) {
      const announced = report.trackPublished.map((t) => t.track.id).sort().join();
      const offered = report.subscriber.senders.map((s) => s.trackId).sort().join();
      check(announced === offered, name + ': the tracks it was told of are not those of its subscriber offer',
        { trackPublished: report.trackPublished, senders: report.subscriber.senders });
    }
    const sendersOf = (report) => report.subscriber.senders.map((s) => s.participantId + '/' + s.kind).sort();
    check(sendersOf(context.result.alice).join() === [bob.id + '/audio', bob.id + '/video'].join(),
      "alice's subscriber offer does not carry exactly bob's audio and video", context.result.alice.subscriber.senders);
    check(sendersOf(context.result.bob).join() === [alice.id + '/audio', alice.id + '/video'].join(),
      "bob's subscriber offer does not carry exactly alice's audio and video", context.result.bob.subscriber.senders);
    await alice.close();
    await bob.close();
  },
});
