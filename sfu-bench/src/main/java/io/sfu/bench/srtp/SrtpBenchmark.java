package io.sfu.bench.srtp;

import io.sfu.bench.JvmFlags;
import io.sfu.core.srtp.SrtpContext;
import io.sfu.core.srtp.SrtpProfile;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * SRTP protect and unprotect of one RTP packet (12-octet header, 1,200-octet payload) per profile, beside the
 * bare JCE primitives as the reference: AES-GCM encryption of the 1,200 octets, and AES-CTR keystream for them
 * plus HMAC-SHA1 over the 1,212-octet packet.
 *
 * <p>Run: {@code java -jar sfu-bench/target/benchmarks.jar SrtpBenchmark -wi 2 -i 3 -w 1s -r 1s -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.AGRONA, JvmFlags.GHASH})
public class SrtpBenchmark {
    static final int HEADER = 12;
    static final int PAYLOAD = 1200;
    static final int RTP_LENGTH = HEADER + PAYLOAD;
    static final int SSRC = 0x5EED_0001;
    /** Pre-protected packets cycled through by the unprotect benchmark; a power of two. */
    static final int RING = 2048;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /** One sending and one receiving context of a profile, and their packets. */
    @State(Scope.Thread)
    public static class Contexts {
        @Param({"SRTP_AES128_CM_HMAC_SHA1_80", "SRTP_AES128_CM_HMAC_SHA1_32", "SRTP_AEAD_AES_128_GCM",
            "SRTP_AEAD_AES_256_GCM"})
        public SrtpProfile profile;

        SrtpContext sender;
        SrtpContext receiver;
        UnsafeBuffer outgoing;
        int sequence;
        byte[][] ring;
        UnsafeBuffer incoming;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            SplittableRandom random = new SplittableRandom(42);
            byte[] key = bytes(random, profile.masterKeyLength());
            byte[] salt = bytes(random, profile.masterSaltLength());
            sender = SrtpContext.forSending(profile, key, salt);
            receiver = SrtpContext.forReceiving(profile, key, salt);
            byte[] rtp = rtpPacket(random);
            outgoing = new UnsafeBuffer(new byte[RTP_LENGTH + profile.rtpAuthTagLength()]);
            outgoing.putBytes(0, rtp);

