package io.sfu.core.turn;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * Short-lived TURN credentials in the REST style (draft-uberti-behave-turn-rest): the username is
 * {@code <expiry-unix-seconds>:<participantId>} and the password base64(HMAC-SHA1(secret, username)), so the
 * signaling side hands them out and the TURN server checks them with the shared secret alone, keeping no state.
 */
public final class TurnCredentials {
    /** The longest username accepted: an expiry, a colon and a participant id. */
    public static final int MAX_USERNAME_LENGTH = 160;

    private TurnCredentials() {
    }

    /** The username of a participant's credentials that expire at {@code expiryUnixSeconds}. */
    public static String username(long expiryUnixSeconds, String participantId) {
        return expiryUnixSeconds + ":" + participantId;
    }

    /** The password that goes with {@code username} under {@code secret}. */
    public static String password(byte[] secret, String username) {
        return Base64.getEncoder().encodeToString(hmacSha1(secret, username));
    }

    /** The expiry (unix seconds) of a REST-style username, or -1 when it has none. */
    public static long expiry(String username) {
        int colon = username.indexOf(':');
        if (colon <= 0 || colon > 19) {
            return -1;
        }
        long expiry = 0;
        for (int i = 0; i < colon; i++) {
            char c = username.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            expiry = expiry * 10 + (c - '0');
        }
        return expiry;
    }

    /** The participant id of a REST-style username (what follows the first colon). */
    public static String participantId(String username) {
        return username.substring(username.indexOf(':') + 1);
    }

    static byte[] hmacSha1(byte[] secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required of every Java platform", e);
        }
    }
}
