package io.sfu.core.negotiation;

import io.sfu.core.rtp.HeaderExtensionUris;
import io.sfu.core.sdp.MediaDescription;
import io.sfu.core.sdp.MediaKind;
import io.sfu.core.sdp.Msid;
import io.sfu.core.sdp.SdpParseException;
import io.sfu.core.sdp.Simulcast.SimulcastId;
import io.sfu.core.sdp.Ssrc;
import io.sfu.core.sdp.SsrcGroup;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the track a publisher sends on an accepted m-line: its SSRCs and their RTX (RFC 5576 §4.2), CNAME, msid
 * (RFC 8830 §2) and feedback. One reader per answer keeps the track ids of one peer connection unique.
 */
final class PublishedTrackReader {
    private final Set<String> trackIds = new HashSet<>();

    /**
     * @param index      the m-line's index, names generated ids when the mid is long
     * @param codecs     the accepted primaries, RTX folded in
     * @param extensions the accepted header extensions: URI → id
     * @param simulcast  the accepted simulcast streams, empty without simulcast
     */
    PublishedTrack read(MediaDescription m, int index, String mid, MediaKind kind, List<NegotiatedCodec> codecs,
                        Map<String, Integer> extensions, List<SimulcastId> simulcast) {
        List<Ssrc> ssrcLines = m.ssrcs();
        List<SsrcGroup> groups = m.ssrcGroups();
        Set<Long> repairs = new HashSet<>();
        List<Long> sim = null;
        for (SsrcGroup g : groups) {
            if (SsrcGroup.SIM.equals(g.semantics()) && sim == null) {
                sim = g.ssrcs();
            } else if (!SsrcGroup.SIM.equals(g.semantics())) {
                // FID, FEC-FR, ...: every member after the first repairs the first
                repairs.addAll(g.ssrcs().subList(Math.min(1, g.ssrcs().size()), g.ssrcs().size()));
            }
        }
        Set<Long> primaries = new LinkedHashSet<>();
        if (sim != null) {
            primaries.addAll(sim);
        } else {
            for (Ssrc s : ssrcLines) {
                if (!repairs.contains(s.ssrc())) {
                    primaries.add(s.ssrc());
                }
            }
            for (SsrcGroup g : groups) {
                if (!g.ssrcs().isEmpty() && !repairs.contains(g.ssrcs().get(0))) {
                    primaries.add(g.ssrcs().get(0));
                }
            }
        }
        Map<Integer, Integer> rtx = new LinkedHashMap<>();
        for (SsrcGroup g : groups) {
            if (SsrcGroup.FID.equals(g.semantics()) && g.ssrcs().size() == 2
                && primaries.contains(g.ssrcs().get(0))) {
                rtx.putIfAbsent((int) (long) g.ssrcs().get(0), (int) (long) g.ssrcs().get(1));
            }
        }
        List<Integer> ssrcs = new ArrayList<>();
        for (long s : primaries) {
            ssrcs.add((int) s);
        }
        // the first primary's cname and msid; any cname of the m-line when the first has none
        Long first = primaries.isEmpty() ? null : primaries.iterator().next();
        String cname = null;
        String anyCname = null;
        Msid ssrcMsid = null;
        for (Ssrc s : ssrcLines) {
            boolean ofFirst = first != null && s.ssrc() == first;
            if (Ssrc.CNAME.equals(s.attribute()) && s.value() != null && !s.value().isEmpty()) {
                if (ofFirst && cname == null) {
                    cname = s.value();
                }
                if (anyCname == null) {
                    anyCname = s.value();
                }
            }
            if (ofFirst && ssrcMsid == null && "msid".equals(s.attribute()) && s.value() != null) {
                ssrcMsid = msidOrNull(s.value());
            }
        }
        if (cname == null) {
            cname = anyCname;
        }
        Msid msid = m.msid().orElse(ssrcMsid);
        String streamId = msid == null || "-".equals(msid.streamId()) ? "stream-" + shortName(mid, index)
            : msid.streamId();
        String trackId = msid == null ? null : msid.trackId();
        if (trackId == null || !trackIds.add(trackId)) {
            trackId = uniqueGeneratedTrackId(shortName(mid, index));
        }
        List<String> rids = new ArrayList<>();
        for (SimulcastId id : simulcast) {
            rids.add(id.rid());
        }
        boolean nack = false;
        boolean pli = false;
        boolean fir = false;
        boolean twcc = false;
        boolean remb = false;
        for (NegotiatedCodec c : codecs) {
            nack |= c.hasFeedback(NegotiatedCodec.NACK);
            pli |= c.hasFeedback(NegotiatedCodec.PLI);
            fir |= c.hasFeedback(NegotiatedCodec.FIR);
            twcc |= c.hasFeedback(NegotiatedCodec.TRANSPORT_CC);
            remb |= c.hasFeedback(NegotiatedCodec.REMB);
        }
        // transport-cc feedback needs the sequence numbers of its header extension
        twcc &= extensions.containsKey(HeaderExtensionUris.TRANSPORT_WIDE_CC);
        return new PublishedTrack(mid, kind, streamId, trackId, rids, ssrcs, rtx, cname, codecs,
            extensions, new FeedbackSupport(nack, pli, fir, twcc, remb));
    }

    /** The msid of an {@code a=ssrc:<ssrc> msid:} line; one the SFU cannot read is as if absent (ids are generated). */
    private static Msid msidOrNull(String value) {
        try {
            return Msid.parse(value);
        } catch (SdpParseException unreadable) {
            return null;
        }
    }

    /** A generated id must stay a valid msid id (at most 64 characters): long mids give way to the index. */
    private static String shortName(String mid, int index) {
        return mid.length() <= 32 ? mid : "m" + index;
    }

    private String uniqueGeneratedTrackId(String name) {
        String base = "track-" + name;
        String id = base;
        for (int n = 2; !trackIds.add(id); n++) {
            id = base + '-' + n;
        }
        return id;
    }
}
