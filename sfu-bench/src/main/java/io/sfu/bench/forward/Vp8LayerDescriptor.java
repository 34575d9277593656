package io.sfu.bench.forward;

/** Where the packets of a VP8 track in temporal layers tell each frame's layer. */
public enum Vp8LayerDescriptor {
    /** The VP8 payload descriptor: picture id, TL0PICIDX, TID and Y (RFC 7741 §4.2). */
    PAYLOAD,
    /** The dependency descriptor header extension, as Chromium sends it when it was negotiated. */
    DEPENDENCY
}
