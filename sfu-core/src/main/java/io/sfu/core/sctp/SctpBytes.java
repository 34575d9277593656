package io.sfu.core.sctp;

/** Big-endian field access on byte arrays, as every SCTP field is in network order (RFC 9260 §3). */
final class SctpBytes {
    private SctpBytes() {
    }

    static int u8(byte[] b, int at) {
        return b[at] & 0xFF;
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF;
    }

    static int i32(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
    }

    static long u32(byte[] b, int at) {
        return i32(b, at) & 0xFFFFFFFFL;
    }

    static long i64(byte[] b, int at) {
        return (long) i32(b, at) << 32 | u32(b, at + 4);
    }

    static void put8(byte[] b, int at, int value) {
        b[at] = (byte) value;
    }

    static void put16(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
    }

    static void put32(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }

    static void put64(byte[] b, int at, long value) {
        put32(b, at, (int) (value >>> 32));
        put32(b, at + 4, (int) value);
    }

    /** Serial number arithmetic on 32-bit TSNs (RFC 9260 §1.6, RFC 1982): a is before b. */
    static boolean tsnBefore(int a, int b) {
        return a - b < 0;
    }

    /** Serial number arithmetic on 16-bit SSNs. */
    static boolean ssnBefore(int a, int b) {
        return (short) (a - b) < 0;
    }

    /** Chunk and parameter lengths round up to a multiple of four (RFC 9260 §3.2). */
    static int padded(int length) {
        return length + 3 & ~3;
    }
}
