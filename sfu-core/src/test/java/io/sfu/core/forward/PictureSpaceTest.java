package io.sfu.core.forward;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A consumer's VP8 picture ids and TL0PICIDX run on without a gap over the frames it drops and the layers it switches. */
class PictureSpaceTest {
    private final PictureSpace pictures = new PictureSpace();
    private final TemporalLayerFilter filter = new TemporalLayerFilter();

    /** The picture id the frame {@code picture} of layer {@code temporalId} (no sync) goes out with, or -1. */
    private int frame(int picture, int tl0, int temporalId) {
        return pictures.outPicture(picture, tl0, temporalId, 0, false, filter);
    }

    private int keyframe(int picture, int bits, int tl0) {
        pictures.switchTo(picture, bits, tl0);
        return pictures.outPicture(picture, tl0, 0, 0, true, filter);
    }

    @Test
    void theFirstLayerKeepsThePublishersNumbers() {
        assertThat(keyframe(1234, 15, 77)).isEqualTo(1234);
        assertThat(pictures.outTl0(77)).isEqualTo(77);
        assertThat(frame(1235, 77, 2)).isEqualTo(1235);
    }

    @Test
    void droppedFramesLeaveNoGapAndPictureIdsWrapAt15Bits() {
        filter.prefer(0);
        keyframe(32_764, 15, 9);
        assertThat(frame(32_765, 9, 2)).isEqualTo(-1);
        assertThat(frame(32_766, 9, 1)).isEqualTo(-1);
        assertThat(frame(32_767, 9, 2)).isEqualTo(-1);
        assertThat(frame(0, 10, 0)).isEqualTo(32_765);
        assertThat(frame(1, 10, 2)).isEqualTo(-1);
        assertThat(frame(2, 10, 1)).isEqualTo(-1);
        assertThat(frame(3, 10, 2)).isEqualTo(-1);
        assertThat(frame(4, 11, 0)).isEqualTo(32_766);
        assertThat(frame(8, 12, 0)).as("frames 5 to 7 never came: their numbers are kept for them").isEqualTo(2);
    }

    @Test
    void sevenBitPictureIdsStaySevenBitsAndWrapThere() {
        filter.prefer(0);
        assertThat(keyframe(125, 7, 0)).isEqualTo(125);
        assertThat(frame(126, 0, 2)).isEqualTo(-1);
        assertThat(frame(127, 0, 1)).isEqualTo(-1);
        assertThat(frame(0, 0, 2)).isEqualTo(-1);
        assertThat(frame(1, 1, 0)).isEqualTo(126);
        frame(2, 1, 2);
        frame(3, 1, 1);
        frame(4, 1, 2);
        assertThat(frame(5, 2, 0)).isEqualTo(127);
        frame(6, 2, 2);
        frame(7, 2, 1);
        frame(8, 2, 2);
        assertThat(frame(9, 3, 0)).isZero();
    }

    @Test
    void theLaterPacketsOfAFrameFollowItsFirst() {
        filter.prefer(1);
        keyframe(500, 15, 3);
        assertThat(frame(501, 3, 2)).isEqualTo(-1);
        assertThat(frame(502, 3, 1)).isEqualTo(501);
        filter.prefer(0);
        assertThat(frame(502, 3, 1)).as("a packet of a frame decided before the target fell").isEqualTo(501);
        assertThat(frame(501, 3, 2)).isEqualTo(-1);
        assertThat(frame(503, 3, 2)).isEqualTo(-1);
        assertThat(frame(504, 4, 0)).isEqualTo(502);
    }

    @Test
    void aFrameWhoseFirstPacketsComeLateKeepsTheNumberItWouldHaveHad() {
        filter.prefer(0);
        keyframe(100, 15, 1);
        // frame 101 (TL2) arrives late: 102 (TL1) is dropped first, then 103 (TL2), then the TL0 frame 104
        assertThat(frame(102, 1, 1)).isEqualTo(-1);
        assertThat(frame(103, 1, 2)).isEqualTo(-1);
        assertThat(frame(104, 2, 0)).as("101 keeps 101 until it is decided").isEqualTo(102);
        assertThat(frame(101, 1, 2)).as("late, and its layer is not forwarded").isEqualTo(-1);

        filter.prefer(2);
        pictures.switchTo(200, 15, 5);
        assertThat(pictures.outPicture(200, 5, 0, 0, true, filter)).isEqualTo(103);
        assertThat(frame(202, 5, 1)).isEqualTo(105);
        assertThat(frame(201, 5, 2)).as("late, in a layer forwarded: the number kept for it").isEqualTo(104);
    }

    @Test
    void onceFramesAreDroppedThoseOlderThanTheWindowAreNotForwarded() {
        filter.prefer(0);
        keyframe(1000, 15, 1);
        frame(1001, 1, 2);
        for (int i = 2; i <= PictureSpace.FRAME_WINDOW + 1; i++) {
            frame(1000 + i, 1, 0);
        }
        assertThat(frame(1000, 1, 0)).isEqualTo(-1);
        assertThat(pictures.sentPicture(1000)).isEqualTo(-1);
        assertThat(pictures.sentPicture(1000 + PictureSpace.FRAME_WINDOW))
            .isEqualTo(1000 + PictureSpace.FRAME_WINDOW - 1);
    }

    @Test
    void withoutTemporalLayersEveryFrameIsNumberedByTheDeltaAlone() {
        keyframe(1000, 15, 1);
        for (int i = 1; i <= PictureSpace.FRAME_WINDOW + 1; i++) {
            assertThat(pictures.outPicture(1000 + i, 1, -1, 0, false, filter)).isEqualTo(1000 + i);
        }
        assertThat(pictures.outPicture(1000, 1, -1, 0, false, filter)).as("late, a frame like any other")
            .isEqualTo(1000);
        assertThat(pictures.sentPicture(1000)).isEqualTo(1000);
        assertThat(pictures.renumbering()).isFalse();
        pictures.switchTo(7, 15, 1);
        assertThat(pictures.outPicture(7, 1, -1, 0, true, filter)).isEqualTo(1000 + PictureSpace.FRAME_WINDOW + 2);
        assertThat(pictures.renumbering()).isTrue();
    }

    @Test
    void aSwitchToAnotherEncodingContinuesBothNumberings() {
        keyframe(7000, 15, 250);
        frame(7001, 250, 2);
        frame(7002, 250, 1);
        frame(7003, 250, 2);
        frame(7004, 251, 0);
        assertThat(pictures.outTl0(251)).isEqualTo(251);

        // the other encoding numbers its own pictures and base layer frames
        assertThat(keyframe(30, 15, 40)).isEqualTo(7005);
        assertThat(pictures.outTl0(40)).isEqualTo(252);
        assertThat(frame(31, 40, 2)).isEqualTo(7006);
        assertThat(pictures.outTl0(44)).as("TL0PICIDX wraps at 8 bits").isEqualTo(0);
    }

    @Test
    void aResendFindsTheNumberItsFrameWentOutWith() {
        filter.prefer(0);
        keyframe(10, 15, 1);
        frame(11, 1, 2);
        frame(12, 2, 0);

        assertThat(pictures.sentPicture(12)).isEqualTo(11);
        assertThat(pictures.sentPicture(11)).as("dropped").isEqualTo(-1);
        assertThat(pictures.sentPicture(13)).as("not seen").isEqualTo(-1);
    }
}
