package io.sfu.client;

import static io.sfu.client.ClientSdp.OPUS_CLOCK_RATE;
import static io.sfu.client.ClientSdp.VIDEO_CLOCK_RATE;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.sfu.core.sdp.Codec;
import io.sfu.core.sdp.Direction;
import io.sfu.core.sdp.Extmap;
import io.sfu.core.sdp.Group;
import io.sfu.core.sdp.MediaDescription;
import io.sfu.core.sdp.MediaKind;
import io.sfu.core.sdp.Msid;
import io.sfu.core.sdp.MsidSemantic;
import io.sfu.core.sdp.Origin;
import io.sfu.core.sdp.Rid;
import io.sfu.core.sdp.RtcpFb;
import io.sfu.core.sdp.SdpParseException;
import io.sfu.core.sdp.SessionDescription;
import io.sfu.core.sdp.Setup;
import io.sfu.core.sdp.Ssrc;
import io.sfu.core.sdp.SsrcGroup;

/**
 * The subscriber side's SDP (RFC 8829 §5.3, RFC 3264 §6): the answer to an SFU offer, and the plan of what the
 * connection is to receive that the offer announces (its data channel section accepted too, RFC 8841). Cold path: plain objects.
 */
final class SubscriberSdp {

    private SubscriberSdp() {
    }

    /** A receive-side m-line, for attributing packets by their mid extension when the SDP names no SSRC. */
    record MidRoute(String mid, byte[] midBytes, MediaKind kind, String participantId, String trackId,
                    int payloadType, int clockRateHz) {
    }

    /** What answering a subscriber offer decided. */
    record SubscriberPlan(List<RemoteTrack> tracks, List<MidRoute> midRoutes, ExtensionIds extensions,
                          int[] associatedPayloadTypes, int[] clockRates, Set<Integer> nackPayloadTypes,
                          ClientSdp.DataParams data) {
    }

    /** The answer SDP and the plan it implies. */
    record SubscriberAnswer(String sdp, SubscriberPlan plan) {
    }

    /**
     * The answer to an SFU offer: every m-line mirrored with {@code recvonly} (or {@code inactive}), the offered
     * codecs and extensions kept, our ICE credentials and fingerprint, {@code a=setup:active}, the BUNDLE group of
     * the accepted mids; plus the tracks the offer announces.
     */
    static SubscriberAnswer answer(ClientSdp.LocalTransport local, SessionDescription offer, long sessionId,
        long version) {
        SessionDescription answer = new SessionDescription()
            .setOrigin(new Origin("-", Long.toString(sessionId), version, "IN", "IP4", "127.0.0.1"));
        List<RemoteTrack> tracks = new ArrayList<>();
        List<MidRoute> midRoutes = new ArrayList<>();
        int[] apt = new int[128];
        int[] clock = new int[128];
        Arrays.fill(apt, -1);
        Set<Integer> nackPts = new LinkedHashSet<>();
        Set<String> accepted = new LinkedHashSet<>();
        Set<Long> seenSsrcs = new LinkedHashSet<>();
        ExtensionIds ids = null;
        ClientSdp.DataParams data = null;
        for (MediaDescription o : offer.media()) {
            String mid = o.mid().orElse(null);
            if (data == null && mid != null && ClientSdp.isDataSection(o)) {
                data = ClientSdp.readDataSection(o);
                accepted.add(mid);
                answer.addMedia(ClientSdp.dataSection(local, mid, Setup.ACTIVE));
                continue;
            }
            MediaKind kind = MediaKind.fromSdpName(o.media());
            boolean rejected = o.isRejected() || kind == null || !o.isRtp() || mid == null;
            if (rejected) {
                MediaDescription m = new MediaDescription(o.media(), 0, o.proto()).setFormats(o.formats());
                if (mid != null) {
                    m.setMid(mid);
                }
                answer.addMedia(m);
                continue;
            }
            accepted.add(mid);
            Direction offered = offer.directionOf(o);
            Direction direction = offered.sends() ? Direction.RECVONLY : Direction.INACTIVE;
            MediaDescription m = MediaDescription.webRtc(o.media())
                .setIceUfrag(local.ice().ufrag())
                .setIcePwd(local.ice().pwd())
                .setFingerprint(local.fingerprint())
                .setSetup(Setup.ACTIVE)
                .setMid(mid);
            List<Extmap> extmaps = o.extmaps().isEmpty() ? offer.extmaps() : o.extmaps();
            for (Extmap e : extmaps) {
                m.addExtmap(new Extmap(e.id(), null, e.uri(), e.extensionAttributes()));
            }
            if (ids == null) {
                ids = ExtensionIds.of(extmaps);
            }
            m.setDirection(direction);
            if (o.isRtcpMux()) {
                m.setRtcpMux(true);
            }
            if (o.isRtcpRsize()) {
                m.setRtcpRsize(true);
            }
            int firstPt = -1;
            int firstClock = kind == MediaKind.AUDIO ? OPUS_CLOCK_RATE : VIDEO_CLOCK_RATE;
            for (Codec c : o.codecs()) {
                List<RtcpFb> feedback = new ArrayList<>();
                for (RtcpFb fb : c.feedback()) {
                    if (!fb.isWildcard()) {
                        feedback.add(fb);
                    }
                }
                if (c.rtpmap() != null) {
                    m.addCodec(c.rtpmap(), c.fmtp(), feedback);
                    clock[c.payloadType()] = c.rtpmap().clockRate();
                } else {
                    m.addPayloadType(c.payloadType());
                }
                if (c.isRtx() && c.fmtp() != null && c.fmtp().associatedPayloadType() >= 0) {
                    apt[c.payloadType()] = c.fmtp().associatedPayloadType();
                } else if (firstPt < 0 && !c.isRtx() && !c.is("red") && !c.is("ulpfec")) {
                    firstPt = c.payloadType();
                    if (c.rtpmap() != null) {
                        firstClock = c.rtpmap().clockRate();
                    }
                }
                if (c.hasFeedback("nack", null)) {
                    nackPts.add(c.payloadType());
                }
            }
            for (RtcpFb fb : o.rtcpFeedback()) {
                if (fb.isWildcard()) {
                    m.add(fb);
                }
            }
            for (Rid rid : o.rids()) {
                m.add(rid.reversed());
            }
            o.simulcast().ifPresent(sc -> m.setSimulcast(sc.reversed()));
            answer.addMedia(m);
            if (offered.sends()) {
                readTracks(o, kind, mid, firstPt, firstClock, tracks, midRoutes, seenSsrcs);
            }
        }
        Optional<Group> bundle = offer.bundleGroup();
        if (bundle.isPresent()) {
            List<String> mids = new ArrayList<>();
            for (String mid : bundle.get().mids()) {
                if (accepted.contains(mid)) {
                    mids.add(mid);
                }
            }
            if (!mids.isEmpty()) {
                answer.setGroup(Group.bundle(mids));
            }
        }
        if (offer.isExtmapAllowMixed()) {
            answer.setExtmapAllowMixed(true);
        }
        answer.add(new MsidSemantic(MsidSemantic.WMS, List.of()));
        SubscriberPlan plan = new SubscriberPlan(List.copyOf(tracks), List.copyOf(midRoutes),
            ids == null ? ExtensionIds.NONE : ids, apt, clock, Set.copyOf(nackPts), data);
        return new SubscriberAnswer(answer.write(), plan);
    }

