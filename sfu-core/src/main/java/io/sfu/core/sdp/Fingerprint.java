package io.sfu.core.sdp;

import java.util.Locale;

/**
 * The certificate fingerprint, RFC 8122 §5:
 * <pre>
 * fingerprint-attribute = "fingerprint" ":" hash-func SP fingerprint
 * hash-func             = "sha-1" / "sha-224" / "sha-256" / "sha-384" / "sha-512" / ... / token
 * fingerprint           = 2UHEX *(":" 2UHEX)
 * </pre>
 * Lower-case hex is accepted on parse; {@link #of(String, byte[])} writes upper case.
 */
public record Fingerprint(String hashFunction, String fingerprint) implements TypedAttribute {

    /** @throws IllegalArgumentException when the hash function is not a token or the hex is malformed */
    public Fingerprint {
        SdpText.requireToken(hashFunction, "fingerprint hash function");
        if (!isHexPairs(fingerprint)) {
            throw new IllegalArgumentException("fingerprint must be colon-separated hex pairs");
        }
    }

    /** The fingerprint of a digest, e.g. {@code of("sha-256", sha256(certificateDer))}. */
    public static Fingerprint of(String hashFunction, byte[] digest) {
        if (digest.length == 0) {
            throw new IllegalArgumentException("empty digest");
        }
        StringBuilder sb = new StringBuilder(digest.length * 3);
        for (int i = 0; i < digest.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Character.toUpperCase(Character.forDigit((digest[i] >> 4) & 0xF, 16)));
            sb.append(Character.toUpperCase(Character.forDigit(digest[i] & 0xF, 16)));
        }
        return new Fingerprint(hashFunction.toLowerCase(Locale.ROOT), sb.toString());
    }

    /** @return the digest bytes */
    public byte[] bytes() {
        byte[] out = new byte[(fingerprint.length() + 1) / 3];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) ((Character.digit(fingerprint.charAt(i * 3), 16) << 4)
                | Character.digit(fingerprint.charAt(i * 3 + 1), 16));
        }
        return out;
    }

    /** @return true when the hash function names match ignoring case and the digests are equal */
    public boolean matches(String hash, byte[] digest) {
        return hashFunction.equalsIgnoreCase(hash) && java.util.Arrays.equals(bytes(), digest);
    }

    private static boolean isHexPairs(String s) {
        if (s == null || s.length() < 2 || s.length() % 3 != 2) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = i % 3 == 2 ? c == ':'
                : (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Parses the value of {@code a=fingerprint}. */
    public static Fingerprint parse(String value) {
        SdpText.checkValue(value, "fingerprint");
        int space = value.indexOf(' ');
        if (space < 0) {
            throw new SdpParseException("fingerprint needs '<hash-func> <hex>'");
        }
        String hash = value.substring(0, space);
        String hex = value.substring(space + 1);
        if (!SdpText.isToken(hash)) {
            throw new SdpParseException("fingerprint hash function '" + SdpText.abbreviate(hash) + "' is not a token");
        }
        if (!isHexPairs(hex)) {
            throw new SdpParseException("fingerprint '" + SdpText.abbreviate(hex) + "' is not colon-separated hex pairs");
        }
        return new Fingerprint(hash, hex);
    }

    @Override
    public String attributeName() {
        return AttributeNames.FINGERPRINT;
    }

    @Override
    public String attributeValue() {
        return hashFunction + ' ' + fingerprint;
    }
}
