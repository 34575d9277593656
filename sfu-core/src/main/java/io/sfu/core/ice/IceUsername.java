package io.sfu.core.ice;

import io.sfu.core.stun.StunMessage;
import org.agrona.DirectBuffer;

/**
 * Reads the USERNAME of a connectivity check, {@code <receiver ufrag>:<sender ufrag>} (RFC 8445 §7.2.2), in place,
 * so that the transport can find the session a check belongs to by the receiver's (local) ufrag without
 * allocating. {@link #hash(byte[])} and {@link #localUfragHash(StunMessage)} agree, for an open-addressing map.
 */
public final class IceUsername {
    private static final byte SEPARATOR = ':';
    private static final int FNV_OFFSET_BASIS = 0x811C9DC5;
    private static final int FNV_PRIME = 0x01000193;

    private IceUsername() {
    }

    /** Bytes of the local ufrag at the start of USERNAME, or -1 if USERNAME is absent or has no ':'. */
    public static int localUfragLength(StunMessage message) {
        int start = message.usernameOffset();
        if (start < 0) {
            return -1;
        }
        DirectBuffer buffer = message.buffer();
        int length = message.usernameLength();
        for (int i = 0; i < length; i++) {
            if (buffer.getByte(start + i) == SEPARATOR) {
                return i;
            }
        }
        return -1;
    }

    /** Whether USERNAME starts with {@code localUfrag} followed by ':'. */
    public static boolean localUfragEquals(StunMessage message, byte[] localUfrag) {
        return localUfragLength(message) == localUfrag.length
            && message.regionEquals(message.usernameOffset(), localUfrag, 0, localUfrag.length);
    }

    /** Buffer index of the remote (sender's) ufrag after the ':', or -1. */
    public static int remoteUfragOffset(StunMessage message) {
        int local = localUfragLength(message);
        return local < 0 ? -1 : message.usernameOffset() + local + 1;
    }

    /** Bytes of the remote (sender's) ufrag after the ':', or -1. */
    public static int remoteUfragLength(StunMessage message) {
        int local = localUfragLength(message);
        return local < 0 ? -1 : message.usernameLength() - local - 1;
    }

    /**
     * Whether USERNAME is {@code localUfrag:remoteUfrag}; with a {@code null} remote ufrag (not yet signalled) any
     * non-empty sender ufrag is accepted.
     */
    public static boolean matches(StunMessage message, byte[] localUfrag, byte[] remoteUfrag) {
        if (!localUfragEquals(message, localUfrag)) {
            return false;
        }
        int remoteLength = message.usernameLength() - localUfrag.length - 1;
        if (remoteUfrag == null) {
            return remoteLength > 0;
        }
        return remoteLength == remoteUfrag.length
            && message.regionEquals(message.usernameOffset() + localUfrag.length + 1, remoteUfrag, 0,
            remoteUfrag.length);
    }

    /** FNV-1a hash of the local ufrag in USERNAME, or 0 if there is none. */
    public static int localUfragHash(StunMessage message) {
        int length = localUfragLength(message);
        if (length < 0) {
            return 0;
        }
        DirectBuffer buffer = message.buffer();
        int start = message.usernameOffset();
        int hash = FNV_OFFSET_BASIS;
        for (int i = 0; i < length; i++) {
            hash = mix(hash, buffer.getByte(start + i));
        }
        return hash;
    }

    /** FNV-1a hash of {@code ufrag}, equal to {@link #localUfragHash} of a check addressed to it. */
    public static int hash(byte[] ufrag) {
        int hash = FNV_OFFSET_BASIS;
        for (byte b : ufrag) {
            hash = mix(hash, b);
        }
        return hash;
    }

    private static int mix(int hash, byte b) {
        return (hash ^ (b & 0xFF)) * FNV_PRIME;
    }
}
