package io.sfu.core.sdp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The attribute-bearing part shared by the session level ({@link SessionDescription}) and each media section
 * ({@link MediaDescription}): an ordered list of {@link Attribute}s with editing methods, and the typed accessors
 * for the attributes that RFCs allow at both levels (ICE credentials and options, fingerprint, setup, direction,
 * extmap, extmap-allow-mixed, end-of-candidates). Typed accessors parse on each call and throw
 * {@link SdpParseException}, located at the attribute's input line, when the attribute is malformed.
 *
 * @param <S> the concrete section type, so that the fluent setters chain
 */
public abstract class SdpSection<S extends SdpSection<S>> {
    final List<Attribute> attributes = new ArrayList<>();

    SdpSection() {
    }

    abstract S self();

    // ---------------------------------------------------------------- raw attributes, in order

    /** @return all attributes in order (read-only view; edit through this section's methods) */
    public List<Attribute> attributes() {
        return Collections.unmodifiableList(attributes);
    }

    /** @return all attributes with that name, in order */
    public List<Attribute> attributes(String name) {
        List<Attribute> out = new ArrayList<>();
        for (Attribute a : attributes) {
            if (a.hasName(name)) {
                out.add(a);
            }
        }
        return out;
    }

    /** @return the first attribute with that name */
    public Optional<Attribute> attribute(String name) {
        for (Attribute a : attributes) {
            if (a.hasName(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** @return true when an attribute with that name is present (with or without a value) */
    public boolean hasAttribute(String name) {
        return attribute(name).isPresent();
    }

    /** @return the value of the first attribute with that name; empty when absent or a property attribute */
    public Optional<String> attributeValue(String name) {
        return attribute(name).map(Attribute::value);
    }

    /** @return the values of the attributes with that name that have one, in order */
    public List<String> attributeValues(String name) {
        List<String> out = new ArrayList<>();
        for (Attribute a : attributes) {
            if (a.hasName(name) && a.value() != null) {
                out.add(a.value());
            }
        }
        return out;
    }

    /** Appends an attribute. */
    public S addAttribute(Attribute attribute) {
        attributes.add(java.util.Objects.requireNonNull(attribute, "attribute"));
        return self();
    }

    /** Appends {@code a=<name>:<value>}, or {@code a=<name>} when the value is null. */
    public S addAttribute(String name, String value) {
        return addAttribute(new Attribute(name, value));
    }

    /** Appends the property attribute {@code a=<name>}. */
    public S addAttribute(String name) {
        return addAttribute(new Attribute(name, null));
    }

    /** Appends a typed attribute, e.g. {@code add(new Rtpmap(111, "opus", 48000, 2))}. */
    public S add(TypedAttribute attribute) {
        return addAttribute(attribute.toAttribute());
    }

    /** Appends typed attributes in order. */
    public S addAll(Collection<? extends TypedAttribute> typed) {
        for (TypedAttribute t : typed) {
            add(t);
        }
        return self();
    }

    /** Inserts an attribute at a position of {@link #attributes()}. */
    public S insertAttribute(int index, Attribute attribute) {
        attributes.add(index, java.util.Objects.requireNonNull(attribute, "attribute"));
        return self();
    }

    /**
     * Sets the single attribute of that name: replaces the first one in place and removes the others, or appends
     * when there is none.
     */
    public S setAttribute(Attribute attribute) {
        return replaceAll(a -> a.hasName(attribute.name()), attribute);
    }

    /** {@link #setAttribute(Attribute)} with a name and value (null for a property attribute). */
    public S setAttribute(String name, String value) {
        return setAttribute(new Attribute(name, value));
    }

    /** {@link #setAttribute(Attribute)} for a typed attribute. */
    public S set(TypedAttribute attribute) {
        return setAttribute(attribute.toAttribute());
    }

    /** Removes every attribute with that name. */
    public S removeAttributes(String name) {
        attributes.removeIf(a -> a.hasName(name));
        return self();
    }

    /** Removes every attribute the filter accepts. */
    public S removeAttributesIf(Predicate<Attribute> filter) {
        attributes.removeIf(filter);
        return self();
    }

    /** Adds the property attribute {@code a=<name>} if absent, or removes every attribute of that name. */
    public S setFlag(String name, boolean present) {
        if (!present) {
            return removeAttributes(name);
        }
        return hasAttribute(name) ? self() : addAttribute(name);
    }

    /** Replaces the first match in place, removes the other matches; appends when nothing matched. */
    S replaceAll(Predicate<Attribute> match, Attribute replacement) {
        int first = -1;
        for (int i = 0; i < attributes.size(); i++) {
            if (match.test(attributes.get(i))) {
                first = i;
                break;
            }
        }
        attributes.removeIf(match);
        // every match sits at or after the first one, so the first index still points at the same place
        attributes.add(first < 0 ? attributes.size() : first, replacement);
        return self();
    }

    // ---------------------------------------------------------------- typed parsing helpers

    @SuppressWarnings("unchecked")
    static <T> T parseValue(Attribute a, Function<String, T> parser) {
        Object known = a.typed(parser);
        if (known == null) {
            known = parse(a, parser);
            a.keepTyped(parser, known);
        }
        if (known instanceof SdpParseException e) {
            throw e;
        }
        return (T) known;
    }

    /** @return the typed form of the value, or the exception that locates why it has none */
    private static Object parse(Attribute a, Function<String, ?> parser) {
        if (a.value() == null) {
            return new SdpParseException(a.lineNumber(), "a=" + a.name() + " needs a value");
        }
        try {
            return parser.apply(a.value());
        } catch (SdpParseException e) {
            return e.inAttribute(a);
        } catch (IllegalArgumentException e) {
            // the typed constructors validate again; a parser should have caught it first, report it the same way
            return new SdpParseException(a.lineNumber(), "a=" + a.name() + ": " + e.getMessage());
        }
    }

    <T> List<T> parseAll(String name, Function<String, T> parser) {
        List<T> out = new ArrayList<>();
        for (Attribute a : attributes) {
            if (a.hasName(name)) {
                out.add(parseValue(a, parser));
            }
        }
        return out;
    }

    /** The first of the attributes of that name that {@code match} accepts; all of them are parsed (and checked). */
    <T> Optional<T> parseFirstMatch(String name, Function<String, T> parser, Predicate<? super T> match) {
        for (T parsed : parseAll(name, parser)) {
            if (match.test(parsed)) {
                return Optional.of(parsed);
            }
        }
        return Optional.empty();
    }

    /** The only attribute of that name, parsed; a second one is an error (e.g. two a=mid). */
    <T> Optional<T> parseSingle(String name, Function<String, T> parser) {
        Attribute found = null;
        for (Attribute a : attributes) {
            if (a.hasName(name)) {
                if (found != null) {
                    throw new SdpParseException(a.lineNumber(), "a=" + name + " appears more than once");
                }
                found = a;
            }
        }
        return found == null ? Optional.empty() : Optional.of(parseValue(found, parser));
    }

    // ---------------------------------------------------------------- ICE (RFC 8839 §5.3-§5.6)

    /** @return the ICE username fragment, RFC 8839 §5.4 (4 to 256 ice-chars) */
    public Optional<String> iceUfrag() {
        return parseSingle(AttributeNames.ICE_UFRAG, v -> requireIce(v, 4, "ice-ufrag"));
    }

    /** @return the ICE password, RFC 8839 §5.4 (22 to 256 ice-chars) */
    public Optional<String> icePwd() {
        return parseSingle(AttributeNames.ICE_PWD, v -> requireIce(v, 22, "ice-pwd"));
    }

    private static String requireIce(String v, int min, String what) {
        if (!SdpText.isIceChars(v, min, 256)) {
            throw new SdpParseException(what + " must be " + min + " to 256 characters of ALPHA, DIGIT, '+', '/'");
        }
        return v;
    }

    /** Sets {@code a=ice-ufrag}; the value must be 4 to 256 ice-chars. */
    public S setIceUfrag(String ufrag) {
        if (!SdpText.isIceChars(ufrag, 4, 256)) {
            throw new IllegalArgumentException("ice-ufrag must be 4 to 256 ice-chars");
        }
        return setAttribute(AttributeNames.ICE_UFRAG, ufrag);
    }

    /** Sets {@code a=ice-pwd}; the value must be 22 to 256 ice-chars. */
    public S setIcePwd(String pwd) {
        if (!SdpText.isIceChars(pwd, 22, 256)) {
            throw new IllegalArgumentException("ice-pwd must be 22 to 256 ice-chars");
        }
        return setAttribute(AttributeNames.ICE_PWD, pwd);
    }

    /**
     * @return the ICE option tags of every {@code a=ice-options}, RFC 8839 §5.6 (e.g. {@code trickle}), in order;
     *     empty if absent. Read liberally, as an option nobody acts on must not cost the description: tags
     *     separated by spaces or commas (libdatachannel writes {@code ice2,trickle}), and a tag that is not
     *     ice-chars is skipped.
     */
    public List<String> iceOptions() {
        List<String> tags = new ArrayList<>();
        for (Attribute a : attributes) {
            if (a.hasName(AttributeNames.ICE_OPTIONS) && a.value() != null) {
                for (String tag : a.value().split("[ ,\t]+")) {
                    if (SdpText.isIceChars(tag, 1, 256) && !tags.contains(tag)) {
                        tags.add(tag);
                    }
                }
            }
        }
        return List.copyOf(tags);
    }

    /** Sets {@code a=ice-options} to the tags, or removes it when none are given. */
    public S setIceOptions(String... tags) {
        if (tags.length == 0) {
            return removeAttributes(AttributeNames.ICE_OPTIONS);
        }
        for (String tag : tags) {
            if (!SdpText.isIceChars(tag, 1, 256)) {
                throw new IllegalArgumentException("ice-options tag must be ice-chars: " + tag);
            }
        }
        return setAttribute(AttributeNames.ICE_OPTIONS, String.join(" ", tags));
    }

    // ---------------------------------------------------------------- DTLS (RFC 8122, RFC 4145, RFC 8842)

    /** @return every {@code a=fingerprint} in order (RFC 8122 §5 allows several) */
    public List<Fingerprint> fingerprints() {
        return parseAll(AttributeNames.FINGERPRINT, KnownAttributes.FINGERPRINT);
    }

    /** @return the first {@code a=fingerprint} */
    public Optional<Fingerprint> fingerprint() {
        return attribute(AttributeNames.FINGERPRINT).map(a -> parseValue(a, KnownAttributes.FINGERPRINT));
    }

    /** Replaces every fingerprint with this one. */
    public S setFingerprint(Fingerprint fingerprint) {
        return set(fingerprint);
    }

    /** @return the {@code a=setup} role */
    public Optional<Setup> setup() {
        return parseSingle(AttributeNames.SETUP, KnownAttributes.SETUP);
    }

    /** Sets {@code a=setup}. */
    public S setSetup(Setup setup) {
        return set(setup);
    }

    // ---------------------------------------------------------------- direction (RFC 8866 §6.7)

    /**
     * @return the direction attribute of this section, if one is written
     * @throws SdpParseException when two direction attributes are present
     */
    public Optional<Direction> direction() {
        Direction found = null;
        for (Attribute a : attributes) {
            Direction d = Direction.fromSdpName(a.name());
            if (d != null) {
                if (found != null) {
                    throw new SdpParseException(a.lineNumber(), "a=" + a.name() + " conflicts with a="
                        + found.sdpName() + ": only one direction attribute is allowed");
                }
                found = d;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Sets the direction: replaces any direction attribute in place, or appends one. */
    public S setDirection(Direction direction) {
        return replaceAll(a -> Direction.fromSdpName(a.name()) != null, direction.toAttribute());
    }

    // ---------------------------------------------------------------- RTP header extensions (RFC 8285)

    /** @return every {@code a=extmap} in order */
    public List<Extmap> extmaps() {
        return parseAll(AttributeNames.EXTMAP, KnownAttributes.EXTMAP);
    }

    /** @return the {@code a=extmap} for that extension URI */
    public Optional<Extmap> extmap(String uri) {
        return parseFirstMatch(AttributeNames.EXTMAP, KnownAttributes.EXTMAP, e -> e.uri().equals(uri));
    }

    /** Appends an {@code a=extmap}. */
    public S addExtmap(Extmap extmap) {
        return add(extmap);
    }

    /** @return true when {@code a=extmap-allow-mixed} is present (RFC 8285 §6) */
    public boolean isExtmapAllowMixed() {
        return hasAttribute(AttributeNames.EXTMAP_ALLOW_MIXED);
    }

    public S setExtmapAllowMixed(boolean allowMixed) {
        return setFlag(AttributeNames.EXTMAP_ALLOW_MIXED, allowMixed);
    }

    // ---------------------------------------------------------------- trickle (RFC 8840)

    /** @return true when {@code a=end-of-candidates} is present (RFC 8840 §8.2) */
    public boolean isEndOfCandidates() {
        return hasAttribute(AttributeNames.END_OF_CANDIDATES);
    }

    public S setEndOfCandidates(boolean endOfCandidates) {
        return setFlag(AttributeNames.END_OF_CANDIDATES, endOfCandidates);
    }

    // ---------------------------------------------------------------- validation

    /**
     * Parses every attribute of this section that has a typed form, so that malformed input is rejected up front
     * rather than when an accessor first reads it.
     *
     * @throws SdpParseException for the first malformed attribute
     */
    public void validateAttributes() {
        for (Attribute a : attributes) {
            Function<String, ?> parser = a.knownParser();
            if (parser != null && validates(a.name())) {
                parseValue(a, parser);
            }
        }
        direction();
        iceUfrag();
        icePwd();
        iceOptions();
        setup();
    }

    /** Whether {@link #validateAttributes()} parses this attribute name in this section. */
    boolean validates(String attributeName) {
        return true;
    }

    /**
     * Removes the attributes of these names whose value its typed parser refuses, so that the typed accessors
     * read the others: how a reader ignores what it does not need to be exact about, instead of refusing the
     * whole description.
     *
     * @param names attribute names with a typed form ({@link AttributeNames})
     * @return the removed attributes, in order
     */
    public List<Attribute> removeMalformed(Collection<String> names) {
        List<Attribute> removed = new ArrayList<>();
        for (Attribute a : attributes) {
            Function<String, ?> parser = a.knownParser();
            if (parser == null || !names.contains(a.name()) || !validates(a.name())) {
                continue;
            }
            try {
                parseValue(a, parser);
            } catch (SdpParseException e) {
                removed.add(a);
            }
        }
        if (!removed.isEmpty()) {
            // by identity, in one pass: equal lines elsewhere stay, and many malformed lines cost no more than one
            Set<Attribute> gone = Collections.newSetFromMap(new IdentityHashMap<>());
            gone.addAll(removed);
            attributes.removeIf(gone::contains);
        }
        return removed;
    }
}
