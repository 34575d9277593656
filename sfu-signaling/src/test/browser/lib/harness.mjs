// The Node side of the browser tests: one headless Chromium (the system's /usr/bin/chromium, driven by
// playwright-core) with a fresh profile, pages on the SFU's own origin, bounded waits, and the one-JSON-line
// result protocol the JUnit runners read: stdout carries exactly one JSON object, logs go to stderr, and the exit
// code is 0 only when the scenario passed.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs as parseNodeArgs } from 'node:util';

export const CHROMIUM = '/usr/bin/chromium';

/** Exactly the flags of DEPENDENCIES.md ("Real WebRTC clients"); the profile and the pipe are added per launch. */
export const CHROMIUM_FLAGS = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
]);

/** At most this many pages at once: each costs about a quarter of a core, and the machine has two. */
export const MAX_PAGES = 4;

const PAGE_CLIENT = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'page-client.mjs'),
  'utf8');
// the module's exports, made reachable from page.evaluate
const CLIENT_SCRIPT = PAGE_CLIENT + '\nwindow.sfuClient = { join, joinWithToken, publish, signal, enableCamera, leave, '
  + 'relayOnly, events, negotiations, '
  + 'publishResults, stats, close, sendTestMessages, sendData, dataReceived };\n';
// a small document the SFU itself serves: a page whose content came from elsewhere (Playwright's request
// interception) counts as public to Chromium's local network access checks, which then block the WebSocket
const BLANK_PATH = '/healthz';

