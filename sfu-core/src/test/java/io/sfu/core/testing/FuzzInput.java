package io.sfu.core.testing;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Reads the bytes of one fuzz input as a sequence of small decisions and length-prefixed chunks, so that a target
 * can drive a conversation (which source, which kind of datagram, how long to wait) from one byte array; and
 * writes such inputs, so that seeds built from real packets decode the same way. Reading past the end yields zeros
 * and empty chunks, never an exception: every byte array is a valid input.
 */
public final class FuzzInput {
    private final byte[] data;
    private int position;

    public FuzzInput(byte[] data) {
        this.data = data;
    }

    /** Whether unread bytes are left. */
    public boolean hasRemaining() {
        return position < data.length;
    }

    /** Unread bytes. */
    public int remaining() {
        return data.length - position;
    }

    /** The next byte, unsigned; 0 past the end. */
    public int u8() {
        return position < data.length ? data[position++] & 0xFF : 0;
    }

    /** The next two bytes as a big-endian unsigned number. */
    public int u16() {
        return (u8() << 8) | u8();
    }

    /** The next four bytes as a big-endian number. */
    public int u32() {
        return (u16() << 16) | u16();
    }

    /** The next eight bytes as a big-endian number. */
    public long u64() {
        return ((long) u32() << 32) | (u32() & 0xFFFF_FFFFL);
    }

    /** A choice among {@code count} options, from the next byte. */
    public int choice(int count) {
        return u8() % count;
    }

    /** A chunk written by {@link Writer#chunk}: a two-byte length, cut to what is left, then that many bytes. */
    public byte[] chunk() {
        int length = Math.min(u16(), remaining());
        byte[] chunk = Arrays.copyOfRange(data, position, position + length);
        position += length;
        return chunk;
    }

    /** Every unread byte. */
    public byte[] rest() {
        byte[] rest = Arrays.copyOfRange(data, position, data.length);
        position = data.length;
        return rest;
    }

    /** Builds inputs in the layout {@link FuzzInput} reads, for seeds. */
    public static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Writer u8(int value) {
            out.write(value);
            return this;
        }

        public Writer u16(int value) {
            return u8(value >>> 8).u8(value);
        }

        public Writer u32(int value) {
            return u16(value >>> 16).u16(value);
        }

        public Writer u64(long value) {
            return u32((int) (value >>> 32)).u32((int) value);
        }

        /** A chunk of at most 65535 bytes, prefixed by its length. */
        public Writer chunk(byte[] bytes) {
            if (bytes.length > 0xFFFF) {
                throw new IllegalArgumentException("a chunk holds at most 65535 bytes, not " + bytes.length);
            }
            u16(bytes.length);
            out.writeBytes(bytes);
            return this;
        }

        /** Bytes without a prefix, for the end of an input. */
        public Writer bytes(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        public byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
