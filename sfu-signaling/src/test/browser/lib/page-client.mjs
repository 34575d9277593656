// Test client of the SFU's signaling API (API.md), running inside a Chromium page of the SFU's own origin.
// One participant per page: a WebSocket, a publisher RTCPeerConnection (the client offers) and a subscriber
// RTCPeerConnection (the SFU offers). Every wait is bounded; failures are returned as data, not thrown past the
// page, so the Node side can report what it saw.

const ROOM_EVENTS = new Set(['participantJoined', 'participantLeft', 'trackPublished', 'trackUnpublished',
  'trackMuted']);

const state = {
  ws: null,
  joined: null,
  closed: null, // {code, reason} once the socket closed
  events: [], // room events and errors, in arrival order, each with `at` (ms since the page's time origin)
  waiters: [], // {match, resolve}
  local: null,
  publisher: null,
  publisherResults: [],
  subscriber: null,
  subscriberQueue: Promise.resolve(),
  subscriberNegotiations: [], // {at, ok, error?, offerSdp, answerSdp?}
  tracksByMid: new Map(), // subscriber mid -> {participantId, trackId, kind}
  candidatesSent: { publisher: 0, subscriber: 0 },
  relayOnly: false, // both connections through the TURN server `joined` names, and nothing else
  relayScheme: null, // with relayOnly: only the URLs of this scheme ('turns:'), or every one
  dataOut: new Map(), // label -> RTCDataChannel this page publishes (on its publisher connection)
  dataIn: new Map(), // label -> {channel, count, bytes, binary, text, hashes, texts, openAt, lastAt}
};

/**
 * From now on both peer connections reach the SFU only through the TURN server of `joined.iceServers`
 * (iceTransportPolicy "relay"), as a client behind a network that lets out only its proxy-like port would.
 */
export function relayOnly(scheme = null) {
  state.relayOnly = true;
  state.relayScheme = scheme;
}

/** The RTCPeerConnection configuration: the default, or relay-only through the SFU's TURN server. */
function peerConnectionConfig() {
  if (!state.relayOnly) return {};
  const servers = (state.joined && state.joined.iceServers) || [];
  const scheme = state.relayScheme;
  return {
    iceServers: scheme ? servers.map((s) => ({ ...s, urls: s.urls.filter((u) => u.startsWith(scheme)) })) : servers,
    iceTransportPolicy: 'relay',
  };
}

function now() {
  return Math.round(performance.now());
}

function send(message) {
  if (!state.ws || state.ws.readyState !== WebSocket.OPEN) {
    throw new Error('the signaling socket is not open (message ' + message.type + ')');
  }
  state.ws.send(JSON.stringify(message));
}

/** Resolves with the first message (from now on) that `match` accepts, or null after `timeoutMs`. */
function nextMessage(match, timeoutMs) {
  return new Promise((resolve) => {
    const waiter = { match, resolve: null };
    const timer = setTimeout(() => {
      state.waiters = state.waiters.filter((w) => w !== waiter);
      resolve(null);
    }, timeoutMs);
    waiter.resolve = (message) => {
      clearTimeout(timer);
      resolve(message);
    };
    state.waiters.push(waiter);
  });
}

function withTimeout(promise, timeoutMs, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(what + ' did not finish within ' + timeoutMs + ' ms')), timeoutMs);
    }),
  ]);
}

function onMessage(message) {
  message.at = now();
  if (ROOM_EVENTS.has(message.type) || message.type === 'error') {
    state.events.push(message);
  }
  for (const waiter of [...state.waiters]) {
    if (waiter.match(message)) {
      state.waiters = state.waiters.filter((w) => w !== waiter);
      waiter.resolve(message);
    }
  }
  if (message.type === 'offer' && message.pc === 'subscriber') {
    onSubscriberOffer(message.sdp);
  } else if (message.type === 'candidate' && message.candidate) {
    // the SFU's SDP carries its candidates; one trickled all the same is applied
    const pc = message.pc === 'publisher' ? state.publisher : state.subscriber;
    if (pc) pc.addIceCandidate(message.candidate).catch(() => {});
  }
}

function trickle(pc, role) {
  pc.addEventListener('icecandidate', (event) => {
    // null ends gathering; the SFU takes a null candidate as end-of-candidates
    const candidate = event.candidate ? event.candidate.toJSON() : null;
    try {
      send({ type: 'candidate', pc: role, candidate });
      state.candidatesSent[role]++;
    } catch (e) {
      // the socket closed while gathering: nothing left to tell
    }
  });
}

