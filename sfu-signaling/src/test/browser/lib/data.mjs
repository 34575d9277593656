// Data channel checks on top of the page client: waiting for the channels the SFU opens, and exchanging test
// messages whose hashes the receivers check.
import { check, waitUntil } from './harness.mjs';

/** Waits until every receiver has the sender's channels, open. */
export async function waitChannels(pairs, tracks, timeoutMs) {
  for (const { receiver, sender } of pairs) {
    await waitUntil(receiver.identity + ' to have ' + sender.identity + "'s data channels open", timeoutMs,
      async () => {
        const channels = (await receiver.dataReceived()).channels;
        const open = tracks.every((t) => channels[sender.id + ':' + t.label]
          && channels[sender.id + ':' + t.label].readyState === 'open');
        return open ? true : { done: false, labels: Object.keys(channels) };
      });
  }
}

/** The data tracks `publisherId` published, as the room showed them to `receiver` (trackPublished). */
export async function announcedTracks(receiver, publisherId) {
  const { events } = await receiver.events();
  return events.filter((e) => e.type === 'trackPublished' && e.participantId === publisherId)
    .map((e) => e.track);
}

/**
 * Every sender sends `count` messages (1 byte to `maxBytes`) on each of its `tracks` at once; waits until every
 * receiver got them all and checks their hashes, in order on an ordered track. Returns how long it took and what
 * each receiver counted.
 */
export async function exchange(what, pairs, tracks, { count, maxBytes, round, withinMs }) {
  const started = Date.now();
  const before = new Map();
  for (const { receiver } of pairs) before.set(receiver, (await receiver.dataReceived()).channels);
  const sends = [];
  for (const { sender } of pairs) {
    for (const [t, track] of tracks.entries()) {
      const seed = round * 100 + pairs.findIndex((p) => p.sender === sender) * 10 + t;
      sends.push(sender.sendTestMessages(track.label, count, maxBytes, seed, withinMs)
        .then((r) => ({ sender, track, ...r })));
    }
  }
  const sent = await Promise.all(sends);
  sent.forEach((s) => check(s.ok, what + ': ' + s.sender.identity + ' could not send on ' + s.track.label + ': '
    + s.error));
  const expected = (receiver, label) => (before.get(receiver)[label] || { count: 0 }).count + count;
  for (const { receiver, sender } of pairs) {
    await waitUntil(what + ': ' + receiver.identity + ' to receive ' + sender.identity + "'s messages",
      Math.max(1, withinMs - (Date.now() - started)), async () => {
        const channels = (await receiver.dataReceived()).channels;
        const counts = tracks.map((t) => (channels[sender.id + ':' + t.label] || { count: 0 }).count);
        const done = tracks.every((t, i) => counts[i] >= expected(receiver, sender.id + ':' + t.label));
        return done ? true : { done: false, counts };
      });
  }
  const ms = Date.now() - started;
  const received = {};
  for (const { receiver, sender } of pairs) {
    const channels = (await receiver.dataReceived(true)).channels;
    for (const track of tracks) {
      const label = sender.id + ':' + track.label;
      const got = channels[label];
      const fromBefore = (before.get(receiver)[label] || { count: 0 }).count;
      const hashes = got.hashes.slice(fromBefore);
      const want = sent.find((s) => s.sender === sender && s.track === track).hashes;
      check(hashes.length === count, what + ': ' + receiver.identity + ' got ' + hashes.length + ' messages on '
        + track.label + ', not ' + count);
      if (track.ordered !== false) {
        const first = hashes.findIndex((h, i) => h !== want[i]);
        check(first < 0, what + ': ' + receiver.identity + "'s ordered message " + first + ' is ' + hashes[first]
          + ', sent as ' + want[first]);
      } else {
        const a = [...hashes].sort();
        const b = [...want].sort();
        check(a.every((h, i) => h === b[i]), what + ': ' + receiver.identity + "'s unordered messages differ from "
          + 'what was sent');
      }
      received[receiver.identity + '<-' + track.label] = { count: hashes.length, binary: got.binary,
        text: got.text, ordered: got.ordered, maxRetransmits: got.maxRetransmits };
    }
  }
  return { ms, sendMs: Math.max(...sent.map((s) => s.sentMs)), received };
}
