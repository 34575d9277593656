package io.sfu.core.srtp;

/**
 * The SRTP key derivation of RFC 3711 §4.3 with key derivation rate 0 (the only rate DTLS-SRTP uses): the
 * AES-CM PRF of §4.3.3 keyed with the master key, on {@code (label || 0^48) XOR master_salt}. RFC 7714 §11 keeps
 * the same KDF for the AEAD profiles, with a 96-bit master salt and AES-256 for a 256-bit master key.
 */
final class SrtpKeyDerivation {
    static final int LABEL_RTP_ENCRYPTION = 0x00;
    static final int LABEL_RTP_AUTHENTICATION = 0x01;
    static final int LABEL_RTP_SALT = 0x02;
    static final int LABEL_RTCP_ENCRYPTION = 0x03;
    static final int LABEL_RTCP_AUTHENTICATION = 0x04;
    static final int LABEL_RTCP_SALT = 0x05;

    /** The PRF input is 112 bits: a shorter (AEAD) master salt is zero-padded on the right. */
    private static final int PRF_INPUT_LENGTH = 14;
    /** key_id = label || r is 56 bits aligned to the right of the 112-bit input, so the label is octet 7. */
    private static final int LABEL_OCTET = 7;

    private SrtpKeyDerivation() {
    }

    /** The {@code length}-octet session key, salt or authentication key for {@code label}. */
    static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        if (masterSalt.length > PRF_INPUT_LENGTH) {
            throw new IllegalArgumentException("master salt longer than 112 bits");
        }
        // x * 2^16: the PRF input in the top 14 octets of the first counter block
        byte[] x = new byte[AesCtr.BLOCK];
        System.arraycopy(masterSalt, 0, x, 0, masterSalt.length);
        x[LABEL_OCTET] ^= (byte) label;
        AesCtr prf = new AesCtr(masterKey, new byte[AesCtr.CHUNK_BYTES], new byte[AesCtr.CHUNK_BYTES]);
        byte[] out = new byte[length];
        prf.keystream(out, 0, length, ByteArrays.getLong(x, 0), ByteArrays.getLong(x, 8));
        return out;
    }
}
