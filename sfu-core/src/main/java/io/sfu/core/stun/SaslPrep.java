package io.sfu.core.stun;

import java.text.Normalizer;

/**
 * SASLprep (RFC 4013), the string preparation RFC 5389 §15.4 applies to long-term passwords: map non-ASCII spaces
 * to SPACE and the RFC 3454 table B.1 characters to nothing, normalise with NFKC, refuse prohibited characters and
 * check bidirectional text. Unassigned code points are allowed, as for a query (RFC 3454 §7). Cold path only.
 */
final class SaslPrep {
    private SaslPrep() {
    }

    /**
     * The prepared form of {@code text}.
     *
     * @throws IllegalArgumentException if the result holds a prohibited character or breaks the bidi rule
     */
    static String prepare(String text) {
        StringBuilder mapped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (isMappedToNothing(cp)) {
                continue;
            }
            mapped.appendCodePoint(isNonAsciiSpace(cp) ? ' ' : cp);
        }
        String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFKC);
        boolean hasRandAl = false;
        boolean hasL = false;
        for (int i = 0; i < normalized.length(); ) {
            int cp = normalized.codePointAt(i);
            i += Character.charCount(cp);
            if (isProhibited(cp)) {
                throw new IllegalArgumentException(String.format("SASLprep prohibits U+%04X", cp));
            }
            byte direction = Character.getDirectionality(cp);
            hasRandAl |= isRandAl(direction);
            hasL |= direction == Character.DIRECTIONALITY_LEFT_TO_RIGHT;
        }
        if (hasRandAl) {
            // RFC 3454 §6: right-to-left text must not mix in left-to-right and must start and end right-to-left
            int first = normalized.codePointAt(0);
            int last = normalized.codePointBefore(normalized.length());
            if (hasL || !isRandAl(Character.getDirectionality(first)) || !isRandAl(Character.getDirectionality(last))) {
                throw new IllegalArgumentException("SASLprep bidirectional rule violated");
            }
        }
        return normalized;
    }

    private static boolean isRandAl(byte direction) {
        return direction == Character.DIRECTIONALITY_RIGHT_TO_LEFT
            || direction == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
    }

    /** RFC 3454 table B.1. */
    private static boolean isMappedToNothing(int cp) {
        return cp == 0x00AD || cp == 0x034F || cp == 0x1806 || (cp >= 0x180B && cp <= 0x180D)
            || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF;
    }

    /** RFC 3454 table C.1.2. */
    private static boolean isNonAsciiSpace(int cp) {
        return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F
            || cp == 0x3000;
    }

    /** RFC 4013 §2.3: RFC 3454 tables C.1.2 and C.2.1 to C.9. */
    private static boolean isProhibited(int cp) {
        return isNonAsciiSpace(cp)
            || cp <= 0x001F || (cp >= 0x007F && cp <= 0x009F)                                  // C.2.1, C.2.2
            || cp == 0x06DD || cp == 0x070F || cp == 0x180E || cp == 0x200C || cp == 0x200D
            || cp == 0x2028 || cp == 0x2029 || (cp >= 0x2060 && cp <= 0x2063) || cp == 0xFEFF
            || (cp >= 0x1D173 && cp <= 0x1D17A)
            || (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xF0000 && cp <= 0xFFFFD)                // C.3
            || (cp >= 0x100000 && cp <= 0x10FFFD)
            || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE                       // C.4
            || (cp >= 0xD800 && cp <= 0xDFFF)                                                  // C.5
            || (cp >= 0xFFF9 && cp <= 0xFFFD)                                                  // C.6
            || (cp >= 0x2FF0 && cp <= 0x2FFB)                                                  // C.7
            || cp == 0x0340 || cp == 0x0341 || cp == 0x200E || cp == 0x200F                   // C.8
            || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x206A && cp <= 0x206F)
            || cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F);                              // C.9
    }
}
