package io.sfu.core.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * One media section, RFC 8866 §5.14 and §9:
 * <pre>
 * m=&lt;media&gt; &lt;port&gt;[/&lt;number of ports&gt;] &lt;proto&gt; &lt;fmt&gt; ...
 * i=* (media title)
 * c=* (connection information)
 * b=* (bandwidth information)
 * k=* (obsolete encryption key)
 * a=* (media attribute lines)
 * </pre>
 * Mutable, for the SFU's answers and subscriber offers: fluent setters, {@code add}/{@code set}/
 * {@code removeAttributes}, and typed accessors for the WebRTC media-level attributes (mid, msid, rtcp-mux,
 * rtcp-rsize, bundle-only, rtcp, rtpmap, fmtp, rtcp-fb, ssrc, ssrc-group, rid, simulcast, candidate).
 */
public final class MediaDescription extends SdpSection<MediaDescription> {

    /** The proto of WebRTC RTP media, RFC 8829 §5.1.2. */
    public static final String PROTO_RTP = "UDP/TLS/RTP/SAVPF";
    /** The proto of a WebRTC data channel section, RFC 8841 §4.1. */
    public static final String PROTO_SCTP = "UDP/DTLS/SCTP";
    /** The discard port WebRTC writes when the real address is in the candidates (RFC 8829 §5.2.1). */
    public static final int DISCARD_PORT = 9;

    private String media;
    private int port;
    private int numberOfPorts;
    private String proto;
    /** Whether {@link #proto} carries RTP, kept beside it: validation asks once per attribute. */
    private boolean rtp;
    private final List<String> formats = new ArrayList<>();
    private String information;
    private final List<Connection> connections = new ArrayList<>();
    private final List<Bandwidth> bandwidths = new ArrayList<>();
    private String key;

    /**
     * A section without formats; add them with {@link #addFormat(String)} or {@link #addPayloadType(int)}.
     *
     * @param media e.g. {@code audio}, {@code video}, {@code application}
     */
    public MediaDescription(String media, int port, String proto) {
        setMedia(media);
        setPort(port);
        setProto(proto);
    }

    /**
     * An RTP section as WebRTC writes it: port 9, {@link #PROTO_RTP}, {@code c=IN IP4 0.0.0.0}, no formats yet.
     */
    public static MediaDescription webRtc(String media) {
        return new MediaDescription(media, DISCARD_PORT, PROTO_RTP).setConnection(Connection.IP4_ANY);
    }

    @Override
    MediaDescription self() {
        return this;
    }

    /** @return a deep copy (attributes are immutable values, so copying the lists suffices) */
    public MediaDescription copy() {
        MediaDescription c = new MediaDescription(media, port, proto);
        c.numberOfPorts = numberOfPorts;
        c.formats.addAll(formats);
        c.information = information;
        c.connections.addAll(connections);
        c.bandwidths.addAll(bandwidths);
        c.key = key;
        c.attributes.addAll(attributes);
        return c;
    }

    // ---------------------------------------------------------------- m= line

    /** @return the media type, e.g. {@code audio} */
    public String media() {
        return media;
    }

    public MediaDescription setMedia(String media) {
        this.media = SdpText.requireToken(media, "media type");
        return this;
    }

    /** @return the transport port; 0 rejects the section unless it is bundle-only (RFC 8843 §6) */
    public int port() {
        return port;
    }

