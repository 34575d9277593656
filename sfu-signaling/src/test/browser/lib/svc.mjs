// What the spatial-layer scenarios (VP9 SVC, AV1 SVC) measure of a publisher's encoder and of a subscriber's decoding.
import { check, log, Participant, waitUntil } from './harness.mjs';
import { videoIn, waitConnected } from './media.mjs';

export const SWITCH_MS = 10_000;
const WINDOW_MS = 4_000;
const SAMPLE_MS = 250;

/** The publisher's outbound video stats entry, or null before it sends. */
export async function outboundVideo(publisher) {
  return (await publisher.stats()).outbound.find((o) => o.kind === 'video') || null;
}

/** What the publisher's encoder says of itself, for the messages of a wait that failed. */
export async function encoderState(publisher) {
  const sent = await outboundVideo(publisher);
  return { frameWidth: sent.frameWidth, framesPerSecond: sent.framesPerSecond,
    qualityLimitationReason: sent.qualityLimitationReason, targetBitrate: sent.targetBitrate };
}

/**
 * `receiver`'s decoding of `publisher`'s video over WINDOW_MS, sampled beside `reference`'s (who takes every layer):
 * how many samples saw each width, whether the receiver's frames kept being decoded (the longest time none was, at
 * the resolution of the samples) and its keyframe requests at the end.
 */
export async function measureDecoding(what, receiver, reference, publisher) {
  const first = await videoIn(receiver, publisher.id);
  const started = Date.now();
  let last = first;
  let lastRiseAt = started;
  let maxStallMs = 0;
  let samples = 0;
  const widths = {};
  const bobWidths = {};
  const sentWidths = {};
  await waitUntil(what + ': a window of ' + WINDOW_MS + ' ms', WINDOW_MS + 5_000, async () => {
    const [video, references, sent] = await Promise.all([videoIn(receiver, publisher.id),
      videoIn(reference, publisher.id), outboundVideo(publisher)]);
    // the widest layer the publisher's encoder was sending: a busy machine makes it leave the top ones out
    const sentWidth = sent ? sent.frameWidth || 0 : 0;
    sentWidths[sentWidth] = (sentWidths[sentWidth] || 0) + 1;
    if (video.framesDecoded > last.framesDecoded) {
      lastRiseAt = video.at;
    }
    widths[video.frameWidth] = (widths[video.frameWidth] || 0) + 1;
    bobWidths[references.frameWidth] = (bobWidths[references.frameWidth] || 0) + 1;
    samples++;
    maxStallMs = Math.max(maxStallMs, video.at - lastRiseAt);
    last = video;
    return video.at - started >= WINDOW_MS ? true : { done: false };
  }, { intervalMs: SAMPLE_MS });
  const result = {
    widths, bobWidths, sentWidths, samples, framesDecodedFrom: first.framesDecoded,
    framesDecodedTo: last.framesDecoded, maxStallMs, pliCount: last.pliCount, packetsLost: last.packetsLost,
  };
  log(what + ': ' + JSON.stringify(result));
  return result;
}

/** Waits until `receiver` decodes `publisher`'s frames `width` px wide; the stats entry that showed it. */
export async function waitWidth(what, receiver, publisher, width, timeoutMs = SWITCH_MS) {
  return waitUntil(what + ' to decode frames ' + width + ' px wide', timeoutMs, async () => {
    const video = await videoIn(receiver, publisher.id);
    return video.frameWidth === width ? video : { done: false, video };
  });
}

/**
 * bob and carol join `room`, where alice publishes, and their subscriber connections come up; returns them and the id
 * of alice's video track.
 */
export async function joinBobAndCarol(browser, origin, room) {
  const bob = await Participant.open(browser, origin, 'bob');
  const carol = await Participant.open(browser, origin, 'carol');
  const joined = await bob.join(room);
  await carol.join(room);
  const aliceEntry = joined.room.participants.find((p) => p.identity === 'alice');
  check(aliceEntry, 'bob was not told of alice', joined.room);
  const videoTrack = aliceEntry.tracks.find((t) => t.kind === 'video');
  check(videoTrack, 'alice publishes no video', aliceEntry.tracks);
  await waitConnected(bob, 'subscriber', 20_000);
  await waitConnected(carol, 'subscriber', 20_000);
  return { bob, carol, trackId: videoTrack.id };
}

/** Waits until alice sends video 1280 px wide; records what she sends in `result.publisher` and returns it. */
export async function waitAliceFullWidth(alice, result, timeoutMs) {
  const sent = await waitUntil('alice to send video 1280 px wide', timeoutMs, async () => {
    const video = await outboundVideo(alice);
    return video && video.frameWidth === 1280 ? video : { done: false, video };
  });
  result.publisher = { codec: sent.codec, scalabilityMode: sent.scalabilityMode || null,
    frameWidth: sent.frameWidth, frameHeight: sent.frameHeight, framesPerSecond: sent.framesPerSecond };
  log('alice sends ' + JSON.stringify(result.publisher));
  return sent;
}
