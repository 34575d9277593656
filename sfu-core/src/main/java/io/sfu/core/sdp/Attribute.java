package io.sfu.core.sdp;

import java.util.Objects;
import java.util.function.Function;

/**
 * One {@code a=} line as written: a name and an optional value (RFC 8866 §5.13, {@code a=<name>} or
 * {@code a=<name>:<value>}). Sections keep these in their original order so that attributes this package does not
 * understand are written back unchanged; typed views ({@link Rtpmap}, {@link Candidate}, ...) are parsed from them
 * on demand.
 */
public final class Attribute {
    private final String name;
    private final String value;
    private final int lineNumber;
    /**
     * The typed form last read from the value (or the {@link SdpParseException} its parser threw) and that parser:
     * validation, lenient cleaning and several accessors read the same attributes of an offer, and a value parses
     * the same every time. Typed forms are immutable; a race between readers only parses twice.
     */
    private Function<String, ?> typedBy;
    private Object typed;
    /**
     * The parser of this name ({@link KnownAttributes#parser}) once looked up, {@link #NO_PARSER} when it has none:
     * validation and lenient cleaning ask for it again and again. One field, so a racing reader sees null (and looks
     * it up itself) or the answer.
     */
    private Object knownParser;
    private static final Object NO_PARSER = new Object();

    /**
     * @param name  an RFC 8866 token
     * @param value the text after the first colon, verbatim; null for a property attribute such as
     *              {@code a=rtcp-mux} (an empty string writes {@code a=name:})
     * @throws IllegalArgumentException when the name is not a token or the value holds CR, LF or NUL
     */
    public Attribute(String name, String value) {
        this(SdpText.requireToken(name, "attribute name"),
            value == null ? null : SdpText.requireLineSafe(value, "value of a=" + name), 0);
    }

    /** Already validated by the parser; remembers the input line for error messages of typed accessors. */
    Attribute(String name, String value, int lineNumber) {
        this.name = name;
        this.value = value;
        this.lineNumber = lineNumber;
    }

    /** @return what {@code parser} made of the value when it was the last to read it, else null */
    Object typed(Function<String, ?> parser) {
        return typedBy == parser ? typed : null;
    }

    /** Keeps what {@code parser} made of the value: its typed form or the exception it threw. */
    void keepTyped(Function<String, ?> parser, Object result) {
        typed = result;
        typedBy = parser;
    }

    /**
     * Whether this attribute is named {@code other}. The cached hashes are compared first: a section's readers ask
     * this of every attribute, and most are not the one asked for.
     */
    boolean hasName(String other) {
        return name == other || (name.hashCode() == other.hashCode() && name.equals(other));
    }

    /** @return the value parser of this attribute's name, or null when it has no typed form */
    @SuppressWarnings("unchecked")
    Function<String, ?> knownParser() {
        Object known = knownParser;
        if (known == null) {
            Function<String, ?> parser = KnownAttributes.parser(name);
            known = parser == null ? NO_PARSER : parser;
            knownParser = known;
        }
        return known == NO_PARSER ? null : (Function<String, ?>) known;
    }

    /** A property attribute without a value, e.g. {@code a=rtcp-mux}. */
    public static Attribute flag(String name) {
        return new Attribute(name, null);
    }

    public String name() {
        return name;
    }

    /** @return the value after the first colon, verbatim, or null for a property attribute */
    public String value() {
        return value;
    }

    /** @return true for a property attribute without a colon */
    public boolean isFlag() {
        return value == null;
    }

    /** @return the 1-based input line this attribute was parsed from, or 0 when built in code */
    public int lineNumber() {
        return lineNumber;
    }

    /** @return the line text after {@code a=} */
    @Override
    public String toString() {
        return value == null ? name : name + ':' + value;
    }

    /** Appends the line {@code a=<name>[:<value>]} and its CRLF. */
    void writeLine(StringBuilder out) {
        out.append("a=").append(name);
        if (value != null) {
            out.append(':').append(value);
        }
        out.append("\r\n");
    }

    /** Equality is by name and value; the line number is only provenance. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Attribute other && name.equals(other.name) && Objects.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Objects.hashCode(value);
    }
}