    public MediaDescription setPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        this.port = port;
        return this;
    }

    /** @return the {@code /<number of ports>} of the m= line, or 0 when absent */
    public int numberOfPorts() {
        return numberOfPorts;
    }

    /** @param numberOfPorts 0 to omit it */
    public MediaDescription setNumberOfPorts(int numberOfPorts) {
        if (numberOfPorts < 0) {
            throw new IllegalArgumentException("number of ports must not be negative");
        }
        this.numberOfPorts = numberOfPorts;
        return this;
    }

    /** @return the transport protocol, e.g. {@code UDP/TLS/RTP/SAVPF} */
    public String proto() {
        return proto;
    }

    public MediaDescription setProto(String proto) {
        if (!isProto(proto)) {
            throw new IllegalArgumentException("proto must be token *(\"/\" token), was '" + proto + "'");
        }
        boolean carriesRtp = isRtpProto(proto);
        if (carriesRtp) {
            for (String f : formats) {
                requirePayloadType(f);
            }
        }
        this.proto = proto;
        this.rtp = carriesRtp;
        return this;
    }

    /** @return true when the proto carries RTP (one of its '/'-separated parts is {@code RTP}) */
    public boolean isRtp() {
        return rtp;
    }

    /** @return the formats of the m= line in order: payload types for RTP, e.g. {@code webrtc-datachannel} else */
    public List<String> formats() {
        return Collections.unmodifiableList(formats);
    }

    /** Appends a format; for an RTP section it must be a payload type. */
    public MediaDescription addFormat(String format) {
        SdpText.requireToken(format, "format");
        if (isRtp()) {
            requirePayloadType(format);
        }
        formats.add(format);
        return this;
    }

    /** Appends an RTP payload type to the formats. */
    public MediaDescription addPayloadType(int payloadType) {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type must be 0..127, was " + payloadType);
        }
        formats.add(Integer.toString(payloadType));
        return this;
    }

    /** Replaces the formats. */
    public MediaDescription setFormats(List<String> newFormats) {
        List<String> old = new ArrayList<>(formats);
        formats.clear();
        try {
            for (String f : newFormats) {
                addFormat(f);
            }
        } catch (IllegalArgumentException e) {
            formats.clear();
            formats.addAll(old);
            throw e;
        }
        return this;
    }

    /**
     * @return the formats as RTP payload types, in order
     * @throws SdpParseException when a format is not a payload type (a non-RTP section)
     */
    public List<Integer> payloadTypes() {
        List<Integer> out = new ArrayList<>(formats.size());
        for (String f : formats) {
            out.add(SdpText.parsePayloadType(f));
        }
        return out;
    }

    private static void requirePayloadType(String format) {
        try {
            SdpText.parsePayloadType(format);
        } catch (SdpParseException e) {
            throw new IllegalArgumentException("an RTP format must be a payload type 0..127, was '" + format + "'");
        }
    }

    static boolean isProto(String proto) {
        if (proto == null || proto.isEmpty()) {
            return false;
        }
        for (String part : proto.split("/", -1)) {
            if (!SdpText.isToken(part)) {
                return false;
            }
        }
        return true;
    }

    static boolean isRtpProto(String proto) {
        for (String part : proto.split("/", -1)) {
            if (part.equalsIgnoreCase("RTP")) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- i= c= b= k=

    /** @return the {@code i=} media title, or null */
    public String information() {
        return information;
    }

    /** @param information null to omit the {@code i=} line */
    public MediaDescription setInformation(String information) {
        this.information = information == null ? null : SdpText.requireLineSafe(information, "i= value");
        return this;
    }

    /** @return the {@code c=} lines (several are allowed at media level for multicast) */
    public List<Connection> connections() {
        return Collections.unmodifiableList(connections);
    }

    /** @return the first {@code c=} line */
    public Optional<Connection> connection() {
        return connections.isEmpty() ? Optional.empty() : Optional.of(connections.get(0));
    }

    /** Replaces the {@code c=} lines with this one (null removes them). */
    public MediaDescription setConnection(Connection connection) {
        connections.clear();
        if (connection != null) {
            connections.add(connection);
        }
        return this;
    }

    public MediaDescription addConnection(Connection connection) {
        connections.add(java.util.Objects.requireNonNull(connection, "connection"));
        return this;
    }

    /** @return the {@code b=} lines in order */
    public List<Bandwidth> bandwidths() {
        return Collections.unmodifiableList(bandwidths);
    }

    /** Sets the {@code b=} line of that type, replacing one of the same type or appending. */
    public MediaDescription setBandwidth(Bandwidth bandwidth) {
        for (int i = 0; i < bandwidths.size(); i++) {
            if (bandwidths.get(i).type().equals(bandwidth.type())) {
                bandwidths.set(i, bandwidth);
                return this;
            }
        }
        bandwidths.add(bandwidth);
        return this;
    }

    public MediaDescription addBandwidth(Bandwidth bandwidth) {
        bandwidths.add(java.util.Objects.requireNonNull(bandwidth, "bandwidth"));
        return this;
    }

    public MediaDescription removeBandwidths() {
        bandwidths.clear();
        return this;
    }

    /** @return the obsolete {@code k=} value, or null */
    public String key() {
        return key;
    }

    public MediaDescription setKey(String key) {
        this.key = key == null ? null : SdpText.requireLineSafe(key, "k= value");
        return this;
    }

    // ---------------------------------------------------------------- identification and bundling

    /**
     * @return the media identification tag, RFC 5888 §4
     * @throws SdpParseException when malformed or written twice
     */
    public Optional<String> mid() {
        return parseSingle(AttributeNames.MID, KnownAttributes.MID);
    }

    static String parseMid(String value) {
        if (!SdpText.isToken(value)) {
            throw new SdpParseException("mid '" + SdpText.abbreviate(value) + "' is not a token");
        }
        return value;
    }

    public MediaDescription setMid(String mid) {
        return setAttribute(AttributeNames.MID, SdpText.requireToken(mid, "mid"));
    }

    /** @return the first {@code a=msid}, RFC 8830 §2 */
    public Optional<Msid> msid() {
        return attribute(AttributeNames.MSID).map(a -> parseValue(a, KnownAttributes.MSID));
    }

    /** @return every {@code a=msid} (a track may belong to several streams) */
    public List<Msid> msids() {
        return parseAll(AttributeNames.MSID, KnownAttributes.MSID);
    }

    /** Replaces every {@code a=msid} with this one. */
    public MediaDescription setMsid(Msid msid) {
        return set(msid);
    }

    /** @return true when {@code a=bundle-only} is present, RFC 8843 §6 */
    public boolean isBundleOnly() {
        return hasAttribute(AttributeNames.BUNDLE_ONLY);
    }

    public MediaDescription setBundleOnly(boolean bundleOnly) {
        return setFlag(AttributeNames.BUNDLE_ONLY, bundleOnly);
    }

    /** @return true when the port is 0 and the section is not bundle-only: rejected or disabled (RFC 3264 §6) */
    public boolean isRejected() {
        return port == 0 && !isBundleOnly();
    }

    // ---------------------------------------------------------------- RTCP

    /** @return true when {@code a=rtcp-mux} is present, RFC 8858 */
    public boolean isRtcpMux() {
        return hasAttribute(AttributeNames.RTCP_MUX);
    }

    public MediaDescription setRtcpMux(boolean rtcpMux) {
        return setFlag(AttributeNames.RTCP_MUX, rtcpMux);
    }

    /** @return true when {@code a=rtcp-rsize} is present, RFC 5506 §5 */
    public boolean isRtcpRsize() {
        return hasAttribute(AttributeNames.RTCP_RSIZE);
    }

    public MediaDescription setRtcpRsize(boolean rtcpRsize) {
        return setFlag(AttributeNames.RTCP_RSIZE, rtcpRsize);
    }

    /** @return the {@code a=rtcp} port attribute, RFC 3605 */
    public Optional<Rtcp> rtcp() {
        return parseSingle(AttributeNames.RTCP, KnownAttributes.RTCP);
    }

    // ---------------------------------------------------------------- codecs

    /** @return every {@code a=rtpmap} in order */
    public List<Rtpmap> rtpmaps() {
        return parseAll(AttributeNames.RTPMAP, KnownAttributes.RTPMAP);
    }

    /** @return the {@code a=rtpmap} of that payload type */
    public Optional<Rtpmap> rtpmap(int payloadType) {
        return parseFirstMatch(AttributeNames.RTPMAP, KnownAttributes.RTPMAP, r -> r.payloadType() == payloadType);
    }

    /** @return every {@code a=fmtp} in order */
    public List<Fmtp> fmtps() {
        return parseAll(AttributeNames.FMTP, KnownAttributes.FMTP);
    }

    /** @return the {@code a=fmtp} of that payload type */
    public Optional<Fmtp> fmtp(int payloadType) {
        return parseFirstMatch(AttributeNames.FMTP, KnownAttributes.FMTP, f -> f.payloadType() == payloadType);
    }

    /** @return every {@code a=rtcp-fb} in order */
    public List<RtcpFb> rtcpFeedback() {
        return parseAll(AttributeNames.RTCP_FB, KnownAttributes.RTCP_FB);
    }

    /** @return the {@code a=rtcp-fb} entries that apply to that payload type, {@code *} entries included */
    public List<RtcpFb> rtcpFeedback(int payloadType) {
        List<RtcpFb> out = new ArrayList<>();
        for (RtcpFb fb : rtcpFeedback()) {
            if (fb.appliesTo(payloadType)) {
                out.add(fb);
            }
        }
        return out;
    }

    /**
     * @return one {@link Codec} per payload type of the m= line, in m= line order, with its rtpmap, fmtp and
     *     feedback (one pass over the attributes)
     * @throws SdpParseException when a format is not a payload type or a codec attribute is malformed
     */
    public List<Codec> codecs() {
        List<Integer> pts = payloadTypes();
        // indexed by payload type (0..127, which every typed codec attribute holds): a section asks this per offer
        Rtpmap[] rtpmaps = new Rtpmap[128];
        Fmtp[] fmtps = new Fmtp[128];
        List<RtcpFb>[] feedback = null;
        List<RtcpFb> wildcard = new ArrayList<>();
        for (Attribute a : attributes) {
            switch (a.name()) {
                case AttributeNames.RTPMAP -> {
                    Rtpmap r = parseValue(a, KnownAttributes.RTPMAP);
                    if (rtpmaps[r.payloadType()] == null) {
                        rtpmaps[r.payloadType()] = r;
                    }
                }
                case AttributeNames.FMTP -> {
                    Fmtp f = parseValue(a, KnownAttributes.FMTP);
                    if (fmtps[f.payloadType()] == null) {
                        fmtps[f.payloadType()] = f;
                    }
                }
                case AttributeNames.RTCP_FB -> {
                    RtcpFb fb = parseValue(a, KnownAttributes.RTCP_FB);
                    if (fb.isWildcard()) {
                        wildcard.add(fb);
                    } else {
                        if (feedback == null) {
                            feedback = newFeedbackTable();
                        }
                        if (feedback[fb.payloadType()] == null) {
                            feedback[fb.payloadType()] = new ArrayList<>();
                        }
                        feedback[fb.payloadType()].add(fb);
                    }
                }
                default -> {
                }
            }
        }
        List<Codec> codecs = new ArrayList<>(pts.size());
        for (int pt : pts) {
            List<RtcpFb> fbs = new ArrayList<>(wildcard);
            if (feedback != null && feedback[pt] != null) {
                fbs.addAll(feedback[pt]);
            }
            codecs.add(new Codec(pt, rtpmaps[pt], fmtps[pt], fbs));
        }
        return codecs;
    }

    @SuppressWarnings("unchecked")
    private static List<RtcpFb>[] newFeedbackTable() {
        return (List<RtcpFb>[]) new List<?>[128];
    }

    /** @return the codec of that payload type, if it is in the m= line */
    public Optional<Codec> codec(int payloadType) {
        for (Codec c : codecs()) {
            if (c.payloadType() == payloadType) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * Appends a payload type to the m= line with its rtpmap, optional fmtp and feedback attributes, in the order
     * browsers write them.
     *
     * @param fmtp null for none
     */
    public MediaDescription addCodec(Rtpmap rtpmap, Fmtp fmtp, List<RtcpFb> feedback) {
        if (fmtp != null && fmtp.payloadType() != rtpmap.payloadType()) {
            throw new IllegalArgumentException("fmtp payload type differs from the rtpmap's");
        }
        addPayloadType(rtpmap.payloadType());
        add(rtpmap);
        for (RtcpFb fb : feedback) {
            if (fb.payloadType() != rtpmap.payloadType()) {
                throw new IllegalArgumentException("rtcp-fb payload type differs from the rtpmap's");
            }
            add(fb);
        }
        if (fmtp != null) {
            add(fmtp);
        }
        return this;
    }

    // ---------------------------------------------------------------- sources and simulcast

    /** @return every {@code a=ssrc} in order */
    public List<Ssrc> ssrcs() {
        return parseAll(AttributeNames.SSRC, KnownAttributes.SSRC);
    }

    /** @return every {@code a=ssrc-group} in order */
    public List<SsrcGroup> ssrcGroups() {
        return parseAll(AttributeNames.SSRC_GROUP, KnownAttributes.SSRC_GROUP);
    }

    /** @return every {@code a=rid} in order, RFC 8851 */
    public List<Rid> rids() {
        return parseAll(AttributeNames.RID, KnownAttributes.RID);
    }

    /** @return the {@code a=simulcast} description, RFC 8853 §5.1 */
    public Optional<Simulcast> simulcast() {
        return parseSingle(AttributeNames.SIMULCAST, KnownAttributes.SIMULCAST);
    }

    public MediaDescription setSimulcast(Simulcast simulcast) {
        return set(simulcast);
    }

    // ---------------------------------------------------------------- candidates

    /** @return every {@code a=candidate} in order */
    public List<Candidate> candidates() {
        return parseAll(AttributeNames.CANDIDATE, KnownAttributes.CANDIDATE);
    }

    public MediaDescription addCandidate(Candidate candidate) {
        return add(candidate);
    }

    @Override
    boolean validates(String attributeName) {
        // rtpmap/fmtp/rtcp-fb of a non-RTP section may name a non-numeric format: keep them generic there
        return isRtp() || !KnownAttributes.isPayloadTypeAttribute(attributeName);
    }

    // ---------------------------------------------------------------- writing

    /**
     * Appends this section's lines, CRLF-terminated, in RFC 8866 order. A section needs at least one format to be
     * valid SDP (RFC 8866 §5.14); a rejected section conventionally keeps its formats with port 0.
     */
    public void write(StringBuilder out) {
        out.append("m=").append(media).append(' ').append(port);
        if (numberOfPorts > 0) {
            out.append('/').append(numberOfPorts);
        }
        out.append(' ').append(proto);
        for (String f : formats) {
            out.append(' ').append(f);
        }
        out.append("\r\n");
        if (information != null) {
            out.append("i=").append(information).append("\r\n");
        }
        for (Connection c : connections) {
            out.append("c=").append(c).append("\r\n");
        }
        for (Bandwidth b : bandwidths) {
            out.append("b=").append(b).append("\r\n");
        }
        if (key != null) {
            out.append("k=").append(key).append("\r\n");
        }
        for (Attribute a : attributes) {
            a.writeLine(out);
        }
    }

    /** @return this section's lines, CRLF-terminated */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(1024);
        write(sb);
        return sb.toString();
    }
}
