package io.sfu.client;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import io.sfu.core.ice.IceCredentials;

/**
 * The random identifiers one connection gives itself: SSRCs unique within it, initial sequence numbers, the SDP
 * session id, the letters-and-digits ids of its CNAME and msid stream, and its ICE credentials. Seeded once from a
 * {@link SecureRandom}; not thread-safe: the connection uses it while it is built and then under its negotiation
 * lock.
 */
final class LocalIds {
    private static final SecureRandom SEED = new SecureRandom();
    private static final char[] ID_CHARS =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final SplittableRandom random = new SplittableRandom(SEED.nextLong());
    private final Set<Integer> usedSsrcs = new HashSet<>();

    /** A non-zero SSRC this connection has not used yet. */
    int newSsrc() {
        while (true) {
            int ssrc = random.nextInt();
            if (ssrc != 0 && usedSsrcs.add(ssrc)) {
                return ssrc;
            }
        }
    }

    /** A random 16-bit number: the first RTP or transport-wide sequence number of a stream. */
    int newSequence() {
        return random.nextInt(0x10000);
    }

    /** A positive SDP session id (RFC 4566 §5.2: a numeric string, here below 2^62). */
    long newSessionId() {
        return 1 + (random.nextLong() >>> 2);
    }

    /** {@code length} random letters and digits. */
    String newId(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ID_CHARS[random.nextInt(ID_CHARS.length)];
        }
        return new String(chars);
    }

    /** An independent generator, for a part that draws on another thread (the ICE agent on the loop). */
    SplittableRandom split() {
        return random.split();
    }

    /** Fresh ICE credentials (RFC 8445 §5.3), drawn from the secure source itself: they authenticate checks. */
    static IceCredentials newIceCredentials() {
        return IceCredentials.random(SEED);
    }
}
