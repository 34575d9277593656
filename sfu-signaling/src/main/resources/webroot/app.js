// Demo client of the SFU signaling API (see API.md): one publisher and one subscriber RTCPeerConnection.
'use strict';

const $ = (id) => document.getElementById(id);
const state = {
  ws: null, me: null, publisher: null, subscriber: null, local: null, chat: null,
  participants: new Map(), // participantId -> {identity, tracks: Map(trackId -> track)}
  subscriberQueue: Promise.resolve(),
};

$('identity').value = 'guest-' + Math.random().toString(36).slice(2, 7);

function log(text) {
  const line = new Date().toLocaleTimeString() + ' ' + text + '\n';
  $('log').textContent = (line + $('log').textContent).slice(0, 20000);
}

function send(message) {
  if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify(message));
}

function tile(participantId, identity) {
  let element = document.getElementById('tile-' + participantId);
  if (!element) {
    element = document.createElement('div');
    element.className = 'tile';
    element.id = 'tile-' + participantId;
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    const label = document.createElement('div');
    label.className = 'label';
    element.append(video, label);
    $('grid').append(element);
  }
  if (identity) element.querySelector('.label').textContent = identity;
  return element;
}

function describe(participantId) {
  const participant = state.participants.get(participantId);
  if (!participant) return;
  const muted = [...participant.tracks.values()].filter((t) => t.muted).map((t) => t.kind);
  tile(participantId, participant.identity + (muted.length ? ' (muted: ' + muted.join(', ') + ')' : ''));
}

function addParticipant(p) {
  state.participants.set(p.id, { identity: p.identity, tracks: new Map((p.tracks || []).map((t) => [t.id, t])) });
  describe(p.id);
}

function removeParticipant(participantId) {
  state.participants.delete(participantId);
  const element = document.getElementById('tile-' + participantId);
  if (element) element.remove();
}

async function publish() {
  state.local = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
  const own = tile('self', 'me');
  own.querySelector('video').muted = true;
  own.querySelector('video').srcObject = state.local;
  const pc = new RTCPeerConnection();
  state.publisher = pc;
  // a data channel opened before the offer is a data track: the others receive it as <participantId>:chat
  state.chat = pc.createDataChannel('chat');
  state.chat.onopen = () => { $('chatSend').disabled = false; };
  pc.onicecandidate = (e) => send({ type: 'candidate', pc: 'publisher', candidate: e.candidate ? e.candidate.toJSON() : null });
  pc.onconnectionstatechange = () => log('publisher ' + pc.connectionState);
  for (const track of state.local.getTracks()) {
    pc.addTransceiver(track, { direction: 'sendonly', streams: [state.local] });
  }
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  send({ type: 'offer', pc: 'publisher', sdp: pc.localDescription.sdp });
  $('muteAudio').disabled = false;
  $('muteVideo').disabled = false;
}

function subscriberConnection() {
  if (state.subscriber) return state.subscriber;
  const pc = new RTCPeerConnection();
  state.subscriber = pc;
  pc.onicecandidate = (e) => send({ type: 'candidate', pc: 'subscriber', candidate: e.candidate ? e.candidate.toJSON() : null });
  pc.onconnectionstatechange = () => log('subscriber ' + pc.connectionState);
  pc.ondatachannel = (e) => {
    // labelled <participantId>:<label>, or server:<label> for the backend's messages
    const channel = e.channel;
    const sender = channel.label.slice(0, channel.label.indexOf(':'));
    const participant = state.participants.get(sender);
    const who = participant ? participant.identity : sender;
    channel.onmessage = (m) => log(who + ': ' + (typeof m.data === 'string' ? m.data : '(' + m.data.size + ' bytes)'));
  };
  pc.ontrack = (e) => {
    // msid = "<participantId> <trackId>": the stream id names the participant
    const stream = e.streams[0];
    if (!stream) return;
    const participant = state.participants.get(stream.id);
    const video = tile(stream.id, participant ? participant.identity : stream.id).querySelector('video');
    if (video.srcObject !== stream) video.srcObject = stream;
  };
  return pc;
}

function onSubscriberOffer(sdp) {
  // offers come one at a time; the queue keeps the answers in order anyway
  state.subscriberQueue = state.subscriberQueue.then(async () => {
    const pc = subscriberConnection();
    await pc.setRemoteDescription({ type: 'offer', sdp });
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    send({ type: 'answer', pc: 'subscriber', sdp: pc.localDescription.sdp });
  }).catch((e) => log('subscriber negotiation failed: ' + e));
}

