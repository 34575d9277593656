package io.sfu.core.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RFC 3711 Appendix B: the AES-CM keystream (B.2) and the key derivation (B.3). */
class Rfc3711VectorsTest {
    private static final TestVectors B2 = TestVectors.load("rfc3711-b2-aes-cm-keystream.txt");
    private static final TestVectors B3 = TestVectors.load("rfc3711-b3-key-derivation.txt");

    @Test
    void aesCmKeystreamMatchesAppendixB2() {
        AesCtr aes = new AesCtr(B2.get("B.2", "session_key"), new byte[AesCtr.CHUNK_BYTES],
            new byte[AesCtr.CHUNK_BYTES]);
        byte[] iv = B2.get("B.2", "iv");
        // the whole 0x0000..0xFF01 run, generated in several chunks, so the counter crosses chunk boundaries
        int blocks = 0xFF02;
        byte[] keystream = new byte[blocks * AesCtr.BLOCK];
        aes.keystream(keystream, 0, keystream.length, ByteArrays.getLong(iv, 0), ByteArrays.getLong(iv, 8));

        for (int counter : new int[] {0x0000, 0x0001, 0x0002, 0xFEFF, 0xFF00, 0xFF01}) {
            String name = String.format("keystream.%04X", counter);
            byte[] block = Arrays.copyOfRange(keystream, counter * 16, counter * 16 + 16);
            assertThat(TestVectors.hex(block)).as(name).isEqualTo(TestVectors.hex(B2.get("B.2", name)));
        }
    }

    @Test
    void aesCmIvIsTheSaltShiftedBy16BitsWhenSsrcAndIndexAreZero() {
        AesCmHmacSha1Cipher cipher = new AesCmHmacSha1Cipher(B2.get("B.2", "session_key"),
            B2.get("B.2", "session_salt"), new byte[20], 10, new byte[AesCtr.CHUNK_BYTES],
            new byte[AesCtr.CHUNK_BYTES]);
        // SSRC 0, index 0: the RTP payload is XORed with the keystream starting at counter block 0000
        byte[] packet = new byte[12 + 48 + 10];
        packet[0] = (byte) 0x80;
        cipher.protectRtp(packet, 0, 12, 48, 0, 0);

        byte[] expected = new byte[48];
        System.arraycopy(B2.get("B.2", "keystream.0000"), 0, expected, 0, 16);
        System.arraycopy(B2.get("B.2", "keystream.0001"), 0, expected, 16, 16);
        System.arraycopy(B2.get("B.2", "keystream.0002"), 0, expected, 32, 16);
        assertThat(Arrays.copyOfRange(packet, 12, 60)).isEqualTo(expected);
    }

    @Test
    void sessionKeysMatchAppendixB3() {
        byte[] masterKey = B3.get("B.3", "master_key");
        byte[] masterSalt = B3.get("B.3", "master_salt");

        assertThat(SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, 16))
            .isEqualTo(B3.get("B.3", "cipher_key"));
        assertThat(SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_SALT, 14))
            .isEqualTo(B3.get("B.3", "cipher_salt"));
        // 94 octets: six counter blocks of the PRF
        assertThat(SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_AUTHENTICATION, 94))
            .isEqualTo(B3.get("B.3", "auth_key"));
    }

    @Test
    void eachLabelDerivesADifferentKey() {
        byte[] masterKey = B3.get("B.3", "master_key");
        byte[] masterSalt = B3.get("B.3", "master_salt");
        Set<String> keys = new HashSet<>();
        for (int label = 0; label <= 5; label++) {
            keys.add(TestVectors.hex(SrtpKeyDerivation.derive(masterKey, masterSalt, label, 16)));
        }
        assertThat(keys).hasSize(6);
    }
}