/**
 * Opens the signaling socket of the page's origin with the dev-mode query and waits for `joined`.
 * Returns {ok, joined} or {ok: false, error, closed}.
 */
export async function join(room, identity, timeoutMs, extraQuery = '') {
  return open('?room=' + encodeURIComponent(room) + '&identity=' + encodeURIComponent(identity) + extraQuery,
    timeoutMs);
}

/** As `join`, in secret mode: the token names the room and the identity. */
export async function joinWithToken(token, timeoutMs) {
  return open('?token=' + encodeURIComponent(token), timeoutMs);
}

async function open(query, timeoutMs) {
  const url = 'ws://' + location.host + '/v1/rtc' + query;
  const ws = new WebSocket(url);
  state.ws = ws;
  const joinedOrClosed = new Promise((resolve) => {
    ws.addEventListener('message', (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        state.events.push({ type: 'unparsable', data: String(event.data).slice(0, 200), at: now() });
        return;
      }
      if (message.type === 'joined' && !state.joined) {
        state.joined = message;
        resolve();
      }
      onMessage(message);
    });
    ws.addEventListener('close', (event) => {
      state.closed = { code: event.code, reason: event.reason, at: now() };
      for (const waiter of state.waiters.splice(0)) waiter.resolve(null);
      resolve();
    });
  });
  try {
    await withTimeout(joinedOrClosed, timeoutMs, 'the join');
  } catch (e) {
    return { ok: false, error: String(e.message || e) };
  }
  if (!state.joined) {
    return { ok: false, error: 'the socket closed before joined', closed: state.closed, events: state.events };
  }
  return { ok: true, joined: state.joined };
}

/**
 * Publishes the fake camera (640x480 unless told otherwise, optionally as simulcast q/h/f: a quarter, half and
 * the whole size) and microphone: createOffer,
 * setLocalDescription, `offer`, then setRemoteDescription of the SFU's `answer`. `codec` (e.g. 'VP8') is put first
 * with setCodecPreferences; `scalabilityMode` (e.g. 'L1T3') is the one encoding's. Returns what happened.
 */
export async function publish(simulcast, timeoutMs,
  { maintainResolution = false, width = 640, height = 480, encodings = null, ssrcSimulcast = false, codec = null,
    scalabilityMode = null, media = true, dataChannels = [] } = {}) {
  const started = now();
  const result = { ok: false, simulcast, startedAt: started };
  state.publisherResults.push(result);
  try {
    const pc = new RTCPeerConnection(peerConnectionConfig());
    state.publisher = pc;
    trickle(pc, 'publisher');
    // publishing a data track is opening a channel on the publisher connection before the offer
    for (const { label, ...init } of dataChannels) {
      state.dataOut.set(label, pc.createDataChannel(label, init));
    }
    if (!media) {
      return await offerAndApply(pc, result, timeoutMs, started);
    }
    state.local = await withTimeout(navigator.mediaDevices.getUserMedia({
      audio: true,
      video: { width, height },
    }), timeoutMs, 'getUserMedia');
    const [audio] = state.local.getAudioTracks();
    const [video] = state.local.getVideoTracks();
    pc.addTransceiver(audio, { direction: 'sendonly', streams: [state.local] });
    const videoInit = { direction: 'sendonly', streams: [state.local] };
    if (scalabilityMode) {
      videoInit.sendEncodings = [{ scalabilityMode }];
    }
    if (simulcast) {
      videoInit.sendEncodings = encodings || [
        { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150000 },
        { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500000 },
        { rid: 'f', maxBitrate: 1500000 },
      ];
    }
    const videoTransceiver = pc.addTransceiver(video, videoInit);
    if (codec) {
      const wanted = 'video/' + codec.toLowerCase();
      const codecs = RTCRtpSender.getCapabilities('video').codecs;
      const first = codecs.filter((c) => c.mimeType.toLowerCase() === wanted);
      if (first.length === 0) throw new Error('this browser cannot send ' + codec);
      videoTransceiver.setCodecPreferences([...first,
        ...codecs.filter((c) => c.mimeType.toLowerCase() !== wanted)]);
    }
    const offer = await pc.createOffer();
    if (ssrcSimulcast) offer.sdp = withSsrcSimulcast(offer.sdp);
    await pc.setLocalDescription(offer);
    return await answered(pc, result, timeoutMs, started, { maintainResolution, ssrcSimulcast });
  } catch (e) {
    result.error = String(e && e.message ? e.message : e);
    return result;
  }
}

