package io.sfu.core.srtp;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import javax.crypto.Cipher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** AES-CTR on the JDK's counter-mode intrinsic agrees with NIST SP 800-38A and with ECB over counter blocks. */
class IntrinsicCtrTest {
    /** NIST SP 800-38A §F.5.1 (CTR-AES128.Encrypt), its first two blocks. */
    private static final byte[] KEY = TestVectors.hex("2b7e151628aed2a6abf7158809cf4f3c");
    private static final byte[] PLAIN = TestVectors.hex(
        "6bc1bee22e409f96e93d7e117393172a" + "ae2d8a571e03ac9c9eb76fac45af8e51");
    private static final byte[] CIPHER = TestVectors.hex(
        "874d6191b620e3261bef6864990db6ce" + "9806f66b7970fdff8617187bb9fffdff");

    @Test
    void theBuildLetsTheJdkCounterModeBeReached() {
        // surefire passes --add-opens; only a JVM without the AES intrinsics may fall back
        assertThat(IntrinsicCtr.UNAVAILABLE_BECAUSE).satisfiesAnyOf(
            because -> assertThat(because).isNull(),
            because -> assertThat(because).contains("AES-NI"));
    }

    @Test
    void encryptsTheStandardVector() {
        assumeTrue(IntrinsicCtr.AVAILABLE, "this JVM does not run the AES counter-mode intrinsic");
        byte[] data = PLAIN.clone();
        new IntrinsicCtr(KEY).xorKeystream(data, 0, data.length, 0xf0f1f2f3f4f5f6f7L, 0xf8f9fafbfcfdfeffL);
        assertThat(data).isEqualTo(CIPHER);
    }

    @Test
    void agreesWithEcbOverCounterBlocksOnAnyInputAndKey() throws Exception {
        assumeTrue(IntrinsicCtr.AVAILABLE, "this JVM does not run the AES counter-mode intrinsic");
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 300; round++) {
            byte[] key = new byte[round % 2 == 0 ? 16 : 32];
            random.nextBytes(key);
            byte[] data = new byte[random.nextInt(0, 1500)];
            random.nextBytes(data);
            int offset = random.nextInt(0, data.length + 1);
            int length = random.nextInt(0, data.length - offset + 1);
            long high = random.nextLong();
            // as SRTP's counters are: room below the top of the low word for every block of the packet
            long low = random.nextLong() & 0x7FFF_FFFF_FFFF_0000L;
            byte[] expected = data.clone();
            xorWithEcb(key, expected, offset, length, high, low);

            IntrinsicCtr ctr = new IntrinsicCtr(key);
            ctr.xorKeystream(data, offset, length, high, low);
            assertThat(data).as("round %d", round).isEqualTo(expected);
            // the same context again: nothing is left over from the packet before
            ctr.xorKeystream(data, offset, length, high, low);
            xorWithEcb(key, expected, offset, length, high, low);
            assertThat(data).as("round %d, again", round).isEqualTo(expected);
        }
    }

    @Test
    void refusesARangeOutsideItsInput() {
        assumeTrue(IntrinsicCtr.AVAILABLE, "this JVM does not run the AES counter-mode intrinsic");
        IntrinsicCtr ctr = new IntrinsicCtr(KEY);

        assertThatThrownBy(() -> ctr.xorKeystream(new byte[32], 17, 16, 0, 0))
            .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ctr.xorKeystream(new byte[32], -1, 16, 0, 0))
            .isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static void xorWithEcb(byte[] key, byte[] data, int offset, int length, long high, long low)
        throws Exception {
        Cipher ecb = AesCtr.newEcb(key);
        byte[] block = new byte[AesCtr.BLOCK];
        byte[] stream = new byte[AesCtr.BLOCK];
        for (int done = 0, i = 0; done < length; done += AesCtr.BLOCK, i++) {
            ByteArrays.putLong(block, 0, high);
            ByteArrays.putLong(block, 8, low + i);
            ecb.update(block, 0, AesCtr.BLOCK, stream, 0);
            for (int k = 0; k < AesCtr.BLOCK && done + k < length; k++) {
                data[offset + done + k] ^= stream[k];
            }
        }
    }
}
