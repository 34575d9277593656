package io.sfu.core.forward;

import io.sfu.core.rtp.FrameDependencyReader;
import io.sfu.core.rtp.codec.Vp8PayloadParser;

/**
 * What the producer read of one VP8 packet for its consumers to select frames by: the frame's temporal layer, the
 * layers a receiver can start at it, the frame's identity and whether the packet starts it. Taken from the VP8
 * payload descriptor (TID, Y, picture id) where it carries them, else from the dependency descriptor, with which
 * libwebrtc leaves them out of the payload descriptor. Filled per packet by its producer, on the agent's thread.
 */
final class FrameLayers {
    /** The frame's temporal layer, -1 when nothing tells it. */
    int temporalId;
    /** Bit n: a receiver can start decoding temporal layer n at this frame. */
    int syncLayers;
    /**
     * The frame's identity, to tell the packets of one frame from those of others: its picture id ({@link #frameIdBits}
     * wide), or the dependency descriptor's frame number in 15 bits; -1 when neither is there.
     */
    int frameId;
    int frameIdBits;
    /** TL0PICIDX, -1 when the payload descriptor carries none. */
    int tl0PicIdx;
    boolean startOfFrame;

    /**
     * Reads the layers of a packet whose VP8 payload descriptor {@code vp8} parsed, and whose dependency descriptor
     * {@code dependencies} read ({@code dependencyRead}; {@code frameNumber} its frame number).
     */
    void read(Vp8PayloadParser vp8, FrameDependencyReader dependencies, boolean dependencyRead, int frameNumber) {
        startOfFrame = vp8.startOfFrame();
        tl0PicIdx = vp8.tl0PicIdx();
        if (vp8.temporalId() >= 0) {
            temporalId = vp8.temporalId();
            syncLayers = vp8.layerSync() ? 1 << temporalId : 0;
        } else if (dependencyRead) {
            temporalId = dependencies.temporalId();
            syncLayers = dependencies.switchLayers();
        } else {
            temporalId = -1;
            syncLayers = 0;
        }
        if (vp8.pictureId() >= 0) {
            frameId = vp8.pictureId();
            frameIdBits = vp8.pictureIdBits();
        } else if (frameNumber >= 0) {
            frameId = frameNumber & 0x7FFF;
            frameIdBits = 15;
        } else {
            frameId = -1;
            frameIdBits = 0;
        }
    }
}
