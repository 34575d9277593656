package io.sfu.core.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Big-endian reads and writes and a word-wise XOR on {@code byte[]}, the form the JCE ciphers work on. */
final class ByteArrays {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    // XOR does not care about byte order, so the native one saves the byte swaps
    private static final VarHandle LONG_NATIVE =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private ByteArrays() {
    }

    static long getLong(byte[] array, int index) {
        return (long) LONG_BE.get(array, index);
    }

    static void putLong(byte[] array, int index, long value) {
        LONG_BE.set(array, index, value);
    }

    static int getInt(byte[] array, int index) {
        return (int) INT_BE.get(array, index);
    }

    static void putInt(byte[] array, int index, int value) {
        INT_BE.set(array, index, value);
    }

    static int getUnsignedShort(byte[] array, int index) {
        return ((array[index] & 0xFF) << 8) | (array[index + 1] & 0xFF);
    }

    /** {@code dst[dstIndex .. + length) ^= src[srcIndex .. + length)}. */
    static void xor(byte[] dst, int dstIndex, byte[] src, int srcIndex, int length) {
        int i = 0;
        for (int words = length & ~7; i < words; i += Long.BYTES) {
            LONG_NATIVE.set(dst, dstIndex + i,
                (long) LONG_NATIVE.get(dst, dstIndex + i) ^ (long) LONG_NATIVE.get(src, srcIndex + i));
        }
        for (; i < length; i++) {
            dst[dstIndex + i] ^= src[srcIndex + i];
        }
    }

    /**
     * Whether {@code a[aIndex .. + length)} equals {@code b[bIndex .. + length)}, in time that depends only on
     * {@code length}, so a forger learns nothing from how long a tag comparison took.
     */
    static boolean constantTimeEquals(byte[] a, int aIndex, byte[] b, int bIndex, int length) {
        int difference = 0;
        for (int i = 0; i < length; i++) {
            difference |= a[aIndex + i] ^ b[bIndex + i];
        }
        return difference == 0;
    }
}
