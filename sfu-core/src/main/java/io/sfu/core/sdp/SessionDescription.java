package io.sfu.core.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A session description, RFC 8866 §5: the session-level fields and attributes and the media sections, in the
 * order of RFC 8866 §5 and §9:
 * <pre>
 * v=0
 * o=&lt;username&gt; &lt;sess-id&gt; &lt;sess-version&gt; &lt;nettype&gt; &lt;addrtype&gt; &lt;unicast-address&gt;
 * s=&lt;session name&gt;
 * i=* u=* e=* p=* c=* b=*
 * t=&lt;start&gt; &lt;stop&gt;   (one or more, each with r=* and z=*)
 * k=* a=*
 * m=... (zero or more media descriptions)
 * </pre>
 * Parse with {@link #parse(String)}; write with {@link #write()} (CRLF-terminated lines). Attributes keep their
 * order, so unknown lines are written back unchanged and a browser's description round-trips byte for byte.
 * A new instance is a valid empty description ({@code o=- 0 0 IN IP4 127.0.0.1}, {@code s=-}, {@code t=0 0}) to
 * be filled with the fluent setters. Not thread-safe: one owner at a time, like every control-plane object.
 */
public final class SessionDescription extends SdpSection<SessionDescription> {
    private Origin origin = Origin.DEFAULT;
    private String sessionName = "-";
    private String information;
    private String uri;
    private final List<String> emails = new ArrayList<>();
    private final List<String> phones = new ArrayList<>();
    private Connection connection;
    private final List<Bandwidth> bandwidths = new ArrayList<>();
    private final List<Timing> timings = new ArrayList<>(List.of(Timing.PERMANENT));
    private String key;
    private final List<MediaDescription> media = new ArrayList<>();

    /**
     * Parses a description (CRLF or LF line ends) within the limits of {@link SdpParser}.
     *
     * @throws SdpParseException for malformed input, naming the line
     */
    public static SessionDescription parse(String sdp) {
        return SdpParser.parse(sdp);
    }

    @Override
    SessionDescription self() {
        return this;
    }

    /** @return a deep copy, media sections included */
    public SessionDescription copy() {
        SessionDescription c = new SessionDescription();
        c.origin = origin;
        c.sessionName = sessionName;
        c.information = information;
        c.uri = uri;
        c.emails.addAll(emails);
        c.phones.addAll(phones);
        c.connection = connection;
        c.bandwidths.addAll(bandwidths);
        c.timings.clear();
        c.timings.addAll(timings);
        c.key = key;
        c.attributes.addAll(attributes);
        for (MediaDescription m : media) {
            c.media.add(m.copy());
        }
        return c;
    }

    // ---------------------------------------------------------------- fields

    /** @return the protocol version; RFC 8866 §5.1 defines only 0 */
    public int version() {
        return 0;
    }

    public Origin origin() {
        return origin;
    }

    public SessionDescription setOrigin(Origin origin) {
        this.origin = java.util.Objects.requireNonNull(origin, "origin");
        return this;
    }

    /** @return the {@code s=} value ({@code -} in WebRTC, RFC 8829 §5.2.1) */
    public String sessionName() {
        return sessionName;
    }

    public SessionDescription setSessionName(String sessionName) {
        this.sessionName = SdpText.requireLineSafe(sessionName, "s= value");
        return this;
    }

    /** @return the {@code i=} value, or null */
    public String information() {
        return information;
    }

    public SessionDescription setInformation(String information) {
        this.information = information == null ? null : SdpText.requireLineSafe(information, "i= value");
        return this;
    }

    /** @return the {@code u=} value, or null */
    public String uri() {
        return uri;
    }

    public SessionDescription setUri(String uri) {
        this.uri = uri == null ? null : SdpText.requireLineSafe(uri, "u= value");
        return this;
    }

    /** @return the {@code e=} values */
    public List<String> emails() {
        return Collections.unmodifiableList(emails);
    }

    public SessionDescription addEmail(String email) {
        emails.add(SdpText.requireLineSafe(email, "e= value"));
        return this;
    }

    /** @return the {@code p=} values */
    public List<String> phones() {
        return Collections.unmodifiableList(phones);
    }

    public SessionDescription addPhone(String phone) {
        phones.add(SdpText.requireLineSafe(phone, "p= value"));
        return this;
    }

    /** @return the session-level {@code c=} line */
    public Optional<Connection> connection() {
        return Optional.ofNullable(connection);
    }

    /** @param connection null to omit the session-level {@code c=} line */
    public SessionDescription setConnection(Connection connection) {
        this.connection = connection;
        return this;
    }

    /** @return the session-level {@code b=} lines */
    public List<Bandwidth> bandwidths() {
        return Collections.unmodifiableList(bandwidths);
    }

    public SessionDescription addBandwidth(Bandwidth bandwidth) {
        bandwidths.add(java.util.Objects.requireNonNull(bandwidth, "bandwidth"));
        return this;
    }

    /** @return the time descriptions; a new description has {@code t=0 0} */
    public List<Timing> timings() {
        return Collections.unmodifiableList(timings);
    }

    /** Replaces the time descriptions; at least one is required (RFC 8866 §5.9). */
    public SessionDescription setTimings(List<Timing> newTimings) {
        if (newTimings.isEmpty()) {
            throw new IllegalArgumentException("at least one t= line is required");
        }
        timings.clear();
        timings.addAll(newTimings);
        return this;
    }

    /** @return the obsolete {@code k=} value, or null */
    public String key() {
        return key;
    }

    public SessionDescription setKey(String key) {
        this.key = key == null ? null : SdpText.requireLineSafe(key, "k= value");
        return this;
    }

    // ---------------------------------------------------------------- media sections

    /** @return the media sections in order (read-only list of the live sections) */
    public List<MediaDescription> media() {
        return Collections.unmodifiableList(media);
    }

    /**
     * @return the media section with that {@code a=mid}
     * @throws SdpParseException when a section's mid is malformed
     */
    public Optional<MediaDescription> mediaByMid(String mid) {
        for (MediaDescription m : media) {
            if (m.mid().filter(mid::equals).isPresent()) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** Appends a media section. */
    public SessionDescription addMedia(MediaDescription section) {
        media.add(java.util.Objects.requireNonNull(section, "media"));
        return this;
    }

    /** Replaces the media section at that index (sections keep their m-line index across renegotiation). */
    public SessionDescription setMedia(int index, MediaDescription section) {
        media.set(index, java.util.Objects.requireNonNull(section, "media"));
        return this;
    }

    public SessionDescription removeMedia(MediaDescription section) {
        media.remove(section);
        return this;
    }

    public SessionDescription clearMedia() {
        media.clear();
        return this;
    }

    /**
     * @return the direction in effect for a media section: its own attribute, else the session-level one, else
     *     sendrecv (RFC 8866 §6.7)
     */
    public Direction directionOf(MediaDescription section) {
        return section.direction().or(this::direction).orElse(Direction.SENDRECV);
    }

    // ---------------------------------------------------------------- session-level attributes

    /** @return every {@code a=group} in order, RFC 5888 §5 */
    public List<Group> groups() {
        return parseAll(AttributeNames.GROUP, KnownAttributes.GROUP);
    }

    /** @return the first BUNDLE group, RFC 9143 */
    public Optional<Group> bundleGroup() {
        for (Group g : groups()) {
            if (g.isBundle()) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    /** Sets the group of that semantics: replaces the groups with the same semantics in place, or appends. */
    public SessionDescription setGroup(Group group) {
        return replaceAll(a -> a.hasName(AttributeNames.GROUP) && a.value() != null
            && semanticsOf(a.value()).equals(group.semantics()), group.toAttribute());
    }

    private static String semanticsOf(String groupValue) {
        int space = groupValue.indexOf(' ');
        return space < 0 ? groupValue : groupValue.substring(0, space);
    }

    /** @return the {@code a=msid-semantic} */
    public Optional<MsidSemantic> msidSemantic() {
        return parseSingle(AttributeNames.MSID_SEMANTIC, KnownAttributes.MSID_SEMANTIC);
    }

    /** @return true when {@code a=ice-lite} is present, RFC 8839 §5.3 */
    public boolean isIceLite() {
        return hasAttribute(AttributeNames.ICE_LITE);
    }

    public SessionDescription setIceLite(boolean iceLite) {
        return setFlag(AttributeNames.ICE_LITE, iceLite);
    }

    /**
     * Parses every typed attribute of the session and of every media section.
     *
     * @throws SdpParseException for the first malformed attribute
     */
    @Override
    public void validateAttributes() {
        super.validateAttributes();
        msidSemantic();
        for (MediaDescription m : media) {
            m.validateAttributes();
            m.mid();
            m.rtcp();
            m.simulcast();
        }
    }

    /** {@link SdpSection#removeMalformed} on the session level and in every media section. */
    @Override
    public List<Attribute> removeMalformed(java.util.Collection<String> names) {
        List<Attribute> removed = new ArrayList<>(super.removeMalformed(names));
        for (MediaDescription m : media) {
            removed.addAll(m.removeMalformed(names));
        }
        return removed;
    }

    // ---------------------------------------------------------------- writing

    /** @return the description as text: RFC 8866 order, every line CRLF-terminated */
    public String write() {
        StringBuilder sb = new StringBuilder(2048 + media.size() * 4096);
        write(sb);
        return sb.toString();
    }

    /** Appends the description, every line CRLF-terminated. */
    public void write(StringBuilder out) {
        out.append("v=0\r\n");
        out.append("o=").append(origin).append("\r\n");
        out.append("s=").append(sessionName).append("\r\n");
        if (information != null) {
            out.append("i=").append(information).append("\r\n");
        }
        if (uri != null) {
            out.append("u=").append(uri).append("\r\n");
        }
        for (String e : emails) {
            out.append("e=").append(e).append("\r\n");
        }
        for (String p : phones) {
            out.append("p=").append(p).append("\r\n");
        }
        if (connection != null) {
            out.append("c=").append(connection).append("\r\n");
        }
        for (Bandwidth b : bandwidths) {
            out.append("b=").append(b).append("\r\n");
        }
        for (Timing t : timings) {
            out.append("t=").append(t.start()).append(' ').append(t.stop()).append("\r\n");
            for (String r : t.repeats()) {
                out.append("r=").append(r).append("\r\n");
            }
            if (t.zone() != null) {
                out.append("z=").append(t.zone()).append("\r\n");
            }
        }
        if (key != null) {
            out.append("k=").append(key).append("\r\n");
        }
        for (Attribute a : attributes) {
            a.writeLine(out);
        }
        for (MediaDescription m : media) {
            m.write(out);
        }
    }

    /** @return {@link #write()} */
    @Override
    public String toString() {
        return write();
    }
}
