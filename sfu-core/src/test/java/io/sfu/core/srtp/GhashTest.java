package io.sfu.core.srtp;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** GHASH (NIST SP 800-38D §6.4): the JDK's intrinsic and the portable tables agree with the standard and each other. */
class GhashTest {
    /**
     * The GCM specification's test case 2 (K = 0^128, IV = 0^96, P = 0^128): H = E(K, 0^128), C its ciphertext, no
     * AAD; GHASH(H, {}, C) = T xor E(K, J0) = ab6e47d42cec13bdf53a67b21257bddf xor 58e2fccefa7e3061367f1d57a4e7455a.
     */
    private static final byte[] H = TestVectors.hex("66e94bd4ef8a2c3b884cfa59ca342b2e");
    private static final byte[] C = TestVectors.hex("0388dace60b6a392f328c2b971b2fe78");
    private static final byte[] EXPECTED = TestVectors.hex("f38cbb1ad69223dcc3457ae5b6b0f885");

    private static void assertStandardVector(Ghash ghash) {
        ghash.reset();
        ghash.update(C, 0, C.length);
        ghash.updateLengths(0, C.length);
        assertThat(ByteArrays.getLong(EXPECTED, 0)).isEqualTo(ghash.high());
        assertThat(ByteArrays.getLong(EXPECTED, 8)).isEqualTo(ghash.low());
    }

    @Test
    void theTablesComputeTheStandardVector() {
        assertStandardVector(new TableGhash(H));
    }

    @Test
    void theBuildLetsTheJdkGhashBeReached() {
        // surefire passes --add-opens; only a JVM without the intrinsic may fall back
        assertThat(IntrinsicGhash.UNAVAILABLE_BECAUSE).satisfiesAnyOf(
            because -> assertThat(because).isNull(),
            because -> assertThat(because).contains("UseCLMUL"));
    }

    @Test
    void theIntrinsicComputesTheStandardVectorAndAgreesWithTheTablesOnAnyInput() {
        assumeTrue(IntrinsicGhash.AVAILABLE, "this JVM does not run the GHASH intrinsic");
        assertStandardVector(new IntrinsicGhash(H));
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 500; round++) {
            byte[] key = new byte[16];
            random.nextBytes(key);
            byte[] data = new byte[random.nextInt(0, 1500)];
            random.nextBytes(data);
            int offset = random.nextInt(0, data.length + 1);
            int length = random.nextInt(0, data.length - offset + 1);
            Ghash intrinsic = new IntrinsicGhash(key);
            Ghash tables = new TableGhash(key);
            for (Ghash ghash : new Ghash[] {intrinsic, tables}) {
                ghash.reset();
                ghash.update(data, offset, length);
                ghash.updateBlock(round, ~round);
                ghash.updateLengths(offset, length);
            }
            assertThat(intrinsic.high()).as("round %d", round).isEqualTo(tables.high());
            assertThat(intrinsic.low()).as("round %d", round).isEqualTo(tables.low());
        }
    }

    @Test
    void theIntrinsicRefusesARangeOutsideItsInput() {
        assumeTrue(IntrinsicGhash.AVAILABLE, "this JVM does not run the GHASH intrinsic");
        Ghash ghash = new IntrinsicGhash(H);

        assertThatThrownBy(() -> ghash.update(new byte[32], 17, 16)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ghash.update(new byte[32], -1, 16)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
