package io.sfu.client;

import io.sfu.core.sdp.MediaKind;

/**
 * A track the remote side sends to this peer connection, as its SDP (or, for a source the SDP did not name, the
 * mid header extension of its packets) describes it: the SFU's subscriber offers carry
 * {@code a=msid:<participantId> <trackId>} and the SSRCs with {@code a=ssrc}/{@code a=ssrc-group:FID}.
 *
 * @param participantId the msid stream id (the publishing participant); null when unknown
 * @param trackId       the msid track id; null when unknown
 * @param kind          audio or video
 * @param mid           the m-line's mid
 * @param ssrc          the media SSRC
 * @param rtxSsrc       the RTX SSRC of the FID group, or 0 without RTX
 * @param payloadType   the first (preferred) media payload type of the m-line, or -1
 * @param clockRateHz   the RTP clock rate of that payload type
 */
public record RemoteTrack(String participantId, String trackId, MediaKind kind, String mid, int ssrc, int rtxSsrc,
                          int payloadType, int clockRateHz) {

    /** The SSRC as an unsigned number, as SDP writes it. */
    public long ssrcUnsigned() {
        return ssrc & 0xFFFF_FFFFL;
    }
}
