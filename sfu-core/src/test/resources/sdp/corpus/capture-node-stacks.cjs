/**
 * Captures publisher offers from three WebRTC stacks that npm serves as Node.js packages into this folder (the offer
 * corpus): libdatachannel (node-datachannel), werift (a TypeScript stack) and libwebrtc (@roamhq/wrtc, the native
 * library Chromium is built on). Install them anywhere outside the repository and point CAPTURE_MODULES at the
 * node_modules folder, then run from the repository root:
 *
 *     npm install --prefix /tmp/sfu-capture node-datachannel@0.33.4 werift@0.25.2 @roamhq/wrtc@0.10.0
 *     CAPTURE_MODULES=/tmp/sfu-capture/node_modules node sfu-core/src/test/resources/sdp/corpus/capture-node-stacks.cjs
 *
 * Each offer is taken once ICE gathering completed and written as <stack>-<scenario>.sdp with the stack's own line
 * ends; the package versions go to versions.txt.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const modules = process.env.CAPTURE_MODULES;
if (!modules) {
  console.error('set CAPTURE_MODULES to the node_modules folder holding node-datachannel, werift and @roamhq/wrtc');
  process.exit(2);
}
const load = (name) => require(path.join(modules, name));
const versionOf = (name) => JSON.parse(fs.readFileSync(path.join(modules, name, 'package.json'), 'utf8')).version;

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no offer in 30 s`)), 30_000); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** libdatachannel: audio (Opus) and video (VP8, H.264) tracks as its media API builds them, and a data channel. */
const libdatachannel = {
  package: 'node-datachannel',
  scenarios: {
    'audio-video': (ndc) => new Promise((resolve) => {
      const pc = new ndc.PeerConnection('capture', { iceServers: [] });
      const audio = new ndc.Audio('0', 'SendOnly');
      audio.addOpusCodec(111);
      audio.addSSRC(0x1a2b3c4d, 'capture-cname', 'capture-stream', 'capture-audio');
      const video = new ndc.Video('1', 'SendOnly');
      video.addVP8Codec(96);
      video.addH264Codec(102);
      video.addSSRC(0x5e6f7a8b, 'capture-cname', 'capture-stream', 'capture-video');
      pc.addTrack(audio);
      pc.addTrack(video);
      pc.onGatheringStateChange((state) => {
        if (state === 'complete') {
          const sdp = pc.localDescription().sdp;
          pc.close();
          resolve(sdp);
        }
      });
      pc.setLocalDescription();
    }),
    'audio-video-data-channel': (ndc) => new Promise((resolve) => {
      const pc = new ndc.PeerConnection('capture', { iceServers: [] });
      const audio = new ndc.Audio('0', 'SendOnly');
      audio.addOpusCodec(111);
      audio.addSSRC(0x0badcafe, 'capture-cname');
      const video = new ndc.Video('1', 'SendOnly');
      video.addH264Codec(102);
      video.addSSRC(0x0c0ffee0, 'capture-cname');
      pc.addTrack(audio);
      pc.addTrack(video);
      pc.createDataChannel('chat');
      pc.onGatheringStateChange((state) => {
        if (state === 'complete') {
          const sdp = pc.localDescription().sdp;
          pc.close();
          resolve(sdp);
        }
      });
    }),
  },
  cleanup: (ndc) => ndc.cleanup(),
};

/** werift: transceivers with its default codecs (Opus, PCMU; VP8), as a server-side application adds them. */
const werift = {
  package: 'werift',
  scenarios: {
    'audio-video': async (w) => {
      const pc = new w.RTCPeerConnection({});
      pc.addTransceiver('audio', { direction: 'sendonly' });
      pc.addTransceiver('video', { direction: 'sendonly' });
      await pc.setLocalDescription(await pc.createOffer());
      await new Promise((resolve) => {
        if (pc.iceGatheringState === 'complete') resolve();
        pc.iceGatheringStateChange.subscribe((state) => { if (state === 'complete') resolve(); });
      });
      const sdp = pc.localDescription.sdp;
      await pc.close();
      return sdp;
    },
  },
};

/** libwebrtc: tracks from its non-standard sources, the way a native application feeds frames. */
const libwebrtc = {
  package: '@roamhq/wrtc',
  scenarios: {
    'audio-video': async (wrtc) => {
      const pc = new wrtc.RTCPeerConnection({ bundlePolicy: 'max-bundle' });
      const audio = new wrtc.nonstandard.RTCAudioSource().createTrack();
      const video = new wrtc.nonstandard.RTCVideoSource().createTrack();
      const stream = new wrtc.MediaStream([audio, video]);
      pc.addTrack(audio, stream);
      pc.addTrack(video, stream);
      await pc.setLocalDescription(await pc.createOffer());
      await new Promise((resolve) => {
        if (pc.iceGatheringState === 'complete') resolve();
        pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === 'complete') resolve(); };
      });
      const sdp = pc.localDescription.sdp;
      audio.stop();
      video.stop();
      pc.close();
      return sdp;
    },
  },
};

const STACKS = { libdatachannel, werift, libwebrtc };

function recordVersion(stack, version) {
  const file = path.join(__dirname, 'versions.txt');
  const lines = fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith(`${stack}:`)) : [];
  lines.push(`${stack}: ${version}, captured on ${new Date().toISOString().slice(0, 10)}`);
  fs.writeFileSync(file, lines.sort().join('\n') + '\n');
}

(async () => {
  const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(STACKS);
  for (const name of wanted) {
    const stack = STACKS[name];
    const lib = load(stack.package);
    for (const [scenario, capture] of Object.entries(stack.scenarios)) {
      const sdp = await withTimeout(capture(lib), `${name}-${scenario}`);
      fs.writeFileSync(path.join(__dirname, `${name}-${scenario}.sdp`), sdp);
      console.log(`${name}-${scenario}.sdp: ${sdp.split('\n').length - 1} lines`);
    }
    if (stack.cleanup) {
      stack.cleanup(lib);
    }
    recordVersion(name, `npm ${stack.package} ${versionOf(stack.package)}`);
  }
  // native stacks keep threads alive after their peer connections close
  process.exit(0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
