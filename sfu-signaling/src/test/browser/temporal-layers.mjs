// VP8 temporal layers through the SFU between real browsers: alice publishes her camera as VP8 with three temporal
// layers (scalabilityMode L1T3), bob receives it. Unrestricted, bob decodes every frame; after
// {"type":"setLayer","maxTemporalLayer":0} he decodes the base layer only (a quarter of the frames of L1T3), still
// without a freeze and without asking for keyframes; after maxTemporalLayer 2 every frame again. The SFU's stats
// report the temporal layer it forwards. Every wait is bounded; the frame rates are measured over windows of
// WINDOW_MS. Needs the media engine.
//   node temporal-layers.mjs --url http://127.0.0.1:PORT [--room NAME]
import { check, log, Participant, roomName, runScenario, waitUntil } from './lib/harness.mjs';

const FLOW_MS = 15_000;
const SWITCH_MS = 10_000;
const WINDOW_MS = 4_000;
const SAMPLE_MS = 250;

/** Bob's inbound video from alice, or null. */
async function inboundVideo(bob, aliceId) {
  const stats = await bob.stats();
  return stats.inbound.find((i) => i.participantId === aliceId && i.kind === 'video') || null;
}

/** Frames alice's encoder has produced for her video. */
async function framesEncoded(alice) {
  const stats = await alice.stats();
  const video = stats.outbound.find((o) => o.kind === 'video');
  return video ? video.framesEncoded || 0 : 0;
}

/**
 * Bob's decoding of alice's video over WINDOW_MS: frames decoded per second, the share of the frames alice encoded
 * over the window that bob decoded (her encoder lowers its frame rate when the machine is busy, so the share is
 * what tells the layers apart), the longest time no frame was decoded (`maxStallMs`, at the resolution of the
 * samples), Chrome's own framesPerSecond at the end, and the keyframe requests bob's browser had sent by then.
 */
async function measure(what, bob, alice) {
  const aliceId = alice.id;
  const encodedFrom = await framesEncoded(alice);
  const first = await inboundVideo(bob, aliceId);
  const started = Date.now();
  let lastFrames = first.framesDecoded;
  let lastRiseAt = started;
  let maxStallMs = 0;
  const last = await waitUntil(what + ': a window of ' + WINDOW_MS + ' ms', WINDOW_MS + 5_000, async () => {
    const now = Date.now();
    const video = await inboundVideo(bob, aliceId);
    if (video.framesDecoded > lastFrames) {
      lastFrames = video.framesDecoded;
      lastRiseAt = now;
    }
    maxStallMs = Math.max(maxStallMs, now - lastRiseAt);
    return now - started >= WINDOW_MS ? { at: now, video } : { done: false, framesDecoded: video.framesDecoded };
  }, { intervalMs: SAMPLE_MS });
  const seconds = (last.at - started) / 1000;
  const encoded = (await framesEncoded(alice)) - encodedFrom;
  const result = {
    framesPerSecond: (last.video.framesDecoded - first.framesDecoded) / seconds,
    framesEncoded: encoded,
    decodedShare: encoded > 0 ? (last.video.framesDecoded - first.framesDecoded) / encoded : 0,
    chromeFramesPerSecond: last.video.framesPerSecond,
    framesDecodedFrom: first.framesDecoded,
    framesDecodedTo: last.video.framesDecoded,
    maxStallMs,
    frameWidth: last.video.frameWidth,
    pliCount: last.video.pliCount || 0,
    firCount: last.video.firCount || 0,
    freezeCount: last.video.freezeCount || 0,
    packetsLost: last.video.packetsLost,
  };
  log(what + ': ' + JSON.stringify(result));
  return result;
}

/** The SFU's stats of the video bob receives from alice (its temporalLayer is null without temporal layers). */
async function forwardedVideo(origin, room, trackId) {
  const response = await fetch(origin + '/v1/rooms/' + encodeURIComponent(room) + '/participants/bob/stats');
  check(response.ok, 'the stats call failed', response.status);
  const body = await response.json();
  return body.tracks.find((t) => t.trackId === trackId && t.direction === 'subscribed');
}

