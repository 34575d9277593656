package io.sfu.core.negotiation;

import io.sfu.core.rtp.HeaderExtensionUris;
import io.sfu.core.sdp.Connection;
import io.sfu.core.sdp.Direction;
import io.sfu.core.sdp.Extmap;
import io.sfu.core.sdp.Fmtp;
import io.sfu.core.sdp.Group;
import io.sfu.core.sdp.MediaDescription;
import io.sfu.core.sdp.Msid;
import io.sfu.core.sdp.MsidSemantic;
import io.sfu.core.sdp.Origin;
import io.sfu.core.sdp.Rtcp;
import io.sfu.core.sdp.RtcpFb;
import io.sfu.core.sdp.Rtpmap;
import io.sfu.core.sdp.SessionDescription;
import io.sfu.core.sdp.Setup;
import io.sfu.core.sdp.Ssrc;
import io.sfu.core.sdp.SsrcGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a subscriber offer from its m-lines: ICE-lite, one BUNDLE group of the m-lines not rejected, and per
 * m-line the SFU's transport, the session's header extensions, the codecs with their RTX and the track's SSRCs.
 */
final class SubscriberOfferWriter {
    private SubscriberOfferWriter() {
    }

    /** @return the offer of every m-line of {@code state}, as version {@code version} of session {@code sessionId} */
    static SessionDescription write(SubscriberMediaLines state, LocalTransportParams local, String sessionId,
                                    long version) {
        SessionDescription sdp = new SessionDescription()
            .setOrigin(new Origin("-", sessionId, version, "IN", "IP4", "127.0.0.1"));
        sdp.setIceLite(true);
        List<String> bundled = new ArrayList<>();
        for (SubscriberMediaLine s : state.lines) {
            if (!s.rejected) {
                bundled.add(s.mid);
            }
        }
        if (!bundled.isEmpty()) {
            sdp.setGroup(Group.bundle(bundled));
        }
        sdp.add(new MsidSemantic(MsidSemantic.WMS, List.of("*")));
        for (SubscriberMediaLine s : state.lines) {
            sdp.addMedia(s.rejected ? writeRejected(s) : writeMedia(s, local));
        }
        return sdp;
    }

    private static MediaDescription writeRejected(SubscriberMediaLine s) {
        MediaDescription m = new MediaDescription(s.kind.sdpName(), 0, MediaDescription.PROTO_RTP)
            .setConnection(Connection.IP4_ANY);
        for (NegotiatedCodec c : s.codecs) {
            m.addPayloadType(c.payloadType());
        }
        return m.setMid(s.mid);
    }

    private static final String TRANSPORT_CC = "transport-cc";

    /**
     * Whether the m-line's track is sent as AV1 (its first codec, the publisher's choice): only AV1 is forwarded with
     * the dependency descriptor (see {@code Producer.forwardsDependencies}), so only its m-lines offer it, and the
     * others' stay as they were.
     */
    private static boolean carriesAv1(SubscriberMediaLine s) {
        return !s.codecs.isEmpty() && s.codecs.get(0).is("AV1");
    }

    private static MediaDescription writeMedia(SubscriberMediaLine s, LocalTransportParams local) {
        MediaDescription m = MediaDescription.webRtc(s.kind.sdpName());
        m.add(new Rtcp(MediaDescription.DISCARD_PORT, Connection.IP4_ANY));
        m.setIceUfrag(local.iceUfrag());
        m.setIcePwd(local.icePwd());
        m.setFingerprint(local.fingerprint());
        m.setSetup(Setup.ACTPASS);
        m.setMid(s.mid);
        for (Map.Entry<String, Integer> e : SubscriberNegotiator.offeredExtensions(s.kind).entrySet()) {
            if (!e.getKey().equals(HeaderExtensionUris.DEPENDENCY_DESCRIPTOR) || carriesAv1(s)) {
                m.addExtmap(new Extmap(e.getValue(), e.getKey()));
            }
        }
        ForwardedTrack t = s.track;
        m.setDirection(t == null ? Direction.INACTIVE : Direction.SENDONLY);
        Msid msid = t == null ? null : new Msid(t.participantId(), t.trackId());
        if (msid != null) {
            m.setMsid(msid);
        }
        m.setRtcpMux(true);
        m.setRtcpRsize(true);
        for (NegotiatedCodec c : s.codecs) {
            List<RtcpFb> feedback = new ArrayList<>();
            for (String value : c.feedback()) {
                int space = value.indexOf(' ');
                feedback.add(space < 0 ? new RtcpFb(c.payloadType(), value)
                    : new RtcpFb(c.payloadType(), value.substring(0, space), value.substring(space + 1)));
            }
            // the SFU estimates each subscriber's downlink from transport-wide feedback, whatever the publisher did
            if (!c.feedback().contains(TRANSPORT_CC)) {
                feedback.add(new RtcpFb(c.payloadType(), TRANSPORT_CC));
            }
            m.addCodec(new Rtpmap(c.payloadType(), c.name(), c.clockRate(), c.channels()),
                c.parameters().isEmpty() ? null : new Fmtp(c.payloadType(), c.parameters()), feedback);
            if (c.hasRtx()) {
                m.addCodec(new Rtpmap(c.rtxPayloadType(), "rtx", c.clockRate()),
                    Fmtp.rtx(c.rtxPayloadType(), c.payloadType()), List.of());
            }
        }
        if (t != null) {
            long ssrc = Integer.toUnsignedLong(t.ssrc());
            boolean rtx = t.hasRtx() && s.codecs.stream().anyMatch(NegotiatedCodec::hasRtx);
            if (rtx) {
                long rtxSsrc = Integer.toUnsignedLong(t.rtxSsrc());
                m.add(new SsrcGroup(SsrcGroup.FID, List.of(ssrc, rtxSsrc)));
                m.add(Ssrc.cname(ssrc, t.cname())).add(Ssrc.msid(ssrc, msid));
                m.add(Ssrc.cname(rtxSsrc, t.cname())).add(Ssrc.msid(rtxSsrc, msid));
            } else {
                m.add(Ssrc.cname(ssrc, t.cname())).add(Ssrc.msid(ssrc, msid));
            }
        }
        m.addAll(local.hostCandidates());
        m.setEndOfCandidates(true);
        return m;
    }
}
