/**
 * Captures real SDP offers (and one answer) from the system's headless Chromium into this folder (the test fixtures of
 * io.sfu.core.sdp). Re-run from the repository root after `npm ci`:
 *
 *     node sfu-core/src/test/resources/sdp/capture-chromium-offers.mjs
 *
 * It serves a blank page from http://127.0.0.1:<ephemeral port>/ (a secure context, so getUserMedia works with the
 * fake camera and microphone), creates each offer, and writes <name>.sdp with the browser's own CRLF line ends.
 * Offers after ICE gathering hold the host candidates of the capturing machine. Writes chromium-version.txt too.
 */
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns',
];

// Each scenario runs in the page and resolves to the SDP text of the local offer.
const SCENARIOS = {
  // (1) a publisher: camera and microphone tracks, offer taken after ICE gathering completed (with candidates)
  'chromium-audio-video-gathered': async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    for (const track of stream.getTracks()) pc.addTrack(track, stream);
    await pc.setLocalDescription(await pc.createOffer());
    if (pc.iceGatheringState !== 'complete') {
      await new Promise((resolve) => pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') resolve();
      }));
    }
    return pc.localDescription.sdp;
  },
  // (2) a simulcast publisher: audio plus video with three encodings q (1/4), h (1/2), f (full)
  'chromium-simulcast': async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 1280, height: 720 } });
    const pc = new RTCPeerConnection();
    pc.addTransceiver(stream.getAudioTracks()[0], { direction: 'sendonly', streams: [stream] });
    pc.addTransceiver(stream.getVideoTracks()[0], {
      direction: 'sendonly',
      streams: [stream],
      sendEncodings: [
        { rid: 'q', scaleResolutionDownBy: 4 },
        { rid: 'h', scaleResolutionDownBy: 2 },
        { rid: 'f' },
      ],
    });
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    return offer.sdp;
  },
  // (3) variants: trackless transceivers by kind (recvonly, sendrecv, inactive), a data channel, max-bundle
  'chromium-variants-max-bundle': async () => {
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('video', { direction: 'sendrecv' });
    pc.addTransceiver('audio', { direction: 'inactive' });
    pc.createDataChannel('chat');
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    return offer.sdp;
  },
  // (4) the receiving side: a second connection's answer to a simulcast offer; this Chromium does not accept
  //     simulcast reception, so it answers recvonly without rid or simulcast lines
  'chromium-simulcast-answer': async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 1280, height: 720 } });
    const sender = new RTCPeerConnection();
    sender.addTransceiver(stream.getAudioTracks()[0], { direction: 'sendonly', streams: [stream] });
    sender.addTransceiver(stream.getVideoTracks()[0], {
      direction: 'sendonly',
      streams: [stream],
      sendEncodings: [{ rid: 'q', scaleResolutionDownBy: 4 }, { rid: 'h', scaleResolutionDownBy: 2 }, { rid: 'f' }],
    });
    const offer = await sender.createOffer();
    await sender.setLocalDescription(offer);
    const receiver = new RTCPeerConnection();
    await receiver.setRemoteDescription(offer);
    const answer = await receiver.createAnswer();
    await receiver.setLocalDescription(answer);
    return answer.sdp;
  },
};

const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end('<!doctype html><title>sdp capture</title>');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/`;

// launch() gives every run a fresh temporary profile (the --user-data-dir of the flag list)
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
try {
  const page = await browser.newPage();
  await page.goto(url);
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    const sdp = await page.evaluate(scenario);
    const normalized = sdp.replace(/\r?\n/g, '\r\n');
    fs.writeFileSync(path.join(here, `${name}.sdp`), normalized);
    console.log(`${name}.sdp: ${normalized.split('\r\n').length - 1} lines`);
  }
  const version = `Captured with Chromium ${browser.version()} (headless, /usr/bin/chromium) `
    + `via playwright-core, on ${new Date().toISOString().slice(0, 10)}.\n`;
  fs.writeFileSync(path.join(here, 'chromium-version.txt'), version);
  console.log(version.trim());
} finally {
  await browser.close();
  server.close();
}
