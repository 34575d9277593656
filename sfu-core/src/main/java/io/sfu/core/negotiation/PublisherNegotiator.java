package io.sfu.core.negotiation;

import io.sfu.core.dtls.DtlsRole;
import io.sfu.core.rtp.HeaderExtensionUris;
import io.sfu.core.sdp.AttributeNames;
import io.sfu.core.sdp.Codec;
import io.sfu.core.sdp.Connection;
import io.sfu.core.sdp.Direction;
import io.sfu.core.sdp.Extmap;
import io.sfu.core.sdp.Group;
import io.sfu.core.sdp.MediaDescription;
import io.sfu.core.sdp.MediaKind;
import io.sfu.core.sdp.Origin;
import io.sfu.core.sdp.Rtcp;
import io.sfu.core.sdp.SdpParseException;
import io.sfu.core.sdp.SdpLimits;
import io.sfu.core.sdp.SdpParser;
import io.sfu.core.sdp.SessionDescription;
import io.sfu.core.sdp.Setup;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Answers the offers of a publisher peer connection (the browser offers, the SFU answers; JSEP, RFC 8829 §5.3),
 * as an ICE-lite (RFC 8445 §2.5), BUNDLE-only (RFC 8843), rtcp-mux-only (RFC 8858) endpoint that only receives.
 *
 * <p>What cannot be answered at all throws {@link NegotiationException} ({@code sdp_invalid}): no BUNDLE group,
 * no ICE credentials, no usable fingerprint, a setup of {@code holdconn}, a remote ICE-lite agent, duplicate mids,
 * an accepted audio/video m-line without rtcp-mux or with an unsecured profile (not one of the DTLS-SRTP profiles
 * of RFC 8829 §5.1.3), a malformed attribute the SFU needs (ICE credentials, fingerprint, setup, mid, group,
 * direction), or an offer beyond its {@link Limits} (m-lines, tracks, rids per m-line). Attributes the SFU only
 * reads for what it can use ({@link #READ_LENIENTLY}: codecs, header extensions, SSRCs, rids, simulcast, msid,
 * candidates) are ignored when malformed, as if absent. What the SFU merely does not support is refused inside the
 * answer:
 * <ul>
 *   <li>the first data channel m-line ({@code m=application ... UDP/DTLS/SCTP webrtc-datachannel}) in the BUNDLE
 *       group is accepted when data channels are enabled ({@link DataChannelSection}: the SFU's SCTP port 5000 and
 *       largest message, the peer's read into {@link PublisherAnswer#dataChannel()});</li>
 *   <li>m-lines are rejected with port 0 and left out of the BUNDLE group when they are data channels
 *       beyond the first, of the older {@code DTLS/SCTP} form or while data channels are disabled, of another
 *       media type, outside the (first) BUNDLE
 *       group, without mid, rejected by the offerer (port 0 without {@code a=bundle-only}), or without any codec the
 *       SFU accepts;</li>
 *   <li>codecs: audio keeps only Opus 48000/2 with its fmtp and {@code transport-cc}; video keeps VP8, VP9 profiles
 *       0 and 2, H.264 with {@code packetization-mode=1} and AV1, each with its RTX, and the feedback
 *       {@code nack}, {@code nack pli}, {@code ccm fir}, {@code transport-cc}, {@code goog-remb}; payload type
 *       numbers and order are the offer's;</li>
 *   <li>header extensions: only {@link #ACCEPTED_HEADER_EXTENSIONS}, with the offer's ids; a
 *       {@code sendonly} extension is answered {@code recvonly}, a {@code recvonly} or {@code inactive} one is
 *       dropped (the SFU never sends on this connection); an offered id of 4096-4351 (RFC 8285 §5) is remapped to a
 *       free id, the same one on every m-line;</li>
 *   <li>simulcast (RFC 8853): {@code a=simulcast:send} with its {@code a=rid:<id> send} lines is answered
 *       {@code a=rid:<id> recv} and {@code a=simulcast:recv} in the same order, paused ({@code ~}) streams kept; of
 *       each list of alternatives only the first usable one (it has a send rid whose {@code pt=} list keeps an
 *       accepted codec) is accepted. Rids without {@code a=simulcast} are not answered (no simulcast).</li>
 * </ul>
 * Every accepted m-line gets port 9, the offer's proto, the SFU's ICE credentials, fingerprint and setup
 * ({@code passive} to {@code actpass}/{@code active}, {@code active} to {@code passive}; on renegotiation
 * {@code actpass} keeps the established role), the reverse direction
 * (sendrecv/sendonly → recvonly, recvonly/inactive → inactive), rtcp-mux, rtcp-rsize if offered, and the host
 * candidates with {@code a=end-of-candidates}. {@code a=ice-lite} is at session level, where Firefox reads it.
 *
 * <p>Renegotiation: pass the previous answer; the session id stays, the version increments, and the offer must
 * keep every negotiated m-line at its index with its mid and media type (a previously rejected m-line may be
 * recycled). The negotiator is stateless and thread-safe when its random generator is (the default
 * {@link SecureRandom} is); compare track lists with {@link TrackDiff#between}.
 */
public final class PublisherNegotiator {

    /** The DTLS-SRTP profiles an answerer accepts and echoes (RFC 8829 §5.1.3). */
    static final Set<String> SECURE_RTP_PROFILES = Set.of("UDP/TLS/RTP/SAVPF", "UDP/TLS/RTP/SAVP",
        "TCP/DTLS/RTP/SAVPF", "TCP/DTLS/RTP/SAVP", "RTP/SAVPF", "RTP/SAVP");

    /** The header extensions a publisher answer keeps (with the offer's ids); every other offered one is dropped. */
    public static final Set<String> ACCEPTED_HEADER_EXTENSIONS = Set.of(HeaderExtensionUris.MID,
        HeaderExtensionUris.RTP_STREAM_ID, HeaderExtensionUris.REPAIRED_RTP_STREAM_ID,
        HeaderExtensionUris.ABS_SEND_TIME, HeaderExtensionUris.TRANSPORT_WIDE_CC, HeaderExtensionUris.AUDIO_LEVEL,
        HeaderExtensionUris.VIDEO_ORIENTATION, HeaderExtensionUris.DEPENDENCY_DESCRIPTOR);

    /**
     * Attributes a malformed line of which is ignored, as if absent, rather than refusing the description: each is
     * read only for what the SFU can use, and real stacks write some of them in ways RFCs do not foresee.
     */
    static final Set<String> READ_LENIENTLY = Set.of(AttributeNames.RTPMAP, AttributeNames.FMTP,
        AttributeNames.RTCP_FB, AttributeNames.EXTMAP, AttributeNames.SSRC, AttributeNames.SSRC_GROUP,
        AttributeNames.RID, AttributeNames.SIMULCAST, AttributeNames.MSID, AttributeNames.MSID_SEMANTIC,
        AttributeNames.CANDIDATE, AttributeNames.RTCP);

    /**
     * What one publisher may offer: m-lines of any kind in one offer (rejected and data-channel ones included),
     * tracks (audio or video m-lines it sends on) and {@code a=rid} lines on one m-line. Each bounds the memory an
     * offer makes the SFU spend (a producer per track, a receive stream per rid); an offer beyond one is refused.
     */
    public record Limits(int maxMediaSections, int maxTracks, int maxRidsPerMediaSection) {
        /** 32 m-lines, 16 tracks, 4 rids per m-line (browsers send at most 3 simulcast encodings). */
        public static final Limits DEFAULT = new Limits(32, 16, 4);

        /** Bytes of offer allowed per m-line: a browser's video m-line with every codec is 3 to 5 KiB. */
        static final int BYTES_PER_MEDIA_SECTION = 6 * 1024;

        /** @throws IllegalArgumentException unless every bound is positive */
        public Limits {
            if (maxMediaSections < 1 || maxTracks < 1 || maxRidsPerMediaSection < 1) {
                throw new IllegalArgumentException("publisher limits must be positive");
            }
        }

        /** The parser's bounds for an offer: {@code maxMediaSections} m-lines and the bytes they take. */
        public SdpLimits sdpLimits() {
            return SdpLimits.DEFAULT.withMediaSections(maxMediaSections,
                Math.max(SdpLimits.DEFAULT.maxLength(), maxMediaSections * BYTES_PER_MEDIA_SECTION));
        }
    }

    private final RandomGenerator random;
    private final Limits limits;
    /** The largest data channel message the SFU takes, announced in the answer; 0: data channels refused. */
    private final int dataChannelMaxMessageSize;

    /** A negotiator drawing session ids from a {@link SecureRandom}, within {@link Limits#DEFAULT}. */
    public PublisherNegotiator() {
        this(new SecureRandom(), Limits.DEFAULT);
    }

    /** @param random the source of session ids (seeded in tests) */
    public PublisherNegotiator(RandomGenerator random) {
        this(random, Limits.DEFAULT);
    }

    /**
     * @param random the source of session ids (seeded in tests)
     * @param limits what one publisher may offer
     */
    public PublisherNegotiator(RandomGenerator random, Limits limits) {
        this(random, limits, 0);
    }

    /**
     * @param dataChannelMaxMessageSize the a=max-message-size the SFU answers a data channel m-line with; 0 refuses
     *                                  data channels (port 0)
     */
    public PublisherNegotiator(RandomGenerator random, Limits limits, int dataChannelMaxMessageSize) {
        this.random = Objects.requireNonNull(random, "random");
        this.limits = Objects.requireNonNull(limits, "limits");
        if (dataChannelMaxMessageSize < 0) {
            throw new IllegalArgumentException("dataChannelMaxMessageSize must not be negative");
        }
        this.dataChannelMaxMessageSize = dataChannelMaxMessageSize;
    }

    /** @return what one publisher may offer */
    public Limits limits() {
        return limits;
    }

    /**
     * Answers an initial offer.
     *
     * @throws NegotiationException when the offer cannot be answered at all
     */
    public PublisherAnswer answer(SessionDescription offer, LocalTransportParams local) {
        return answer(offer, local, null);
    }

    /**
     * Answers an offer, the first one or a renegotiation.
     *
     * @param previous the last answer on this peer connection, or null for the first offer
     * @throws NegotiationException when the offer cannot be answered at all, or does not continue the previous one
     */
    public PublisherAnswer answer(SessionDescription offer, LocalTransportParams local, PublisherAnswer previous) {
        Objects.requireNonNull(offer, "offer");
        Objects.requireNonNull(local, "local");
        try {
            checkLimits(offer);
            SessionDescription readable = offer.copy();
            readable.removeMalformed(READ_LENIENTLY);
            return new Answering(readable, local, previous).run();
        } catch (SdpParseException e) {
            throw new NegotiationException(NegotiationException.SDP_INVALID, "offer: " + e.getMessage(), e);
        }
    }

    /**
     * Parses and answers an offer as received from signaling.
     *
     * @param previous the last answer on this peer connection, or null
     * @throws NegotiationException when the text does not parse or the offer cannot be answered
     */
    public PublisherAnswer answer(String offerSdp, LocalTransportParams local, PublisherAnswer previous) {
        return answer(parseOffer(offerSdp), local, previous);
    }

    /**
     * Parses an offer as received from signaling, within {@link Limits#sdpLimits()}.
     *
     * @throws NegotiationException {@code sdp_invalid} when the text does not parse or exceeds a limit
     */
    public SessionDescription parseOffer(String offerSdp) {
        return parse(offerSdp, "offer", limits.sdpLimits());
    }

    static SessionDescription parse(String sdp, String what, SdpLimits sdpLimits) {
        try {
            return SdpParser.parse(sdp, sdpLimits);
        } catch (SdpParseException e) {
            throw new NegotiationException(NegotiationException.SDP_INVALID, what + ": " + e.getMessage(), e);
        }
    }

    /** The bounds of {@link Limits} that the offer's text shows: m-lines, and rid lines on each. */
    private void checkLimits(SessionDescription offer) {
        if (offer.media().size() > limits.maxMediaSections()) {
            throw NegotiationException.invalid("offer has " + offer.media().size() + " m-lines, more than the "
                + limits.maxMediaSections() + " a participant may offer");
        }
        for (int i = 0; i < offer.media().size(); i++) {
            int rids = offer.media().get(i).attributes(AttributeNames.RID).size();
            if (rids > limits.maxRidsPerMediaSection()) {
                throw NegotiationException.invalid("offer m-line " + i + " has " + rids + " a=rid lines, more than "
                    + "the " + limits.maxRidsPerMediaSection() + " simulcast encodings a track may have");
            }
        }
    }

    /**
     * Reads the browser's transport from an offer without answering it, e.g. to see whether it restarts ICE before
     * choosing the SFU's credentials.
     *
     * @throws NegotiationException when the offer has no usable BUNDLE group or transport
     */
    public static RemoteTransportParams readRemoteTransport(SessionDescription offer) {
        try {
            Bundle bundle = Bundle.of(offer);
            if (bundle.tag == null) {
                throw NegotiationException.invalid("offer: every m-line of the BUNDLE group is rejected");
            }
            return RemoteTransportParams.fromOffer(offer, bundle.tag, bundle.bundled);
        } catch (SdpParseException e) {
            throw new NegotiationException(NegotiationException.SDP_INVALID, "offer: " + e.getMessage(), e);
        }
    }

    /**
     * @return true when the offer changes the browser's ICE credentials compared to the previous answer's
     *     (RFC 8445 §9): answer it with fresh SFU credentials ({@link LocalTransportParams#withNewCredentials})
     * @throws NegotiationException as {@link #readRemoteTransport}
     */
    public static boolean isIceRestart(SessionDescription offer, PublisherAnswer previous) {
        return readRemoteTransport(offer).isIceRestartOf(previous.remote());
    }

    /** The BUNDLE view of an offer: mids by m-line, the first BUNDLE group and its tagged m-line (RFC 8843 §7.2). */
    static final class Bundle {
        final List<String> mids = new ArrayList<>();
        final Set<String> groupMids = new LinkedHashSet<>();
        final List<MediaDescription> bundled = new ArrayList<>();
        MediaDescription tag;

        static Bundle of(SessionDescription offer) {
            Bundle b = new Bundle();
            Set<String> seen = new HashSet<>();
            for (MediaDescription m : offer.media()) {
                String mid = m.mid().orElse(null);
                if (mid != null && !seen.add(mid)) {
                    throw NegotiationException.invalid("offer: mid " + mid + " is on two m-lines (RFC 5888 §4)");
                }
                b.mids.add(mid);
            }
            Optional<Group> group = offer.bundleGroup();
            if (group.isEmpty() || group.get().mids().isEmpty()) {
                return b;
            }
            for (String mid : group.get().mids()) {
                if (!seen.contains(mid)) {
                    throw NegotiationException.invalid("offer: the BUNDLE group names mid " + mid
                        + ", which no m-line has (RFC 5888 §5)");
                }
                b.groupMids.add(mid);
            }
            // m-lines in group order; the first one not rejected carries the offerer's BUNDLE transport
            for (String mid : b.groupMids) {
                MediaDescription m = offer.media().get(b.mids.indexOf(mid));
                if (!m.isRejected()) {
                    b.bundled.add(m);
                    if (b.tag == null) {
                        b.tag = m;
                    }
                }
            }
            return b;
        }

        boolean hasGroup() {
            return !groupMids.isEmpty();
        }
    }

    /** One answer being built. */
    private final class Answering {
        private final SessionDescription offer;
        private final LocalTransportParams local;
        private final PublisherAnswer previous;
        private final PublishedTrackReader trackReader = new PublishedTrackReader();

        Answering(SessionDescription offer, LocalTransportParams local, PublisherAnswer previous) {
            this.offer = offer;
            this.local = local;
            this.previous = previous;
        }

        PublisherAnswer run() {
            List<MediaDescription> media = offer.media();
            if (media.isEmpty()) {
                throw NegotiationException.invalid("offer has no m-line");
            }
            Bundle bundle = Bundle.of(offer);
            checkContinuesPrevious(bundle.mids);
            if (bundle.tag == null) {
                boolean allRejected = media.stream().allMatch(MediaDescription::isRejected);
                if (previous != null && allRejected) {
                    // every transceiver stopped: nothing to bundle, the transport of the last answer stays
                    return rejectEverything(bundle, previous.remote());
                }
                throw NegotiationException.invalid(bundle.hasGroup()
                    ? "offer: every m-line of the BUNDLE group is rejected"
                    : "offer has no a=group:BUNDLE: the SFU carries every m-line on one transport (RFC 8843)");
            }
            RemoteTransportParams remote = keepEstablishedRole(
                RemoteTransportParams.fromOffer(offer, bundle.tag, bundle.bundled));
            Map<String, Integer> remappedExtensionIds = remapOfferOnlyExtensionIds(bundle);

            SessionDescription answer = newAnswer();
            List<String> accepted = new ArrayList<>();
            List<PublishedTrack> tracks = new ArrayList<>();
            DataChannelSection.PeerParams dataChannel = null;
            for (int i = 0; i < media.size(); i++) {
                MediaDescription m = media.get(i);
                String mid = bundle.mids.get(i);
                if (dataChannel == null && dataChannelMaxMessageSize > 0 && DataChannelSection.isCurrentForm(m)
                    && mid != null && bundle.groupMids.contains(mid) && !m.isRejected()) {
                    dataChannel = DataChannelSection.read(m, mid);
                    answer.addMedia(DataChannelSection.write(mid, local, answerSetup(remote.localDtlsRole()),
                        dataChannelMaxMessageSize));
                    accepted.add(mid);
                    continue;
                }
                MediaKind kind = MediaKind.fromSdpName(m.media());
                boolean answerable = kind != null && m.isRtp() && mid != null && bundle.groupMids.contains(mid)
                    && !m.isRejected();
                MediaDescription answered = answerable
                    ? answerMedia(m, i, mid, kind, remote.localDtlsRole(), remappedExtensionIds, tracks) : null;
                if (answered == null) {
                    answer.addMedia(rejected(m, mid));
                } else {
                    answer.addMedia(answered);
                    accepted.add(mid);
                }
            }
            if (tracks.size() > limits.maxTracks()) {
                throw NegotiationException.invalid("offer publishes " + tracks.size() + " tracks, more than the "
                    + limits.maxTracks() + " a participant may publish");
            }
            if (!accepted.isEmpty()) {
                answer.setGroup(Group.bundle(accepted));
            }
            if (offer.isExtmapAllowMixed()) {
                answer.setExtmapAllowMixed(true);
            }
            boolean iceRestart = previous != null && remote.isIceRestartOf(previous.remote());
            boolean dtlsRestart = previous != null && remote.isDtlsRestartOf(previous.remote());
            return new PublisherAnswer(answer, remote, tracks, iceRestart, dtlsRestart, dataChannel);
        }

        /**
         * RFC 8842 §5.5: an {@code actpass} offer on an established association leaves the answerer its role (a
         * browser offers {@code actpass} every time), so only {@code active}/{@code passive} change it.
         */
        private RemoteTransportParams keepEstablishedRole(RemoteTransportParams remote) {
            if (previous == null || remote.setup() != Setup.ACTPASS
                || remote.localDtlsRole() == previous.remote().localDtlsRole()) {
                return remote;
            }
            return new RemoteTransportParams(remote.iceUfrag(), remote.icePwd(), remote.fingerprints(),
                remote.setup(), previous.remote().localDtlsRole(), remote.trickle(), remote.candidates(),
                remote.endOfCandidates());
        }

        /** RFC 8829 §5.2.2 / §5.3.2: m-lines are never removed, and a negotiated one keeps its mid and type. */
        private void checkContinuesPrevious(List<String> mids) {
            if (previous == null) {
                return;
            }
            List<MediaDescription> before = previous.answer().media();
            List<MediaDescription> now = offer.media();
            if (now.size() < before.size()) {
                throw NegotiationException.invalid("offer has " + now.size() + " m-lines, fewer than the "
                    + before.size() + " already negotiated: m-lines are never removed (RFC 8829 §5.2.2)");
            }
            for (int i = 0; i < before.size(); i++) {
                MediaDescription was = before.get(i);
                if (was.port() == 0) {
                    continue; // a rejected m-line may be recycled with another mid and media type
                }
                String wasMid = was.mid().orElse(null);
                if (!Objects.equals(wasMid, mids.get(i)) || !was.media().equals(now.get(i).media())) {
                    throw NegotiationException.invalid("offer m-line " + i + " is " + now.get(i).media() + " mid "
                        + mids.get(i) + ", was " + was.media() + " mid " + wasMid
                        + ": a negotiated m-line keeps its mid and media type (RFC 8829 §5.2.2)");
                }
            }
        }

        private SessionDescription newAnswer() {
            String sessionId = previous != null ? previous.answer().origin().sessionId()
                : Long.toString(random.nextLong(1, Long.MAX_VALUE));
            long version = previous != null ? previous.sessionVersion() + 1 : 1;
            SessionDescription answer = new SessionDescription()
                .setOrigin(new Origin("-", sessionId, version, "IN", "IP4", "127.0.0.1"));
            answer.setIceLite(true);
            return answer;
        }

        private PublisherAnswer rejectEverything(Bundle bundle, RemoteTransportParams remote) {
            SessionDescription answer = newAnswer();
            for (int i = 0; i < offer.media().size(); i++) {
                answer.addMedia(rejected(offer.media().get(i), bundle.mids.get(i)));
            }
            return new PublisherAnswer(answer, remote, List.of(), false, false);
        }

        /** RFC 3264 §6 / RFC 8829 §5.3.1: port 0, the offered formats, the mid so the offerer can match it. */
        private MediaDescription rejected(MediaDescription m, String mid) {
            MediaDescription r = new MediaDescription(m.media(), 0, m.proto()).setConnection(Connection.IP4_ANY);
            r.setFormats(m.formats());
            if (mid != null) {
                r.setMid(mid);
            }
            return r;
        }

        /**
         * Offer-only extension ids (4096-4351, RFC 8285 §5) of accepted extensions get an id no m-line of the offer
         * uses, the same for a URI on every m-line (RFC 8843 §9.2), one-byte ids first.
         */
        private Map<String, Integer> remapOfferOnlyExtensionIds(Bundle bundle) {
            List<Extmap> all = new ArrayList<>(offer.extmaps());
            for (MediaDescription m : bundle.bundled) {
                all.addAll(m.extmaps());
            }
            Set<Integer> used = new HashSet<>();
            for (Extmap e : all) {
                used.add(e.id());
            }
            Map<String, Integer> remapped = new HashMap<>();
            for (Extmap e : all) {
                if (e.id() < 4096 || remapped.containsKey(e.uri())
                    || !ACCEPTED_HEADER_EXTENSIONS.contains(e.uri())) {
                    continue;
                }
                for (int id = 1; id <= 255; id++) {
                    if (!used.contains(id)) {
                        used.add(id);
                        remapped.put(e.uri(), id);
                        break;
                    }
                }
            }
            return remapped;
        }

        /** RFC 8842 §5: the active side sends the ClientHello, so the DTLS server answers {@code passive}. */
        private static Setup answerSetup(DtlsRole role) {
            return role == DtlsRole.SERVER ? Setup.PASSIVE : Setup.ACTIVE;
        }

        /** @return the accepted answer m-line, or null when nothing on it is acceptable */
        private MediaDescription answerMedia(MediaDescription m, int index, String mid, MediaKind kind, DtlsRole role,
                                             Map<String, Integer> remappedExtensionIds, List<PublishedTrack> tracks) {
            if (!SECURE_RTP_PROFILES.contains(m.proto().toUpperCase(Locale.ROOT))) {
                throw NegotiationException.invalid("offer m-line mid " + mid + " has proto " + m.proto()
                    + ": WebRTC media must be DTLS-SRTP, e.g. UDP/TLS/RTP/SAVPF (RFC 8829 §5.1.2)");
            }
            if (!m.isRtcpMux()) {
                throw NegotiationException.invalid("offer m-line mid " + mid
                    + " has no a=rtcp-mux: the SFU multiplexes RTP and RTCP on one port (RFC 8858)");
            }
            CodecSelection codecs = CodecSelection.of(m, kind);
            if (codecs.primaries.isEmpty()) {
                return null;
            }
            Direction offered = offer.directionOf(m);
            Map<String, Integer> extensionIds = new LinkedHashMap<>();
            List<Extmap> extmaps = acceptExtensions(m, remappedExtensionIds, extensionIds);
            SimulcastSelection simulcast = kind == MediaKind.VIDEO ? SimulcastSelection.of(m, codecs.primaries)
                : SimulcastSelection.NONE;

            MediaDescription a = new MediaDescription(m.media(), MediaDescription.DISCARD_PORT, m.proto())
                .setConnection(Connection.IP4_ANY);
            a.add(new Rtcp(MediaDescription.DISCARD_PORT, Connection.IP4_ANY));
            a.setIceUfrag(local.iceUfrag());
            a.setIcePwd(local.icePwd());
            a.setFingerprint(local.fingerprint());
            a.setSetup(answerSetup(role));
            a.setMid(mid);
            a.addAll(extmaps);
            if (m.isExtmapAllowMixed()) {
                a.setExtmapAllowMixed(true);
            }
            // the SFU never sends on a publisher connection
            a.setDirection(offered.sends() ? Direction.RECVONLY : Direction.INACTIVE);
            a.setRtcpMux(true);
            if (m.isRtcpRsize()) {
                a.setRtcpRsize(true);
            }
            for (Codec c : codecs.written) {
                a.addCodec(c.rtpmap(), c.fmtp(), codecs.feedback.getOrDefault(c.payloadType(), List.of()));
            }
            simulcast.writeAnswer(a);
            a.addAll(local.hostCandidates());
            a.setEndOfCandidates(true);

            if (offered.sends()) {
                tracks.add(trackReader.read(m, index, mid, kind, codecs.primaries, extensionIds, simulcast.accepted));
            }
            return a;
        }

        /** The accepted extmaps of an m-line (session-level ones apply where the m-line has none for the URI). */
        private List<Extmap> acceptExtensions(MediaDescription m, Map<String, Integer> remapped,
                                              Map<String, Integer> idsByUri) {
            List<Extmap> effective = new ArrayList<>(m.extmaps());
            Set<String> mediaUris = new HashSet<>();
            for (Extmap e : effective) {
                mediaUris.add(e.uri());
            }
            for (Extmap e : offer.extmaps()) {
                if (!mediaUris.contains(e.uri())) {
                    effective.add(e);
                }
            }
            List<Extmap> out = new ArrayList<>();
            Set<Integer> ids = new HashSet<>();
            for (Extmap e : effective) {
                if (!ACCEPTED_HEADER_EXTENSIONS.contains(e.uri()) || idsByUri.containsKey(e.uri())) {
                    continue;
                }
                Direction direction = e.direction();
                if (direction == Direction.RECVONLY || direction == Direction.INACTIVE) {
                    continue; // the offerer would only receive it, and the SFU sends nothing here
                }
                Integer id = e.id() >= 4096 ? remapped.get(e.uri()) : Integer.valueOf(e.id());
                if (id == null || !ids.add(id)) {
                    continue; // no free id left, or an id the offer gave twice on this m-line
                }
                out.add(new Extmap(id, direction == Direction.SENDONLY ? Direction.RECVONLY : direction, e.uri(),
                    null));
                idsByUri.put(e.uri(), id);
            }
            return out;
        }
    }

}