/** createOffer and setLocalDescription of the publisher connection as it is, then as `answered`. */
async function offerAndApply(pc, result, timeoutMs, started) {
  await pc.setLocalDescription(await pc.createOffer());
  return answered(pc, result, timeoutMs, started, {});
}

/** Sends the publisher's local offer, applies the SFU's answer and fills `result`. */
async function answered(pc, result, timeoutMs, started, { maintainResolution = false, ssrcSimulcast = false }) {
  try {
    result.offerSdp = pc.localDescription.sdp;
    const reply = nextMessage((m) => (m.type === 'answer' && m.pc === 'publisher') || m.type === 'error',
      timeoutMs);
    send({ type: 'offer', pc: 'publisher', sdp: pc.localDescription.sdp });
    const message = await reply;
    if (message === null) {
      result.error = state.closed ? 'the socket closed before the answer' : 'no answer within ' + timeoutMs + ' ms';
      return result;
    }
    if (message.type === 'error') {
      result.error = 'the SFU refused the offer: ' + message.code + ': ' + message.message;
      result.errorCode = message.code;
      return result;
    }
    result.answerSdp = message.sdp;
    try {
      await pc.setRemoteDescription({ type: 'answer', sdp: message.sdp });
    } catch (e) {
      result.error = 'setRemoteDescription(answer) failed: ' + e;
      return result;
    }
    if (maintainResolution || ssrcSimulcast) {
      const sender = pc.getSenders().find((s) => s.track && s.track.kind === 'video');
      const parameters = sender.getParameters();
      if (maintainResolution) parameters.degradationPreference = 'maintain-resolution';
      if (ssrcSimulcast) {
        // layers signalled by SSRCs get no sizes of their own: a quarter, half and the whole, lowest first
        parameters.encodings.forEach((e, i) => {
          e.scaleResolutionDownBy = 2 ** (parameters.encodings.length - 1 - i);
        });
      }
      await sender.setParameters(parameters);
    }
    result.ok = true;
    result.answeredInMs = now() - started;
    return result;
  } catch (e) {
    result.error = String(e && e.message ? e.message : e);
    return result;
  }
}

/**
 * Signals simulcast the way older stacks do, by SSRCs: the video section's one SSRC (and its RTX) becomes three,
 * grouped lowest first by `a=ssrc-group:SIM`, each with its own RTX (`FID`). Chromium honours such a local
 * description for VP8 and sends three layers, a quarter, half and the whole size.
 */
function withSsrcSimulcast(sdp) {
  const sections = sdp.split(/\r\n(?=m=)/);
  return sections.map((section) => {
    if (!section.startsWith('m=video')) return section;
    const fid = /a=ssrc-group:FID (\d+) (\d+)/.exec(section);
    if (!fid) throw new Error('no FID group to build SSRC simulcast on');
    const [, media, rtx] = fid;
    const lines = section.split('\r\n').filter((l) => l !== '');
    const sourceLines = lines.filter((l) => l.startsWith('a=ssrc:' + media + ' '));
    const kept = lines.filter((l) => !l.startsWith('a=ssrc'));
    const random = () => String(Math.floor(Math.random() * 0xfffffff0) + 1);
    const medias = [media, random(), random()];
    const rtxs = [rtx, random(), random()];
    const out = [...kept, 'a=ssrc-group:SIM ' + medias.join(' ')];
    for (let i = 0; i < 3; i++) out.push('a=ssrc-group:FID ' + medias[i] + ' ' + rtxs[i]);
    for (let i = 0; i < 3; i++) {
      for (const ssrc of [medias[i], rtxs[i]]) {
        for (const line of sourceLines) out.push(line.replace('a=ssrc:' + media + ' ', 'a=ssrc:' + ssrc + ' '));
      }
    }
    return out.join('\r\n') + '\r\n';
  }).join('\r\n');
}

