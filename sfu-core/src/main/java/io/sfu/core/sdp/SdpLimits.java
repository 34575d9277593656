package io.sfu.core.sdp;

/**
 * The bounds {@link SdpParser} holds a description to, against hostile input: its length in characters, the
 * length of one line (without its line end), the number of media sections ({@code m=} lines) and the number of
 * {@code a=} lines in the session level or in one media section. A description beyond one is refused whole.
 */
public record SdpLimits(int maxLength, int maxLineLength, int maxMediaSections, int maxAttributesPerSection) {

    /**
     * The bounds of a description from an unknown peer: 64 KiB (browser offers are 3 to 12 KiB), lines of 4096
     * characters, 64 media sections, 1024 attributes per section.
     */
    public static final SdpLimits DEFAULT = new SdpLimits(64 * 1024, 4096, 64, 1024);

    /** @throws IllegalArgumentException unless every bound is positive */
    public SdpLimits {
        if (maxLength < 1 || maxLineLength < 1 || maxMediaSections < 1 || maxAttributesPerSection < 1) {
            throw new IllegalArgumentException("SDP limits must be positive");
        }
    }

    /** @return these bounds with room for that many media sections (and the BUNDLE line that names them all) */
    public SdpLimits withMediaSections(int mediaSections, int length) {
        // a=group:BUNDLE lists every mid: room for mids of up to 14 characters each
        return new SdpLimits(length, Math.max(maxLineLength, 16 * mediaSections + 64), mediaSections,
            maxAttributesPerSection);
    }
}
