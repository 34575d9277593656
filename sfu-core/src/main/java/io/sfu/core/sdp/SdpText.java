package io.sfu.core.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Lexical helpers shared by the parsers: RFC 8866 §9 token characters, bounded ASCII number parsing. */
final class SdpText {
    private SdpText() {
    }

    /**
     * The longest attribute value a typed parser reads: a description's own lines are bounded by its
     * {@link SdpLimits}, a value handed in alone (a trickled candidate) by this.
     */
    static final int MAX_VALUE_LENGTH = 64 * 1024;

    /** RFC 8866 §9: token-char = %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A / %x5E-7E. */
    static boolean isTokenChar(char c) {
        return c < TOKEN_CHARS.length && TOKEN_CHARS[c];
    }

    /** {@link #isTokenChar} of each ASCII character, looked up: every name and many fields are read through it. */
    private static final boolean[] TOKEN_CHARS = new boolean[128];

    static {
        for (char c = 0; c < TOKEN_CHARS.length; c++) {
            TOKEN_CHARS[c] = c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2A || c == 0x2B || c == 0x2D
                || c == 0x2E || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x5E && c <= 0x7E);
        }
    }

    static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The constant of {@code values} that SDP writes as {@code text} (a media type, a direction, ...), or null.
     * Read ignoring case: some stacks write these words in upper case, and no two of them differ by case alone.
     */
    static <E> E byWord(E[] values, Function<? super E, String> word, String text) {
        for (E value : values) {
            // the length first: most texts asked about (every attribute name, for a direction) are no word at all
            String w = word.apply(value);
            if (text != null && w.length() == text.length() && w.equalsIgnoreCase(text)) {
                return value;
            }
        }
        return null;
    }

    /** RFC 8839 §5.1: ice-char = ALPHA / DIGIT / "+" / "/". */
    static boolean isIceChars(String s, int minLength, int maxLength) {
        if (s == null || s.length() < minLength || s.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '+' || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static boolean isDigits(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses 1*DIGIT (ASCII only, no sign, unlike {@link Long#parseLong}) no greater than {@code max}.
     *
     * @throws SdpParseException naming {@code what} when not a number or out of range
     */
    static long parseNumber(String s, long max, String what) {
        if (!isDigits(s)) {
            throw new SdpParseException(what + " '" + abbreviate(s) + "' is not a number");
        }
        if (s.length() > 18) {
            // beyond 18 digits only leading zeros can keep it in range: strip them
            int i = 0;
            while (i < s.length() - 1 && s.charAt(i) == '0') {
                i++;
            }
            if (s.length() - i > 18) {
                throw new SdpParseException(what + " '" + abbreviate(s) + "' is out of range");
            }
            s = s.substring(i);
        }
        long value = Long.parseLong(s);
        if (value > max) {
            throw new SdpParseException(what + " " + value + " is out of range (max " + max + ")");
        }
        return value;
    }

    static int parseInt(String s, int max, String what) {
        return (int) parseNumber(s, max, what);
    }

    /** RTP payload type, RFC 3550 §5.1: 7 bits. */
    static int parsePayloadType(String s) {
        return parseInt(s, 127, "payload type");
    }

    /**
     * Splits into the fields between spaces. RFC 8866 separates fields by one SP; runs of spaces or tabs, and
     * spaces before the first or after the last field, are read as one separator (some stacks write them).
     *
     * @throws SdpParseException naming {@code what} when there is no field at all
     */
    static List<String> splitSpaces(String s, String what) {
        List<String> parts = new ArrayList<>();
        if (s.indexOf('\t') < 0) {
            // the usual case, fields between spaces: found a field at a time rather than a character at a time
            int start = 0;
            while (start < s.length()) {
                int space = s.indexOf(' ', start);
                int end = space < 0 ? s.length() : space;
                if (end > start) {
                    parts.add(s.substring(start, end));
                }
                start = end + 1;
            }
        } else {
            int start = -1;
            for (int i = 0; i <= s.length(); i++) {
                boolean separator = i == s.length() || s.charAt(i) == ' ' || s.charAt(i) == '\t';
                if (separator && start >= 0) {
                    parts.add(s.substring(start, i));
                    start = -1;
                } else if (!separator && start < 0) {
                    start = i;
                }
            }
        }
        if (parts.isEmpty()) {
            throw new SdpParseException(what + " has no field (empty, or only extra space)");
        }
        return parts;
    }

    /** RFC 8866 §9 VCHAR: visible US-ASCII, no space. */
    static boolean isVisible(String s, int maxLength) {
        if (s == null || s.isEmpty() || s.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** Guards model setters: a value that would break the line structure of the output is a programming error. */
    static String requireLineSafe(String value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (hasLineBreakOrNul(value)) {
            throw new IllegalArgumentException(what + " must not contain CR, LF or NUL");
        }
        return value;
    }

    /** Whether the text holds CR, LF or NUL; the JDK's search, as every value written or read passes here. */
    static boolean hasLineBreakOrNul(String value) {
        return value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0;
    }

    static String requireToken(String value, String what) {
        if (!isToken(value)) {
            throw new IllegalArgumentException(what + " must be a non-empty SDP token, was '" + value + "'");
        }
        return value;
    }

    /**
     * Entry check of every standalone value parser: a value handed in from outside a description (for example a
     * trickled candidate) may hold anything.
     *
     * @throws SdpParseException when null, longer than {@link #MAX_VALUE_LENGTH} or holding CR, LF or NUL
     */
    static String checkValue(String value, String what) {
        if (value == null) {
            throw new SdpParseException(what + " value is missing");
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            throw new SdpParseException(what + " value is longer than " + MAX_VALUE_LENGTH + " characters");
        }
        if (hasLineBreakOrNul(value)) {
            throw new SdpParseException(what + " value holds CR, LF or NUL");
        }
        return value;
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
