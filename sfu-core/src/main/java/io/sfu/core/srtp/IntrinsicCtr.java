package io.sfu.core.srtp;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;

/**
 * AES in counter mode on the JDK's own counter-mode loop, which HotSpot replaces with its pipelined AES-NI stub
 * (several blocks in flight, about three times faster than one {@code AES/ECB} block call after another over a
 * buffer of counter blocks). The JCE reaches it only through {@code AES/CTR/NoPadding}, whose per-packet
 * {@code init} allocates and expands the key again; here one {@code com.sun.crypto.provider.CounterMode} is keyed
 * once and each packet writes its first counter block into that object's counter and calls the loop directly, so
 * nothing is allocated per packet.
 *
 * <p>The JDK increments the whole 128-bit counter where SRTP counts in the low word; they agree because neither
 * AES-CM (16-bit block counter) nor GCM (a 32-bit counter starting at 1 or 2) carries out of the low word for
 * SRTP-sized packets. Like {@link IntrinsicGhash} it needs {@code --add-opens
 * java.base/com.sun.crypto.provider=ALL-UNNAMED} and an x86 JVM with AES-NI; {@link #AVAILABLE} is false otherwise
 * and {@link AesCtr} keeps to ECB. The loop does not check bounds once intrinsified, so every call here is checked
 * first. Not thread-safe: one owner.
 */
final class IntrinsicCtr {
    /** Whether this JVM can run it: the JDK classes are open to us and HotSpot's counter-mode stub is used. */
    static final boolean AVAILABLE;
    /** Why it is not available, for the start-up log; null when it is. */
    static final String UNAVAILABLE_BECAUSE;
    private static final MethodHandle NEW_AES;
    private static final MethodHandle NEW_MODE;
    private static final MethodHandle INIT;
    private static final MethodHandle CRYPT;
    private static final VarHandle COUNTER;
    private static final VarHandle USED;

    static {
        MethodHandle newAes = null;
        MethodHandle newMode = null;
        MethodHandle init = null;
        MethodHandle crypt = null;
        VarHandle counter = null;
        VarHandle used = null;
        String because = null;
        try {
            Class<?> aes = Class.forName("com.sun.crypto.provider.AESCrypt");
            Class<?> symmetric = Class.forName("com.sun.crypto.provider.SymmetricCipher");
            Class<?> feedback = Class.forName("com.sun.crypto.provider.FeedbackCipher");
            Class<?> mode = Class.forName("com.sun.crypto.provider.CounterMode");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(mode, MethodHandles.lookup());
            newAes = lookup.findConstructor(aes, MethodType.methodType(void.class))
                .asType(MethodType.methodType(Object.class));
            newMode = lookup.findConstructor(mode, MethodType.methodType(void.class, symmetric))
                .asType(MethodType.methodType(Object.class, Object.class));
            init = lookup.findVirtual(feedback, "init",
                    MethodType.methodType(void.class, boolean.class, String.class, byte[].class, byte[].class))
                .asType(MethodType.methodType(void.class, Object.class, boolean.class, String.class, byte[].class,
                    byte[].class));
            crypt = lookup.findVirtual(mode, "implCrypt",
                    MethodType.methodType(int.class, byte[].class, int.class, int.class, byte[].class, int.class))
                .asType(MethodType.methodType(int.class, Object.class, byte[].class, int.class, int.class,
                    byte[].class, int.class));
            counter = lookup.findVarHandle(mode, "counter", byte[].class);
            used = lookup.findVarHandle(mode, "used", int.class);
            if (!intrinsicEnabled()) {
                because = "this JVM does not run its AES counter-mode intrinsic (it needs an x86 CPU with AES-NI)";
            }
        } catch (ReflectiveOperationException | IllegalAccessError | SecurityException e) {
            because = "java.base does not open com.sun.crypto.provider (" + e.getClass().getSimpleName() + ")";
        } catch (RuntimeException e) {
            because = "the JDK's counter mode is not reachable: " + e;
        }
        AVAILABLE = because == null;
        UNAVAILABLE_BECAUSE = because;
        NEW_AES = newAes;
        NEW_MODE = newMode;
        INIT = init;
        CRYPT = crypt;
        COUNTER = counter;
        USED = used;
    }

    private final Object mode;
    /** The mode's own counter block, written in place for each packet. */
    private final byte[] counter;

    /** @param key AES-128 or AES-256 key */
    IntrinsicCtr(byte[] key) {
        if (!AVAILABLE) {
            throw new IllegalStateException("the JDK's AES counter mode is unavailable: " + UNAVAILABLE_BECAUSE);
        }
        try {
            Object aes = NEW_AES.invokeExact();
            Object created = NEW_MODE.invokeExact(aes);
            INIT.invokeExact(created, false, "AES", key, new byte[AesCtr.BLOCK]);
            this.mode = created;
            this.counter = (byte[]) COUNTER.get(created);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("the JDK's AES counter mode could not be keyed", e);
        }
    }

    /**
     * HotSpot's counter-mode intrinsic is a diagnostic flag that management cannot read; on x86 it is on whenever the
     * AES intrinsics are (UseAES), which every x86 CPU with AES-NI has. Elsewhere ECB is used rather than risk the
     * JDK's byte-at-a-time Java loop.
     */
    private static boolean intrinsicEnabled() {
        String arch = System.getProperty("os.arch", "");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return false;
        }
        try {
            com.sun.management.HotSpotDiagnosticMXBean hotSpot =
                ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return hotSpot != null && Boolean.parseBoolean(hotSpot.getVMOption("UseAES").getValue());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** XORs {@code data[offset .. + length)} in place with the keystream of counter blocks from {@code (high, low)}. */
    void xorKeystream(byte[] data, int offset, int length, long high, long low) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IndexOutOfBoundsException("CTR input " + offset + "+" + length + " outside " + data.length);
        }
        ByteArrays.putLong(counter, 0, high);
        ByteArrays.putLong(counter, 8, low);
        // a whole block used: the loop encrypts the counter just written before its first octet
        USED.set(mode, AesCtr.BLOCK);
        int done;
        try {
            done = (int) CRYPT.invokeExact(mode, data, offset, length, data, offset);
        } catch (Throwable e) {
            // the JDK's loop neither throws nor allocates on checked bounds: this is a broken JVM, not bad input
            throw new IllegalStateException("the JDK's AES counter mode failed", e);
        }
        if (done != length) {
            throw new IllegalStateException("the JDK's AES counter mode processed " + done + " of " + length);
        }
    }
}