function subscriberConnection() {
  if (state.subscriber) return state.subscriber;
  const pc = new RTCPeerConnection(peerConnectionConfig());
  state.subscriber = pc;
  trickle(pc, 'subscriber');
  // data tracks arrive as channels the SFU opens, labelled <participantId>:<label> (server:<label> for the backend)
  pc.addEventListener('datachannel', (event) => receiveData(event.channel));
  pc.addEventListener('track', (event) => {
    // msid = "<participantId> <trackId>": the stream id names the publishing participant
    const stream = event.streams[0];
    state.tracksByMid.set(event.transceiver.mid, {
      participantId: stream ? stream.id : null,
      trackId: event.track.id,
      kind: event.track.kind,
    });
  });
  return pc;
}

function onSubscriberOffer(sdp) {
  // offers come one at a time; the queue keeps the answers in order all the same
  state.subscriberQueue = state.subscriberQueue.then(async () => {
    const record = { at: now(), ok: false, offerSdp: sdp };
    state.subscriberNegotiations.push(record);
    try {
      const pc = subscriberConnection();
      await pc.setRemoteDescription({ type: 'offer', sdp });
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      record.answerSdp = pc.localDescription.sdp;
      send({ type: 'answer', pc: 'subscriber', sdp: pc.localDescription.sdp });
      record.ok = true;
    } catch (e) {
      record.error = String(e && e.message ? e.message : e);
    }
    record.doneAt = now();
  });
}

/** Leaves with the `leave` message and waits (bounded) for the server to close the socket. */
export async function leave(timeoutMs) {
  const closed = state.closed ? Promise.resolve() : new Promise((resolve) => {
    state.ws.addEventListener('close', () => resolve());
  });
  send({ type: 'leave' });
  try {
    await withTimeout(closed, timeoutMs, 'the close after leave');
  } catch (e) {
    return { ok: false, error: String(e.message || e) };
  }
  return { ok: true, closed: state.closed };
}

/** Room events and errors received so far (`joined` is in `joined`). */
export function events() {
  return { joined: state.joined, events: state.events, closed: state.closed, now: now() };
}

/** A summary of the subscriber negotiations so far (SDP included only on request: they are long). */
export function negotiations(withSdp) {
  return state.subscriberNegotiations.map((n) => {
    const copy = { at: n.at, doneAt: n.doneAt, ok: n.ok, error: n.error };
    if (withSdp) {
      copy.offerSdp = n.offerSdp;
      copy.answerSdp = n.answerSdp;
    }
    return copy;
  });
}

export function publishResults() {
  return state.publisherResults;
}

/**
 * The media counters: both connection states, the publisher's outbound streams, the subscriber's inbound streams
 * (each with the participant it comes from), their per-participant sums and the subscriber's transceivers.
 */
export async function stats() {
  const result = {
    at: now(),
    publisher: null,
    subscriber: null,
    inbound: [],
    outbound: [],
    received: {}, // participantId -> {videoFramesDecoded, videoPacketsReceived, audioPacketsReceived, ...}
    transceivers: [],
  };
  if (state.publisher) {
    const pc = state.publisher;
    result.publisher = { connectionState: pc.connectionState, iceConnectionState: pc.iceConnectionState };
    const report = await pc.getStats();
    result.publisher.selectedPair = selectedPairOf(report);
    report.forEach((r) => {
      if (r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded') {
        result.publisher.availableOutgoingBitrate = r.availableOutgoingBitrate;
      }
      if (r.type === 'outbound-rtp') {
        result.outbound.push({
          kind: r.kind, mid: r.mid, rid: r.rid, ssrc: r.ssrc, packetsSent: r.packetsSent || 0,
          bytesSent: r.bytesSent || 0, framesEncoded: r.framesEncoded, frameWidth: r.frameWidth,
          frameHeight: r.frameHeight, active: r.active, targetBitrate: r.targetBitrate,
          qualityLimitationReason: r.qualityLimitationReason, pliCount: r.pliCount || 0, keyFramesEncoded: r.keyFramesEncoded || 0,
          scalabilityMode: r.scalabilityMode,
          framesPerSecond: r.framesPerSecond, codec: codecOf(report, r),
        });
      }
    });
  }
  if (state.subscriber) {
    const pc = state.subscriber;
    result.subscriber = { connectionState: pc.connectionState, iceConnectionState: pc.iceConnectionState };
    const report = await pc.getStats();
    result.subscriber.selectedPair = selectedPairOf(report);
    report.forEach((r) => {
      if (r.type !== 'inbound-rtp') return;
      const track = state.tracksByMid.get(r.mid) || {};
      const inbound = {
        kind: r.kind, mid: r.mid, ssrc: r.ssrc, participantId: track.participantId || null,
        trackId: track.trackId || r.trackIdentifier || null, packetsReceived: r.packetsReceived || 0,
        bytesReceived: r.bytesReceived || 0, packetsLost: r.packetsLost || 0, framesDecoded: r.framesDecoded,
        frameWidth: r.frameWidth, frameHeight: r.frameHeight, framesPerSecond: r.framesPerSecond,
        pliCount: r.pliCount, nackCount: r.nackCount, framesDropped: r.framesDropped, firCount: r.firCount,
        freezeCount: r.freezeCount, keyFramesDecoded: r.keyFramesDecoded || 0, codec: codecOf(report, r),
      };
      result.inbound.push(inbound);
      if (!inbound.participantId) return;
      const sums = result.received[inbound.participantId] || (result.received[inbound.participantId] = {
        videoFramesDecoded: 0, videoPacketsReceived: 0, audioPacketsReceived: 0, videoStreams: 0, audioStreams: 0,
      });
      if (r.kind === 'video') {
        sums.videoFramesDecoded += r.framesDecoded || 0;
        sums.videoPacketsReceived += r.packetsReceived || 0;
        sums.videoStreams++;
      } else if (r.kind === 'audio') {
        sums.audioPacketsReceived += r.packetsReceived || 0;
        sums.audioStreams++;
      }
    });
    for (const t of pc.getTransceivers()) {
      const track = state.tracksByMid.get(t.mid) || {};
      result.transceivers.push({
        mid: t.mid, direction: t.direction, currentDirection: t.currentDirection,
        participantId: track.participantId || null, kind: t.receiver.track.kind,
      });
    }
  }
  return result;
}

