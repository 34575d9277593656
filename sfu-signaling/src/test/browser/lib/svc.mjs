// What the spatial-layer scenarios (VP9 SVC, AV1 SVC) measure of a publisher's encoder and of a subscriber's decoding.
import { log, waitUntil } from './harness.mjs';
import { videoIn } from './media.mjs';

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
  await waitUntil(what + ': a window of ' + WINDOW_MS + ' ms', WINDOW_MS + 5_000, async () => {
    const [video, references] = await Promise.all([videoIn(receiver, publisher.id),
      videoIn(reference, publisher.id)]);
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
    widths, bobWidths, samples, framesDecodedFrom: first.framesDecoded,
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
