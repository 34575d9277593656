package io.sfu.core.negotiation;

import io.sfu.core.sdp.Codec;
import io.sfu.core.sdp.Connection;
import io.sfu.core.sdp.Direction;
import io.sfu.core.sdp.Fingerprint;
import io.sfu.core.sdp.Group;
import io.sfu.core.sdp.MediaDescription;
import io.sfu.core.sdp.MsidSemantic;
import io.sfu.core.sdp.Origin;
import io.sfu.core.sdp.Rtcp;
import io.sfu.core.sdp.SessionDescription;
import io.sfu.core.sdp.Setup;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Answers subscriber offers the way Chromium does (compare the captured {@code sdp/chromium-simulcast-answer.sdp}):
 * {@code a=setup:active}, {@code recvonly} to {@code sendonly}, the supported codecs of the offer with their
 * payload types, feedback and RTX, the offered extensions, every accepted m-line in one BUNDLE group, no SSRCs.
 */
final class BrowserAnswerer {
    String ufrag = "Qx7c";
    String pwd = "dKm2Rr8ZfE1sWq0+JvYt5nHb";
    Fingerprint fingerprint = Fingerprint.parse("sha-256 5E:11:A0:3C:9B:42:D7:6F:80:E4:2A:C1:77:0B:F3:9D:64:28:BE:51"
        + ":0C:DA:83:17:49:F6:2E:A5:B8:03:C9:71");
    /** Encoding names the browser decodes (lower case); a build without proprietary codecs has no H.264. */
    Set<String> decodes = Set.of("opus", "vp8", "vp9", "av1");
    /** Mids the browser rejects with port 0. */
    Set<String> reject = new HashSet<>();
    /** Mids the browser answers inactive although offered sendonly. */
    Set<String> decline = new HashSet<>();
    /** The browser accepts a data channel m-line (as Chromium does with RTCDataChannel support). */
    boolean dataChannels;
    private long version = 1;

    SessionDescription answer(SessionDescription offer) {
        SessionDescription answer = new SessionDescription()
            .setOrigin(new Origin("-", "4611731400430051336", ++version, "IN", "IP4", "127.0.0.1"));
        List<String> bundled = new ArrayList<>();
        for (MediaDescription o : offer.media()) {
            String mid = o.mid().orElseThrow();
            boolean application = o.media().equals("application");
            if (application && !(dataChannels && o.port() != 0 && !reject.contains(mid))) {
                MediaDescription r = new MediaDescription(o.media(), 0, o.proto()).setConnection(Connection.IP4_ANY);
                answer.addMedia(r.setFormats(o.formats()).setMid(mid));
                continue;
            }
            if (application) {
                MediaDescription a = new MediaDescription("application", 9, o.proto()).setConnection(
                    Connection.IP4_ANY);
                a.setFormats(o.formats());
                a.setIceUfrag(ufrag).setIcePwd(pwd).setIceOptions("trickle").setFingerprint(fingerprint)
                    .setSetup(Setup.ACTIVE).setMid(mid);
                a.addAttribute("sctp-port", "5000");
                a.addAttribute("max-message-size", "262144");
                answer.addMedia(a);
                bundled.add(mid);
                continue;
            }
            List<Codec> kept = new ArrayList<>();
            Set<Integer> keptPts = new HashSet<>();
            for (Codec c : o.codecs()) {
                if (c.rtpmap() != null && decodes.contains(c.name().toLowerCase(Locale.ROOT))) {
                    kept.add(c);
                    keptPts.add(c.payloadType());
                }
            }
            for (Codec c : o.codecs()) {
                if (c.isRtx() && keptPts.contains(c.fmtp().associatedPayloadType())) {
                    kept.add(c);
                }
            }
            if (o.port() == 0 || reject.contains(mid) || kept.isEmpty()) {
                MediaDescription r = new MediaDescription(o.media(), 0, o.proto()).setConnection(Connection.IP4_ANY);
                r.setFormats(o.formats());
                answer.addMedia(r.setMid(mid));
                continue;
            }
            MediaDescription a = MediaDescription.webRtc(o.media());
            a.add(new Rtcp(9, Connection.IP4_ANY));
            a.setIceUfrag(ufrag).setIcePwd(pwd).setIceOptions("trickle").setFingerprint(fingerprint)
                .setSetup(Setup.ACTIVE).setMid(mid);
            a.addAll(o.extmaps());
            Direction offered = offer.directionOf(o);
            a.setDirection(offered == Direction.SENDONLY && !decline.contains(mid) ? Direction.RECVONLY
                : Direction.INACTIVE);
            a.setRtcpMux(true).setRtcpRsize(true);
            for (Codec c : o.codecs()) {
                if (kept.contains(c)) {
                    a.addCodec(c.rtpmap(), c.fmtp(), c.feedback());
                }
            }
            answer.addMedia(a);
            bundled.add(mid);
        }
        if (!bundled.isEmpty()) {
            answer.setGroup(Group.bundle(bundled));
        }
        answer.setExtmapAllowMixed(true);
        answer.add(new MsidSemantic("WMS", List.of()));
        return answer;
    }
}
