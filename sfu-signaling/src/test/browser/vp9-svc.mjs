// VP9 spatial layers (SVC) through the SFU between real browsers: alice publishes her camera as VP9 with three
// spatial and three temporal layers in one stream (scalabilityMode L3T3, 1280x720). bob takes every layer; carol
// asks {"type":"setLayer","maxSpatialLayer":0} and decodes spatial layer 0 alone (a quarter of the width), then
// maxHeight 360 (layer 1, half the width), maxSpatialLayer 2 (the whole width) and 0 again, her decoder neither
// stalling nor asking for keyframes. alice's encoder leaves its upper layers out for a while when her uplink estimate
// or the machine is short, for every subscriber alike: carol is held to the lower of her layer and bob's. The SFU's
// stats report the spatial layer it forwards. Every wait is bounded. Needs the media engine.
//   node vp9-svc.mjs --url http://127.0.0.1:PORT [--probe]
// With --probe it only reports what Chromium sends (scalabilityMode, size) and what bob decodes.
import { check, log, Participant, roomName, runScenario, waitUntil } from './lib/harness.mjs';
import { sfuTrack, videoIn } from './lib/media.mjs';
import { encoderState as aliceState, joinBobAndCarol, measureDecoding as measure, SWITCH_MS, waitAliceFullWidth,
  waitWidth } from './lib/svc.mjs';

const FLOW_MS = 30_000;

await runScenario('vp9-svc', {
  options: { probe: { type: 'boolean' } },
  async run(context, options) {
    const room = roomName('svc');
    const browser = await context.browser();
    const alice = await Participant.open(browser, options.origin, 'alice');
    await alice.join(room);
    const published = await alice.publish({ codec: 'VP9', scalabilityMode: 'L3T3', maintainResolution: true,
      width: 1280, height: 720 });
    check(published.ok, 'alice: publishing failed: ' + published.error);
    const { bob, carol, trackId } = await joinBobAndCarol(browser, options.origin, room);

    // alice's own estimate ramps up before her encoder sends the top spatial layer
    const sent = await waitAliceFullWidth(alice, context.result, FLOW_MS);
    check(/vp9/i.test(sent.codec || ''), 'alice does not send VP9', sent);
    if (sent.scalabilityMode !== 'L3T3') {
      context.result.skipped = 'Chromium sends scalabilityMode ' + sent.scalabilityMode + ', not L3T3';
      return;
    }
    context.result.bobFull = await waitWidth('bob', bob, alice, 1280, FLOW_MS);
    if (options.probe) {
      context.result.bob = [];
      for (let i = 0; i < 4; i++) {
        context.result.bob.push(await measure('bob, probe ' + i, bob, bob, alice));
        log('alice ' + JSON.stringify(await aliceState(alice)));
      }
      return;
    }
    // alice's uplink estimate ramps up, and her encoder with it, before it sends its top layer steadily
    await waitUntil('the SFU to forward three spatial layers to bob', FLOW_MS, async () => {
      const track = await sfuTrack(options.origin, room, 'bob', trackId);
      return track.spatialLayer === 2 ? true : { done: false, track, alice: await aliceState(alice) };
    });

    const switches = [];
    context.result.switches = switches;
    for (const [preference, width, spatialLayer] of [[{ maxSpatialLayer: 0 }, 320, 0],
      [{ maxHeight: 360 }, 640, 1], [{ maxSpatialLayer: 2 }, 1280, 2], [{ maxSpatialLayer: 0 }, 320, 0]]) {
      const before = await videoIn(carol, alice.id);
      await carol.signal({ type: 'setLayer', trackId, ...preference });
      // the layer asked for, or the highest alice sends now if that is lower (bob's is what she sends)
      const sfu = await waitUntil('the SFU to forward spatial layer ' + spatialLayer + ' to carol', 2 * SWITCH_MS,
        async () => {
          const [track, bobs] = await Promise.all([sfuTrack(options.origin, room, 'carol', trackId),
            sfuTrack(options.origin, room, 'bob', trackId)]);
          return track.spatialLayer === Math.min(spatialLayer, bobs.spatialLayer) ? track
            : { done: false, track, bob: bobs.spatialLayer, alice: await aliceState(alice) };
        });
      const reached = await waitWidth('carol after setLayer ' + JSON.stringify(preference), carol, alice,
        sfu.spatialLayer === spatialLayer ? width : 320 << sfu.spatialLayer, 2 * SWITCH_MS);
      const window = await measure('carol at ' + width + ' px', carol, bob, alice);
      switches.push({ preference, width, spatialLayer, afterMs: reached.at - before.at, pliBefore: before.pliCount,
        sfuSpatialLayer: sfu.spatialLayer, window });
    }
    await carol.close();
    await bob.close();
    await alice.close();
  },
});
