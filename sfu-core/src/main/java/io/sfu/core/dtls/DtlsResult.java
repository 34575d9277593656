package io.sfu.core.dtls;

import java.util.Arrays;

/**
 * What a completed DTLS-SRTP handshake yields for the SRTP layer (RFC 5764 §4.2): the negotiated protection
 * profile, the exported keying material and how to split it, the local role, and the peer's verified fingerprint.
 *
 * <p>The keying material is laid out as client_write_SRTP_master_key, server_write_SRTP_master_key,
 * client_write_SRTP_master_salt, server_write_SRTP_master_salt; the accessors cut it up, and
 * {@link #localMasterKey()} / {@link #remoteMasterKey()} pick the directions by role (the local side encrypts
 * with its own write key). Every accessor returns a copy.
 */
public final class DtlsResult {

    private final int srtpProfileId;
    private final byte[] keyingMaterial;
    private final int keyLength;
    private final int saltLength;
    private final DtlsRole role;
    private final DtlsFingerprint peerFingerprint;
    private final byte[] peerCertificate;
    private final int cipherSuite;
    private final boolean extendedMasterSecret;

    DtlsResult(int srtpProfileId, byte[] keyingMaterial, DtlsRole role, DtlsFingerprint peerFingerprint,
               byte[] peerCertificate, int cipherSuite, boolean extendedMasterSecret) {
        this.srtpProfileId = srtpProfileId;
        this.keyLength = DtlsSrtpProfiles.keyLength(srtpProfileId);
        this.saltLength = DtlsSrtpProfiles.saltLength(srtpProfileId);
        if (keyingMaterial.length != 2 * (keyLength + saltLength)) {
            throw new IllegalArgumentException("keying material has " + keyingMaterial.length + " bytes");
        }
        this.keyingMaterial = keyingMaterial;
        this.role = role;
        this.peerFingerprint = peerFingerprint;
        this.peerCertificate = peerCertificate;
        this.cipherSuite = cipherSuite;
        this.extendedMasterSecret = extendedMasterSecret;
    }

    /** The negotiated SRTP protection profile's IANA id (see {@link DtlsSrtpProfiles}). */
    public int srtpProfileId() {
        return srtpProfileId;
    }

    /** The whole exported keying material, {@code 2 * (keyLength + saltLength)} bytes. */
    public byte[] keyingMaterial() {
        return keyingMaterial.clone();
    }

    /** SRTP master key length of the profile, in bytes. */
    public int keyLength() {
        return keyLength;
    }

    /** SRTP master salt length of the profile, in bytes. */
    public int saltLength() {
        return saltLength;
    }

    /** The local endpoint's role. */
    public DtlsRole role() {
        return role;
    }

    /** The peer certificate's fingerprint, with the hash function it was checked with. */
    public DtlsFingerprint peerFingerprint() {
        return peerFingerprint;
    }

    /** The peer's DER-encoded certificate. */
    public byte[] peerCertificate() {
        return peerCertificate.clone();
    }

    /** The negotiated TLS cipher suite's IANA id, for diagnostics. */
    public int cipherSuite() {
        return cipherSuite;
    }

    /** Whether the master secret is bound to the handshake transcript (RFC 7627). */
    public boolean extendedMasterSecret() {
        return extendedMasterSecret;
    }

    /** client_write_SRTP_master_key. */
    public byte[] clientMasterKey() {
        return slice(0, keyLength);
    }

    /** server_write_SRTP_master_key. */
    public byte[] serverMasterKey() {
        return slice(keyLength, keyLength);
    }

    /** client_write_SRTP_master_salt. */
    public byte[] clientMasterSalt() {
        return slice(2 * keyLength, saltLength);
    }

    /** server_write_SRTP_master_salt. */
    public byte[] serverMasterSalt() {
        return slice(2 * keyLength + saltLength, saltLength);
    }

    /** The master key the local side protects (encrypts) with. */
    public byte[] localMasterKey() {
        return role == DtlsRole.CLIENT ? clientMasterKey() : serverMasterKey();
    }

    /** The master salt the local side protects with. */
    public byte[] localMasterSalt() {
        return role == DtlsRole.CLIENT ? clientMasterSalt() : serverMasterSalt();
    }

    /** The master key the peer protects with: the local side unprotects (decrypts) with it. */
    public byte[] remoteMasterKey() {
        return role == DtlsRole.CLIENT ? serverMasterKey() : clientMasterKey();
    }

    /** The master salt the peer protects with. */
    public byte[] remoteMasterSalt() {
        return role == DtlsRole.CLIENT ? serverMasterSalt() : clientMasterSalt();
    }

    @Override
    public String toString() {
        // no key material in logs
        return "DtlsResult{" + role + ", " + DtlsSrtpProfiles.name(srtpProfileId) + ", cipherSuite="
            + String.format("0x%04X", cipherSuite) + ", peer=" + peerFingerprint + "}";
    }

    private byte[] slice(int from, int length) {
        return Arrays.copyOfRange(keyingMaterial, from, from + length);
    }
}
