// A subscriber behind a real, kernel-shaped link: the SFU and a Chromium publisher (three simulcast encodings,
// 320/852/1280 px wide) in this network namespace, a Chromium subscriber in another one, joined by a veth pair whose
// egress toward the subscriber `tc tbf` limits. Unshaped, the subscriber decodes the 1280 px layer; shaped
// to 500 kbit/s it must settle on the lowest layer at a rate the link carries (video ≤ 550 kbit/s, ≥ 10 frames/s,
// ≤ 5% lost over a 5 s window) and stay there for 10 s more; lifted, a layer ≥ 640 px wide again. The Java runner
// makes the namespace and the link and reads the times and windows this prints. Needs root (tc) and the media
// engine.
//   node downlink-shaping.mjs --url http://10.237.N.1:PORT --publisher-url http://127.0.0.1:PORT --netns NS
//        --device DEV --publisher-token JWT --subscriber-token JWT [--rate-kbit 500] [--queue-bytes 32000]
import { execFileSync } from 'node:child_process';
import { check, log, Participant, runScenario, sleep, ScenarioError } from './lib/harness.mjs';
import { videoIn, waitConnected } from './lib/media.mjs';

// the publisher's own estimate ramps up before it sends its top layer: about 1 s on a quiet machine, over 20 s seen
// on a busy one
const UNSHAPED_MS = 45_000;
const SHAPED_MS = 20_000;
const LIFTED_MS = 20_000;
// the shaped criteria are judged over this trailing window, sampled every second
const WINDOW_MS = 5_000;
const SAMPLE_MS = 1_000;
// once settled, the subscriber must stay on the lowest layer this long (no climbing back into congestion)
const HOLD_MS = 10_000;
// the lowest of the three layers: a quarter of 1280 px
const LOWEST_WIDTH = 320;

