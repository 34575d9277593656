#!/usr/bin/python3
"""Captures publisher offers from GStreamer's webrtcbin into this folder (the offer corpus).

Needs Debian's gstreamer1.0-plugins-bad, gstreamer1.0-plugins-good, gstreamer1.0-nice, gir1.2-gst-plugins-bad-1.0
and python3-gi (the system Python). Run from the repository root:

    /usr/bin/python3 sfu-core/src/test/resources/sdp/corpus/capture-gstreamer.py

Each scenario is a pipeline of test sources, encoders and payloaders linked into webrtcbin; the offer it creates on
negotiation-needed is set as the local description and written, once ICE gathering completed (or its description
stayed the same for a second), as
gstreamer-<scenario>.sdp. The GStreamer version goes to versions.txt.
"""
import datetime
import os
import sys

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstWebRTC', '1.0')
gi.require_version('GstSdp', '1.0')
from gi.repository import GLib, Gst, GstWebRTC  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
AUDIO = ('audiotestsrc is-live=true ! opusenc ! rtpopuspay pt=111'
         ' ! application/x-rtp,media=audio,encoding-name=OPUS,payload=111 ! w.')
VP8 = ('videotestsrc is-live=true ! vp8enc deadline=1 ! rtpvp8pay pt=96'
       ' ! application/x-rtp,media=video,encoding-name=VP8,payload=96 ! w.')
SCENARIOS = {
    # Opus and VP8 on one BUNDLE transport (max-bundle: the video m-line is bundle-only with port 0)
    'audio-video': 'webrtcbin name=w bundle-policy=max-bundle ' + AUDIO + ' ' + VP8,
    # max-compat: every m-line with its own port and candidates, still in one BUNDLE group
    'audio-video-max-compat': 'webrtcbin name=w bundle-policy=max-compat ' + AUDIO + ' ' + VP8,
}


def capture(description):
    pipeline = Gst.parse_launch(description)
    webrtc = pipeline.get_by_name('w')
    loop = GLib.MainLoop()
    result = {}

    def print_when_gathered():
        # this webrtcbin leaves its gathering state at 'new': a description with candidates that stayed the same
        # for a second counts as gathered
        state = webrtc.get_property('ice-gathering-state')
        sdp = webrtc.get_property('local-description').sdp.as_text()
        now = GLib.get_monotonic_time()
        if sdp != result.get('sdp'):
            result['sdp'] = sdp
            result['since'] = now
        quiet = 'a=candidate' in sdp and now - result['since'] > 1_000_000
        if state == GstWebRTC.WebRTCICEGatheringState.COMPLETE or quiet:
            result['done'] = True
            loop.quit()
            return False
        return True

    def on_offer(promise, _):
        promise.wait()
        reply = promise.get_reply()  # held: the offer lives in the reply
        offer = reply.get_value('offer')
        webrtc.emit('set-local-description', offer, Gst.Promise.new())
        GLib.timeout_add(100, print_when_gathered)

    def on_negotiation_needed(element):
        element.emit('create-offer', None, Gst.Promise.new_with_change_func(on_offer, None))

    webrtc.connect('on-negotiation-needed', on_negotiation_needed)
    pipeline.set_state(Gst.State.PLAYING)
    GLib.timeout_add(30000, loop.quit)
    loop.run()
    pipeline.set_state(Gst.State.NULL)
    if 'done' not in result:
        raise RuntimeError('no offer within 30 s')
    return result['sdp']


def record_version(stack, version):
    path = os.path.join(HERE, 'versions.txt')
    lines = []
    if os.path.exists(path):
        with open(path, encoding='utf-8') as f:
            lines = [line for line in f.read().split('\n') if line and not line.startswith(stack + ':')]
    lines.append('%s: %s, captured on %s' % (stack, version, datetime.date.today().isoformat()))
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(sorted(lines)) + '\n')


def main():
    Gst.init(None)
    for name, description in SCENARIOS.items():
        sdp = capture(description)
        with open(os.path.join(HERE, 'gstreamer-%s.sdp' % name), 'w', encoding='utf-8', newline='') as f:
            f.write(sdp)
        print('gstreamer-%s.sdp: %d lines' % (name, sdp.count('\n')))
    record_version('gstreamer', 'GStreamer %s webrtcbin (Debian gstreamer1.0-plugins-bad)' % Gst.version_string()
                   .replace('GStreamer ', ''))


if __name__ == '__main__':
    sys.exit(main())
