package io.sfu.core.srtp;

import java.util.Arrays;

/**
 * The SRTP master keys and salts of one DTLS-SRTP association, split from the DTLS exporter output
 * (RFC 5764 §4.2) for one side of it.
 *
 * <p>The exporter, called with label {@value #EXPORTER_LABEL}, no context and
 * {@link SrtpProfile#keyingMaterialLength()} octets, yields
 * {@code client_write_SRTP_master_key | server_write_SRTP_master_key | client_write_SRTP_master_salt |
 * server_write_SRTP_master_salt}. Each side protects what it sends with its own write key, so the DTLS client's
 * local key is the client key and the DTLS server's local key is the server key.
 */
public final class SrtpKeyingMaterial {
    /** The exporter label of RFC 5764 §4.2. */
    public static final String EXPORTER_LABEL = "EXTRACTOR-dtls_srtp";

    /** Which end of the DTLS handshake this side was. */
    public enum Role {
        /** The DTLS client (sent the ClientHello). */
        CLIENT,
        /** The DTLS server. */
        SERVER
    }

    private final SrtpProfile profile;
    private final byte[] localMasterKey;
    private final byte[] localMasterSalt;
    private final byte[] remoteMasterKey;
    private final byte[] remoteMasterSalt;

    private SrtpKeyingMaterial(
        SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey, byte[] remoteSalt) {
        this.profile = profile;
        this.localMasterKey = localKey;
        this.localMasterSalt = localSalt;
        this.remoteMasterKey = remoteKey;
        this.remoteMasterSalt = remoteSalt;
    }

    /**
     * Splits exporter output for {@code role}.
     *
     * @throws IllegalArgumentException if {@code exported} is not exactly {@link SrtpProfile#keyingMaterialLength()}
     *     octets long
     */
    public static SrtpKeyingMaterial fromExporter(SrtpProfile profile, byte[] exported, Role role) {
        if (exported.length != profile.keyingMaterialLength()) {
            throw new IllegalArgumentException("DTLS-SRTP keying material for " + profile + " must be "
                + profile.keyingMaterialLength() + " octets, was " + exported.length);
        }
        int keyLength = profile.masterKeyLength();
        int saltLength = profile.masterSaltLength();
        byte[] clientKey = Arrays.copyOfRange(exported, 0, keyLength);
        byte[] serverKey = Arrays.copyOfRange(exported, keyLength, 2 * keyLength);
        byte[] clientSalt = Arrays.copyOfRange(exported, 2 * keyLength, 2 * keyLength + saltLength);
        byte[] serverSalt = Arrays.copyOfRange(exported, 2 * keyLength + saltLength, 2 * (keyLength + saltLength));
        return role == Role.CLIENT
            ? new SrtpKeyingMaterial(profile, clientKey, clientSalt, serverKey, serverSalt)
            : new SrtpKeyingMaterial(profile, serverKey, serverSalt, clientKey, clientSalt);
    }

    /** The negotiated protection profile. */
    public SrtpProfile profile() {
        return profile;
    }

    /** A copy of the master key this side protects outgoing packets with. */
    public byte[] localMasterKey() {
        return localMasterKey.clone();
    }

    /** A copy of the master salt this side protects outgoing packets with. */
    public byte[] localMasterSalt() {
        return localMasterSalt.clone();
    }

    /** A copy of the master key the peer protects its packets with. */
    public byte[] remoteMasterKey() {
        return remoteMasterKey.clone();
    }

    /** A copy of the master salt the peer protects its packets with. */
    public byte[] remoteMasterSalt() {
        return remoteMasterSalt.clone();
    }

    /** A context that protects what this side sends. */
    public SrtpContext newSendingContext(SrtpConfig config) {
        return SrtpContext.forSending(profile, localMasterKey, localMasterSalt, config);
    }

    /** A context that unprotects what the peer sends. */
    public SrtpContext newReceivingContext(SrtpConfig config) {
        return SrtpContext.forReceiving(profile, remoteMasterKey, remoteMasterSalt, config);
    }
}
