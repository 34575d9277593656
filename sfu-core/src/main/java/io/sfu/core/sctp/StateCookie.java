package io.sfu.core.sctp;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The State Cookie of our INIT ACK (RFC 9260 §5.1.3): everything the association needs, signed with an
 * HMAC-SHA256 under a key of this endpoint, so that no state is kept before the peer echoes it back.
 * <pre>
 *  0 peer tag | 4 peer initial TSN | 8 peer a_rwnd | 12 peer OS | 14 peer MIS | 16 our tag | 20 our initial TSN
 * 24 created (nanos, 8 bytes) | 32 flags (1: FORWARD TSN, 2: RE-CONFIG), 3 bytes zero | 36 HMAC-SHA256 (32 bytes)
 * </pre>
 */
final class StateCookie {
    static final int LENGTH = 68;
    private static final int SIGNED = 36;
    static final int FORWARD_TSN = 1;
    static final int RE_CONFIG = 2;

    /** One generator for every endpoint: seeding a new one per association would cost more than the handshake. */
    private static final SecureRandom KEYS = new SecureRandom();

    private final Mac mac;
    private final byte[] expected = new byte[32];

    int peerTag;
    int peerInitialTsn;
    long peerRwnd;
    int peerOutboundStreams;
    int peerInboundStreams;
    int localTag;
    int localInitialTsn;
    long createdNanos;
    int flags;

    StateCookie() {
        try {
            byte[] key = new byte[32];
            KEYS.nextBytes(key);
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Writes the fields and their signature at {@code at}. */
    void write(byte[] out, int at) {
        SctpBytes.put32(out, at, peerTag);
        SctpBytes.put32(out, at + 4, peerInitialTsn);
        SctpBytes.put32(out, at + 8, (int) peerRwnd);
        SctpBytes.put16(out, at + 12, peerOutboundStreams);
        SctpBytes.put16(out, at + 14, peerInboundStreams);
        SctpBytes.put32(out, at + 16, localTag);
        SctpBytes.put32(out, at + 20, localInitialTsn);
        SctpBytes.put64(out, at + 24, createdNanos);
        SctpBytes.put32(out, at + 32, flags << 24);
        sign(out, at, out, at + SIGNED);
    }

    /**
     * Reads and verifies a cookie of {@code length} bytes at {@code at}.
     *
     * @return {@code false} when its length or signature is wrong (the fields are then not to be used)
     */
    boolean read(byte[] in, int at, int length) {
        if (length != LENGTH) {
            return false;
        }
        sign(in, at, expected, 0);
        if (!MessageDigest.isEqual(expected, java.util.Arrays.copyOfRange(in, at + SIGNED, at + LENGTH))) {
            return false;
        }
        peerTag = SctpBytes.i32(in, at);
        peerInitialTsn = SctpBytes.i32(in, at + 4);
        peerRwnd = SctpBytes.u32(in, at + 8);
        peerOutboundStreams = SctpBytes.u16(in, at + 12);
        peerInboundStreams = SctpBytes.u16(in, at + 14);
        localTag = SctpBytes.i32(in, at + 16);
        localInitialTsn = SctpBytes.i32(in, at + 20);
        createdNanos = SctpBytes.i64(in, at + 24);
        flags = SctpBytes.u8(in, at + 32);
        return true;
    }

    private void sign(byte[] in, int at, byte[] out, int outAt) {
        try {
            mac.update(in, at, SIGNED);
            mac.doFinal(out, outAt);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
