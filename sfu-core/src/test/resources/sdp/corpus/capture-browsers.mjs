/**
 * Captures publisher offers from the system's headless browsers into this folder (the offer corpus): Chromium
 * (/usr/bin/chromium, Debian package chromium, through playwright-core) and Firefox (/usr/bin/firefox-esr, Debian
 * package firefox-esr, started headless on the page; no automation protocol needed). Re-run from the repository
 * root after `npm ci`:
 *
 *     node sfu-core/src/test/resources/sdp/corpus/capture-browsers.mjs [chromium] [firefox]
 *
 * It serves one page from http://127.0.0.1:<ephemeral port>/ (a secure context, so getUserMedia works with the
 * browsers' fake camera and microphone); the page creates each offer, waits for ICE gathering, and posts the SDP
 * back, which is written as <browser>-<scenario>.sdp with the browser's own line ends. The browser's version goes
 * to versions.txt.
 */
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

// Runs in the page: every scenario resolves to the SDP text of a local offer, taken after ICE gathering.
const PAGE = `<!doctype html><title>offer capture</title><script>
async function gathered(pc) {
  await pc.setLocalDescription(await pc.createOffer());
  if (pc.iceGatheringState !== 'complete') {
    await new Promise((resolve) => pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') resolve();
    }));
  }
  const sdp = pc.localDescription.sdp;
  pc.close();
  return sdp;
}
const SCENARIOS = {
  // a camera and a microphone added as tracks, one BUNDLE transport
  'audio-video': async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    for (const track of stream.getTracks()) pc.addTrack(track, stream);
    return gathered(pc);
  },
  // sendonly audio and a video track in three simulcast encodings q (1/4), h (1/2), f
  'simulcast': async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 1280, height: 720 } });
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    pc.addTransceiver(stream.getAudioTracks()[0], { direction: 'sendonly', streams: [stream] });
    pc.addTransceiver(stream.getVideoTracks()[0], {
      direction: 'sendonly',
      streams: [stream],
      sendEncodings: [{ rid: 'q', scaleResolutionDownBy: 4 }, { rid: 'h', scaleResolutionDownBy: 2 }, { rid: 'f' }],
    });
    return gathered(pc);
  },
  // a camera and a microphone beside a data channel (which the SFU rejects) and a recvonly transceiver
  'tracks-and-data-channel': async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    for (const track of stream.getTracks()) pc.addTrack(track, stream);
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.createDataChannel('chat');
    return gathered(pc);
  },
};
(async () => {
  const results = {};
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    try {
      results[name] = await scenario();
    } catch (e) {
      results[name] = { error: String(e) };
    }
  }
  await fetch('/result', { method: 'POST', body: JSON.stringify(results) });
})();
</script>`;

const FIREFOX_PREFS = [
  'media.navigator.streams.fake', 'true', // a fake camera and microphone
  'media.navigator.permission.disabled', 'true',
  'media.peerconnection.ice.obfuscate_host_addresses', 'false', // host candidates as addresses, not mDNS names
  'browser.shell.checkDefaultBrowser', 'false',
  'datareporting.policy.dataSubmissionEnabled', 'false',
  'app.update.enabled', 'false',
];

/** Serves the page until it posts its results; resolves to them. */
async function servePage(startBrowser) {
  let resolveResults;
  const results = new Promise((resolve) => { resolveResults = resolve; });
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/result') {
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => { res.end('ok'); resolveResults(JSON.parse(body)); });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(PAGE);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const stop = await startBrowser(`http://127.0.0.1:${server.address().port}/`);
  const timeout = setTimeout(() => resolveResults({ error: 'no result within 60 s' }), 60_000);
  try {
    return await results;
  } finally {
    clearTimeout(timeout);
    await stop();
    server.close();
  }
}

async function chromium() {
  const { chromium: launcher } = await import('playwright-core');
  let version;
  const results = await servePage(async (url) => {
    const browser = await launcher.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
        '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns'],
    });
    version = `Chromium ${browser.version()} (headless, /usr/bin/chromium, through playwright-core)`;
    const page = await browser.newPage();
    await page.goto(url);
    return () => browser.close();
  });
  return { results, version };
}

async function firefox() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sfu-capture-firefox-'));
  const prefs = [];
  for (let i = 0; i < FIREFOX_PREFS.length; i += 2) {
    prefs.push(`user_pref("${FIREFOX_PREFS[i]}", ${FIREFOX_PREFS[i + 1]});`);
  }
  fs.writeFileSync(path.join(profile, 'user.js'), prefs.join('\n') + '\n');
  const version = await new Promise((resolve) => {
    const p = spawn('/usr/bin/firefox-esr', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.on('data', (chunk) => { out += chunk; });
    p.on('close', () => resolve(out.trim()));
  });
  const results = await servePage(async (url) => {
    const browser = spawn('/usr/bin/firefox-esr', ['--headless', '--no-remote', '--profile', profile, url],
      { stdio: 'ignore' });
    return async () => {
      browser.kill();
      await new Promise((resolve) => browser.on('close', resolve));
      fs.rmSync(profile, { recursive: true, force: true });
    };
  });
  return { results, version: `${version} (headless, /usr/bin/firefox-esr, fake media devices)` };
}

const BROWSERS = { chromium, firefox };
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(BROWSERS);
const versionsFile = path.join(here, 'versions.txt');
for (const name of wanted) {
  const { results, version } = await BROWSERS[name]();
  if (results.error) {
    throw new Error(`${name}: ${results.error}`);
  }
  for (const [scenario, sdp] of Object.entries(results)) {
    if (typeof sdp !== 'string') {
      console.log(`${name}-${scenario}: not captured: ${sdp.error}`);
      continue;
    }
    fs.writeFileSync(path.join(here, `${name}-${scenario}.sdp`), sdp);
    console.log(`${name}-${scenario}.sdp: ${sdp.split('\n').length - 1} lines`);
  }
  recordVersion(versionsFile, name, version);
}

/** Keeps one line per stack in versions.txt: "<stack>: <version>, captured on <date>". */
export function recordVersion(file, stack, version) {
  const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith(`${stack}:`)) : [];
  lines.push(`${stack}: ${version}, captured on ${new Date().toISOString().slice(0, 10)}`);
  fs.writeFileSync(file, lines.sort().join('\n') + '\n');
}
