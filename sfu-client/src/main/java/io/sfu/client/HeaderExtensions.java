package io.sfu.client;

import java.util.List;

import io.sfu.core.sdp.Extmap;

/**
 * The RTP header extensions the client writes and reads (RFC 8285), by their SDP URIs, with the ids its offers
 * propose (Chromium's). The ids in use are the ones the remote SDP names; 0 means not negotiated.
 *
 * @param audioLevel   ssrc-audio-level (RFC 6464)
 * @param absSendTime  abs-send-time (webrtc.org)
 * @param transportCc  transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01)
 * @param mid          sdes:mid (RFC 9143 §15.1)
 * @param rid          sdes:rtp-stream-id (RFC 8852)
 * @param repairedRid  sdes:repaired-rtp-stream-id (RFC 8852)
 */
public record HeaderExtensions(int audioLevel, int absSendTime, int transportCc, int mid, int rid, int repairedRid) {
    public static final String AUDIO_LEVEL_URI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public static final String ABS_SEND_TIME_URI = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public static final String TRANSPORT_CC_URI =
        "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    public static final String MID_URI = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public static final String RID_URI = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public static final String REPAIRED_RID_URI = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";

    /** The ids the client offers. */
    public static final HeaderExtensions OFFERED = new HeaderExtensions(1, 2, 3, 4, 10, 11);
    /** Nothing negotiated. */
    public static final HeaderExtensions NONE = new HeaderExtensions(0, 0, 0, 0, 0, 0);

    /** The ids of the known URIs among {@code extmaps}; unknown URIs are ignored. */
    public static HeaderExtensions of(List<Extmap> extmaps) {
        int audioLevel = 0;
        int absSendTime = 0;
        int transportCc = 0;
        int mid = 0;
        int rid = 0;
        int repairedRid = 0;
        for (Extmap e : extmaps) {
            // ids beyond 255 are offer-only placeholders (RFC 8285 §5); an answer never uses them
            if (e.id() > 255) {
                continue;
            }
            switch (e.uri()) {
                case AUDIO_LEVEL_URI -> audioLevel = e.id();
                case ABS_SEND_TIME_URI -> absSendTime = e.id();
                case TRANSPORT_CC_URI -> transportCc = e.id();
                case MID_URI -> mid = e.id();
                case RID_URI -> rid = e.id();
                case REPAIRED_RID_URI -> repairedRid = e.id();
                default -> {
                }
            }
        }
        return new HeaderExtensions(audioLevel, absSendTime, transportCc, mid, rid, repairedRid);
    }

    /** Whether any negotiated id needs the two-byte header form (RFC 8285 §4.3). */
    public boolean needsTwoByteForm() {
        return audioLevel > 14 || absSendTime > 14 || transportCc > 14 || mid > 14 || rid > 14 || repairedRid > 14;
    }
}
