package io.sfu.core.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ICE candidate, RFC 8839 §5.1 (with {@code tcptype} from RFC 6544 §4.5):
 * <pre>
 * candidate-attribute = "candidate" ":" foundation SP component-id SP transport SP priority SP
 *                       connection-address SP port SP cand-type [SP rel-addr] [SP rel-port] *(SP cand-extension)
 * foundation          = 1*32ice-char
 * component-id        = 1*3DIGIT
 * transport           = "UDP" / transport-extension      ; browsers write lower case "udp" / "tcp"
 * priority            = 1*10DIGIT
 * cand-type           = "typ" SP ("host" / "srflx" / "prflx" / "relay" / token)
 * rel-addr            = "raddr" SP connection-address
 * rel-port            = "rport" SP port
 * cand-extension      = extension-att-name SP extension-att-value   ; generation, network-id, ufrag, ...
 * </pre>
 * Unknown extensions are kept in order. The related address is null and the related port -1 when absent;
 * the TCP type is null when absent.
 */
public record Candidate(String foundation, int component, String transport, long priority, String address, int port,
                        String type, String relatedAddress, int relatedPort, String tcpType,
                        Map<String, String> extensions) implements TypedAttribute {

    /** Host candidate type, RFC 8445 §5.1.1.1. */
    public static final String HOST = "host";
    /** Server-reflexive candidate type. */
    public static final String SRFLX = "srflx";
    /** Peer-reflexive candidate type. */
    public static final String PRFLX = "prflx";
    /** Relayed candidate type. */
    public static final String RELAY = "relay";
    /** Component id of RTP (and of everything when rtcp-mux is used). */
    public static final int COMPONENT_RTP = 1;

    /** @throws IllegalArgumentException when a field would not parse back */
    public Candidate {
        if (!SdpText.isIceChars(foundation, 1, 32)) {
            throw new IllegalArgumentException("foundation must be 1 to 32 ice-chars, was '" + foundation + "'");
        }
        if (component < 1 || component > 256) {
            throw new IllegalArgumentException("component must be 1..256, was " + component);
        }
        SdpText.requireToken(transport, "candidate transport");
        if (priority < 0 || priority > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("priority must be 0..2^32-1, was " + priority);
        }
        requireWord(address, "candidate address");
        requirePort(port, "candidate port");
        SdpText.requireToken(type, "candidate type");
        if (relatedAddress != null) {
            requireWord(relatedAddress, "candidate raddr");
        }
        if (relatedPort != -1) {
            requirePort(relatedPort, "candidate rport");
        }
        if (tcpType != null) {
            requireWord(tcpType, "candidate tcptype");
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : extensions.entrySet()) {
            requireWord(e.getKey(), "candidate extension name");
            requireWord(e.getValue(), "candidate extension value");
            if (isTypedExtension(e.getKey())) {
                throw new IllegalArgumentException(e.getKey() + " is a typed field, not an extension");
            }
            copy.put(e.getKey(), e.getValue());
        }
        extensions = Collections.unmodifiableMap(copy);
    }

    /** A host candidate without related address or extensions, as an ICE-lite server announces it. */
    public static Candidate host(String foundation, String transport, long priority, String address, int port) {
        return new Candidate(foundation, COMPONENT_RTP, transport, priority, address, port, HOST, null, -1, null,
            Map.of());
    }

    private static void requireWord(String s, String what) {
        SdpText.requireLineSafe(s, what);
        if (s.isEmpty() || s.indexOf(' ') >= 0) {
            throw new IllegalArgumentException(what + " must be non-empty without spaces");
        }
    }

    private static void requirePort(int port, String what) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(what + " must be 0..65535, was " + port);
        }
    }

    private static boolean isTypedExtension(String name) {
        return "typ".equals(name) || "raddr".equals(name) || "rport".equals(name) || "tcptype".equals(name);
    }

    /** @return true for a UDP candidate (transport compared ignoring case) */
    public boolean isUdp() {
        return "udp".equalsIgnoreCase(transport);
    }

    /** @return true for a TCP candidate (RFC 6544) */
    public boolean isTcp() {
        return "tcp".equalsIgnoreCase(transport);
    }

    /** @return the value of an extension such as {@code generation} or {@code ufrag}, or null */
    public String extension(String name) {
        return extensions.get(name);
    }

    /**
     * Parses a candidate as signaled in trickle ICE ({@code RTCIceCandidate.candidate}): the attribute value with
     * an optional {@code candidate:} or {@code a=candidate:} prefix.
     */
    public static Candidate parseLine(String line) {
        String s = SdpText.checkValue(line, "candidate");
        if (s.startsWith("a=")) {
            s = s.substring(2);
        }
        if (!s.startsWith("candidate:")) {
            throw new SdpParseException("candidate line must start with 'candidate:'");
        }
        return parse(s.substring("candidate:".length()));
    }

    /** Parses the value of {@code a=candidate}. */
    public static Candidate parse(String value) {
        SdpText.checkValue(value, "candidate");
        List<String> f = SdpText.splitSpaces(value, "candidate");
        if (f.size() < 8) {
            throw new SdpParseException("candidate needs at least 8 fields "
                + "(foundation component transport priority address port typ type), has " + f.size());
        }
        if (!SdpText.isIceChars(f.get(0), 1, 32)) {
            throw new SdpParseException("candidate foundation '" + SdpText.abbreviate(f.get(0))
                + "' is not 1 to 32 ice-chars");
        }
        int component = SdpText.parseInt(f.get(1), 256, "candidate component");
        if (component == 0 || f.get(1).length() > 3) {
            throw new SdpParseException("candidate component must be 1..256 in at most 3 digits");
        }
        if (!SdpText.isToken(f.get(2))) {
            throw new SdpParseException("candidate transport '" + SdpText.abbreviate(f.get(2)) + "' is not a token");
        }
        if (f.get(3).length() > 10) {
            throw new SdpParseException("candidate priority has more than 10 digits");
        }
        long priority = SdpText.parseNumber(f.get(3), 0xFFFF_FFFFL, "candidate priority");
        int port = SdpText.parseInt(f.get(5), 65535, "candidate port");
        if (!"typ".equals(f.get(6))) {
            throw new SdpParseException("candidate needs 'typ' after the port, found '" + SdpText.abbreviate(f.get(6))
                + "'");
        }
        if (!SdpText.isToken(f.get(7))) {
            throw new SdpParseException("candidate type '" + SdpText.abbreviate(f.get(7)) + "' is not a token");
        }
        if ((f.size() - 8) % 2 != 0) {
            throw new SdpParseException("candidate extension '" + SdpText.abbreviate(f.get(f.size() - 1))
                + "' has no value");
        }
        String raddr = null;
        int rport = -1;
        String tcpType = null;
        LinkedHashMap<String, String> extensions = new LinkedHashMap<>();
        for (int i = 8; i < f.size(); i += 2) {
            String name = f.get(i);
            String v = f.get(i + 1);
            switch (name) {
                case "raddr" -> {
                    if (raddr != null) {
                        throw new SdpParseException("candidate has two raddr");
                    }
                    raddr = v;
                }
                case "rport" -> {
                    if (rport != -1) {
                        throw new SdpParseException("candidate has two rport");
                    }
                    rport = SdpText.parseInt(v, 65535, "candidate rport");
                }
                case "tcptype" -> {
                    if (tcpType != null) {
                        throw new SdpParseException("candidate has two tcptype");
                    }
                    tcpType = v;
                }
                case "typ" -> throw new SdpParseException("candidate has two typ");
                default -> {
                    if (extensions.containsKey(name)) {
                        throw new SdpParseException("candidate extension '" + SdpText.abbreviate(name)
                            + "' appears twice");
                    }
                    extensions.put(name, v);
                }
            }
        }
        return new Candidate(f.get(0), component, f.get(2), priority, f.get(4), port, f.get(7), raddr, rport,
            tcpType, extensions);
    }

    @Override
    public String attributeName() {
        return AttributeNames.CANDIDATE;
    }

    @Override
    public String attributeValue() {
        StringBuilder sb = new StringBuilder(128).append(foundation).append(' ').append(component).append(' ')
            .append(transport).append(' ').append(priority).append(' ').append(address).append(' ').append(port)
            .append(" typ ").append(type);
        if (relatedAddress != null) {
            sb.append(" raddr ").append(relatedAddress);
        }
        if (relatedPort != -1) {
            sb.append(" rport ").append(relatedPort);
        }
        if (tcpType != null) {
            sb.append(" tcptype ").append(tcpType);
        }
        for (Map.Entry<String, String> e : extensions.entrySet()) {
            sb.append(' ').append(e.getKey()).append(' ').append(e.getValue());
        }
        return sb.toString();
    }

    /** @return the text of a trickle ICE candidate, {@code candidate:<value>} */
    public String toCandidateLine() {
        return "candidate:" + attributeValue();
    }
}