/**
 * The candidate pair ICE selected (the transport's), by its two candidates' protocol, type and address; null before
 * one is selected.
 */
function selectedPairOf(report) {
  let pair = null;
  report.forEach((r) => {
    if (r.type === 'transport' && r.selectedCandidatePairId) pair = report.get(r.selectedCandidatePairId);
  });
  if (!pair) return null;
  const local = report.get(pair.localCandidateId) || {};
  const remote = report.get(pair.remoteCandidateId) || {};
  return {
    state: pair.state,
    localProtocol: local.protocol, localType: local.candidateType, localTcpType: local.tcpType || null,
    localRelayProtocol: local.relayProtocol || null,
    remoteProtocol: remote.protocol, remoteType: remote.candidateType, remoteAddress: remote.address,
    remotePort: remote.port,
  };
}

/** The MIME type of the codec an RTP stats entry names, or null. */
function codecOf(report, rtp) {
  const codec = rtp.codecId ? report.get(rtp.codecId) : null;
  return codec ? codec.mimeType : null;
}

/** Sends one signaling message as it is (setLayer, mute, trackSettings...); throws when the socket is closed. */
export function signal(message) {
  send(message);
}

/** Turns the camera off or on (the track sends black frames while disabled), as a client does with `mute`. */
export function enableCamera(enabled) {
  if (state.local) state.local.getVideoTracks().forEach((t) => { t.enabled = enabled; });
}

// ------------------------------------------------------------------------------------------------------------
// Data channels

/** Texts of at most this many characters are kept whole (for backend messages); longer ones only by hash. */
const KEPT_TEXT = 256;

function receiveData(channel) {
  channel.binaryType = 'arraybuffer';
  const record = { channel, count: 0, bytes: 0, binary: 0, text: 0, hashes: [], texts: [], openAt: null,
    lastAt: null, closedAt: null, ordered: channel.ordered, maxRetransmits: channel.maxRetransmits,
    maxPacketLifeTime: channel.maxPacketLifeTime };
  state.dataIn.set(channel.label, record);
  const opened = () => { record.openAt = record.openAt || now(); };
  if (channel.readyState === 'open') opened();
  channel.addEventListener('open', opened);
  channel.addEventListener('close', () => { record.closedAt = now(); });
  channel.addEventListener('message', (event) => {
    record.count++;
    record.lastAt = now();
    if (typeof event.data === 'string') {
      record.text++;
      record.bytes += new TextEncoder().encode(event.data).length;
      record.hashes.push('t' + hashText(event.data));
      if (event.data.length <= KEPT_TEXT && record.texts.length < 100) record.texts.push(event.data);
    } else {
      const bytes = new Uint8Array(event.data);
      record.binary++;
      record.bytes += bytes.length;
      record.hashes.push('b' + hashBytes(bytes));
    }
  });
}