async function onMessage(message) {
  switch (message.type) {
    case 'joined':
      state.me = message.participant;
      $('status').textContent = 'in room ' + message.room.name + ' as ' + state.me.identity;
      message.room.participants.forEach(addParticipant);
      try {
        await publish();
      } catch (e) {
        log('cannot publish: ' + e);
      }
      break;
    case 'answer':
      if (message.pc === 'publisher') await state.publisher.setRemoteDescription({ type: 'answer', sdp: message.sdp });
      break;
    case 'offer':
      if (message.pc === 'subscriber') onSubscriberOffer(message.sdp);
      break;
    case 'candidate':
      // the SFU's SDP carries its candidates; a trickled one is applied all the same
      try {
        const pc = message.pc === 'publisher' ? state.publisher : state.subscriber;
        if (pc && message.candidate) await pc.addIceCandidate(message.candidate);
      } catch (e) {
        log('candidate ignored: ' + e);
      }
      break;
    case 'participantJoined':
      addParticipant(message.participant);
      log(message.participant.identity + ' joined');
      break;
    case 'participantLeft': {
      const p = state.participants.get(message.participantId);
      log((p ? p.identity : message.participantId) + ' left');
      removeParticipant(message.participantId);
      break;
    }
    case 'trackPublished': {
      const p = state.participants.get(message.participantId);
      if (p) p.tracks.set(message.track.id, message.track);
      describe(message.participantId);
      break;
    }
    case 'trackUnpublished': {
      const p = state.participants.get(message.participantId);
      if (p) p.tracks.delete(message.trackId);
      describe(message.participantId);
      break;
    }
    case 'trackMuted': {
      const p = state.participants.get(message.participantId);
      const track = p && p.tracks.get(message.trackId);
      if (track) track.muted = message.muted;
      describe(message.participantId);
      break;
    }
    case 'dominantSpeaker':
      document.querySelectorAll('.tile').forEach((t) => t.classList.toggle('speaking', t.id === 'tile-' + message.participantId));
      break;
    case 'error':
      log('error ' + message.code + ': ' + message.message);
      break;
    default:
      log('unhandled message ' + message.type);
  }
}

function cleanUp() {
  for (const pc of [state.publisher, state.subscriber]) if (pc) pc.close();
  if (state.local) state.local.getTracks().forEach((t) => t.stop());
  Object.assign(state, { ws: null, me: null, publisher: null, subscriber: null, local: null, subscriberQueue: Promise.resolve() });
  state.participants.clear();
  $('grid').replaceChildren();
  $('leave').disabled = true;
  $('muteAudio').disabled = true;
  $('muteVideo').disabled = true;
  $('joinButton').disabled = false;
}

$('join').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = $('token').value.trim();
  const query = token
    ? 'token=' + encodeURIComponent(token)
    : 'room=' + encodeURIComponent($('room').value) + '&identity=' + encodeURIComponent($('identity').value);
  const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/v1/rtc?' + query);
  state.ws = ws;
  $('joinButton').disabled = true;
  $('leave').disabled = false;
  $('status').textContent = 'connecting';
  let chain = Promise.resolve();
  ws.onmessage = (e) => {
    // handle messages in arrival order, even those whose handling waits for the browser
    chain = chain.then(() => onMessage(JSON.parse(e.data))).catch((err) => log('handling failed: ' + err));
  };
  ws.onclose = (e) => {
    $('status').textContent = 'disconnected (' + e.code + (e.reason ? ' ' + e.reason : '') + ')';
    cleanUp();
  };
});

$('leave').addEventListener('click', () => send({ type: 'leave' }));
$('chat').addEventListener('submit', (event) => {
  event.preventDefault();
  if (!state.chat || state.chat.readyState !== 'open' || !$('chatText').value) return;
  state.chat.send($('chatText').value);
  log('me: ' + $('chatText').value);
  $('chatText').value = '';
});

function toggle(kind, button, onLabel, offLabel) {
  const track = state.local && state.local.getTracks().find((t) => t.kind === kind);
  if (!track) return;
  track.enabled = !track.enabled;
  button.textContent = track.enabled ? onLabel : offLabel;
  const transceiver = state.publisher.getTransceivers().find((t) => t.sender.track === track);
  // the publisher does not learn its SFU track ids, so it names the track by its mid
  if (transceiver && transceiver.mid !== null) send({ type: 'mute', mid: transceiver.mid, muted: !track.enabled });
}

$('muteAudio').addEventListener('click', () => toggle('audio', $('muteAudio'), 'Mute microphone', 'Unmute microphone'));
$('muteVideo').addEventListener('click', () => toggle('video', $('muteVideo'), 'Stop camera', 'Start camera'));
