// ICE restart from a real browser (RFC 8445 §9): a publisher connects, calls restartIce() and renegotiates; the
// SFU answers with new ICE credentials, the connection moves to them, and media keeps flowing both ways.
//   node ice-restart.mjs --url http://127.0.0.1:PORT [--room NAME]
import { check, log, roomName, runScenario, waitUntil } from './lib/harness.mjs';

const PAGE_CODE = `
window.restartTest = {
  async start(room) {
    const ws = new WebSocket(location.origin.replace('http', 'ws') + '/v1/rtc?room=' + room + '&identity=mover');
    const pc = new RTCPeerConnection();
    this.ws = ws; this.pc = pc; this.errors = [];
    ws.onmessage = async (m) => {
      const msg = JSON.parse(m.data);
      if (msg.type === 'answer' && msg.pc === 'publisher') {
        await pc.setRemoteDescription({ type: 'answer', sdp: msg.sdp });
        this.answered(msg.sdp);
      } else if (msg.type === 'error') {
        this.errors.push(msg.code + ': ' + msg.message);
      }
    };
    await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240 } });
    stream.getTracks().forEach((t) => pc.addTransceiver(t, { direction: 'sendonly', streams: [stream] }));
  },
  async negotiate() {
    const answer = new Promise((resolve) => { this.answered = resolve; });
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    this.ws.send(JSON.stringify({ type: 'offer', pc: 'publisher', sdp: offer.sdp }));
    const sdp = await answer;
    return { offerUfrag: /a=ice-ufrag:(\\S+)/.exec(offer.sdp)[1], answerUfrag: /a=ice-ufrag:(\\S+)/.exec(sdp)[1] };
  },
  restart() { this.pc.restartIce(); },
  async transport() {
    const out = { state: this.pc.connectionState, errors: this.errors };
    (await this.pc.getStats()).forEach((r) => {
      if (r.type === 'transport') {
        Object.assign(out, { ice: r.iceState, dtls: r.dtlsState, bytesSent: r.bytesSent,
          bytesReceived: r.bytesReceived, localUfrag: r.iceLocalUsernameFragment });
      }
    });
    return out;
  },
};
`;

await runScenario('ice-restart', {
  options: { room: { type: 'string' } },
  async run(context, options) {
    const room = options.room || roomName('restart');
    const browser = await context.browser();
    const page = await browser.newPage('mover');
    const response = await page.goto(options.origin + '/');
    check(response && response.ok(), 'the SFU origin did not load', response && response.status());
    await page.addScriptTag({ content: PAGE_CODE });
    await page.evaluate((r) => window.restartTest.start(r), room);

    const first = await page.evaluate(() => window.restartTest.negotiate());
    const connected = await waitUntil('the publisher to connect', 15_000, async () => {
      const t = await page.evaluate(() => window.restartTest.transport());
      return t.state === 'connected' && t;
    });
    const before = await waitUntil('media to flow both ways before the restart', 15_000, async () => {
      const t = await page.evaluate(() => window.restartTest.transport());
      return t.bytesSent > connected.bytesSent && t.bytesReceived > connected.bytesReceived && t;
    });
    log('connected with SFU ufrag ' + first.answerUfrag);

    await page.evaluate(() => window.restartTest.restart());
    const second = await page.evaluate(() => window.restartTest.negotiate());
    log('restarted: SFU ufrag ' + second.answerUfrag);
    // media keeps flowing both ways on the new credentials: the counters pass where they stood before the restart
    const after = await waitUntil('media to flow on the new credentials', 15_000, async () => {
      const t = await page.evaluate(() => window.restartTest.transport());
      return t.state === 'connected' && t.localUfrag === second.offerUfrag && t.bytesSent > before.bytesSent
        && t.bytesReceived > before.bytesReceived && t;
    });
    context.result.first = first;
    context.result.second = second;
    context.result.before = before;
    context.result.after = after;
  },
});
