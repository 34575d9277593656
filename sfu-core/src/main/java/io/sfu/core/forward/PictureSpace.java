package io.sfu.core.forward;

import java.util.Arrays;

/**
 * A consumer's own VP8 picture ids and TL0PICIDX (RFC 7741 §4.2), so that its subscriber's decoder sees one stream
 * whose frames follow each other without a gap: frames go out numbered {@code in + delta}; each frame dropped in
 * order lowers the picture-id delta of the frames after it, and each layer the consumer starts (its first, or a
 * simulcast switch) continues both numberings from the last frame sent. Picture ids keep the width the publisher
 * gives them (7 or 15 bits). The decisions about the last {@value #FRAME_WINDOW} frames are kept, so that the later
 * packets of a frame, and a frame whose first packets come late, are numbered as its first.
 */
final class PictureSpace {
    /** Frames whose decision is remembered (a power of two, below half the 7-bit picture id space). */
    static final int FRAME_WINDOW = 32;
    private static final int FRAME_MASK = FRAME_WINDOW - 1;
    private static final int PICTURE_ID_MASK = 0x7FFF;
    private static final long KNOWN = 1L << 32;
    /** The frame was skipped in order (not seen yet): its number is kept for it, its fate undecided. */
    private static final long AWAITED = 1L << 33;
    private static final long DROPPED = 1L << 34;

    /** 0x7F or 0x7FFF: the width of the current layer's picture ids. */
    private int mask = PICTURE_ID_MASK;
    private int highestInPicture;
    private int pictureDelta;
    private int tl0Delta;
    private int lastOutPicture = -1;
    private int lastOutTl0 = -1;
    /** Whether the numbers sent differ from the publisher's (after a switch, or a frame dropped, since the layer began). */
    private boolean renumbering;
    /** Whether a frame was dropped since the layer began: until then the delta alone maps every frame. */
    private boolean framesDropped;
    /** By incoming picture id modulo the window: {@code KNOWN | flags | in << 16 | out}. */
    private final long[] frames = new long[FRAME_WINDOW];

    /**
     * A layer starts at its keyframe, whose picture id is {@code inPicture} ({@code bits} wide) and TL0PICIDX
     * {@code inTl0} (negative when absent): the numbers go on from the last frame sent, or are the publisher's for
     * the first layer.
     */
    void switchTo(int inPicture, int bits, int inTl0) {
        Arrays.fill(frames, 0);
        mask = bits == 7 ? 0x7F : PICTURE_ID_MASK;
        highestInPicture = (inPicture - 1) & mask;
        pictureDelta = lastOutPicture >= 0 ? (lastOutPicture + 1 - inPicture) & PICTURE_ID_MASK : 0;
        tl0Delta = lastOutTl0 >= 0 && inTl0 >= 0 ? (lastOutTl0 + 1 - inTl0) & 0xFF : 0;
        renumbering = pictureDelta != 0 || tl0Delta != 0;
        framesDropped = false;
    }

    /** Whether packets need their picture id and TL0PICIDX rewritten: false while they go out as they came. */
    boolean renumbering() {
        return renumbering;
    }

    /** Takes over the numbering of the consumer this one replaces (same subscription, renegotiated track). */
    void continueFrom(PictureSpace previous) {
        lastOutPicture = previous.lastOutPicture;
        lastOutTl0 = previous.lastOutTl0;
    }

    /**
     * The picture id a packet of the frame {@code inPicture} goes out with, or -1 when its frame is not forwarded.
     * The frame's first packet seen decides it with {@code filter} (its temporal layer, the layers a decoder can
     * start at it, whether it is a keyframe); a frame
     * newer than every one before also records {@code inTl0} as the last TL0PICIDX sent.
     */
    int outPicture(int inPicture, int inTl0, int temporalId, int syncLayers, boolean keyframe,
                   TemporalLayerFilter filter) {
        int picture = inPicture & mask;
        int ahead = (picture - highestInPicture) & mask;
        boolean newer = ahead != 0 && ahead <= mask >>> 1;
        if (temporalId < 0 && !framesDropped) {
            // a stream without temporal layers: every frame goes, numbered by the delta alone
            int out = (picture + pictureDelta) & mask;
            if (newer) {
                highestInPicture = picture;
                lastOutPicture = out;
                lastOutTl0 = inTl0 >= 0 ? outTl0(inTl0) : lastOutTl0;
            }
            return out;
        }
        if (newer) {
            return newFrame(picture, ahead, filter.admit(temporalId, syncLayers, keyframe), inTl0);
        }
        int slot = picture & FRAME_MASK;
        long entry = frames[slot];
        if ((entry & KNOWN) == 0 || (int) (entry >>> 16 & PICTURE_ID_MASK) != picture) {
            return -1; // older than the frames remembered: too late to be of use
        }
        if ((entry & AWAITED) != 0) {
            entry &= ~AWAITED;
            if (!filter.admitsLate(temporalId)) {
                entry |= DROPPED;
            }
            frames[slot] = entry;
        }
        return (entry & DROPPED) != 0 ? -1 : (int) (entry & PICTURE_ID_MASK);
    }

    /** The picture id a frame already forwarded went out with (for a resend), or -1 when it was not (or is gone). */
    int sentPicture(int inPicture) {
        int picture = inPicture & mask;
        if (!framesDropped) {
            return (picture + pictureDelta) & mask;
        }
        long entry = frames[picture & FRAME_MASK];
        if ((entry & KNOWN) == 0 || (entry & (AWAITED | DROPPED)) != 0
            || (int) (entry >>> 16 & PICTURE_ID_MASK) != picture) {
            return -1;
        }
        return (int) (entry & PICTURE_ID_MASK);
    }

    /** The TL0PICIDX a packet carrying {@code inTl0} goes out with; negative when it carries none. */
    int outTl0(int inTl0) {
        return inTl0 < 0 ? -1 : (inTl0 + tl0Delta) & 0xFF;
    }

    private int newFrame(int picture, int ahead, boolean forwarded, int inTl0) {
        for (int i = Math.min(FRAME_WINDOW, ahead - 1); i > 0; i--) {
            int skipped = (picture - i) & mask;
            frames[skipped & FRAME_MASK] = KNOWN | AWAITED | (long) skipped << 16 | (skipped + pictureDelta) & mask;
        }
        highestInPicture = picture;
        int out = (picture + pictureDelta) & mask;
        if (!forwarded) {
            frames[picture & FRAME_MASK] = KNOWN | DROPPED | (long) picture << 16;
            pictureDelta = (pictureDelta - 1) & PICTURE_ID_MASK;
            renumbering = true;
            framesDropped = true;
            return -1;
        }
        frames[picture & FRAME_MASK] = KNOWN | (long) picture << 16 | out;
        lastOutPicture = out;
        if (inTl0 >= 0) {
            lastOutTl0 = outTl0(inTl0);
        }
        return out;
    }
}
