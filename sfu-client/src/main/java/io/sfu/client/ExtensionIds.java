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

    /** The URIs of the components, in their order. */
    private static final List<String> URIS = List.of(HeaderExtensionUris.AUDIO_LEVEL,
        HeaderExtensionUris.ABS_SEND_TIME, HeaderExtensionUris.TRANSPORT_WIDE_CC, HeaderExtensionUris.MID,
        HeaderExtensionUris.RTP_STREAM_ID, HeaderExtensionUris.REPAIRED_RTP_STREAM_ID);

    /** The ids of the known URIs among {@code extmaps}; unknown URIs are ignored. */
    public static ExtensionIds of(List<Extmap> extmaps) {
        int[] ids = new int[URIS.size()];
        for (Extmap e : extmaps) {
            int component = URIS.indexOf(e.uri());
            // ids beyond 255 are offer-only placeholders (RFC 8285 §5); an answer never uses them
            if (component >= 0 && e.id() <= 255) {
                ids[component] = e.id();
            }
        }
        return new ExtensionIds(ids[0], ids[1], ids[2], ids[3], ids[4], ids[5]);
    }

    /** Whether any negotiated id needs the two-byte header form (RFC 8285 §4.3). */
    public boolean needsTwoByteForm() {
        return audioLevel > 14 || absSendTime > 14 || transportCc > 14 || mid > 14 || rid > 14 || repairedRid > 14;
    }
}
