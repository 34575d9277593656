// Layer choice and mute on the real path: a Chromium publisher sends three simulcast layers (320, 640 and 1280 px
// wide); a subscriber asks for each with `setLayer` and decodes frames of that width within 3 s, its decoder never
// asking for a keyframe of its own (a decoder error would); then the publisher mutes its camera for 4 s: nothing of
// it reaches the subscriber, and after the unmute the video resumes with nothing of the muted time resent (no NACK
// from the subscriber, no retransmission from the SFU). Needs the media engine.
// With --ssrc-simulcast the publisher signals its layers by SSRCs (a=ssrc-group:SIM), which have no rid: the
// subscriber chooses them by `maxHeight`.
//   node layers-and-mute.mjs --url http://127.0.0.1:PORT [--ssrc-simulcast]
import { check, log, Participant, roomName, runScenario, sleep, waitUntil } from './lib/harness.mjs';
import { sfuTrack, videoIn, waitConnected } from './lib/media.mjs';

const SWITCH_MS = 3_000;
const MUTED_MS = 4_000;
const RESUME_MS = 5_000;

await runScenario('layers-and-mute', {
  options: { 'ssrc-simulcast': { type: 'boolean' } },
  async run(context, options) {
    const bySsrc = Boolean(options['ssrc-simulcast']);
    const room = roomName('layers');
    const browser = await context.browser();
    const publisher = await Participant.open(browser, options.origin, 'publisher');
    const subscriber = await Participant.open(browser, options.origin, 'subscriber');
    await publisher.join(room);
    const published = await publisher.publish({ simulcast: !bySsrc, ssrcSimulcast: bySsrc, maintainResolution: true,
      width: 1280, height: 720 });
    check(published.ok, 'publishing failed: ' + published.error);
    const joined = await subscriber.join(room);
    const track = await waitUntil('the publisher\'s video track to be known', 10_000, async () => {
      const { events } = await subscriber.events();
      const listed = [...joined.room.participants.flatMap((p) => p.tracks || []),
        ...events.filter((e) => e.type === 'trackPublished').map((e) => e.track)];
      return listed.find((t) => t.kind === 'video');
    });
    await waitConnected(subscriber, 'subscriber', 20_000);
    await waitUntil('the subscriber decoding the publisher\'s video', 20_000,
      async () => (await videoIn(subscriber, publisher.id)).framesDecoded > 0);
    // the publisher's own bandwidth estimate ramps up before it sends its top layer: switch once all three flow
    await waitUntil('the publisher sending all three layers', 30_000, async () => {
      const sent = (await publisher.stats()).outbound.filter((o) => o.kind === 'video');
      return sent.length === 3 && sent.every((o) => o.frameWidth > 0) ? true : { done: false, sent };
    });

    const switches = [];
    context.result.switches = switches;
    for (const [rid, width, maxHeight] of [['q', 320, 180], ['f', 1280, 720], ['h', 640, 360], ['q', 320, 180]]) {
      const sentAll = (await publisher.stats()).outbound.filter((o) => o.kind === 'video');
      const sentBefore = sentAll.find((o) => o.frameWidth === width) || {};
      const before = await videoIn(subscriber, publisher.id);
      const sfuBefore = await sfuTrack(options.origin, room, 'subscriber', track.id);
      // where a slow switch spent its time: the publisher's first keyframe request and keyframe of the layer after
      // the setLayer, and the subscriber's first keyframe decoded after it (ms after the setLayer, polled)
      const steps = {};
      const step = (name, reached) => {
        if (reached && steps[name] === undefined) steps[name] = Date.now() - before.at;
      };
      await subscriber.signal(bySsrc ? { type: 'setLayer', trackId: track.id, maxHeight }
        : { type: 'setLayer', trackId: track.id, rid });
      const reached = await waitUntil('frames ' + width + ' px wide after setLayer ' + rid, SWITCH_MS * 2,
        async () => {
          const sent = (await publisher.stats()).outbound.filter((o) => o.kind === 'video');
          const layer = sent.find((o) => o.ssrc === sentBefore.ssrc) || {};
          step('keyframeRequested', layer.pliCount > sentBefore.pliCount);
          if (steps.keyframeEncoded === undefined) {
            steps.framesPerSecond = layer.framesPerSecond;
            steps.limited = layer.qualityLimitationReason;
            steps.requests = layer.pliCount - sentBefore.pliCount;
            steps.otherLayersRequests = sent.filter((o) => o.ssrc !== sentBefore.ssrc)
              .map((o) => o.pliCount - (sentAll.find((b) => b.ssrc === o.ssrc) || {}).pliCount);
          }
          step('keyframeEncoded', layer.keyFramesEncoded > sentBefore.keyFramesEncoded);
          const now = await videoIn(subscriber, publisher.id);
          step('keyframeDecoded', now.keyFramesDecoded > before.keyFramesDecoded);
          if (now.frameWidth === width) return now;
          return { done: false, now, steps, sent: sent.map((o) => ({ rid: o.rid, width: o.frameWidth,
            limited: o.qualityLimitationReason, active: o.active, bytesSent: o.bytesSent })) };
        }, { intervalMs: 100 });
      await sleep(1_000);
      const after = await videoIn(subscriber, publisher.id);
      const result = { rid, width, ms: reached.at - before.at, framesDecodedAfter: after.framesDecoded
        - reached.framesDecoded, plis: after.pliCount - before.pliCount,
        downlinkEstimateBefore: sfuBefore.downlinkEstimate, steps };
      log('setLayer ' + rid + ': ' + JSON.stringify(result));
      switches.push(result);
    }

    // mute: the camera off and the SFU told; nothing reaches the subscriber
    const beforeMute = await sfuTrack(options.origin, room, 'subscriber', track.id);
    await publisher.enableCamera(false);
    await publisher.signal({ type: 'mute', mid: track.mid, muted: true });
    await sleep(1_000);
    const mutedFrom = await videoIn(subscriber, publisher.id);
    await sleep(MUTED_MS - 1_000);
    const mutedTo = await videoIn(subscriber, publisher.id);
    await publisher.enableCamera(true);
    await publisher.signal({ type: 'mute', mid: track.mid, muted: false });
    const resumed = await waitUntil('frames decoded again after the unmute', RESUME_MS, async () => {
      const now = await videoIn(subscriber, publisher.id);
      return now.framesDecoded > mutedTo.framesDecoded + 10 ? now : { done: false, now };
    }, { intervalMs: 100 });
    await sleep(2_000);
    const afterUnmute = await videoIn(subscriber, publisher.id);
    const afterMute = await sfuTrack(options.origin, room, 'subscriber', track.id);
    context.result.mute = {
      packetsWhileMuted: mutedTo.packetsReceived - mutedFrom.packetsReceived,
      resumedInMs: resumed.at - mutedTo.at,
      subscriberNacks: afterUnmute.nackCount - mutedFrom.nackCount,
      subscriberPlis: afterUnmute.pliCount - mutedFrom.pliCount,
      subscriberLost: afterUnmute.packetsLost - mutedFrom.packetsLost,
      retransmitted: afterMute.retransmitted - beforeMute.retransmitted,
    };
    log('mute: ' + JSON.stringify(context.result.mute));
  },
});
