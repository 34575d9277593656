package io.sfu.core.forward;

import io.sfu.core.rtp.FrameDependencyReader;
import io.sfu.core.rtp.codec.Vp8PayloadParser;
import io.sfu.core.rtp.codec.Vp9PayloadParser;

/**
 * What the producer read of one video packet for its consumers to select frames by: the frame's temporal layer (and
 * spatial layer), the layers a receiver can start at it, the frame's identity and whether the packet starts it. For
 * VP8 and VP9, taken from the payload descriptor (TID, Y or U, SID, picture id) where it carries them, else from the
 * dependency descriptor, with which libwebrtc leaves them out of the VP8 payload descriptor; for other codecs (AV1,
 * H.264) from the dependency descriptor alone. For VP9 a "frame" here is the whole picture: its spatial layer frames
 * share the picture id and temporal layer; in the dependency descriptor each layer frame is a frame of its own, with
 * its own frame number. Filled per packet by its producer, on the agent's thread.
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
    /** The dependency descriptor's frame number (16 bits), -1 without one. */
    int frameNumber;
    /** TL0PICIDX, -1 when the payload descriptor carries none. */
    int tl0PicIdx;
    boolean startOfFrame;
    /** VP9's SID or the dependency descriptor's spatial layer; -1 for a stream without spatial layers. */
    int spatialId;
    /** VP9's E bit, or the dependency descriptor's end_of_frame: the packet ends its layer frame. */
    boolean endOfLayerFrame;

    /**
     * Reads the layers of a packet whose VP8 payload descriptor {@code vp8} parsed, and whose dependency descriptor
     * {@code dependencies} read ({@code dependencyRead}; {@code frameNumber} its frame number).
     */
    void read(Vp8PayloadParser vp8, FrameDependencyReader dependencies, boolean dependencyRead, int frameNumber) {
        startOfFrame = vp8.startOfFrame();
        spatialId = -1;
        endOfLayerFrame = false;
        readTemporal(vp8.temporalId(), vp8.layerSync() ? 1 << Math.max(0, vp8.temporalId()) : 0, dependencies,
            dependencyRead);
        readIdentity(vp8.pictureId(), vp8.pictureIdBits(), vp8.tl0PicIdx(), frameNumber);
    }

    /**
     * Reads the layers of a packet whose VP9 payload descriptor {@code vp9} parsed, as {@link #read(Vp8PayloadParser,
     * FrameDependencyReader, boolean, int)} does. A picture starts at the first packet of its lowest layer frame. The
     * U bit (RFC 9628 §4.2) of a picture of temporal layer n says that no later picture of a higher layer refers to a
     * picture of a layer above n before it: a decoder of layer n can take up every layer above it from there on.
     */
    void read(Vp9PayloadParser vp9, FrameDependencyReader dependencies, boolean dependencyRead, int frameNumber) {
        spatialId = vp9.spatialId();
        endOfLayerFrame = vp9.endOfFrame();
        if (spatialId < 0 && dependencyRead) {
            spatialId = spatialIdOf(dependencies);
            endOfLayerFrame = dependencies.endOfFrame();
        }
        startOfFrame = vp9.startOfFrame() && spatialId <= 0;
        int temporal = vp9.temporalId();
        readTemporal(temporal, vp9.switchingUpPoint() ? ALL_LAYERS & ~((2 << temporal) - 1) : 0, dependencies,
            dependencyRead);
        readIdentity(vp9.pictureId(), vp9.pictureIdBits(), vp9.tl0PicIdx(), frameNumber);
    }

    /**
     * Reads the layers of a packet of another codec (AV1, H.264) from its dependency descriptor, which
     * {@code dependencies} read ({@code frameNumber} its frame number): each layer frame is a frame, told apart by its
     * frame number, and ends at end_of_frame. Spatial layers only where the structure has more than one.
     */
    void read(FrameDependencyReader dependencies, int frameNumber) {
        spatialId = spatialIdOf(dependencies);
        startOfFrame = dependencies.startOfFrame();
        endOfLayerFrame = dependencies.endOfFrame();
        readTemporal(-1, 0, dependencies, true);
        readIdentity(-1, 0, -1, frameNumber);
    }

    /** The spatial layer a dependency descriptor gives, -1 where its structure has none above the base. */
    private static int spatialIdOf(FrameDependencyReader dependencies) {
        return dependencies.maxSpatialId() > 0 ? dependencies.spatialId() : -1;
    }

    /** Bit n set for every temporal layer a TID can name. */
    private static final int ALL_LAYERS = (2 << TemporalLayerFilter.ALL) - 1;

    private void readTemporal(int payloadTemporalId, int payloadSyncLayers, FrameDependencyReader dependencies,
                              boolean dependencyRead) {
        if (payloadTemporalId >= 0) {
            temporalId = payloadTemporalId;
            syncLayers = payloadSyncLayers;
        } else if (dependencyRead) {
            temporalId = dependencies.temporalId();
            syncLayers = dependencies.switchLayers();
        } else {
            temporalId = -1;
            syncLayers = 0;
        }
    }

    private void readIdentity(int pictureId, int pictureIdBits, int inTl0PicIdx, int frameNumber) {
        tl0PicIdx = inTl0PicIdx;
        this.frameNumber = frameNumber;
        if (pictureId >= 0) {
            frameId = pictureId;
            frameIdBits = pictureIdBits;
        } else if (frameNumber >= 0) {
            frameId = frameNumber & 0x7FFF;
            frameIdBits = 15;
        } else {
            frameId = -1;
            frameIdBits = 0;
        }
    }
}
