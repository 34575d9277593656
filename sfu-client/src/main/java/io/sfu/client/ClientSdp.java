package io.sfu.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.sfu.core.dtls.DtlsFingerprint;
import io.sfu.core.ice.IceCredentials;
import io.sfu.core.sdp.Candidate;
import io.sfu.core.sdp.Codec;
import io.sfu.core.sdp.Connection;
import io.sfu.core.sdp.Direction;
import io.sfu.core.sdp.Extmap;
import io.sfu.core.sdp.Fingerprint;
import io.sfu.core.sdp.Fmtp;
import io.sfu.core.sdp.Group;
import io.sfu.core.sdp.MediaDescription;
import io.sfu.core.sdp.Msid;
import io.sfu.core.sdp.MsidSemantic;
import io.sfu.core.sdp.Origin;
import io.sfu.core.sdp.Rid;
import io.sfu.core.sdp.RidDirection;
import io.sfu.core.sdp.RtcpFb;
import io.sfu.core.sdp.Rtpmap;
import io.sfu.core.sdp.SdpParseException;
import io.sfu.core.sdp.SessionDescription;
import io.sfu.core.sdp.Setup;
import io.sfu.core.sdp.Simulcast;
import io.sfu.core.sdp.Ssrc;
import io.sfu.core.sdp.SsrcGroup;

/**
 * The client's offer/answer logic (RFC 8829 §5, RFC 3264) on the {@code sdp} package: the publisher offer as
 * Chromium writes it, reading the SFU's answer, and answering the SFU's subscriber offers. Every method reports
 * SDP it cannot use with {@link IllegalArgumentException} (malformed text included, with the
 * {@link SdpParseException} as cause). Cold path: plain objects.
 */
final class ClientSdp {
    static final int OPUS_PT = 111;
    static final int VP8_PT = 96;
    static final int VP8_RTX_PT = 97;
    static final int OPUS_CLOCK_RATE = 48_000;
    static final int VIDEO_CLOCK_RATE = 90_000;

    private ClientSdp() {
    }

    /** What this side announces about its transport. */
    record LocalTransport(IceCredentials ice, Fingerprint fingerprint, String cname, String streamId,
                          InetSocketAddress candidate) {
    }

    /** What the remote SDP says about its transport. */
    record RemoteTransport(IceCredentials ice, List<DtlsFingerprint> fingerprints, Setup setup,
                           InetSocketAddress address, boolean iceLite, boolean reducedSizeRtcp) {
    }

    /** How the answer configured one sender. */
    record SenderSettings(RtpSender sender, boolean active, int payloadType, int rtxPayloadType,
                          HeaderExtensions extensions) {
    }

    /** A receive-side m-line, for attributing packets by their mid extension when the SDP names no SSRC. */
    record MidRoute(String mid, byte[] midBytes, MediaKind kind, String participantId, String trackId,
                    int payloadType, int clockRateHz) {
    }

    /** What answering a subscriber offer decided. */
    record SubscriberPlan(List<RemoteTrack> tracks, List<MidRoute> midRoutes, HeaderExtensions extensions,
                          int[] associatedPayloadTypes, int[] clockRates, Set<Integer> nackPayloadTypes) {
    }

    record SubscriberAnswer(String sdp, SubscriberPlan plan) {
    }

