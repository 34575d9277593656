// AV1 spatial layers (SVC) through the SFU between real browsers, selected by the dependency descriptor alone: alice
// publishes her camera as AV1 with three spatial and three temporal layers in one stream (scalabilityMode L3T3,
// 1280x720), the descriptor negotiated in her answer. bob takes every layer and decodes 1280 px wide frames; carol
// asks {"type":"setLayer","maxSpatialLayer":0} and decodes spatial layer 0 alone (320 px wide), her decoder neither
// stalling nor asking for keyframes once it started. Where this Chromium cannot encode AV1 in L3T3 the scenario says
// so in `skipped`. Every wait is bounded. Needs the media engine.
//   node av1-svc.mjs --url http://127.0.0.1:PORT
import { check, Participant, roomName, runScenario, waitUntil } from './lib/harness.mjs';
import { sfuTrack, videoIn } from './lib/media.mjs';
import { encoderState, joinBobAndCarol, measureDecoding, SWITCH_MS, waitAliceFullWidth, waitWidth }
  from './lib/svc.mjs';

const FLOW_MS = 30_000;
const DEPENDENCY_DESCRIPTOR =
  'https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension';

await runScenario('av1-svc', {
  async run(context, options) {
    const room = roomName('av1');
    const browser = await context.browser();
    const alice = await Participant.open(browser, options.origin, 'alice');
    await alice.join(room);
    const published = await alice.publish({ codec: 'AV1', scalabilityMode: 'L3T3', maintainResolution: true,
      width: 1280, height: 720 }).catch((error) => ({ ok: false, error: String(error) }));
    if (!published.ok && /cannot send AV1/.test(published.error || '')) {
      context.result.skipped = 'this Chromium cannot send AV1: ' + published.error;
      return;
    }
    check(published.ok, 'alice: publishing failed: ' + published.error);
    context.result.dependencyDescriptorNegotiated = (published.answerSdp || '').includes(DEPENDENCY_DESCRIPTOR);
    const { bob, carol, trackId } = await joinBobAndCarol(browser, options.origin, room);

    const sent = await waitAliceFullWidth(alice, context.result, FLOW_MS);
    if (!/av1/i.test(sent.codec || '') || sent.scalabilityMode !== 'L3T3') {
      context.result.skipped = 'Chromium sends ' + sent.codec + ' in scalabilityMode ' + sent.scalabilityMode
        + ', not AV1 in L3T3';
      return;
    }
    check(context.result.dependencyDescriptorNegotiated, 'alice\'s answer does not carry the dependency descriptor',
      published.answerSdp);
    context.result.bobFull = await waitUntil('bob to decode frames 1280 px wide', FLOW_MS, async () => {
      const video = await videoIn(bob, alice.id);
      return video.frameWidth === 1280 ? video
        : { done: false, video, sfu: await sfuTrack(options.origin, room, 'bob', trackId) };
    });
    await waitUntil('the SFU to forward three spatial layers to bob', FLOW_MS, async () => {
      const track = await sfuTrack(options.origin, room, 'bob', trackId);
      return track.spatialLayer === 2 ? true : { done: false, track, alice: await encoderState(alice) };
    });

    const started = await waitUntil('carol to decode alice', FLOW_MS, async () => {
      const video = await videoIn(carol, alice.id);
      return video.framesDecoded > 0 ? video : { done: false, video };
    });
    await carol.signal({ type: 'setLayer', trackId, maxSpatialLayer: 0 });
    const sfu = await waitUntil('the SFU to forward spatial layer 0 to carol', 2 * SWITCH_MS, async () => {
      const track = await sfuTrack(options.origin, room, 'carol', trackId);
      return track.spatialLayer === 0 ? track : { done: false, track };
    });
    const reached = await waitWidth('carol after setLayer maxSpatialLayer 0', carol, alice, 320, 2 * SWITCH_MS);
    context.result.carol = { pliAtStart: started.pliCount, afterMs: reached.at - started.at,
      sfuSpatialLayer: sfu.spatialLayer, window: await measureDecoding('carol at 320 px', carol, bob, alice) };
    context.result.bob = { window: await measureDecoding('bob at 1280 px', bob, carol, alice) };
    await carol.close();
    await bob.close();
    await alice.close();
  },
});
