package io.sfu.core.sdp;

/** Names of the attributes this package understands, with the RFC that defines each. */
public final class AttributeNames {
    private AttributeNames() {
    }

    /** RFC 5888 §5 / RFC 9143: {@code a=group:BUNDLE 0 1}. Session level. */
    public static final String GROUP = "group";
    /** RFC 5888 §4: media identification tag. Media level. */
    public static final String MID = "mid";
    /** RFC 8830 §2: {@code a=msid:<stream id> <track id>}. Media level. */
    public static final String MSID = "msid";
    /** draft-alvestrand-mmusic-msid (as written by browsers): {@code a=msid-semantic: WMS <ids>}. Session level. */
    public static final String MSID_SEMANTIC = "msid-semantic";
    /** RFC 8858: RTP and RTCP on one port. Media level. */
    public static final String RTCP_MUX = "rtcp-mux";
    /** RFC 5506 §5: reduced-size RTCP. Media level. */
    public static final String RTCP_RSIZE = "rtcp-rsize";
    /** RFC 3605: {@code a=rtcp:<port> [<nettype> <addrtype> <address>]}. Media level. */
    public static final String RTCP = "rtcp";
    /** RFC 8839 §5.4. Session or media level. */
    public static final String ICE_UFRAG = "ice-ufrag";
    /** RFC 8839 §5.4. Session or media level. */
    public static final String ICE_PWD = "ice-pwd";
    /** RFC 8839 §5.3. Session level. */
    public static final String ICE_LITE = "ice-lite";
    /** RFC 8839 §5.6, e.g. {@code trickle}. Session or media level. */
    public static final String ICE_OPTIONS = "ice-options";
    /** RFC 8122 §5. Session or media level. */
    public static final String FINGERPRINT = "fingerprint";
    /** RFC 4145 §4 / RFC 8842. Session or media level. */
    public static final String SETUP = "setup";
    /** RFC 8866 §6.6. Media level. */
    public static final String RTPMAP = "rtpmap";
    /** RFC 8866 §6.15. Media level. */
    public static final String FMTP = "fmtp";
    /** RFC 4585 §4.2. Media level. */
    public static final String RTCP_FB = "rtcp-fb";
    /** RFC 8285 §7. Session or media level. */
    public static final String EXTMAP = "extmap";
    /** RFC 8285 §6: one-byte and two-byte header extensions mixed in one stream. Session or media level. */
    public static final String EXTMAP_ALLOW_MIXED = "extmap-allow-mixed";
    /** RFC 5576 §4.1. Media level. */
    public static final String SSRC = "ssrc";
    /** RFC 5576 §4.2. Media level. */
    public static final String SSRC_GROUP = "ssrc-group";
    /** RFC 8851 §4. Media level. */
    public static final String RID = "rid";
    /** RFC 8853 §5.1. Media level. */
    public static final String SIMULCAST = "simulcast";
    /** RFC 8839 §5.1. Media level. */
    public static final String CANDIDATE = "candidate";
    /** RFC 8840 §8.2. Session or media level. */
    public static final String END_OF_CANDIDATES = "end-of-candidates";
    /** RFC 8843 §6: a media section that is used only inside a BUNDLE group. Media level. */
    public static final String BUNDLE_ONLY = "bundle-only";
    /** RFC 8841 §6: SCTP port of a data channel section. Media level. */
    public static final String SCTP_PORT = "sctp-port";
    /** RFC 8841 §6: largest message a data channel endpoint accepts. Media level. */
    public static final String MAX_MESSAGE_SIZE = "max-message-size";
    /** RFC 8866 §6.7.1. Session or media level. */
    public static final String SENDRECV = "sendrecv";
    /** RFC 8866 §6.7.2. Session or media level. */
    public static final String SENDONLY = "sendonly";
    /** RFC 8866 §6.7.3. Session or media level. */
    public static final String RECVONLY = "recvonly";
    /** RFC 8866 §6.7.4. Session or media level. */
    public static final String INACTIVE = "inactive";
}