            SrtpContext ringSender = SrtpContext.forSending(profile, key, salt);
            ring = new byte[RING][];
            for (int i = 0; i < RING; i++) {
                UnsafeBuffer buffer = new UnsafeBuffer(new byte[RTP_LENGTH + profile.rtpAuthTagLength()]);
                buffer.putBytes(0, rtp);
                buffer.putShort(2, (short) i, ByteOrder.BIG_ENDIAN);
                if (ringSender.protectRtp(buffer, 0, RTP_LENGTH) < 0) {
                    throw new IllegalStateException("protect failed");
                }
                ring[i] = buffer.byteArray();
            }
            incoming = new UnsafeBuffer(new byte[RTP_LENGTH + profile.rtpAuthTagLength()]);
        }
    }

    /** Keys and buffers for the bare JCE references. */
    @State(Scope.Thread)
    public static class Primitives {
        SecretKeySpec aesKey;
        Cipher gcm;
        Cipher ctr;
        Cipher ecb;
        Mac hmac;
        byte[] packet;
        byte[] protectedPacket = new byte[RTP_LENGTH + 16];
        byte[] out;
        byte[] iv12 = new byte[12];
        byte[] iv16 = new byte[16];
        byte[] counters = new byte[PAYLOAD + 16];
        byte[] keystream = new byte[PAYLOAD + 16];
        byte[] tag = new byte[20];
        int counter;

        @Setup(Level.Trial)
        public void setUp() throws GeneralSecurityException {
            SplittableRandom random = new SplittableRandom(43);
            aesKey = new SecretKeySpec(bytes(random, 16), "AES");
            gcm = Cipher.getInstance("AES/GCM/NoPadding");
            ctr = Cipher.getInstance("AES/CTR/NoPadding");
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, aesKey);
            hmac = Mac.getInstance("HmacSHA1");
            hmac.init(new SecretKeySpec(bytes(random, 20), "HmacSHA1"));
            packet = rtpPacket(random);
            out = new byte[RTP_LENGTH + 16];
        }
    }

    @Benchmark
    public int protectRtp(Contexts state) {
        state.outgoing.putShort(2, (short) ++state.sequence, ByteOrder.BIG_ENDIAN);
        return state.sender.protectRtp(state.outgoing, 0, RTP_LENGTH);
    }

    /** Includes copying the 1,2xx-octet protected packet into the work buffer (see {@link #packetCopy}). */
    @Benchmark
    public int unprotectRtp(Contexts state) {
        int i = state.next++ & (RING - 1);
        if (i == 0) {
            // the ring starts over: a new stream rather than 2048 replays
            state.receiver.removeSsrc(SSRC);
        }
        byte[] packet = state.ring[i];
        state.incoming.putBytes(0, packet);
        return state.receiver.unprotectRtp(state.incoming, 0, packet.length);
    }

    /** The copy {@link #unprotectRtp} makes per packet, on its own (the longest, a GCM packet). */
    @Benchmark
    public byte packetCopy(Primitives state) {
        System.arraycopy(state.protectedPacket, 0, state.out, 0, state.protectedPacket.length);
        return state.out[100];
    }

    /** Reference: JCE AES-128-GCM of the 1,200-octet payload with the 12-octet header as AAD. */
    @Benchmark
    public int referenceJceAesGcm(Primitives state) throws GeneralSecurityException {
        int counter = ++state.counter;
        state.iv12[8] = (byte) (counter >>> 24);
        state.iv12[9] = (byte) (counter >>> 16);
        state.iv12[10] = (byte) (counter >>> 8);
        state.iv12[11] = (byte) counter;
        state.gcm.init(Cipher.ENCRYPT_MODE, state.aesKey, new GCMParameterSpec(128, state.iv12));
        state.gcm.updateAAD(state.packet, 0, HEADER);
        return state.gcm.doFinal(state.packet, HEADER, PAYLOAD, state.out, HEADER);
    }

    /** Reference: JCE AES-128-CTR keystream over the 1,200-octet payload, plus JCE HMAC-SHA1 over 1,212 octets. */
    @Benchmark
    public int referenceJceAesCtrHmacSha1(Primitives state) throws GeneralSecurityException {
        int counter = ++state.counter;
        state.iv16[10] = (byte) (counter >>> 24);
        state.iv16[11] = (byte) (counter >>> 16);
        state.iv16[12] = (byte) (counter >>> 8);
        state.iv16[13] = (byte) counter;
        state.ctr.init(Cipher.ENCRYPT_MODE, state.aesKey, new IvParameterSpec(state.iv16));
        int length = state.ctr.doFinal(state.packet, HEADER, PAYLOAD, state.out, HEADER);
        state.hmac.update(state.out, 0, HEADER + length);
        state.hmac.doFinal(state.tag, 0);
        return state.tag[0];
    }

    /** Reference: HMAC-SHA1 over 1,212 octets alone (JCE Mac). */
    @Benchmark
    public int referenceJceHmacSha1(Primitives state) throws GeneralSecurityException {
        state.hmac.update(state.packet, 0, RTP_LENGTH);
        state.hmac.doFinal(state.tag, 0);
        return state.tag[0];
    }

    /**
     * Reference: the keystream the way {@link SrtpContext} makes it where the JDK's counter-mode intrinsic is out of
     * reach, JCE AES/ECB over 75 counter blocks, XORed into the 1,200-octet payload.
     */
    @Benchmark
    public int referenceEcbKeystream(Primitives state) throws GeneralSecurityException {
        int counter = ++state.counter;
        byte[] counters = state.counters;
        for (int block = 0; block < PAYLOAD / 16; block++) {
            int at = block * 16;
            counters[at + 10] = (byte) (counter >>> 8);
            counters[at + 11] = (byte) counter;
            counters[at + 14] = (byte) (block >>> 8);
            counters[at + 15] = (byte) block;
        }
        state.ecb.update(counters, 0, PAYLOAD, state.keystream, 0);
        byte[] packet = state.packet;
        byte[] keystream = state.keystream;
        for (int i = 0; i < PAYLOAD; i += Long.BYTES) {
            LONGS.set(packet, HEADER + i, (long) LONGS.get(packet, HEADER + i) ^ (long) LONGS.get(keystream, i));
        }
        return packet[HEADER];
    }

    static byte[] rtpPacket(SplittableRandom random) {
        byte[] rtp = bytes(random, RTP_LENGTH);
        rtp[0] = (byte) 0x80;
        rtp[1] = 96;
        rtp[2] = 0;
        rtp[3] = 0;
        rtp[8] = (byte) (SSRC >>> 24);
        rtp[9] = (byte) (SSRC >>> 16);
        rtp[10] = (byte) (SSRC >>> 8);
        rtp[11] = (byte) SSRC;
        return rtp;
    }

    static byte[] bytes(SplittableRandom random, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) random.nextInt(256);
        }
        return out;
    }
}