    /** The tracks of one sending m-line: a=msid (or the a=ssrc msid), the media SSRCs and their FID partners. */
    private static void readTracks(MediaDescription o, MediaKind kind, String mid, int pt, int clockRate,
        List<RemoteTrack> tracks, List<MidRoute> midRoutes, Set<Long> seenSsrcs) {
        Msid lineMsid = o.msid().orElse(null);
        Map<Long, Msid> ssrcMsids = new LinkedHashMap<>();
        for (Ssrc s : o.ssrcs()) {
            Msid msid = ssrcMsids.get(s.ssrc());
            if (msid == null && "msid".equals(s.attribute()) && s.value() != null) {
                try {
                    msid = Msid.parse(s.value());
                } catch (SdpParseException e) {
                    throw new IllegalArgumentException("malformed a=ssrc msid: " + e.getMessage(), e);
                }
            }
            ssrcMsids.put(s.ssrc(), msid);
        }
        Map<Long, Long> rtxOf = new HashMap<>();
        Set<Long> repair = new LinkedHashSet<>();
        for (SsrcGroup g : o.ssrcGroups()) {
            if (SsrcGroup.FID.equals(g.semantics()) && g.ssrcs().size() == 2) {
                rtxOf.put(g.ssrcs().get(0), g.ssrcs().get(1));
                repair.add(g.ssrcs().get(1));
            }
        }
        boolean any = false;
        for (Map.Entry<Long, Msid> e : ssrcMsids.entrySet()) {
            long ssrc = e.getKey();
            if (repair.contains(ssrc)) {
                continue;
            }
            if (!seenSsrcs.add(ssrc)) {
                throw new IllegalArgumentException("SSRC " + ssrc + " appears in two m-lines");
            }
            Msid msid = lineMsid != null ? lineMsid : e.getValue();
            Long rtx = rtxOf.get(ssrc);
            tracks.add(new RemoteTrack(msid == null ? null : msid.streamId(), msid == null ? null : msid.trackId(),
                kind, mid, (int) ssrc, rtx == null ? 0 : (int) (long) rtx, pt, clockRate));
            any = true;
        }
        if (!any) {
            midRoutes.add(new MidRoute(mid, mid.getBytes(StandardCharsets.US_ASCII), kind,
                lineMsid == null ? null : lineMsid.streamId(), lineMsid == null ? null : lineMsid.trackId(), pt,
                clockRate));
        }
    }
}