export function log(...parts) {
  process.stderr.write('[' + new Date().toISOString().slice(11, 23) + '] ' + parts.join(' ') + '\n');
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Reads `--url` (required: the SFU's HTTP origin) and the scenario's own options, given as node:util parseArgs
 * option specs. Throws with a usage message on anything else.
 */
export function parseArgs(options = {}) {
  const { values } = parseNodeArgs({
    args: process.argv.slice(2),
    options: { url: { type: 'string' }, 'timeout-ms': { type: 'string' }, ...options },
    strict: true,
    allowPositionals: false,
  });
  if (!values.url) throw new Error('usage: node ' + path.basename(process.argv[1]) + ' --url http://127.0.0.1:PORT');
  const url = new URL(values.url);
  if (url.protocol !== 'http:') throw new Error('--url must be an http:// origin: ' + values.url);
  values.origin = url.origin;
  values.timeoutMs = values['timeout-ms'] ? Number(values['timeout-ms']) : 75_000;
  if (!(values.timeoutMs > 0)) throw new Error('--timeout-ms must be a positive number');
  return values;
}

/**
 * Polls `probe` (an async function returning a truthy value when done) every `intervalMs` until it answers or
 * `timeoutMs` passes; then throws, naming `what` and the last value `describe` makes of the last probe.
 */
export async function waitUntil(what, timeoutMs, probe, { intervalMs = 250, describe } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await probe();
    if (last && last.done !== false) return last;
    if (Date.now() >= deadline) {
      const seen = describe ? describe(last) : last;
      throw new ScenarioError('timed out after ' + timeoutMs + ' ms waiting for ' + what
        + (seen === undefined ? '' : '; last seen: ' + JSON.stringify(seen)));
    }
    await sleep(Math.min(intervalMs, Math.max(1, deadline - Date.now())));
  }
}

/** A failed expectation: its message is the result's `error`. */
export class ScenarioError extends Error {}

export function check(condition, message, details) {
  if (!condition) {
    throw new ScenarioError(message + (details === undefined ? '' : ': ' + JSON.stringify(details)));
  }
}

/**
 * One Chromium with its own fresh profile directory, removed on close; with `netns`, started inside that network
 * namespace (through `ip netns exec`, which needs root), so that its traffic crosses the test's own link. A page
 * there reaches the SFU at the link's address, not at 127.0.0.1, so it is no secure context and has no camera:
 * `secureOrigin` names that origin for Chromium to treat as secure.
 */
export class Browser {
  static async launch({ netns = null, secureOrigin = null, trustSpki = null } = {}) {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sfu-chromium-'));
    let executablePath = CHROMIUM;
    if (netns) {
      if (!/^[A-Za-z0-9_.-]+$/.test(netns)) throw new Error('not a network namespace name: ' + netns);
      // Playwright runs one executable with the flags: a wrapper in the profile directory enters the namespace
      executablePath = path.join(profile, 'chromium-in-' + netns);
      fs.writeFileSync(executablePath, '#!/bin/sh\nexec ip netns exec ' + netns + ' ' + CHROMIUM + ' "$@"\n',
        { mode: 0o755 });
    }
    const secure = secureOrigin ? ['--unsafely-treat-insecure-origin-as-secure=' + new URL(secureOrigin).origin] : [];
    // a test certificate the browser accepts (TURN over TLS): named by the base64 SHA-256 of its public key
    if (trustSpki) secure.push('--ignore-certificate-errors-spki-list=' + trustSpki);
    let browser;
    try {
      browser = await chromium.launch({
        executablePath,
        // the flags are exactly ours: Playwright's defaults are left out, only its control pipe is added
        ignoreDefaultArgs: true,
        args: [...CHROMIUM_FLAGS, ...secure, '--user-data-dir=' + profile, '--remote-debugging-pipe',
          '--no-startup-window'],
        timeout: 30_000,
        // Node's signal handlers below close the browser; Playwright's own would race them
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
    } catch (e) {
      fs.rmSync(profile, { recursive: true, force: true });
      throw e;
    }
    return new Browser(browser, profile);
  }

  constructor(browser, profile) {
    this.browser = browser;
    this.profile = profile;
    this.pages = new Set();
    this.closed = false;
  }

  /** A new page in a context of its own (its own storage), counted against {@link MAX_PAGES}. */
  async newPage(name) {
    if (this.pages.size >= MAX_PAGES) throw new Error('more than ' + MAX_PAGES + ' pages at once');
    const context = await this.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const entry = { page, context, name };
    this.pages.add(entry);
    page.on('pageerror', (error) => log(name + ' page error: ' + error.message));
    page.on('console', (message) => {
      const noise = (message.location().url || '').endsWith('/favicon.ico');
      if (!noise && (message.type() === 'error' || message.type() === 'warning')) {
        log(name + ' console ' + message.type() + ': ' + message.text());
      }
    });
    page.on('close', () => this.pages.delete(entry));
    return page;
  }

  /** Closes a page and its context (its sockets and peer connections go with it). */
  async closePage(page) {
    for (const entry of this.pages) {
      if (entry.page === page) {
        this.pages.delete(entry);
        await entry.context.close();
      }
    }
  }

  /** Closes the browser (bounded) and removes its profile. Idempotent. */
  async close() {
    if (this.closed) return;
    this.closed = true;
    try {
      let timer;
      await Promise.race([this.browser.close(), new Promise((resolve) => {
        timer = setTimeout(resolve, 10_000);
      })]);
      clearTimeout(timer);
    } catch (e) {
      log('closing the browser failed: ' + e.message);
    }
    fs.rmSync(this.profile, { recursive: true, force: true });
  }
}

/**
 * A participant: a page of the SFU's origin (http://127.0.0.1:PORT is a secure context, so getUserMedia works)
 * with the test client module added to it; nothing else runs in the page.
 */
export class Participant {
  static async open(browser, origin, identity) {
    const page = await browser.newPage(identity);
    const response = await page.goto(origin + BLANK_PATH);
    check(response && response.ok(), identity + ': ' + origin + BLANK_PATH + ' did not load',
      response && response.status());
    await page.addScriptTag({ type: 'module', content: CLIENT_SCRIPT });
    await page.waitForFunction(() => window.sfuClient !== undefined, null, { timeout: 10_000 });
    return new Participant(browser, page, identity);
  }

  constructor(browser, page, identity) {
    this.browser = browser;
    this.page = page;
    this.identity = identity;
    this.id = null;
    this.open = true;
  }

  async join(room, timeoutMs = 10_000, extraQuery = '') {
    const result = await this.page.evaluate(([r, i, t, q]) => window.sfuClient.join(r, i, t, q),
      [room, this.identity, timeoutMs, extraQuery]);
    check(result.ok, this.identity + ' could not join room ' + room + ': ' + result.error, result.closed);
    this.id = result.joined.participant.id;
    return result.joined;
  }

  /** Joins with a token (secret mode): the token names the room and the identity. */
  async joinWithToken(token, timeoutMs = 10_000) {
    const result = await this.page.evaluate(([k, t]) => window.sfuClient.joinWithToken(k, t), [token, timeoutMs]);
    check(result.ok, this.identity + ' could not join with its token: ' + result.error, result.closed);
    this.id = result.joined.participant.id;
    return result.joined;
  }

  /**
   * Publishes; returns the page's record (ok, error, offerSdp, answerSdp, answeredInMs). `maintainResolution`
   * keeps the encoder from scaling the picture down when the machine is busy (degradationPreference); `width`
   * and `height` size the camera (Chromium sends three simulcast layers from 960x540 up, two below);
   * `encodings` replaces the simulcast encodings (rid q/h/f at a quarter, half and full size, 150/500/1,500 kbit/s);
   * `ssrcSimulcast` signals three layers by SSRCs (`a=ssrc-group:SIM`) instead of rids; `codec` names the video
   * codec to prefer ('VP8') and `scalabilityMode` the one encoding's ('L1T3').
   */
  publish({ simulcast = false, timeoutMs = 15_000, maintainResolution = false, width = 640, height = 480,
    encodings = null, ssrcSimulcast = false, codec = null, scalabilityMode = null, media = true,
    dataChannels = [] } = {}) {
    return this.page.evaluate(([s, t, o]) => window.sfuClient.publish(s, t, o),
      [simulcast, timeoutMs, { maintainResolution, width, height, encodings, ssrcSimulcast, codec,
        scalabilityMode, media, dataChannels }]);
  }

  /**
   * Sends `count` test messages on the published data channel `label` (1 byte to `maxBytes`, binary and text);
   * returns {ok, sentMs, hashes}.
   */
  sendTestMessages(label, count, maxBytes, seed, timeoutMs = 60_000) {
    return this.page.evaluate(([l, c, m, s, t]) => window.sfuClient.sendTestMessages(l, c, m, s, t),
      [label, count, maxBytes, seed, timeoutMs]);
  }

  /** Sends one text on the published data channel `label`. */
  sendData(label, text, timeoutMs = 10_000) {
    return this.page.evaluate(([l, x, t]) => window.sfuClient.sendData(l, x, t), [label, text, timeoutMs]);
  }

  /** What arrived on the channels the SFU opened toward this page, by label (hashes on request). */
  dataReceived(withHashes = false) {
    return this.page.evaluate((w) => window.sfuClient.dataReceived(w), withHashes);
  }

  events() {
    return this.page.evaluate(() => window.sfuClient.events());
  }

  /** Both peer connections from now on only through the TURN server of `joined` (iceTransportPolicy "relay"). */
  /** Relay only; with `scheme` ('turns:'), through the TURN URLs of that scheme alone. */
  relayOnly(scheme = null) {
    return this.page.evaluate((s) => window.sfuClient.relayOnly(s), scheme);
  }

  /** Sends a signaling message from the page. */
  signal(message) {
    return this.page.evaluate((m) => window.sfuClient.signal(m), message);
  }

  enableCamera(enabled) {
    return this.page.evaluate((e) => window.sfuClient.enableCamera(e), enabled);
  }

  negotiations(withSdp = false) {
    return this.page.evaluate((w) => window.sfuClient.negotiations(w), withSdp);
  }

  stats() {
    return this.page.evaluate(() => window.sfuClient.stats());
  }

  leave(timeoutMs = 5_000) {
    return this.page.evaluate((t) => window.sfuClient.leave(t), timeoutMs);
  }

  /** Closes the page like a user closing the tab: no `leave`, the socket just goes away. */
  async close() {
    if (!this.open) return;
    this.open = false;
    await this.browser.closePage(this.page);
  }
}

/**
 * Runs a scenario: `body(context)` with `context.browser()` launching the (one) browser lazily. Prints one JSON
 * line `{scenario, ok, error?, ...result}` on stdout and sets the exit code. Closes the browser and removes its
 * profile in every case: success, failure, the overall deadline (`--timeout-ms`) and SIGTERM/SIGINT.
 */
export async function runScenario(scenario, body) {
  const started = Date.now();
  let browser = null;
  const namespaced = new Map();
  let finished = false;
  const context = {
    result: {},
    async browser() {
      if (!browser) browser = await Browser.launch();
      return browser;
    },
    /**
     * A second browser, inside network namespace `netns` (one per namespace); with `secureOrigin`, its pages there
     * may use the camera and microphone (see {@link Browser.launch}).
     */
    async browserIn(netns, { secureOrigin = null, trustSpki = null } = {}) {
      if (!namespaced.has(netns)) namespaced.set(netns, await Browser.launch({ netns, secureOrigin, trustSpki }));
      return namespaced.get(netns);
    },
  };
  const finish = async (error) => {
    if (finished) return;
    finished = true;
    if (browser) await browser.close();
    for (const b of namespaced.values()) await b.close();
    const output = { scenario, ok: !error, ...context.result, elapsedMs: Date.now() - started };
    if (error) {
      output.error = error instanceof ScenarioError ? error.message : String(error && error.stack || error);
      log(scenario + ' FAILED: ' + output.error);
    }
    process.stdout.write(JSON.stringify(output) + '\n');
    process.exitCode = error ? 1 : 0;
  };
  let options;
  try {
    options = parseArgs(body.options || {});
  } catch (e) {
    await finish(new ScenarioError('bad arguments: ' + e.message));
    process.exitCode = 2;
    return;
  }
  const deadline = setTimeout(async () => {
    await finish(new ScenarioError('the scenario did not finish within ' + options.timeoutMs + ' ms'));
    process.exit();
  }, options.timeoutMs);
  const onSignal = async (signal) => {
    await finish(new ScenarioError('stopped by ' + signal));
    process.exit();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    await body.run(context, options);
    await finish(null);
  } catch (e) {
    await finish(e);
  } finally {
    clearTimeout(deadline);
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
  }
}

/** A room name of its own for each run, so reruns against one server never meet. */
export function roomName(prefix) {
  return prefix + '-' + Math.random().toString(36).slice(2, 8);
}
