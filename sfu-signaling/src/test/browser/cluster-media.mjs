// Media across two nodes of a cluster between real browsers: alice joins one node, bob another, both publish, and
// each receives the other's video (frames decoded) and audio (packets received) within the bound, the media having
// crossed between the nodes through their relay; the counters keep rising. Needs the media engine with its relay.
//   node cluster-media.mjs --url http://127.0.0.1:PORT_A --url-b http://127.0.0.1:PORT_B [--within-ms 15000]
import { check, log, Participant, roomName, runScenario } from './lib/harness.mjs';
import { everyPair, waitFlowing } from './lib/media.mjs';

const RISE_MS = 5_000;

await runScenario('cluster-media', {
  options: { 'url-b': { type: 'string' }, room: { type: 'string' }, 'within-ms': { type: 'string' } },
  async run(context, options) {
    check(options['url-b'], '--url-b names the second node');
    const originB = new URL(options['url-b']).origin;
    const room = options.room || roomName('cluster');
    const withinMs = options['within-ms'] ? Number(options['within-ms']) : 15_000;
    context.result.room = room;
    const browser = await context.browser();
    const alice = await Participant.open(browser, options.origin, 'alice');
    const bob = await Participant.open(browser, originB, 'bob');
    await alice.join(room);
    await bob.join(room);
    context.result.ids = { alice: alice.id, bob: bob.id };
    const started = Date.now();
    const published = await Promise.all([alice.publish(), bob.publish()]);
    published.forEach((r, i) => check(r.ok, ['alice', 'bob'][i] + ': publishing failed: ' + r.error));
    const first = await waitFlowing('alice and bob receiving each other across the nodes', everyPair([alice, bob]),
      withinMs);
    context.result.firstMediaMs = Date.now() - started;
    log('media crosses the nodes ' + context.result.firstMediaMs + ' ms after publishing started');
    const rising = await waitFlowing('counters rising again', everyPair([alice, bob]), RISE_MS, first.counters);
    context.result.received = first.counters;
    context.result.rising = rising.counters;
  },
});
