package io.sfu.core.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The hand-built primitives against the JCE's own: GCM ({@link AesCtr} + {@link Ghash}) against
 * {@code AES/GCM/NoPadding}, {@link HmacSha1} against {@code HmacSHA1}, over seeded random lengths that cross
 * block and chunk boundaries.
 */
class CryptoPrimitivesTest {
    private static final long SEED = 0x5EED_7714L;

    @Test
    void gcmMatchesTheJceForRandomKeysHeadersAndPayloads() throws Exception {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int run = 0; run < 300; run++) {
            byte[] key = bytes(random, random.nextBoolean() ? 16 : 32);
            byte[] salt = bytes(random, 12);
            int ssrc = random.nextInt();
            long index = random.nextLong() & 0xFFFF_FFFF_FFFFL;
            int header = 12 + 4 * random.nextInt(40);
            int payload = run < 40 ? run : random.nextInt(5000);
            byte[] packet = bytes(random, header + payload + 16);

            byte[] iv = new byte[12];
            ByteArrays.putInt(iv, 2, ssrc);
            iv[6] = (byte) (index >>> 40);
            iv[7] = (byte) (index >>> 32);
            ByteArrays.putInt(iv, 8, (int) index);
            for (int i = 0; i < 12; i++) {
                iv[i] ^= salt[i];
            }
            Cipher jce = Cipher.getInstance("AES/GCM/NoPadding");
            jce.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            jce.updateAAD(packet, 0, header);
            byte[] expected = jce.doFinal(packet, header, payload);

            byte[] plain = packet.clone();
            AesGcmCipher cipher = new AesGcmCipher(key, salt, new byte[AesCtr.CHUNK_BYTES],
                new byte[AesCtr.CHUNK_BYTES]);
            cipher.protectRtp(packet, 0, header, payload, ssrc, index);

            assertThat(Arrays.copyOfRange(packet, header, header + payload + 16))
                .as("seed %x run %d header %d payload %d", SEED, run, header, payload).isEqualTo(expected);
            assertThat(cipher.unprotectRtp(packet, 0, header, payload, ssrc, index)).isTrue();
            assertThat(Arrays.copyOf(packet, header + payload)).isEqualTo(Arrays.copyOf(plain, header + payload));
        }
    }

    @Test
    void ghashAgreesWithBitwiseMultiplication() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int run = 0; run < 200; run++) {
            byte[] h = bytes(random, 16);
            long x0 = random.nextLong();
            long x1 = random.nextLong();
            long[] expected = multiply(x0, x1, ByteArrays.getLong(h, 0), ByteArrays.getLong(h, 8));
            Ghash tables = new TableGhash(h);
            Ghash forKey = Ghash.forKey(h);
            for (Ghash ghash : new Ghash[] {tables, forKey}) {
                ghash.updateBlock(x0, x1);
                assertThat(new long[] {ghash.high(), ghash.low()}).as("%s seed %x run %d",
                    ghash.getClass().getSimpleName(), SEED, run).isEqualTo(expected);
            }
        }
    }

    @Test
    void hmacSha1MatchesTheJce() throws Exception {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int run = 0; run < 200; run++) {
            byte[] key = bytes(random, run % 3 == 0 ? 100 : 20);
            byte[] data = bytes(random, random.nextInt(3000));
            int roc = random.nextInt();
            Mac jce = Mac.getInstance("HmacSHA1");
            jce.init(new SecretKeySpec(key, "HmacSHA1"));
            jce.update(data);
            jce.update(new byte[] {(byte) (roc >>> 24), (byte) (roc >>> 16), (byte) (roc >>> 8), (byte) roc});

            HmacSha1 hmac = new HmacSha1(key);
            byte[] mac = new byte[20];
            hmac.start();
            hmac.update(data, 0, data.length);
            hmac.updateInt(roc);
            hmac.finish(mac);

            assertThat(mac).as("seed %x run %d", SEED, run).isEqualTo(jce.doFinal());
        }
    }

    /** GCM's multiplication, one bit at a time (NIST SP 800-38D Algorithm 1). */
    private static long[] multiply(long x0, long x1, long h0, long h1) {
        long z0 = 0;
        long z1 = 0;
        long v0 = h0;
        long v1 = h1;
        for (int bit = 0; bit < 128; bit++) {
            long set = bit < 64 ? (x0 >>> (63 - bit)) & 1 : (x1 >>> (127 - bit)) & 1;
            if (set != 0) {
                z0 ^= v0;
                z1 ^= v1;
            }
            boolean carry = (v1 & 1) != 0;
            v1 = (v1 >>> 1) | (v0 << 63);
            v0 = (v0 >>> 1) ^ (carry ? 0xE100000000000000L : 0);
        }
        return new long[] {z0, z1};
    }

    private static byte[] bytes(SplittableRandom random, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) random.nextInt(256);
        }
        return out;
    }
}
