package io.sfu.core.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses session descriptions, RFC 8866 §5 and §9, with the line order of the grammar:
 * <pre>
 * session-description = version-field origin-field session-name-field
 *                       [information-field] [uri-field] *email-field *phone-field
 *                       [connection-field] *bandwidth-field 1*time-description
 *                       [key-field] *attribute-field *media-description
 * time-description    = time-field *repeat-field [zone-field]
 * media-description   = media-field [information-field] *connection-field *bandwidth-field
 *                       [key-field] *attribute-field
 * </pre>
 * Lines end with CRLF or LF (a final line without one is accepted). Only the line structure and the fixed fields
 * ({@code v o s c b t m}) are checked here; attributes are kept verbatim and parsed by the typed accessors, or all
 * at once by {@link SessionDescription#validateAttributes()}.
 *
 * <p>Liberal in what it accepts where the text stays unambiguous, as real WebRTC stacks write it: blank lines are
 * skipped, white space at the end of a line is dropped, runs of spaces separate fields like one space, and an
 * attribute whose name is not an RFC 8866 token is kept verbatim (no typed accessor reads it).
 *
 * <p>Bounds against hostile input: {@link SdpLimits}, {@link SdpLimits#DEFAULT} unless the caller passes others.
 * Malformed input throws {@link SdpParseException}, and nothing else; the parser makes one pass, so it always
 * terminates.
 */
public final class SdpParser {
    /** Largest description {@link #parse(String)} accepts, in characters: {@link SdpLimits#DEFAULT}. */
    public static final int MAX_SDP_LENGTH = SdpLimits.DEFAULT.maxLength();
    /** Longest line {@link #parse(String)} accepts, in characters, without its line end. */
    public static final int MAX_LINE_LENGTH = SdpLimits.DEFAULT.maxLineLength();
    /** Most media sections ({@code m=} lines) {@link #parse(String)} accepts in one description. */
    public static final int MAX_MEDIA_SECTIONS = SdpLimits.DEFAULT.maxMediaSections();
    /** Most {@code a=} lines {@link #parse(String)} accepts in the session level or in one media section. */
    public static final int MAX_ATTRIBUTES_PER_SECTION = SdpLimits.DEFAULT.maxAttributesPerSection();

    private SdpParser() {
    }

    // session-level line order ranks (RFC 8866 §9)
    private static final int S_ORIGIN = 1;
    private static final int S_NAME = 2;
    private static final int S_INFO = 3;
    private static final int S_URI = 4;
    private static final int S_EMAIL = 5;
    private static final int S_PHONE = 6;
    private static final int S_CONNECTION = 7;
    private static final int S_BANDWIDTH = 8;
    private static final int S_TIME = 9;
    private static final int S_KEY = 10;
    private static final int S_ATTRIBUTE = 11;

    // media-level ranks
    private static final int M_MEDIA = 0;
    private static final int M_INFO = 1;
    private static final int M_CONNECTION = 2;
    private static final int M_BANDWIDTH = 3;
    private static final int M_KEY = 4;
    private static final int M_ATTRIBUTE = 5;

    /**
     * Parses within {@link SdpLimits#DEFAULT}.
     *
     * @param sdp the description text
     * @return the parsed description
     * @throws SdpParseException when the text is malformed or exceeds a limit; the message names the line
     */
    public static SessionDescription parse(String sdp) {
        return parse(sdp, SdpLimits.DEFAULT);
    }

    /**
     * @param sdp    the description text
     * @param limits the bounds of this description
     * @return the parsed description
     * @throws SdpParseException when the text is malformed or exceeds a limit; the message names the line
     */
    public static SessionDescription parse(String sdp, SdpLimits limits) {
        if (sdp == null) {
            throw new SdpParseException("description is null");
        }
        if (sdp.length() > limits.maxLength()) {
            throw new SdpParseException("description is " + sdp.length() + " characters, more than the limit of "
                + limits.maxLength());
        }
        if (sdp.isEmpty()) {
            throw new SdpParseException("description is empty");
        }
        return new State(limits).run(sdp);
    }

    /** One parse: the position in the grammar and the objects built so far. */
    private static final class State {
        final SdpLimits limits;
        final SessionDescription session = new SessionDescription();
        MediaDescription current;
        int rank;
        int lineNumber;
        int attributeCount;
        boolean sawVersion;
        boolean sawTiming;
        final List<Timing> timings = new ArrayList<>();
        Timing pendingTiming;
        final List<String> pendingRepeats = new ArrayList<>();
        String pendingZone;

        State(SdpLimits limits) {
            this.limits = limits;
        }

        SessionDescription run(String sdp) {
            int pos = 0;
            int length = sdp.length();
            while (pos < length) {
                lineNumber++;
                int lf = sdp.indexOf('\n', pos);
                int end = lf < 0 ? length : lf;
                int next = lf < 0 ? length : lf + 1;
                int contentEnd = end > pos && sdp.charAt(end - 1) == '\r' ? end - 1 : end;
                if (contentEnd - pos > limits.maxLineLength()) {
                    throw error("line is longer than " + limits.maxLineLength() + " characters");
                }
                // white space closing a line means nothing in SDP, and some stacks write it
                while (contentEnd > pos && (sdp.charAt(contentEnd - 1) == ' ' || sdp.charAt(contentEnd - 1) == '\t')) {
                    contentEnd--;
                }
                if (contentEnd == pos) {
                    pos = next; // a blank line carries nothing
                    continue;
                }
                String line = sdp.substring(pos, contentEnd);
                checkCharacters(line);
                line(line);
                pos = next;
            }
            if (current == null && rank < S_NAME) {
                throw new SdpParseException(lineNumber, "description ends before its v=, o= and s= lines");
            }
            if (!sawTiming) {
                throw new SdpParseException(lineNumber, "description has no t= line");
            }
            if (pendingTiming != null) {
                flushTiming();
                session.setTimings(timings);
            }
            return session;
        }

        private void checkCharacters(String line) {
            // the JDK's search rather than a loop of ours: every line of every description passes here
            int cr = line.indexOf('\r');
            int nul = line.indexOf('\0');
            if (cr >= 0 && (nul < 0 || cr < nul)) {
                throw error("carriage return not followed by a line feed");
            }
            if (nul >= 0) {
                throw error("NUL character");
            }
        }

        private SdpParseException error(String reason) {
            return new SdpParseException(lineNumber, reason);
        }

        private void line(String line) {
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw error("expected '<type>=<value>', found '" + SdpText.abbreviate(line) + "'");
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (rank == 0 && current == null && !sawVersion) {
                sawVersion = true;
                if (type != 'v') {
                    throw error("the first line must be v=0");
                }
                if (!"0".equals(value)) {
                    throw error("unsupported version v=" + SdpText.abbreviate(value) + ", only v=0 exists");
                }
                return;
            }
            try {
                if (current == null) {
                    sessionLine(type, value);
                } else {
                    mediaLine(type, value);
                }
            } catch (SdpParseException e) {
                if (e.lineNumber() > 0) {
                    throw e;
                }
                throw error(e.reason());
            } catch (IllegalArgumentException e) {
                // the model's constructors validate too; a field check above should have caught it first
                throw error(type + "= line: " + e.getMessage());
            }
        }

        private void order(int lineRank, char type, boolean repeatable) {
            if (lineRank < rank || (lineRank == rank && !repeatable)) {
                throw error(type + "= line is out of order or repeated (RFC 8866 §9 fixes the order)");
            }
            rank = lineRank;
        }

        private void sessionLine(char type, String value) {
            if (rank < S_ORIGIN && type != 'o') {
                throw error("the second line must be o=");
            }
            if (rank == S_ORIGIN && type != 's') {
                throw error("the third line must be s=");
            }
            switch (type) {
                case 'v' -> throw error("v= may only be the first line");
                case 'o' -> {
                    order(S_ORIGIN, type, false);
                    session.setOrigin(Origin.parse(value));
                }
                case 's' -> {
                    order(S_NAME, type, false);
                    session.setSessionName(value);
                }
                case 'i' -> {
                    order(S_INFO, type, false);
                    session.setInformation(value);
                }
                case 'u' -> {
                    order(S_URI, type, false);
                    session.setUri(value);
                }
                case 'e' -> {
                    order(S_EMAIL, type, true);
                    session.addEmail(value);
                }
                case 'p' -> {
                    order(S_PHONE, type, true);
                    session.addPhone(value);
                }
                case 'c' -> {
                    order(S_CONNECTION, type, false);
                    session.setConnection(Connection.parse(value));
                }
                case 'b' -> {
                    order(S_BANDWIDTH, type, true);
                    session.addBandwidth(Bandwidth.parse(value));
                }
                case 't' -> {
                    order(S_TIME, type, true);
                    flushTiming();
                    pendingTiming = Timing.parse(value);
                    sawTiming = true;
                }
                case 'r' -> {
                    if (pendingTiming == null || pendingZone != null) {
                        throw error("r= must follow a t= line (before its z= line)");
                    }
                    pendingRepeats.add(value);
                }
                case 'z' -> {
                    if (pendingTiming == null || pendingZone != null) {
                        throw error("z= must follow a t= line, once");
                    }
                    pendingZone = value;
                }
                case 'k' -> {
                    requireTiming(type);
                    order(S_KEY, type, false);
                    session.setKey(value);
                }
                case 'a' -> {
                    requireTiming(type);
                    order(S_ATTRIBUTE, type, true);
                    session.addAttribute(attribute(value));
                }
                case 'm' -> {
                    requireTiming(type);
                    startMedia(value);
                }
                default -> throw unknownType(type);
            }
        }

        /** Completes the time description being read (r= and z= lines are collected, then built once). */
        private void flushTiming() {
            if (pendingTiming != null) {
                timings.add(new Timing(pendingTiming.start(), pendingTiming.stop(), pendingRepeats, pendingZone));
                pendingTiming = null;
                pendingRepeats.clear();
                pendingZone = null;
            }
        }

        private void requireTiming(char type) {
            if (!sawTiming) {
                throw error(type + "= line before any t= line (RFC 8866 §5.9 requires one)");
            }
            if (pendingTiming != null) {
                flushTiming();
                session.setTimings(timings);
            }
        }

        private SdpParseException unknownType(char type) {
            if (type >= 'a' && type <= 'z') {
                return error("unknown line type '" + type + "='");
            }
            return error("line type must be a lower-case letter, found '" + SdpText.abbreviate(String.valueOf(type))
                + "'");
        }

        private void mediaLine(char type, String value) {
            switch (type) {
                case 'm' -> startMedia(value);
                case 'i' -> {
                    order(M_INFO, type, false);
                    current.setInformation(value);
                }
                case 'c' -> {
                    order(M_CONNECTION, type, true);
                    current.addConnection(Connection.parse(value));
                }
                case 'b' -> {
                    order(M_BANDWIDTH, type, true);
                    current.addBandwidth(Bandwidth.parse(value));
                }
                case 'k' -> {
                    order(M_KEY, type, false);
                    current.setKey(value);
                }
                case 'a' -> {
                    order(M_ATTRIBUTE, type, true);
                    current.addAttribute(attribute(value));
                }
                case 'v', 'o', 's', 'u', 'e', 'p', 't', 'r', 'z' ->
                    throw error(type + "= is a session-level line and may not appear in a media section");
                default -> throw unknownType(type);
            }
        }

        private Attribute attribute(String value) {
            if (++attributeCount > limits.maxAttributesPerSection()) {
                throw error("more than " + limits.maxAttributesPerSection() + " attributes in one section");
            }
            // a name that is not a token is no attribute this package knows: kept verbatim, read by no accessor
            int colon = value.indexOf(':');
            String name = colon < 0 ? value : value.substring(0, colon);
            return new Attribute(name, colon < 0 ? null : value.substring(colon + 1), lineNumber);
        }

        private void startMedia(String value) {
            if (session.media().size() >= limits.maxMediaSections()) {
                throw error("more than " + limits.maxMediaSections() + " media sections");
            }
            current = parseMediaLine(value);
            session.addMedia(current);
            rank = M_MEDIA;
            attributeCount = 0;
        }

        /** RFC 8866 §5.14: {@code m=<media> <port>[/<number of ports>] <proto> <fmt> ...}. */
        private MediaDescription parseMediaLine(String value) {
            List<String> f = SdpText.splitSpaces(value, "m=");
            if (f.size() < 4) {
                throw error("m= needs '<media> <port> <proto> <fmt> ...', has " + f.size() + " fields");
            }
            if (!SdpText.isToken(f.get(0))) {
                throw error("m= media type '" + SdpText.abbreviate(f.get(0)) + "' is not a token");
            }
            String portText = f.get(1);
            int slash = portText.indexOf('/');
            int port = SdpText.parseInt(slash < 0 ? portText : portText.substring(0, slash), 65535, "m= port");
            int count = 0;
            if (slash >= 0) {
                count = SdpText.parseInt(portText.substring(slash + 1), 65535, "m= number of ports");
                if (count == 0) {
                    throw error("m= number of ports must not be 0");
                }
            }
            String proto = f.get(2);
            if (!MediaDescription.isProto(proto)) {
                throw error("m= proto '" + SdpText.abbreviate(proto) + "' is not token *(\"/\" token)");
            }
            boolean rtp = MediaDescription.isRtpProto(proto);
            MediaDescription m = new MediaDescription(f.get(0), port, proto).setNumberOfPorts(count);
            for (int i = 3; i < f.size(); i++) {
                String fmt = f.get(i);
                if (rtp) {
                    SdpText.parsePayloadType(fmt);
                } else if (!SdpText.isToken(fmt)) {
                    throw error("m= format '" + SdpText.abbreviate(fmt) + "' is not a token");
                }
                m.addFormat(fmt);
            }
            return m;
        }
    }
}