/** FNV-1a, 32 bits, of bytes. */
function hashBytes(bytes) {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16) + ':' + bytes.length;
}

/** FNV-1a, 32 bits, of a string's UTF-16 code units. */
function hashText(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16) + ':' + text.length;
}

/**
 * The size of message `i` of `count`: the indices shuffled over a logarithmic spread from 1 byte to `maxBytes`,
 * both ends included.
 */
function testMessageSize(i, count, maxBytes) {
  const position = (i * 337) % count; // 337 is prime to the counts used (1,000), so every position occurs once
  return Math.max(1, Math.round(Math.exp(Math.log(maxBytes) * position / (count - 1))));
}

/** Message `i` of a test run: even ones binary, odd ones text, contents from a generator seeded by `seed` and i. */
function testMessage(seed, i, count, maxBytes) {
  const size = testMessageSize(i, count, maxBytes);
  let x = (Math.imul(seed, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0;
  const next = () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x;
  };
  if (i % 2 === 0) {
    const bytes = new Uint8Array(size);
    for (let k = 0; k < size; k++) bytes[k] = next() & 0xff;
    return bytes;
  }
  let text = '';
  for (let k = 0; k < size; k++) text += String.fromCharCode(0x20 + (next() % 95));
  return text;
}

/** Waits (bounded) until the publisher's channel `label` is open. */
async function openDataChannel(label, timeoutMs) {
  const channel = state.dataOut.get(label);
  if (!channel) throw new Error('no published data channel ' + label);
  if (channel.readyState !== 'open') {
    await withTimeout(new Promise((resolve, reject) => {
      channel.addEventListener('open', resolve, { once: true });
      channel.addEventListener('close', () => reject(new Error('data channel ' + label + ' closed')), { once: true });
    }), timeoutMs, 'the opening of data channel ' + label);
  }
  return channel;
}

/**
 * Sends `count` test messages (sizes from 1 byte to `maxBytes`, binary and text) on the published channel `label`,
 * keeping at most 1 MiB buffered. Returns {ok, sentMs, hashes} (the hashes the receiver should see, in order).
 */
export async function sendTestMessages(label, count, maxBytes, seed, timeoutMs) {
  const started = now();
  try {
    const channel = await openDataChannel(label, timeoutMs);
    channel.bufferedAmountLowThreshold = 256 * 1024;
    const hashes = [];
    for (let i = 0; i < count; i++) {
      while (channel.bufferedAmount > 1024 * 1024) {
        await withTimeout(new Promise((resolve) => channel.addEventListener('bufferedamountlow', resolve,
          { once: true })), Math.max(1, timeoutMs - (now() - started)), 'draining data channel ' + label);
      }
      const message = testMessage(seed, i, count, maxBytes);
      hashes.push(typeof message === 'string' ? 't' + hashText(message) : 'b' + hashBytes(message));
      channel.send(message);
    }
    return { ok: true, sentMs: now() - started, hashes };
  } catch (e) {
    return { ok: false, error: String(e && e.message ? e.message : e), sentMs: now() - started };
  }
}

/** Sends one text on the published channel `label`. */
export async function sendData(label, text, timeoutMs) {
  const channel = await openDataChannel(label, timeoutMs);
  channel.send(text);
}

/**
 * What arrived on the channels the SFU opened toward this page, by label: counts, bytes, hashes (with `withHashes`),
 * kept short texts, the channel's ordering and reliability, and when it opened, last received and closed.
 */
export function dataReceived(withHashes) {
  const result = {};
  for (const [label, r] of state.dataIn) {
    result[label] = { count: r.count, bytes: r.bytes, binary: r.binary, text: r.text, texts: r.texts,
      openAt: r.openAt, lastAt: r.lastAt, closedAt: r.closedAt, readyState: r.channel.readyState,
      ordered: r.ordered, maxRetransmits: r.maxRetransmits, maxPacketLifeTime: r.maxPacketLifeTime,
      hashes: withHashes ? r.hashes : undefined };
  }
  return { at: now(), channels: result };
}

/** Closes both peer connections, the camera and the socket, without a `leave`. */
export function close() {
  for (const pc of [state.publisher, state.subscriber]) if (pc) pc.close();
  if (state.local) state.local.getTracks().forEach((t) => t.stop());
  if (state.ws) state.ws.close();
}
