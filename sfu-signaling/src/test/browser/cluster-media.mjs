// Media across the nodes of a cluster between real browsers: alice joins one node, bob another (and carol a third,
// with --url-c), all publish, and each receives every other's video (frames decoded) and audio (packets received)
// within the bound, the media having crossed between the nodes through their relays; the counters keep rising.
// With --kill-pid (the third node's process), that node is killed with SIGKILL: alice and bob must be told carol
// left within 5 s and keep receiving each other. Needs the media engine with its relay.
//   node cluster-media.mjs --url http://127.0.0.1:PORT_A --url-b http://127.0.0.1:PORT_B
//     [--url-c http://127.0.0.1:PORT_C --kill-pid PID_C] [--within-ms 15000]
import { check, log, Participant, roomName, runScenario, waitUntil } from './lib/harness.mjs';
import { everyPair, waitFlowing } from './lib/media.mjs';

const RISE_MS = 5_000;
const LEFT_MS = 5_000;

await runScenario('cluster-media', {
  options: {
    'url-b': { type: 'string' }, 'url-c': { type: 'string' }, 'kill-pid': { type: 'string' },
    room: { type: 'string' }, 'within-ms': { type: 'string' },
  },
  async run(context, options) {
    check(options['url-b'], '--url-b names the second node');
    check(!options['kill-pid'] || options['url-c'], '--kill-pid needs --url-c');
    const room = options.room || roomName('cluster');
    const withinMs = options['within-ms'] ? Number(options['within-ms']) : 15_000;
    context.result.room = room;
    const browser = await context.browser();
    const alice = await Participant.open(browser, options.origin, 'alice');
    const bob = await Participant.open(browser, new URL(options['url-b']).origin, 'bob');
    const everyone = [alice, bob];
    if (options['url-c']) everyone.push(await Participant.open(browser, new URL(options['url-c']).origin, 'carol'));
    for (const p of everyone) await p.join(room);
    context.result.ids = Object.fromEntries(everyone.map((p) => [p.identity, p.id]));
    const started = Date.now();
    const published = await Promise.all(everyone.map((p) => p.publish()));
    published.forEach((r, i) => check(r.ok, everyone[i].identity + ': publishing failed: ' + r.error));
    const first = await waitFlowing('everyone receiving everyone across the nodes', everyPair(everyone), withinMs);
    context.result.firstMediaMs = Date.now() - started;
    log('media crosses the nodes ' + context.result.firstMediaMs + ' ms after publishing started');
    const rising = await waitFlowing('counters rising again', everyPair(everyone), RISE_MS, first.counters);
    context.result.received = first.counters;
    context.result.rising = rising.counters;
    if (!options['kill-pid']) return;

    // the third node dies: the others drop carol, and alice and bob carry on
    const carol = everyone[2];
    const killedAt = Date.now();
    process.kill(Number(options['kill-pid']), 'SIGKILL');
    const leftMs = {};
    for (const p of [alice, bob]) {
      await waitUntil(p.identity + ' to be told that carol left', Math.max(1, LEFT_MS - (Date.now() - killedAt)),
        async () => {
          const { events } = await p.events();
          return events.some((e) => e.type === 'participantLeft' && e.participantId === carol.id);
        });
      leftMs[p.identity] = Date.now() - killedAt;
    }
    context.result.carolLeftMs = leftMs;
    log('alice and bob told carol left ' + JSON.stringify(leftMs) + ' ms after SIGKILL of her node');
    const stayed = everyPair([alice, bob]);
    const now = await waitFlowing('after the kill: alice and bob receiving each other', stayed, RISE_MS);
    const after = await waitFlowing('after the kill: counters rising again', stayed, RISE_MS, now.counters);
    context.result.afterKill = { received: now.counters, rising: after.counters };
  },
});
