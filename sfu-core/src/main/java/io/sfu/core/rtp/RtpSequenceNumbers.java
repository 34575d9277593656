package io.sfu.core.rtp;

/**
 * Arithmetic on 16-bit RTP sequence numbers that wrap at 65536 (RFC 3550 §5.1, Appendix A.1): a number is
 * newer than another when it is less than half the sequence space ahead of it.
 */
public final class RtpSequenceNumbers {
    public static final int MODULUS = 1 << 16;
    public static final int MASK = MODULUS - 1;

    private RtpSequenceNumbers() {
    }

    /** Signed distance from {@code b} to {@code a} in -32768..32767: positive when {@code a} is newer. */
    public static int diff(int a, int b) {
        return (short) (a - b);
    }

    /** True when {@code a} comes after {@code b} (strictly), allowing for wrap-around. */
    public static boolean isNewer(int a, int b) {
        return diff(a, b) > 0;
    }

    /** The later of two sequence numbers, allowing for wrap-around. */
    public static int latest(int a, int b) {
        return isNewer(a, b) ? a : b;
    }

    /** {@code sequenceNumber + delta}, wrapped into 0..65535 ({@code delta} may be negative). */
    public static int add(int sequenceNumber, int delta) {
        return (sequenceNumber + delta) & MASK;
    }
}
