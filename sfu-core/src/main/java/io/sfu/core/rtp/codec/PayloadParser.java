package io.sfu.core.rtp.codec;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The part every codec payload parser shares: range checks on the caller's (buffer, offset, length), the byte-array
 * entry points, and the keyframe flag of the last parse.
 */
abstract class PayloadParser implements KeyframeDetector {
    private static final byte[] PLACEHOLDER = new byte[1];

    /** Re-pointed at the caller's array by the byte[] entry points, so that one parser body serves both forms. */
    private final UnsafeBuffer arrayView = new UnsafeBuffer(PLACEHOLDER);

    /** Whether the last successful {@link #parse} saw the start of a keyframe. */
    boolean keyframe;

    /**
     * Parses the payload descriptor of one RTP payload and remembers what it found.
     *
     * @return false when the range lies outside the buffer or the payload is truncated or malformed; the getters
     *     are then meaningless
     */
    public final boolean parse(DirectBuffer payload, int offset, int length) {
        keyframe = false;
        if (payload == null || offset < 0 || length <= 0 || offset > payload.capacity() - length) {
            return false;
        }
        if (!parseChecked(payload, offset, offset + length)) {
            keyframe = false;
            return false;
        }
        return true;
    }

    /** As {@link #parse(DirectBuffer, int, int)}, over a byte array. */
    public final boolean parse(byte[] payload, int offset, int length) {
        keyframe = false;
        if (payload == null || offset < 0 || length <= 0 || offset > payload.length - length) {
            return false;
        }
        arrayView.wrap(payload);
        return parse(arrayView, offset, length);
    }

    @Override
    public final boolean isKeyframe(DirectBuffer payload, int offset, int length) {
        return parse(payload, offset, length) && keyframe;
    }

    @Override
    public final boolean isKeyframe(byte[] payload, int offset, int length) {
        return parse(payload, offset, length) && keyframe;
    }

    /** Whether the last successful parse saw the start of a keyframe. */
    public final boolean keyframe() {
        return keyframe;
    }

    /**
     * Parses {@code [offset, end)}, which the caller has checked to lie inside {@code payload} and to be non-empty.
     * Every read past {@code offset} must first be checked against {@code end}.
     */
    abstract boolean parseChecked(DirectBuffer payload, int offset, int end);

    static int u8(DirectBuffer buffer, int index) {
        return buffer.getByte(index) & 0xFF;
    }

    static int u16(DirectBuffer buffer, int index) {
        return ((buffer.getByte(index) & 0xFF) << 8) | (buffer.getByte(index + 1) & 0xFF);
    }
}
