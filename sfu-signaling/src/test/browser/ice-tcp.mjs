// ICE over TCP when UDP is blocked: two Chromium pages in a network namespace whose UDP toward the SFU is dropped
// (a policy route into a blackhole) join one room, publish camera and microphone, and still see and hear each other
// (frames decoded, audio packets received, and both rising again) over the SFU's passive TCP candidate, with every
// peer connection's selected candidate pair on TCP. With --relay both pages use only the TURN server `joined`
// names (iceTransportPolicy "relay"), which they can reach over TCP alone; with --relay-tls only through its
// turns: URL (TURN over TLS), trusting the test certificate whose public key hash --trust-spki gives. Either way each
// page also publishes a data track and receives the other's 200 messages (1 byte to 16 KiB) intact and in order.
// The Java runner makes the namespace, the link and the UDP block, and checks what this prints. Needs root and the
// media engine.
//   node ice-tcp.mjs --url http://10.237.N.1:PORT --netns NS --alice-token JWT --bob-token JWT [--within-ms 30000]
//     [--relay | --relay-tls --trust-spki BASE64]
import { check, log, Participant, runScenario } from './lib/harness.mjs';
import { exchange, waitChannels } from './lib/data.mjs';
import { everyPair, waitConnected, waitFlowing } from './lib/media.mjs';

const CHAT = [{ label: 'chat', ordered: true }];

// the counters of flowing media must rise again within this long (the fake camera runs at ~20 fps)
const RISE_MS = 5_000;

await runScenario('ice-tcp', {
  options: {
    netns: { type: 'string' }, 'alice-token': { type: 'string' }, 'bob-token': { type: 'string' },
    'within-ms': { type: 'string' }, relay: { type: 'boolean' }, 'relay-tls': { type: 'boolean' },
    'trust-spki': { type: 'string' },
  },
  async run(context, options) {
    for (const required of ['netns', 'alice-token', 'bob-token']) {
      check(options[required], '--' + required + ' is required');
    }
    const withinMs = Number(options['within-ms'] || 30_000);
    const browser = await context.browserIn(options.netns,
      { secureOrigin: options.origin, trustSpki: options['trust-spki'] || null });
    const alice = await Participant.open(browser, options.origin, 'alice');
    const bob = await Participant.open(browser, options.origin, 'bob');
    await alice.joinWithToken(options['alice-token']);
    const joined = await bob.joinWithToken(options['bob-token']);
    if (options.relay || options['relay-tls']) {
      check(joined.iceServers && joined.iceServers.length > 0, 'joined names no TURN server', joined);
      context.result.iceServerUrls = joined.iceServers[0].urls;
      const scheme = options['relay-tls'] ? 'turns:' : null;
      await alice.relayOnly(scheme);
      await bob.relayOnly(scheme);
    }
    const started = Date.now();
    const published = await Promise.all([alice.publish({ dataChannels: CHAT }), bob.publish({ dataChannels: CHAT })]);
    published.forEach((r, i) => check(r.ok, ['alice', 'bob'][i] + ': publishing failed: ' + r.error));
    context.result.answerCandidates = published[0].answerSdp.split(/\r?\n/)
      .filter((line) => line.startsWith('a=candidate:'));

    const connectedMs = {};
    for (const p of [alice, bob]) {
      for (const pc of ['publisher', 'subscriber']) {
        await waitConnected(p, pc, Math.max(1, withinMs - (Date.now() - started)));
        connectedMs[p.identity + '.' + pc] = Date.now() - started;
      }
    }
    context.result.connectedMs = connectedMs;
    const pairs = everyPair([alice, bob]);
    const first = await waitFlowing('both receiving video and audio from the other', pairs,
      Math.max(1, withinMs - (Date.now() - started)));
    context.result.firstMediaMs = Date.now() - started;
    const rising = await waitFlowing('every counter rising again', pairs, RISE_MS, first.counters);
    context.result.received = rising.counters;

    const selected = {};
    for (const p of [alice, bob]) {
      const stats = await p.stats();
      selected[p.identity] = { publisher: stats.publisher.selectedPair, subscriber: stats.subscriber.selectedPair };
    }
    context.result.selectedPairs = selected;
    const dataPairs = [{ receiver: alice, sender: bob }, { receiver: bob, sender: alice }];
    await waitChannels(dataPairs, CHAT, withinMs);
    context.result.data = await exchange('data over ' + (options.relay || options['relay-tls'] ? 'TURN' : 'ICE-TCP'),
      dataPairs, CHAT, { count: 200, maxBytes: 16 * 1024, round: 1, withinMs });
    log('ice-tcp: media flows ' + context.result.firstMediaMs + ' ms after publishing; selected pairs '
      + JSON.stringify(selected));
  },
});