function tc(args) {
  log('tc ' + args.join(' '));
  execFileSync('tc', args, { stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * What the subscriber got between two samples: video kbit/s, frames/s, the share of packets lost, and the widest
 * frame decoded at any sample in between (`samples`, those two included).
 */
function windowOf(from, to, samples = [from, to]) {
  const seconds = (to.at - from.at) / 1000;
  const received = to.packetsReceived - from.packetsReceived;
  const lost = Math.max(0, to.packetsLost - from.packetsLost);
  return {
    seconds,
    videoKbps: Math.round((to.bytesReceived - from.bytesReceived) * 8 / seconds / 1000),
    framesPerSecond: Math.round((to.framesDecoded - from.framesDecoded) / seconds * 10) / 10,
    lossPercent: received + lost === 0 ? 100 : Math.round(lost * 1000 / (received + lost)) / 10,
    frameWidth: to.frameWidth,
    widestFrame: Math.max(...samples.map((s) => s.frameWidth)),
  };
}

/**
 * Samples every second for up to `limitMs` until `done(sample, window)` holds, where the window reaches back
 * WINDOW_MS. Returns {ms, window, samples}; throws with the samples when the limit passes.
 */
async function sampleUntil(what, subscriber, publisherId, limitMs, done) {
  const started = Date.now();
  const samples = [await videoIn(subscriber, publisherId)];
  for (;;) {
    await sleep(SAMPLE_MS);
    const now = await videoIn(subscriber, publisherId);
    samples.push(now);
    const first = samples.findIndex((s) => now.at - s.at <= WINDOW_MS + SAMPLE_MS / 2);
    const window = windowOf(samples[first], now, samples.slice(first));
    const elapsed = now.at - started;
    log(what + ' +' + elapsed + ' ms: ' + JSON.stringify(window));
    if (elapsed > limitMs) {
      throw new ScenarioError(what + ' did not happen within ' + limitMs + ' ms; last window '
        + JSON.stringify(window));
    }
    if (done(now, window, elapsed)) {
      return { ms: elapsed, window, samples: samples.map((s, i) => (i === 0 ? null : windowOf(samples[i - 1], s))) };
    }
  }
}

/** The keyframe requests (PLI) the publisher got so far, by rid. */
async function plisByRid(publisher) {
  const counts = {};
  for (const o of (await publisher.stats()).outbound) {
    if (o.kind === 'video') counts[o.rid] = o.pliCount || 0;
  }
  return counts;
}

/**
 * How long until the SFU first asked the publisher for a keyframe of one of `rids` (the moment it decided to switch
 * a subscriber to that layer), polled every 100 ms; -1 when it did not within `limitMs`.
 */
async function firstKeyframeAsked(publisher, before, rids, limitMs) {
  const started = Date.now();
  while (Date.now() - started <= limitMs) {
    const now = await plisByRid(publisher);
    if (rids.some((rid) => (now[rid] || 0) > (before[rid] || 0))) return Date.now() - started;
    await sleep(100);
  }
  return -1;
}

/** Samples every second for `ms`; returns the window over all of it. */
async function sampleFor(what, subscriber, publisherId, ms) {
  const samples = [await videoIn(subscriber, publisherId)];
  while (samples[samples.length - 1].at - samples[0].at < ms) {
    await sleep(SAMPLE_MS);
    samples.push(await videoIn(subscriber, publisherId));
  }
  const window = windowOf(samples[0], samples[samples.length - 1], samples);
  log(what + ': ' + JSON.stringify(window));
  return { window };
}

await runScenario('downlink-shaping', {
  options: {
    'publisher-url': { type: 'string' }, netns: { type: 'string' }, device: { type: 'string' },
    'publisher-token': { type: 'string' }, 'subscriber-token': { type: 'string' },
    'rate-kbit': { type: 'string' }, 'queue-bytes': { type: 'string' },
  },
  async run(context, options) {
    for (const required of ['publisher-url', 'netns', 'device', 'publisher-token', 'subscriber-token']) {
      check(options[required], '--' + required + ' is required');
    }
    const rateKbit = Number(options['rate-kbit'] || 500);
    const queueBytes = Number(options['queue-bytes'] || 32_000);
    const phases = {};
    context.result.phases = phases;
    context.result.rateKbit = rateKbit;

    const publisher = await Participant.open(await context.browser(), options['publisher-url'], 'publisher');
    const subscriber = await Participant.open(await context.browserIn(options.netns), options.origin,
      'subscriber');
    await publisher.joinWithToken(options['publisher-token']);
    await subscriber.joinWithToken(options['subscriber-token']);
    // 1280x720: Chromium sends all three layers from 960x540 up. The middle one is 852 px wide: at 640 px the
    // fake camera's simple picture needs only ~350 kbit/s, which a 500 kbit/s link carries; at 852 px it takes the
    // whole 500 kbit/s its encoding allows, as a camera's picture would at 640
    const published = await publisher.publish({ simulcast: true, maintainResolution: true, width: 1280,
      height: 720, encodings: [
        { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
        { rid: 'h', scaleResolutionDownBy: 1.5, maxBitrate: 500_000 },
        { rid: 'f', maxBitrate: 1_500_000 },
      ] });
    check(published.ok, 'publishing failed: ' + published.error);
    await waitConnected(subscriber, 'subscriber', 20_000);

    let shaped = true;
    try {
      // the link starts without a shaper: the Java runner's is taken off
      tc(['qdisc', 'del', 'dev', options.device, 'root']);
      shaped = false;
      // the publisher's own estimate ramps up before it sends its top layer: start shaping from there
      phases.unshaped = await sampleUntil('unshaped: the 1280 px layer', subscriber, publisher.id,
        UNSHAPED_MS, (now) => now.frameWidth >= 1280);

      const plisBefore = await plisByRid(publisher);
      tc(['qdisc', 'replace', 'dev', options.device, 'root', 'tbf', 'rate', rateKbit + 'kbit', 'burst', '1600',
        'limit', String(queueBytes)]);
      shaped = true;
      const switchingDown = firstKeyframeAsked(publisher, plisBefore, ['q', 'h'], SHAPED_MS);
      phases.shaped = await sampleUntil('shaped to ' + rateKbit + ' kbit/s: the lowest layer at what the link '
        + 'carries', subscriber, publisher.id, SHAPED_MS, (now, w, elapsed) => elapsed >= WINDOW_MS
        && w.videoKbps <= 550 && w.frameWidth > 0 && w.widestFrame <= LOWEST_WIDTH && w.framesPerSecond >= 10
        && w.lossPercent <= 5);
      phases.shaped.keyframeAskedMs = await switchingDown;
      phases.shapedPublisher = (await publisher.stats()).outbound.filter((o) => o.kind === 'video');
      phases.held = await sampleFor('shaped, held', subscriber, publisher.id, HOLD_MS);

      tc(['qdisc', 'del', 'dev', options.device, 'root']);
      shaped = false;
      phases.lifted = await sampleUntil('lifted: a layer ≥ 640 px wide again', subscriber, publisher.id,
        LIFTED_MS, (now) => now.frameWidth >= 640);
    } finally {
      if (shaped) tc(['qdisc', 'del', 'dev', options.device, 'root']);
    }
    const last = await videoIn(subscriber, publisher.id);
    context.result.pliCount = last.pliCount;
    log('downlink-shaping: unshaped in ' + phases.unshaped.ms + ' ms, the lower layer\'s keyframe asked for '
      + phases.shaped.keyframeAskedMs + ' ms after shaping, shaped in ' + phases.shaped.ms
      + ' ms, lifted in ' + phases.lifted.ms + ' ms');
  },
});
