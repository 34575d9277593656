package io.sfu.core.srtp;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;

/**
 * GHASH on the JDK's own block function, which HotSpot replaces with its carry-less-multiply stub (PCLMULQDQ,
 * 1–2 ns a block against about 23 ns for {@link TableGhash}). The JCE reaches it only through
 * {@code AES/GCM/NoPadding}, whose per-packet {@code init} allocates; here the static block function of
 * {@code com.sun.crypto.provider.GHASH} is called directly on this object's own state and key, so nothing is
 * allocated per packet and the per-key memory is 18 longs (fan-out does not spill the cache).
 *
 * <p>It needs {@code --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED} (the server jar's manifest carries
 * it; scripts, tests and benchmarks pass it) and a JVM that runs the GHASH intrinsic (x86 with carry-less
 * multiplication); {@link #AVAILABLE} is false
 * otherwise, and {@link Ghash#forKey} then uses the table implementation. The block function does not check
 * bounds once intrinsified, so every call here is checked first.
 */
final class IntrinsicGhash implements Ghash {
    /** Whether this JVM can run it: the JDK class is open to us and HotSpot's GHASH intrinsic is on. */
    static final boolean AVAILABLE;
    /** Why it is not available, for the start-up log; null when it is. */
    static final String UNAVAILABLE_BECAUSE;
    private static final MethodHandle PROCESS_BLOCKS;
    /** The JDK keeps H and a cache of its powers that the stub fills in: 9 blocks of two longs. */
    private static final int KEY_TABLE_LONGS = 18;

    static {
        MethodHandle handle = null;
        String because = null;
        try {
            Class<?> ghash = Class.forName("com.sun.crypto.provider.GHASH");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(ghash, MethodHandles.lookup());
            handle = lookup.findStatic(ghash, "processBlocks",
                MethodType.methodType(void.class, byte[].class, int.class, int.class, long[].class, long[].class));
            if (!intrinsicEnabled()) {
                because = "this JVM does not run its GHASH intrinsic (it needs an x86 CPU with UseCLMUL on)";
            }
        } catch (ReflectiveOperationException | IllegalAccessError | SecurityException e) {
            because = "java.base does not open com.sun.crypto.provider (" + e.getClass().getSimpleName() + ")";
        } catch (RuntimeException e) {
            because = "the JDK's GHASH is not reachable: " + e;
        }
        AVAILABLE = because == null;
        UNAVAILABLE_BECAUSE = because;
        PROCESS_BLOCKS = handle;
    }

    private final long[] state = new long[2];
    private final long[] key = new long[KEY_TABLE_LONGS];
    private final byte[] block = new byte[AesCtr.BLOCK];

    /** @param hashKey H = E(K, 0^128), 16 octets */
    IntrinsicGhash(byte[] hashKey) {
        if (!AVAILABLE) {
            throw new IllegalStateException("the JDK's GHASH is unavailable: " + UNAVAILABLE_BECAUSE);
        }
        key[0] = ByteArrays.getLong(hashKey, 0);
        key[1] = ByteArrays.getLong(hashKey, 8);
    }

    /**
     * HotSpot's GHASH intrinsic is a diagnostic flag that management cannot read; on x86 it is on exactly when
     * carry-less multiplication is (UseCLMUL). Elsewhere the tables are used rather than risk the JDK's slow Java
     * fallback.
     */
    private static boolean intrinsicEnabled() {
        try {
            com.sun.management.HotSpotDiagnosticMXBean hotSpot =
                ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return hotSpot != null && Boolean.parseBoolean(hotSpot.getVMOption("UseCLMUL").getValue());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Override
    public void reset() {
        state[0] = 0;
        state[1] = 0;
    }

    @Override
    public void update(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IndexOutOfBoundsException("GHASH input " + offset + "+" + length + " outside " + data.length);
        }
        int whole = length & ~(AesCtr.BLOCK - 1);
        if (whole > 0) {
            processBlocks(data, offset, whole >>> 4);
        }
        int rest = length - whole;
        if (rest > 0) {
            System.arraycopy(data, offset + whole, block, 0, rest);
            java.util.Arrays.fill(block, rest, AesCtr.BLOCK, (byte) 0);
            processBlocks(block, 0, 1);
        }
    }

    @Override
    public void updateBlock(long high, long low) {
        ByteArrays.putLong(block, 0, high);
        ByteArrays.putLong(block, 8, low);
        processBlocks(block, 0, 1);
    }

    private void processBlocks(byte[] data, int offset, int blocks) {
        try {
            PROCESS_BLOCKS.invokeExact(data, offset, blocks, state, key);
        } catch (Throwable e) {
            // the JDK's block function neither throws nor allocates: this is a broken JVM, not bad input
            throw new IllegalStateException("the JDK's GHASH failed", e);
        }
    }

    @Override
    public long high() {
        return state[0];
    }

    @Override
    public long low() {
        return state[1];
    }
}
