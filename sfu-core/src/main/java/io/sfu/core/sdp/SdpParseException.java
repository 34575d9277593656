package io.sfu.core.sdp;

/**
 * The one exception the SDP package throws for malformed input: from {@link SdpParser#parse(String)}, from every
 * typed attribute parser ({@code Rtpmap.parse}, {@code Candidate.parse}, ...) and from the typed accessors of a
 * parsed description when the attribute they read is malformed. It names the 1-based line of the input when the
 * problem is tied to one ({@link #lineNumber()} is 0 otherwise).
 *
 * <p>It carries no stack trace: it is thrown for what a client sent, up to once per attribute of an offer, and its
 * message (line and field) is what locates the problem; filling a trace cost more than the parsing it reports on.
 */
public final class SdpParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int lineNumber;
    private final String reason;

    /**
     * @param lineNumber 1-based line of the input, or 0 when the problem is not tied to a line
     * @param reason     what is wrong, naming the offending field
     */
    public SdpParseException(int lineNumber, String reason) {
        super(lineNumber > 0 ? "SDP line " + lineNumber + ": " + reason : "SDP: " + reason, null, false, false);
        this.lineNumber = lineNumber;
        this.reason = reason;
    }

    /** A problem not tied to a line of a description (for example a standalone attribute value). */
    public SdpParseException(String reason) {
        this(0, reason);
    }

    /** @return the 1-based line number of the input, or 0 when unknown */
    public int lineNumber() {
        return lineNumber;
    }

    /** @return the problem without the line prefix */
    public String reason() {
        return reason;
    }

    /** The same problem, located at an attribute line and prefixed by the attribute name. */
    SdpParseException inAttribute(Attribute attribute) {
        int line = lineNumber > 0 ? lineNumber : attribute.lineNumber();
        return new SdpParseException(line, "a=" + attribute.name() + ": " + reason);
    }
}
