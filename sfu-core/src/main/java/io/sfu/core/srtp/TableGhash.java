package io.sfu.core.srtp;

import java.util.Arrays;

/**
 * GHASH in plain Java with per-key tables: the portable {@link Ghash}, used where the JDK's intrinsic is not
 * reachable ({@link IntrinsicGhash}). A block
 * {@code X} is multiplied by {@code H} as the XOR of 16 precomputed products, one per octet position of
 * {@code X}: 16 tables of 256 entries of 128 bits, 64 KiB per key, built once when the key is set. That was
 * the fastest of the table layouts measured: 4-bit tables (8 KiB) and a Shoup-style 8-bit table with
 * shift-and-reduce (4 KiB) were both about 1.5 times slower, and interleaving the halves or folding two blocks
 * per step with H^2 gained nothing (about 23 ns per block either way). Table lookups indexed by secret data can leak
 * through cache timing to a co-located attacker; an SFU on its own cores accepts that, as OpenSSL's portable
 * GHASH does.
 *
 * <p>Bit order follows GCM: the first octet's most significant bit is the coefficient of x^0. Not thread-safe.
 */
final class TableGhash implements Ghash {
    private static final long REDUCTION = 0xE100000000000000L;
    private static final int POSITIONS = 16;

    // tableHigh[(p << 8) | b] is the high 64 bits of (octet b at position p) * H, tableLow the low 64
    private final long[] tableHigh = new long[POSITIONS * 256];
    private final long[] tableLow = new long[POSITIONS * 256];
    private final byte[] tail = new byte[AesCtr.BLOCK];
    private long stateHigh;
    private long stateLow;

    /** @param hashKey H = E(K, 0^128), 16 octets */
    TableGhash(byte[] hashKey) {
        long vHigh = ByteArrays.getLong(hashKey, 0);
        long vLow = ByteArrays.getLong(hashKey, 8);
        long[] powersHigh = new long[8];
        long[] powersLow = new long[8];
        for (int position = 0; position < POSITIONS; position++) {
            // powers[k] = H * x^(8 * position + k), the product for bit k (from the top) of this octet
            for (int k = 0; k < 8; k++) {
                powersHigh[k] = vHigh;
                powersLow[k] = vLow;
                long carry = vLow & 1;
                vLow = (vLow >>> 1) | (vHigh << 63);
                vHigh = (vHigh >>> 1) ^ (-carry & REDUCTION);
            }
            int base = position << 8;
            for (int octet = 1; octet < 256; octet++) {
                int lowestBit = octet & -octet;
                int k = 7 - Integer.numberOfTrailingZeros(lowestBit);
                tableHigh[base + octet] = tableHigh[base + (octet ^ lowestBit)] ^ powersHigh[k];
                tableLow[base + octet] = tableLow[base + (octet ^ lowestBit)] ^ powersLow[k];
            }
        }
    }

    @Override
    public void reset() {
        stateHigh = 0;
        stateLow = 0;
    }

    @Override
    public void update(byte[] data, int offset, int length) {
        int whole = length & ~(AesCtr.BLOCK - 1);
        for (int i = 0; i < whole; i += AesCtr.BLOCK) {
            updateBlock(ByteArrays.getLong(data, offset + i), ByteArrays.getLong(data, offset + i + 8));
        }
        int rest = length - whole;
        if (rest > 0) {
            System.arraycopy(data, offset + whole, tail, 0, rest);
            Arrays.fill(tail, rest, AesCtr.BLOCK, (byte) 0);
            updateBlock(ByteArrays.getLong(tail, 0), ByteArrays.getLong(tail, 8));
        }
    }

    @Override
    public void updateBlock(long high, long low) {
        long a = stateHigh ^ high;
        long b = stateLow ^ low;
        int a0 = (int) (a >>> 56);
        int a1 = 0x100 | ((int) (a >>> 48) & 0xFF);
        int a2 = 0x200 | ((int) (a >>> 40) & 0xFF);
        int a3 = 0x300 | ((int) (a >>> 32) & 0xFF);
        int a4 = 0x400 | ((int) (a >>> 24) & 0xFF);
        int a5 = 0x500 | ((int) (a >>> 16) & 0xFF);
        int a6 = 0x600 | ((int) (a >>> 8) & 0xFF);
        int a7 = 0x700 | ((int) a & 0xFF);
        int b0 = 0x800 | (int) (b >>> 56);
        int b1 = 0x900 | ((int) (b >>> 48) & 0xFF);
        int b2 = 0xA00 | ((int) (b >>> 40) & 0xFF);
        int b3 = 0xB00 | ((int) (b >>> 32) & 0xFF);
        int b4 = 0xC00 | ((int) (b >>> 24) & 0xFF);
        int b5 = 0xD00 | ((int) (b >>> 16) & 0xFF);
        int b6 = 0xE00 | ((int) (b >>> 8) & 0xFF);
        int b7 = 0xF00 | ((int) b & 0xFF);
        long[] h = tableHigh;
        long[] l = tableLow;
        stateHigh = h[a0] ^ h[a1] ^ h[a2] ^ h[a3] ^ h[a4] ^ h[a5] ^ h[a6] ^ h[a7]
            ^ h[b0] ^ h[b1] ^ h[b2] ^ h[b3] ^ h[b4] ^ h[b5] ^ h[b6] ^ h[b7];
        stateLow = l[a0] ^ l[a1] ^ l[a2] ^ l[a3] ^ l[a4] ^ l[a5] ^ l[a6] ^ l[a7]
            ^ l[b0] ^ l[b1] ^ l[b2] ^ l[b3] ^ l[b4] ^ l[b5] ^ l[b6] ^ l[b7];
    }

    @Override
    public long high() {
        return stateHigh;
    }

    @Override
    public long low() {
        return stateLow;
    }
}
