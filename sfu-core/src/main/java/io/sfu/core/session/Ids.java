package io.sfu.core.session;

import java.security.SecureRandom;

/** Random identifiers for participants ({@code PA_...}) and tracks ({@code TR_...}), unguessable by clients. */
public final class Ids {
    private static final char[] ALPHABET =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int RANDOM_CHARS = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String participantId() {
        return "PA_" + random();
    }

    public static String trackId() {
        return "TR_" + random();
    }

    private static String random() {
        char[] out = new char[RANDOM_CHARS];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }
}
