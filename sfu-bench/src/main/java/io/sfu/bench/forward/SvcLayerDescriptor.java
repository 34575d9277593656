package io.sfu.bench.forward;

/** Where the packets of a track with spatial layers on one SSRC tell each layer frame's layers. */
public enum SvcLayerDescriptor {
    /** VP9's payload descriptor: picture id, TID, U, SID, TL0PICIDX (RFC 9628 §4.2). */
    PAYLOAD,
    /** The dependency descriptor header extension alone, as with AV1 (AV1 RTP specification, appendix A). */
    DEPENDENCY
}
