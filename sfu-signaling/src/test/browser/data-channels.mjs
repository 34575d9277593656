// Data channels through the SFU: two Chromium pages (alice, bob) each publish two data tracks, one ordered and one
// unordered, and each receives the other's on the channels the SFU opens toward it (<participantId>:<label>).
// Every sender sends 1,000 messages of 1 byte to 64 KiB (both ends included, spread logarithmically), binary and
// text alternately; each receiver hashes every message and the script checks the hashes against the sender's: in
// order on the ordered channel, as a multiset on the unordered one. Then carol, a third page behind a slow link
// (a network namespace whose link the Java runner shapes), subscribes to every track and cannot keep up; the two
// others send 1,000 messages each again and must complete within the same bound. Last, the backend's REST call
// POST /v1/rooms/{room}/data reaches the pages on server:<label>, text to both, binary to alice alone.
//   node data-channels.mjs --url http://10.237.N.1:PORT --near-url http://127.0.0.1:PORT --netns NS
//     --room R --api-key KEY --alice-token JWT --bob-token JWT --carol-token JWT [--within-ms 60000]
import { check, log, Participant, runScenario, waitUntil } from './lib/harness.mjs';
import { announcedTracks, exchange, waitChannels } from './lib/data.mjs';
import { waitConnected } from './lib/media.mjs';

const COUNT = 1000;
const MAX_BYTES = 64 * 1024;
const TRACKS = [{ label: 'ordered', ordered: true }, { label: 'unordered', ordered: false }];

await runScenario('data-channels', {
  options: {
    'near-url': { type: 'string' }, netns: { type: 'string' }, room: { type: 'string' },
    'api-key': { type: 'string' }, 'alice-token': { type: 'string' }, 'bob-token': { type: 'string' },
    'carol-token': { type: 'string' }, 'within-ms': { type: 'string' },
  },
  async run(context, options) {
    for (const required of ['near-url', 'netns', 'room', 'api-key', 'alice-token', 'bob-token', 'carol-token']) {
      check(options[required], '--' + required + ' is required');
    }
    const withinMs = Number(options['within-ms'] || 60_000);
    const near = await context.browser();
    const alice = await Participant.open(near, options['near-url'], 'alice');
    const bob = await Participant.open(near, options['near-url'], 'bob');
    await alice.joinWithToken(options['alice-token']);
    await bob.joinWithToken(options['bob-token']);
    const published = await Promise.all([alice, bob].map((p) => p.publish({ media: false, dataChannels: TRACKS })));
    published.forEach((r, i) => check(r.ok, ['alice', 'bob'][i] + ': publishing failed: ' + r.error));
    context.result.answerApplication = published[0].answerSdp.split(/\r?\n/)
      .filter((line) => line.startsWith('m=application') || line.startsWith('a=sctp-port')
        || line.startsWith('a=max-message-size'));
    const pairs = [{ receiver: alice, sender: bob }, { receiver: bob, sender: alice }];
    await waitChannels(pairs, TRACKS, withinMs);
    context.result.announced = await announcedTracks(alice, bob.id);

    const alone = await exchange('two pages', pairs, TRACKS,
      { count: COUNT, maxBytes: MAX_BYTES, round: 1, withinMs });
    context.result.twoPages = alone;

    const far = await context.browserIn(options.netns);
    const carol = await Participant.open(far, options.url || options.origin, 'carol');
    await carol.joinWithToken(options['carol-token']);
    await waitConnected(carol, 'subscriber', withinMs);
    await waitChannels([{ receiver: carol, sender: alice }, { receiver: carol, sender: bob }], TRACKS,
      withinMs);
    const withSlowReader = await exchange('with a slow reader', pairs, TRACKS,
      { count: COUNT, maxBytes: MAX_BYTES, round: 2, withinMs });
    context.result.withSlowReader = withSlowReader;
    const carolGot = (await carol.dataReceived()).channels;
    context.result.carol = Object.fromEntries(Object.entries(carolGot).map(([label, r]) => [label,
      { count: r.count, bytes: r.bytes, readyState: r.readyState }]));

    context.result.rest = await backendMessages(options, alice, bob, withinMs);
    log('data-channels: two pages ' + alone.ms + ' ms, with a slow reader ' + withSlowReader.ms + ' ms');
  },
});

/** The backend's messages: text to everyone, binary to alice alone; both must arrive on server:news. */
async function backendMessages(options, alice, bob, withinMs) {
  const post = async (body, room = options.room) => {
    const response = await fetch(options['near-url'] + '/v1/rooms/' + room + '/data', {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + options['api-key'] },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const text = await post({ label: 'news', text: 'hello from the backend' });
  const binary = await post({ label: 'news', base64: Buffer.from([0, 1, 2, 255]).toString('base64'),
    to: ['alice'] });
  const unknownRoom = await post({ label: 'news', text: 'x' }, options.room + '-none');
  for (const [p, count] of [[alice, 2], [bob, 1]]) {
    await waitUntil(p.identity + ' to receive the backend messages', withinMs, async () => {
      const news = (await p.dataReceived()).channels['server:news'];
      return news && news.count >= count ? true : { done: false, news };
    });
  }
  const aliceNews = (await alice.dataReceived()).channels['server:news'];
  const bobNews = (await bob.dataReceived()).channels['server:news'];
  return { text, binary, unknownRoom: unknownRoom.status, alice: { texts: aliceNews.texts,
    binary: aliceNews.binary, count: aliceNews.count }, bob: { texts: bobNews.texts, binary: bobNews.binary,
    count: bobNews.count } };
}
