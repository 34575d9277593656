package io.sfu.client;

import java.util.List;

import io.sfu.core.rtp.HeaderExtensionUris;
import io.sfu.core.sdp.Extmap;

/**
 * The ids of the RTP header extensions the client writes and reads (RFC 8285; URIs in {@link HeaderExtensionUris}),
 * and those its offers propose (Chromium's). The ids in use are the ones the remote SDP names; 0 means not
 * negotiated.
 *
 * @param audioLevel   ssrc-audio-level (RFC 6464)
 * @param absSendTime  abs-send-time (webrtc.org)
 * @param transportCc  transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01)
 * @param mid          sdes:mid (RFC 9143 §15.1)
 * @param rid          sdes:rtp-stream-id (RFC 8852)
 * @param repairedRid  sdes:repaired-rtp-stream-id (RFC 8852)
 */
public record ExtensionIds(int audioLevel, int absSendTime, int transportCc, int mid, int rid, int repairedRid) {
    /** The ids the client offers. */
    public static final ExtensionIds OFFERED = new ExtensionIds(1, 2, 3, 4, 10, 11);
    /** Nothing negotiated. */
    public static final ExtensionIds NONE = new ExtensionIds(0, 0, 0, 0, 0, 0);

    /** The ids of the known URIs among {@code extmaps}; unknown URIs are ignored. */
    public static ExtensionIds of(List<Extmap> extmaps) {
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
                case HeaderExtensionUris.AUDIO_LEVEL -> audioLevel = e.id();
                case HeaderExtensionUris.ABS_SEND_TIME -> absSendTime = e.id();
                case HeaderExtensionUris.TRANSPORT_WIDE_CC -> transportCc = e.id();
                case HeaderExtensionUris.MID -> mid = e.id();
                case HeaderExtensionUris.RTP_STREAM_ID -> rid = e.id();
                case HeaderExtensionUris.REPAIRED_RTP_STREAM_ID -> repairedRid = e.id();
                default -> {
                }
            }
        }
        return new ExtensionIds(audioLevel, absSendTime, transportCc, mid, rid, repairedRid);
    }

    /** Whether any negotiated id needs the two-byte header form (RFC 8285 §4.3). */
    public boolean needsTwoByteForm() {
        return audioLevel > 14 || absSendTime > 14 || transportCc > 14 || mid > 14 || rid > 14 || repairedRid > 14;
    }
}
