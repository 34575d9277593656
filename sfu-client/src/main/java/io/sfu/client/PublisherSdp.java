package io.sfu.client;

import static io.sfu.client.ClientSdp.OPUS_CLOCK_RATE;
import static io.sfu.client.ClientSdp.OPUS_PT;
import static io.sfu.client.ClientSdp.VIDEO_CLOCK_RATE;
import static io.sfu.client.ClientSdp.VP8_PT;
import static io.sfu.client.ClientSdp.VP8_RTX_PT;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sfu.core.rtp.HeaderExtensionUris;
import io.sfu.core.sdp.Candidate;
import io.sfu.core.sdp.Codec;
import io.sfu.core.sdp.Direction;
import io.sfu.core.sdp.Extmap;
import io.sfu.core.sdp.Fmtp;
import io.sfu.core.sdp.Group;
import io.sfu.core.sdp.MediaDescription;
import io.sfu.core.sdp.MediaKind;
import io.sfu.core.sdp.Msid;
import io.sfu.core.sdp.MsidSemantic;
import io.sfu.core.sdp.Origin;
import io.sfu.core.sdp.Rid;
import io.sfu.core.sdp.RidDirection;
import io.sfu.core.sdp.RtcpFb;
import io.sfu.core.sdp.Rtpmap;
import io.sfu.core.sdp.SessionDescription;
import io.sfu.core.sdp.Setup;
import io.sfu.core.sdp.Simulcast;
import io.sfu.core.sdp.Ssrc;
import io.sfu.core.sdp.SsrcGroup;

/**
 * The publisher side's SDP (RFC 8829 §5.2, RFC 3264 §5): the offer of its tracks as Chromium writes it, and the
 * reading of the SFU's answer into the settings of each sender. Cold path: plain objects.
 */
final class PublisherSdp {
    private PublisherSdp() {
    }

    /** How the answer configured one sender. */
    record SenderSettings(RtpSender sender, boolean active, int payloadType, int rtxPayloadType,
                          ExtensionIds extensions) {
    }

    /** Where the data channel section sits among the m-lines of an offer (it keeps its place once offered). */
    record DataLine(String mid, int index) {
    }

    /**
     * The publisher offer: one m-line per track, BUNDLE, rtcp-mux, Chromium's codecs and extension ids; and the data
     * channel section at its place when {@code data} is not null.
     */
    static String offer(ClientSdp.LocalTransport local, List<LocalTrack> tracks, DataLine data, long sessionId,
        long version) {
        SessionDescription sdp = new SessionDescription()
            .setOrigin(new Origin("-", Long.toString(sessionId), version, "IN", "IP4", "127.0.0.1"));
        List<String> mids = new ArrayList<>();
        for (LocalTrack t : tracks) {
            mids.add(t.mid);
        }
        if (data != null) {
            mids.add(data.index(), data.mid());
        }
        sdp.setGroup(Group.bundle(mids)).setExtmapAllowMixed(true)
            .add(new MsidSemantic(MsidSemantic.WMS, List.of(local.streamId())));
        for (int i = 0, track = 0; i < mids.size(); i++) {
            boolean first = i == 0;
            MediaDescription m = data != null && i == data.index()
                ? ClientSdp.dataSection(local, data.mid(), Setup.ACTPASS)
                : offerSection(local, tracks.get(track++));
            if (first && local.candidate() != null) {
                InetSocketAddress c = local.candidate();
                m.addCandidate(Candidate.host("1", "udp", 2_130_706_431L, c.getAddress().getHostAddress(),
                    c.getPort())).setEndOfCandidates(true);
            }
            sdp.addMedia(m);
        }
        return sdp.write();
    }

    /** The SFU's data channel section in the answer to an offer with {@code data}, or null when it refused it. */
    static ClientSdp.DataParams readDataAnswer(SessionDescription answer, DataLine data) {
        MediaDescription m = answer.media().get(data.index());
        return ClientSdp.isDataSection(m) ? ClientSdp.readDataSection(m) : null;
    }

    private static MediaDescription offerSection(ClientSdp.LocalTransport local, LocalTrack t) {
        TrackSpec spec = t.spec;
        MediaDescription m = MediaDescription.webRtc(spec.kind().sdpName())
            .setIceUfrag(local.ice().ufrag())
            .setIcePwd(local.ice().pwd())
            .setFingerprint(local.fingerprint())
            .setSetup(Setup.ACTPASS)
            .setMid(t.mid);
        ExtensionIds ids = ExtensionIds.OFFERED;
        if (spec.kind() == MediaKind.AUDIO) {
            m.addExtmap(new Extmap(ids.audioLevel(), HeaderExtensionUris.AUDIO_LEVEL));
        }
        m.addExtmap(new Extmap(ids.absSendTime(), HeaderExtensionUris.ABS_SEND_TIME))
            .addExtmap(new Extmap(ids.transportCc(), HeaderExtensionUris.TRANSPORT_WIDE_CC))
            .addExtmap(new Extmap(ids.mid(), HeaderExtensionUris.MID));
        if (spec.kind() == MediaKind.VIDEO) {
            m.addExtmap(new Extmap(ids.rid(), HeaderExtensionUris.RTP_STREAM_ID))
                .addExtmap(new Extmap(ids.repairedRid(), HeaderExtensionUris.REPAIRED_RTP_STREAM_ID));
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
        return m;
    }

    /**
     * Reads the answer to {@code offered}: per m-line whether the SFU accepted it (port not 0, a receiving
     * direction, our codec among its payload types), which payload types and RTX payload type it kept, and the
     * header extension ids it accepted.
     */
    static List<SenderSettings> readAnswer(SessionDescription answer, List<LocalTrack> offered, DataLine data) {
        int lines = offered.size() + (data == null ? 0 : 1);
        if (answer.media().size() != lines) {
            throw new IllegalArgumentException("the answer has " + answer.media().size() + " m-lines, the offer had "
                + lines);
        }
        List<SenderSettings> settings = new ArrayList<>();
        for (int i = 0; i < offered.size(); i++) {
            LocalTrack track = offered.get(i);
            MediaDescription m = answer.media().get(data != null && i >= data.index() ? i + 1 : i);
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
            ExtensionIds ids = ExtensionIds.of(m.extmaps().isEmpty() ? answer.extmaps() : m.extmaps());
            for (RtpSender sender : track.senders) {
                settings.add(new SenderSettings(sender, active, payloadType, rtxPayloadType, ids));
            }
        }
        return settings;
    }

}
