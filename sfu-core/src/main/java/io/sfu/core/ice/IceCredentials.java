package io.sfu.core.ice;

import io.sfu.core.stun.StunKey;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * One side's ICE username fragment and password (RFC 8445 §5.3, SDP {@code a=ice-ufrag}/{@code a=ice-pwd}), with
 * the STUN key derived from the password prepared once. ufrag: 4 to 256 ice-chars, pwd: 22 to 256 ice-chars,
 * where an ice-char is a letter, a digit, '+' or '/'. Immutable.
 */
public final class IceCredentials {
    /** Shortest ufrag allowed (RFC 8445 §5.3: at least 24 bits of randomness). */
    public static final int MIN_UFRAG_LENGTH = 4;
    /** Shortest pwd allowed (RFC 8445 §5.3: at least 128 bits of randomness). */
    public static final int MIN_PWD_LENGTH = 22;
    /** Longest ufrag or pwd allowed. */
    public static final int MAX_LENGTH = 256;
    /** Length of a generated ufrag: 48 random bits. */
    public static final int GENERATED_UFRAG_LENGTH = 8;
    /** Length of a generated pwd: 144 random bits. */
    public static final int GENERATED_PWD_LENGTH = 24;

    private static final char[] ICE_CHARS =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    private final String ufrag;
    private final String pwd;
    final byte[] ufragBytes;
    final StunKey key;

    private IceCredentials(String ufrag, String pwd) {
        this.ufrag = ufrag;
        this.pwd = pwd;
        this.ufragBytes = ufrag.getBytes(StandardCharsets.US_ASCII);
        this.key = StunKey.shortTerm(pwd);
    }

    /**
     * Credentials with the given values.
     *
     * @throws IllegalArgumentException naming the value that is too short, too long or not ice-chars
     */
    public static IceCredentials of(String ufrag, String pwd) {
        check("ice-ufrag", ufrag, MIN_UFRAG_LENGTH);
        check("ice-pwd", pwd, MIN_PWD_LENGTH);
        return new IceCredentials(ufrag, pwd);
    }

    /** Fresh random credentials (8-char ufrag, 24-char pwd) drawn from {@code random}. */
    public static IceCredentials random(SecureRandom random) {
        return new IceCredentials(randomIceChars(random, GENERATED_UFRAG_LENGTH),
            randomIceChars(random, GENERATED_PWD_LENGTH));
    }

    private static String randomIceChars(SecureRandom random, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ICE_CHARS[random.nextInt(ICE_CHARS.length)];
        }
        return new String(chars);
    }

    private static void check(String name, String value, int minLength) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is missing");
        }
        if (value.length() < minLength || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                name + " must have " + minLength + " to " + MAX_LENGTH + " characters, has " + value.length());
        }
        if (!isIceChars(value)) {
            throw new IllegalArgumentException(name + " may hold only letters, digits, '+' and '/'");
        }
    }

    /** Whether every character of {@code value} is an ice-char (RFC 8445 §5.3). */
    public static boolean isIceChars(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '+' || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The username fragment. */
    public String ufrag() {
        return ufrag;
    }

    /** The password. */
    public String pwd() {
        return pwd;
    }

    /** The ufrag's ASCII bytes (a copy). */
    public byte[] ufragBytes() {
        return ufragBytes.clone();
    }

    /** The STUN short-term key for MESSAGE-INTEGRITY under this password. */
    public StunKey key() {
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IceCredentials && ufrag.equals(((IceCredentials) o).ufrag)
            && pwd.equals(((IceCredentials) o).pwd);
    }

    @Override
    public int hashCode() {
        return 31 * ufrag.hashCode() + pwd.hashCode();
    }

    /** Shows the ufrag only: the password is a secret. */
    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + "]";
    }
}