    static SessionDescription parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("SDP is missing");
        }
        try {
            SessionDescription sdp = SessionDescription.parse(text);
            sdp.validateAttributes();
            return sdp;
        } catch (SdpParseException e) {
            throw new IllegalArgumentException("malformed SDP: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- publisher offer

    /** The publisher offer: one m-line per track, BUNDLE, rtcp-mux, Chromium's codecs and extension ids. */
    static String publisherOffer(LocalTransport local, List<LocalTrack> tracks, long sessionId, long version) {
        SessionDescription sdp = new SessionDescription()
            .setOrigin(new Origin("-", Long.toString(sessionId), version, "IN", "IP4", "127.0.0.1"));
        List<String> mids = new ArrayList<>();
        for (LocalTrack t : tracks) {
            mids.add(t.mid);
        }
        sdp.setGroup(Group.bundle(mids)).setExtmapAllowMixed(true)
            .add(new MsidSemantic(MsidSemantic.WMS, List.of(local.streamId())));
        boolean first = true;
        for (LocalTrack t : tracks) {
            sdp.addMedia(offerSection(local, t, first));
            first = false;
        }
        return sdp.write();
    }

    private static MediaDescription offerSection(LocalTransport local, LocalTrack t, boolean first) {
        TrackSpec spec = t.spec;
        MediaDescription m = MediaDescription.webRtc(spec.kind().sdpName())
            .setIceUfrag(local.ice().ufrag())
            .setIcePwd(local.ice().pwd())
            .setFingerprint(local.fingerprint())
            .setSetup(Setup.ACTPASS)
            .setMid(t.mid);
        HeaderExtensions ids = HeaderExtensions.OFFERED;
        if (spec.kind() == MediaKind.AUDIO) {
            m.addExtmap(new Extmap(ids.audioLevel(), HeaderExtensions.AUDIO_LEVEL_URI));
        }
        m.addExtmap(new Extmap(ids.absSendTime(), HeaderExtensions.ABS_SEND_TIME_URI))
            .addExtmap(new Extmap(ids.transportCc(), HeaderExtensions.TRANSPORT_CC_URI))
            .addExtmap(new Extmap(ids.mid(), HeaderExtensions.MID_URI));
        if (spec.kind() == MediaKind.VIDEO) {
            m.addExtmap(new Extmap(ids.rid(), HeaderExtensions.RID_URI))
                .addExtmap(new Extmap(ids.repairedRid(), HeaderExtensions.REPAIRED_RID_URI));
        }
        m.setDirection(t.stopped ? Direction.INACTIVE : Direction.SENDONLY);
        Msid msid = new Msid(local.streamId(), spec.trackId());
        if (!t.stopped) {
            m.setMsid(msid);
        }
        m.setRtcpMux(true).setRtcpRsize(true);
        if (spec.kind() == MediaKind.AUDIO) {
            Map<String, String> opus = new LinkedHashMap<>();
            opus.put("minptime", "10");
            opus.put("useinbandfec", "1");
            m.addCodec(new Rtpmap(OPUS_PT, "opus", OPUS_CLOCK_RATE, 2), new Fmtp(OPUS_PT, opus),
                List.of(new RtcpFb(OPUS_PT, "transport-cc")));
        } else {
            m.addCodec(new Rtpmap(VP8_PT, "VP8", VIDEO_CLOCK_RATE), null, List.of(
                new RtcpFb(VP8_PT, "goog-remb"), new RtcpFb(VP8_PT, "transport-cc"),
                new RtcpFb(VP8_PT, "ccm", "fir"), new RtcpFb(VP8_PT, "nack"), new RtcpFb(VP8_PT, "nack", "pli")));
            if (spec.rtx()) {
                m.addCodec(new Rtpmap(VP8_RTX_PT, "rtx", VIDEO_CLOCK_RATE), Fmtp.rtx(VP8_RTX_PT, VP8_PT), List.of());
            }
        }
        if (spec.isSimulcast()) {
            // Chromium writes no SSRCs for simulcast: the mid/rid/repaired-rid extensions name each packet's layer
            for (String rid : spec.rids()) {
                m.add(new Rid(rid, RidDirection.SEND));
            }
            m.setSimulcast(Simulcast.sending(spec.rids().toArray(new String[0])));
        } else if (!t.stopped) {
            RtpSender sender = t.senders.get(0);
            long ssrc = sender.ssrc() & 0xFFFF_FFFFL;
            long rtx = sender.rtxSsrc() & 0xFFFF_FFFFL;
            if (sender.rtxSsrc() != 0) {
                m.add(new SsrcGroup(SsrcGroup.FID, List.of(ssrc, rtx)));
            }
            m.add(Ssrc.cname(ssrc, local.cname())).add(Ssrc.msid(ssrc, msid));
            if (sender.rtxSsrc() != 0) {
                m.add(Ssrc.cname(rtx, local.cname())).add(Ssrc.msid(rtx, msid));
            }
        }
        if (first && local.candidate() != null) {
            InetSocketAddress c = local.candidate();
            m.addCandidate(Candidate.host("1", "udp", 2_130_706_431L, c.getAddress().getHostAddress(), c.getPort()))
                .setEndOfCandidates(true);
        }
        return m;
    }

    // ---------------------------------------------------------------- remote transport

    /**
     * The remote ICE credentials, DTLS fingerprints and setup, and the first usable IPv4 UDP candidate, from the
     * first accepted m-line of the BUNDLE group (falling back to session-level attributes, then to any m-line's
     * candidates, then to its c= line and port).
     */
    static RemoteTransport remoteTransport(SessionDescription sdp) {
        MediaDescription tagged = bundleTagged(sdp);
        if (tagged == null) {
            throw new IllegalArgumentException("the SDP has no accepted m-line");
        }
        String ufrag = tagged.iceUfrag().or(sdp::iceUfrag)
            .orElseThrow(() -> new IllegalArgumentException("the SDP has no a=ice-ufrag"));
        String pwd = tagged.icePwd().or(sdp::icePwd)
            .orElseThrow(() -> new IllegalArgumentException("the SDP has no a=ice-pwd"));
        IceCredentials ice = IceCredentials.of(ufrag, pwd);
        List<Fingerprint> sdpFingerprints = tagged.fingerprints().isEmpty() ? sdp.fingerprints()
            : tagged.fingerprints();
        List<DtlsFingerprint> fingerprints = new ArrayList<>();
        for (Fingerprint f : sdpFingerprints) {
            try {
                fingerprints.add(DtlsFingerprint.parse(f.hashFunction() + " " + f.fingerprint()));
            } catch (IllegalArgumentException e) {
                // a hash function we do not support: RFC 8122 §5 lets us use the others
            }
        }
        if (fingerprints.isEmpty()) {
            throw new IllegalArgumentException("the SDP has no usable a=fingerprint");
        }
        Setup setup = tagged.setup().or(sdp::setup).orElse(null);
        InetSocketAddress address = firstUsableCandidate(sdp, tagged);
        if (address == null) {
            throw new IllegalArgumentException("the SDP has no usable IPv4 UDP candidate");
        }
        return new RemoteTransport(ice, List.copyOf(fingerprints), setup, address, sdp.isIceLite(),
            tagged.isRtcpRsize());
    }

    /** The first m-line of the BUNDLE group that is not rejected, else the first m-line that is not. */
    private static MediaDescription bundleTagged(SessionDescription sdp) {
        Optional<Group> bundle = sdp.bundleGroup();
        if (bundle.isPresent()) {
            for (String mid : bundle.get().mids()) {
                Optional<MediaDescription> m = sdp.mediaByMid(mid);
                if (m.isPresent() && !m.get().isRejected()) {
                    return m.get();
                }
            }
        }
        for (MediaDescription m : sdp.media()) {
            if (!m.isRejected()) {
                return m;
            }
        }
        return null;
    }

    private static InetSocketAddress firstUsableCandidate(SessionDescription sdp, MediaDescription tagged) {
        List<MediaDescription> order = new ArrayList<>();
        order.add(tagged);
        for (MediaDescription m : sdp.media()) {
            if (m != tagged && !m.isRejected()) {
                order.add(m);
            }
        }
        for (MediaDescription m : order) {
            for (Candidate c : m.candidates()) {
                if (c.isUdp() && c.component() == Candidate.COMPONENT_RTP && c.port() > 0) {
                    InetAddress address = ipv4Literal(c.address());
                    if (address != null) {
                        return new InetSocketAddress(address, c.port());
                    }
                }
            }
        }
        // no candidate: a peer may still put its real address in c= and the m-line port
        Connection connection = tagged.connection().or(sdp::connection).orElse(null);
        if (connection != null && tagged.port() > 0 && tagged.port() != MediaDescription.DISCARD_PORT) {
            InetAddress address = ipv4Literal(connection.address());
            if (address != null && !address.isAnyLocalAddress()) {
                return new InetSocketAddress(address, tagged.port());
            }
        }
        return null;
    }

    /** The address for a dotted-quad IPv4 literal, or null (host names, mDNS names and IPv6 are not usable). */
    static InetAddress ipv4Literal(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3) {
                return null;
            }
            int value = 0;
            for (int j = 0; j < p.length(); j++) {
                char ch = p.charAt(j);
                if (ch < '0' || ch > '9') {
                    return null;
                }
                value = value * 10 + (ch - '0');
            }
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- the SFU's answer to the publisher offer

    /**
     * Reads the answer to {@code offered}: per m-line whether the SFU accepted it (port not 0, a receiving
     * direction, our codec among its payload types), which payload types and RTX payload type it kept, and the
     * header extension ids it accepted.
     */
    static List<SenderSettings> publisherAnswer(SessionDescription answer, List<LocalTrack> offered) {
        if (answer.media().size() != offered.size()) {
            throw new IllegalArgumentException("the answer has " + answer.media().size() + " m-lines, the offer had "
                + offered.size());
        }
        List<SenderSettings> settings = new ArrayList<>();
        for (int i = 0; i < offered.size(); i++) {
            LocalTrack track = offered.get(i);
            MediaDescription m = answer.media().get(i);
            String mid = m.mid().orElse(null);
            if (!m.isRejected() && !track.mid.equals(mid)) {
                throw new IllegalArgumentException("answer m-line " + i + " has mid " + mid + ", the offer "
                    + track.mid);
            }
            Direction direction = answer.directionOf(m);
            int payloadType = -1;
            int rtxPayloadType = -1;
            String codecName = track.spec.kind() == MediaKind.AUDIO ? "opus" : "VP8";
            List<Codec> codecs = m.isRejected() ? List.of() : m.codecs();
            for (Codec c : codecs) {
                if (c.is(codecName)) {
                    payloadType = c.payloadType();
                    break;
                }
            }
            if (payloadType >= 0 && track.spec.rtx()) {
                for (Codec c : codecs) {
                    if (c.isRtx() && c.fmtp() != null && c.fmtp().associatedPayloadType() == payloadType) {
                        rtxPayloadType = c.payloadType();
                        break;
                    }
                }
            }
            boolean active = !m.isRejected() && !track.stopped && direction.receives() && payloadType >= 0;
            HeaderExtensions ids = HeaderExtensions.of(m.extmaps().isEmpty() ? answer.extmaps() : m.extmaps());
            for (RtpSender sender : track.senders) {
                settings.add(new SenderSettings(sender, active, payloadType, rtxPayloadType, ids));
            }
        }
        return settings;
    }

    // ---------------------------------------------------------------- answering a subscriber offer

    /**
     * The answer to an SFU offer: every m-line mirrored with {@code recvonly} (or {@code inactive}), the offered
     * codecs and extensions kept, our ICE credentials and fingerprint, {@code a=setup:active}, the BUNDLE group of
     * the accepted mids; plus the tracks the offer announces.
     */
    static SubscriberAnswer answerOffer(LocalTransport local, SessionDescription offer, long sessionId,
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
        HeaderExtensions ids = null;
        for (MediaDescription o : offer.media()) {
            String mid = o.mid().orElse(null);
            MediaKind kind = MediaKind.ofSdpName(o.media());
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
                ids = HeaderExtensions.of(extmaps);
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
            ids == null ? HeaderExtensions.NONE : ids, apt, clock, Set.copyOf(nackPts));
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
            midRoutes.add(new MidRoute(mid, mid.getBytes(java.nio.charset.StandardCharsets.US_ASCII), kind,
                lineMsid == null ? null : lineMsid.streamId(), lineMsid == null ? null : lineMsid.trackId(), pt,
                clockRate));
        }
    }
}