async function waitTemporalLayer(origin, room, trackId, layer) {
  await waitUntil('the SFU to report temporal layer ' + layer + ' forwarded', SWITCH_MS, async () => {
    const track = await forwardedVideo(origin, room, trackId);
    return track && track.temporalLayer === layer ? true : { done: false, track };
  });
  return layer;
}

await runScenario('temporal-layers', {
  options: { room: { type: 'string' } },
  async run(context, options) {
    const room = options.room || roomName('temporal');
    context.result.room = room;
    const browser = await context.browser();
    const alice = await Participant.open(browser, options.origin, 'alice');
    await alice.join(room);
    const published = await alice.publish({ codec: 'VP8', scalabilityMode: 'L1T3' });
    check(published.ok, 'alice: publishing failed: ' + published.error);

    // bob joins once alice's tracks are known, and so learns the id of her video from `joined`
    const bob = await Participant.open(browser, options.origin, 'bob');
    const joined = await bob.join(room);
    const aliceEntry = joined.room.participants.find((p) => p.identity === 'alice');
    check(aliceEntry, 'bob was not told of alice', joined.room);
    const videoTrack = aliceEntry.tracks.find((t) => t.kind === 'video');
    check(videoTrack, 'alice publishes no video', aliceEntry.tracks);
    const trackId = videoTrack.id;

    await waitUntil('bob to decode alice\'s video', FLOW_MS, async () => {
      const video = await inboundVideo(bob, alice.id);
      return video && video.framesDecoded > 0 ? true : { done: false, video };
    });
    const outbound = await waitUntil('alice\'s encoder to report L1T3 at a steady frame rate', FLOW_MS, async () => {
      const stats = await alice.stats();
      const video = stats.outbound.find((o) => o.kind === 'video');
      const steady = video && video.scalabilityMode && (video.framesPerSecond || 0) >= 10;
      return steady ? video : { done: false, video };
    });
    context.result.publisher = { codec: outbound.codec, scalabilityMode: outbound.scalabilityMode,
      framesPerSecond: outbound.framesPerSecond };
    log('alice sends ' + JSON.stringify(context.result.publisher));
    // and for three seconds: in the first ones the receiver's jitter buffer still grows on a busy machine, and the
    // frames it holds back then would read as frames a window did not decode
    await waitUntil('bob to decode alice\'s video at a steady frame rate', FLOW_MS, async () => {
      const video = await inboundVideo(bob, alice.id);
      return (video.framesPerSecond || 0) >= 10 && video.framesDecoded >= 60 ? true
        : { done: false, framesPerSecond: video.framesPerSecond, framesDecoded: video.framesDecoded };
    });
    const sfuLayers = {};
    context.result.sfuTemporalLayer = sfuLayers;
    sfuLayers.unrestricted = await waitTemporalLayer(options.origin, room, trackId, 2);

    const unrestricted = await measure('unrestricted', bob, alice);
    context.result.unrestricted = unrestricted;

    await bob.signal({ type: 'setLayer', trackId, maxTemporalLayer: 0 });
    const restrictedAt = Date.now();
    await waitUntil('bob\'s frame rate to fall to the base layer\'s', SWITCH_MS, async () => {
      const video = await inboundVideo(bob, alice.id);
      return video.framesPerSecond <= 0.45 * unrestricted.framesPerSecond
        ? true : { done: false, framesPerSecond: video.framesPerSecond };
    });
    context.result.restrictedAfterMs = Date.now() - restrictedAt;
    sfuLayers.restricted = await waitTemporalLayer(options.origin, room, trackId, 0);
    const restricted = await measure('maxTemporalLayer 0', bob, alice);
    context.result.restricted = restricted;

    await bob.signal({ type: 'setLayer', trackId, maxTemporalLayer: 2 });
    const restoredAt = Date.now();
    await waitUntil('bob\'s frame rate to come back', SWITCH_MS, async () => {
      const video = await inboundVideo(bob, alice.id);
      return video.framesPerSecond >= 0.75 * unrestricted.framesPerSecond
        ? true : { done: false, framesPerSecond: video.framesPerSecond };
    });
    context.result.restoredAfterMs = Date.now() - restoredAt;
    sfuLayers.restored = await waitTemporalLayer(options.origin, room, trackId, 2);
    context.result.restored = await measure('maxTemporalLayer 2', bob, alice);

    await bob.close();
    await alice.close();
  },
});
