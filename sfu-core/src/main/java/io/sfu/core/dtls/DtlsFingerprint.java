package io.sfu.core.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A certificate fingerprint as carried by the SDP a=fingerprint attribute (RFC 8122 §5): a hash function's
 * textual name and the digest of the DER-encoded certificate.
 *
 * <pre>
 * attribute            = "fingerprint" ":" hash-func SP fingerprint
 * hash-func            = "sha-1" / "sha-224" / "sha-256" / "sha-384" / "sha-512" / "md5" / "md2" / token
 * fingerprint          = 2UHEX *(":" 2UHEX)
 * UHEX                 = DIGIT / %x41-46 ; A-F uppercase
 * </pre>
 *
 * Written in uppercase as RFC 8122 requires; read case-insensitively, since not every peer follows it.
 * md2 and md5 are not accepted (RFC 8122 §5 forbids them for new uses).
 */
public final class DtlsFingerprint {

    /** Textual name of SHA-1 in the IANA "Hash Function Textual Names" registry. */
    public static final String SHA_1 = "sha-1";
    /** Textual name of SHA-224. */
    public static final String SHA_224 = "sha-224";
    /** Textual name of SHA-256, the hash this package uses for its own fingerprint. */
    public static final String SHA_256 = "sha-256";
    /** Textual name of SHA-384. */
    public static final String SHA_384 = "sha-384";
    /** Textual name of SHA-512. */
    public static final String SHA_512 = "sha-512";

    /** Longest attribute value read: a SHA-512 fingerprint is 7 + 1 + 191 characters. */
    private static final int MAX_SDP_LENGTH = 512;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String hashFunction;
    private final byte[] digest;

    private DtlsFingerprint(String hashFunction, byte[] digest) {
        this.hashFunction = hashFunction;
        this.digest = digest;
    }

    /**
     * Reads an a=fingerprint value such as {@code "sha-256 AB:CD:..."} (the part after "a=fingerprint:").
     * Leading and trailing white space is ignored, hash name and hex digits are case-insensitive, and the number
     * of bytes must be the digest length of the named hash.
     *
     * @throws IllegalArgumentException for anything else (including null): the only exception this method throws
     */
    public static DtlsFingerprint parse(String sdpValue) {
        if (sdpValue == null) {
            throw new IllegalArgumentException("fingerprint is missing");
        }
        if (sdpValue.length() > MAX_SDP_LENGTH) {
            throw new IllegalArgumentException("fingerprint is too long: " + sdpValue.length() + " characters");
        }
        String value = sdpValue.strip();
        int space = 0;
        while (space < value.length() && value.charAt(space) != ' ' && value.charAt(space) != '\t') {
            space++;
        }
        if (space == 0 || space == value.length()) {
            throw new IllegalArgumentException("fingerprint needs a hash function and a value: " + value);
        }
        String hashFunction = canonicalHashFunction(value.substring(0, space));
        String hex = value.substring(space).strip();
        int length = digestLength(hashFunction);
        if (hex.length() != length * 3 - 1) {
            throw new IllegalArgumentException(
                "a " + hashFunction + " fingerprint has " + length + " colon-separated bytes: " + hex);
        }
        byte[] digest = new byte[length];
        for (int i = 0; i < length; i++) {
            int at = i * 3;
            if (i > 0 && hex.charAt(at - 1) != ':') {
                throw new IllegalArgumentException("fingerprint bytes must be separated by ':': " + hex);
            }
            int high = Character.digit(hex.charAt(at), 16);
            int low = Character.digit(hex.charAt(at + 1), 16);
            if (high < 0 || low < 0 || !isAsciiHex(hex.charAt(at)) || !isAsciiHex(hex.charAt(at + 1))) {
                throw new IllegalArgumentException("fingerprint has a non-hex digit: " + hex);
            }
            digest[i] = (byte) ((high << 4) | low);
        }
        return new DtlsFingerprint(hashFunction, digest);
    }

    /**
     * The fingerprint of a DER-encoded certificate with the named hash function.
     *
     * @throws IllegalArgumentException if the hash function is not supported
     */
    public static DtlsFingerprint of(String hashFunction, byte[] certificateDer) {
        String name = canonicalHashFunction(hashFunction);
        return new DtlsFingerprint(name, newDigest(name).digest(certificateDer));
    }

    /**
     * Whether a certificate matches a set of expected fingerprints the way RFC 8122 §5 asks: among the hash
     * functions present, take the strongest this package supports, and accept the certificate if it matches one
     * fingerprint of that hash function. An empty list matches nothing.
     */
    public static boolean matchesAny(List<DtlsFingerprint> expected, byte[] certificateDer) {
        int strongest = -1;
        for (DtlsFingerprint fingerprint : expected) {
            strongest = Math.max(strongest, strength(fingerprint.hashFunction));
        }
        if (strongest < 0) {
            return false;
        }
        byte[] actual = null;
        for (DtlsFingerprint fingerprint : expected) {
            if (strength(fingerprint.hashFunction) == strongest) {
                if (actual == null) {
                    actual = newDigest(fingerprint.hashFunction).digest(certificateDer);
                }
                if (MessageDigest.isEqual(actual, fingerprint.digest)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether this fingerprint is that of the DER-encoded certificate. */
    public boolean matches(byte[] certificateDer) {
        return MessageDigest.isEqual(newDigest(hashFunction).digest(certificateDer), digest);
    }

    /** The hash function's textual name, lowercase (for example "sha-256"). */
    public String hashFunction() {
        return hashFunction;
    }

    /** A copy of the digest bytes. */
    public byte[] digest() {
        return digest.clone();
    }

    /** The SDP form: hash function, a space, uppercase hex bytes separated by colons. */
    public String toSdp() {
        StringBuilder sb = new StringBuilder(hashFunction.length() + 1 + digest.length * 3);
        sb.append(hashFunction).append(' ');
        for (int i = 0; i < digest.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(HEX[(digest[i] >> 4) & 0xF]).append(HEX[digest[i] & 0xF]);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return toSdp();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DtlsFingerprint
            && hashFunction.equals(((DtlsFingerprint) o).hashFunction)
            && MessageDigest.isEqual(digest, ((DtlsFingerprint) o).digest);
    }

    @Override
    public int hashCode() {
        return 31 * hashFunction.hashCode() + Arrays.hashCode(digest);
    }

    private static boolean isAsciiHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static String canonicalHashFunction(String name) {
        if (name == null) {
            throw new IllegalArgumentException("hash function is missing");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (strength(lower) < 0) {
            throw new IllegalArgumentException("unsupported fingerprint hash function: " + name);
        }
        return lower;
    }

    /** Rank of a hash function for RFC 8122 §5's choice of the strongest; -1 if unsupported. */
    private static int strength(String lowerName) {
        switch (lowerName) {
            case SHA_1:
                return 0;
            case SHA_224:
                return 1;
            case SHA_256:
                return 2;
            case SHA_384:
                return 3;
            case SHA_512:
                return 4;
            default:
                return -1;
        }
    }

    private static int digestLength(String lowerName) {
        switch (lowerName) {
            case SHA_1:
                return 20;
            case SHA_224:
                return 28;
            case SHA_256:
                return 32;
            case SHA_384:
                return 48;
            default:
                return 64;
        }
    }

    private static MessageDigest newDigest(String lowerName) {
        try {
            return MessageDigest.getInstance(lowerName.toUpperCase(Locale.ROOT));
        } catch (NoSuchAlgorithmException e) {
            // every Java SE runtime provides SHA-1 and the SHA-2 family
            throw new IllegalStateException("no " + lowerName + " in this runtime", e);
        }
    }
}
