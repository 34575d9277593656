// The demo page at / as a user sees it: each participant loads it, types a room and a name, presses Join; the
// page says it is in the room and shows a tile for itself (the camera) and one per other participant, labelled
// with their names. With --expect-media, the other participants' video plays in their tiles too (needs the media
// engine). Takes a screenshot of the first participant's page (for the README).
//   node demo-page.mjs --url http://127.0.0.1:PORT [--participants 1..4] [--expect-media] [--screenshot FILE]
import fs from 'node:fs';
import path from 'node:path';
import { check, log, roomName, runScenario, waitUntil } from './lib/harness.mjs';

const NAMES = ['alice', 'bob', 'carol', 'dave'];
const JOIN_MS = 10_000;
const MEDIA_MS = 15_000;

/** What the page shows: status line, tiles (id, label, video size, playing) and the page's own log. */
function readPage(page) {
  return page.evaluate(() => ({
    status: document.getElementById('status').textContent,
    tiles: [...document.querySelectorAll('#grid .tile')].map((tile) => {
      const video = tile.querySelector('video');
      return {
        id: tile.id,
        label: tile.querySelector('.label').textContent,
        videoWidth: video ? video.videoWidth : 0,
        videoHeight: video ? video.videoHeight : 0,
        currentTime: video ? video.currentTime : 0,
        hasStream: Boolean(video && video.srcObject),
      };
    }),
    log: document.getElementById('log').textContent.split('\n').filter((l) => l.length > 0),
  }));
}

await runScenario('demo-page', {
  options: {
    room: { type: 'string' },
    participants: { type: 'string' },
    'expect-media': { type: 'boolean' },
    screenshot: { type: 'string' },
  },
  async run(context, options) {
    const room = options.room || roomName('demo');
    const count = options.participants ? Number(options.participants) : 2;
    check(Number.isInteger(count) && count >= 1 && count <= NAMES.length, '--participants must be 1..'
      + NAMES.length);
    context.result.room = room;
    const browser = await context.browser();
    const pages = [];
    for (const name of NAMES.slice(0, count)) {
      const page = await browser.newPage(name);
      const response = await page.goto(options.origin + '/');
      check(response && response.ok(), name + ': the demo page did not load', response && response.status());
      await page.fill('#room', room);
      await page.fill('#identity', name);
      await page.click('#joinButton');
      const expected = 'in room ' + room + ' as ' + name;
      await waitUntil(name + "'s page to say '" + expected + "'", JOIN_MS, async () => {
        const status = await page.textContent('#status');
        return status === expected ? true : { done: false, status };
      });
      log(name + ' joined through the demo page');
      pages.push({ name, page });
    }

    // every page: its own tile, and one tile per other participant with that participant's name
    for (const { name, page } of pages) {
      const others = NAMES.slice(0, count).filter((n) => n !== name);
      await waitUntil(name + "'s page to show tiles for " + (others.join(', ') || 'itself'), JOIN_MS, async () => {
        const seen = await readPage(page);
        const labels = seen.tiles.filter((t) => t.id !== 'tile-self').map((t) => t.label.split(' ')[0]).sort();
        const self = seen.tiles.find((t) => t.id === 'tile-self');
        return self && self.videoWidth > 0 && labels.join() === others.sort().join() ? true
          : { done: false, tiles: seen.tiles };
      });
    }

    if (options['expect-media']) {
      for (const { name, page } of pages) {
        await waitUntil(name + "'s page to play the other participants' video", MEDIA_MS, async () => {
          const seen = await readPage(page);
          const remote = seen.tiles.filter((t) => t.id !== 'tile-self');
          return remote.length === count - 1 && remote.every((t) => t.videoWidth > 0 && t.currentTime > 0)
            ? true : { done: false, tiles: remote };
        });
      }
    }

    context.result.pages = {};
    for (const { name, page } of pages) context.result.pages[name] = await readPage(page);
    if (options.screenshot) {
      const file = path.resolve(options.screenshot);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      await pages[0].page.screenshot({ path: file, fullPage: true });
      context.result.screenshot = file;
      log('screenshot: ' + file);
    }
    // leave through the UI, like a user
    await pages[0].page.click('#leave');
    await waitUntil(pages[0].name + "'s page to say it is disconnected", JOIN_MS, async () =>
      (await pages[0].page.textContent('#status')).startsWith('disconnected'));
    context.result.afterLeave = (await pages[0].page.textContent('#status'));
  },
});
