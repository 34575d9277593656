// Media checks on top of the page client's getStats() summaries: connection states, and who receives whom.
import { check, ScenarioError, waitUntil } from './harness.mjs';

/** Waits until a participant's `pc` ('publisher' or 'subscriber') is connected; fails at once when it failed. */
export async function waitConnected(participant, pc, timeoutMs) {
  const started = Date.now();
  await waitUntil(participant.identity + "'s " + pc + ' connectionState to become connected', timeoutMs,
    async () => {
      const stats = await participant.stats();
      const state = stats[pc] ? stats[pc].connectionState : 'no ' + pc + ' pc';
      if (state === 'failed' || state === 'closed') {
        throw new ScenarioError(participant.identity + "'s " + pc + ' connectionState is ' + state);
      }
      return state === 'connected' ? true : { done: false, connectionState: state };
    });
  return Date.now() - started;
}

/** What `stats` (one receiver's) says it got from the participant with id `senderId`. */
export function receivedFrom(stats, senderId) {
  const sums = stats.received[senderId] || {};
  const video = stats.inbound.filter((i) => i.participantId === senderId && i.kind === 'video');
  return {
    videoFramesDecoded: sums.videoFramesDecoded || 0,
    videoPacketsReceived: sums.videoPacketsReceived || 0,
    audioPacketsReceived: sums.audioPacketsReceived || 0,
    frameWidth: Math.max(0, ...video.map((v) => v.frameWidth || 0)),
    frameHeight: Math.max(0, ...video.map((v) => v.frameHeight || 0)),
  };
}

/** Every ordered pair (receiver, sender) of distinct participants. */
export function everyPair(participants) {
  const pairs = [];
  for (const receiver of participants) {
    for (const sender of participants) {
      if (receiver !== sender) pairs.push({ receiver, sender });
    }
  }
  return pairs;
}

async function table(pairs) {
  const receivers = [...new Set(pairs.map((p) => p.receiver))];
  const stats = await Promise.all(receivers.map((r) => r.stats()));
  const byReceiver = new Map(receivers.map((r, i) => [r, stats[i]]));
  const result = {};
  for (const { receiver, sender } of pairs) {
    (result[receiver.identity] ||= {})[sender.identity] = receivedFrom(byReceiver.get(receiver), sender.id);
  }
  return result;
}

/**
 * Waits until, for every pair, the receiver has decoded video frames from the sender and received its audio
 * packets, beyond the counters of `baseline` (a table as returned, or none: beyond zero). Returns the table of
 * counters that satisfied it; on timeout, fails naming the pairs that do not flow and their counters.
 */
export async function waitFlowing(what, pairs, timeoutMs, baseline = {}) {
  const base = (r, s) => (baseline[r.identity] && baseline[r.identity][s.identity]) || {
    videoFramesDecoded: 0, audioPacketsReceived: 0,
  };
  const started = Date.now();
  const counters = await waitUntil(what, timeoutMs, async () => {
    const now = await table(pairs);
    const stalled = pairs.filter(({ receiver, sender }) => {
      const c = now[receiver.identity][sender.identity];
      const b = base(receiver, sender);
      return !(c.videoFramesDecoded > b.videoFramesDecoded && c.audioPacketsReceived > b.audioPacketsReceived);
    });
    if (stalled.length === 0) return now;
    return {
      done: false,
      stalled: stalled.map(({ receiver, sender }) => ({
        receiver: receiver.identity,
        sender: sender.identity,
        now: now[receiver.identity][sender.identity],
        baseline: base(receiver, sender),
      })),
    };
  });
  return { counters, ms: Date.now() - started };
}

/** The receiving transceivers of `receiver` that still carry media of the participant with id `senderId`. */
export async function transceiversOf(receiver, senderId) {
  const stats = await receiver.stats();
  return stats.transceivers.filter((t) => t.participantId === senderId);
}

/**
 * The counters of `receiver`'s inbound video from the participant `senderId`, summed over its streams, with the
 * widest frame decoded and when they were read.
 */
export async function videoIn(receiver, senderId) {
  const stats = await receiver.stats();
  const video = stats.inbound.filter((i) => i.kind === 'video' && i.participantId === senderId);
  const sum = (field) => video.reduce((total, v) => total + (v[field] || 0), 0);
  return {
    at: Date.now(),
    frameWidth: Math.max(0, ...video.map((v) => v.frameWidth || 0)),
    bytesReceived: sum('bytesReceived'),
    packetsReceived: sum('packetsReceived'),
    packetsLost: sum('packetsLost'),
    framesDecoded: sum('framesDecoded'),
    pliCount: sum('pliCount'),
    nackCount: sum('nackCount'),
    keyFramesDecoded: sum('keyFramesDecoded'),
    connectionState: stats.subscriber ? stats.subscriber.connectionState : null,
  };
}

/** The SFU's stats (its REST stats call) of the track `trackId` the participant `identity` subscribes to. */
export async function sfuTrack(origin, room, identity, trackId) {
  const response = await fetch(origin + '/v1/rooms/' + room + '/participants/' + identity + '/stats');
  check(response.ok, 'the stats call answered ' + response.status);
  const body = await response.json();
  const track = body.tracks.find((t) => t.trackId === trackId && t.direction === 'subscribed');
  check(track, 'no subscribed track ' + trackId + ' in the stats', body);
  return track;
}
