package io.sfu.core.negotiation;

import io.sfu.core.negotiation.SubscriberAnswerResult.AnsweredMedia;
import io.sfu.core.rtp.HeaderExtensionUris;
import io.sfu.core.sdp.Codec;
import io.sfu.core.sdp.Connection;
import io.sfu.core.sdp.Direction;
import io.sfu.core.sdp.Extmap;
import io.sfu.core.sdp.Fmtp;
import io.sfu.core.sdp.Group;
import io.sfu.core.sdp.MediaDescription;
import io.sfu.core.sdp.MediaKind;
import io.sfu.core.sdp.Msid;
import io.sfu.core.sdp.MsidSemantic;
import io.sfu.core.sdp.Origin;
import io.sfu.core.sdp.Rtcp;
import io.sfu.core.sdp.RtcpFb;
import io.sfu.core.sdp.Rtpmap;
import io.sfu.core.sdp.SdpParseException;
import io.sfu.core.sdp.SessionDescription;
import io.sfu.core.sdp.Setup;
import io.sfu.core.sdp.Ssrc;
import io.sfu.core.sdp.SsrcGroup;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The SFU's side of one subscriber peer connection (the SFU offers, the browser answers; JSEP, RFC 8829 §5.2):
 * one m-line per forwarded track, all on one BUNDLE transport (RFC 8843), ICE-lite at session level.
 *
 * <p>Each offer describes the complete set of tracks the caller passes:
 * <ul>
 *   <li>one {@code sendonly} m-line per track with {@code a=msid:<participantId> <trackId>}, its SSRC (and for
 *       video its RTX SSRC with {@code a=ssrc-group:FID}) and {@code cname}/{@code msid} source attributes; the
 *       browser demultiplexes by these SSRCs, so the mid/rid header extensions are not offered;</li>
 *   <li>codecs: the publisher's accepted codecs, with {@code nack}, {@code nack pli}, {@code ccm fir} and
 *       {@code goog-remb} for video and RTX when the track has an RTX SSRC; no {@code transport-cc} (the SFU does
 *       not stamp transport-wide sequence numbers toward subscribers);</li>
 *   <li>payload types: the session owns its payload type space and a number keeps one meaning for the whole
 *       session (RFC 3264 §8.3.2; BUNDLE, RFC 8843 §9.1): a publisher's number is reused when it is free or
 *       already means the same format, else the format's existing number, else a free dynamic one (96-127, then
 *       35-63; never 64-95, RFC 5761 §4). {@link AnsweredTrack#payloadTypes()} tells the forwarder how to
 *       renumber;</li>
 *   <li>header extensions: the same set for the whole session (RFC 8843 §9.2), see {@link #extensionIds()};</li>
 *   <li>m-line reuse: a track that goes away leaves its m-line {@code inactive} (mid and codecs kept, msid and
 *       SSRCs removed); a new track takes the first inactive m-line of its kind, keeping its mid, else an m-line
 *       the browser rejected (recycled with a new mid, RFC 8829 §5.2.2), else a new m-line is appended with a
 *       fresh mid. The m-line count never exceeds the most tracks offered at once (plus rejected m-lines), and
 *       m-line order never changes;</li>
 *   <li>a track on an m-line the browser rejected stays there, not offered again, until it is removed.</li>
 * </ul>
 * The caller sends one offer at a time and the next only after {@link #applyAnswer} (or {@link #rollback()} when
 * the browser will not answer); an offer created while another is unanswered replaces it, as a rollback would.
 * The offer's state takes effect only when its answer is applied. The session version increments with each offer
 * under one session id.
 *
 * <p>Not thread-safe: one owner (the control-plane thread of the participant), like every session object.
 */
public final class SubscriberNegotiator {

    /** The id of {@link HeaderExtensionUris#AUDIO_LEVEL} in every subscriber session (the id Chromium uses too). */
    public static final int AUDIO_LEVEL_ID = 1;
    /** The id of {@link HeaderExtensionUris#ABS_SEND_TIME} in every subscriber session. */
    public static final int ABS_SEND_TIME_ID = 2;
    /** The id of {@link HeaderExtensionUris#VIDEO_ORIENTATION} in every subscriber session. */
    public static final int VIDEO_ORIENTATION_ID = 13;

    private static final Map<String, Integer> AUDIO_EXTENSIONS = orderedMap(
        HeaderExtensionUris.AUDIO_LEVEL, AUDIO_LEVEL_ID, HeaderExtensionUris.ABS_SEND_TIME, ABS_SEND_TIME_ID);
    private static final Map<String, Integer> VIDEO_EXTENSIONS = orderedMap(
        HeaderExtensionUris.ABS_SEND_TIME, ABS_SEND_TIME_ID, HeaderExtensionUris.VIDEO_ORIENTATION,
        VIDEO_ORIENTATION_ID);
    private static final List<String> VIDEO_FEEDBACK = List.of(NegotiatedCodec.NACK, NegotiatedCodec.PLI,
        NegotiatedCodec.FIR, NegotiatedCodec.REMB);

    private final String sessionId;
    private long version;
    private State stable = new State();
    private State pending;
    private SessionDescription pendingOffer;
    private RemoteTransportParams remote;

    /** A session whose id comes from a {@link SecureRandom}. */
    public SubscriberNegotiator() {
        this(new SecureRandom());
    }

    /** @param random the source of the session id (seeded in tests) */
    public SubscriberNegotiator(RandomGenerator random) {
        this.sessionId = Long.toString(random.nextLong(1, Long.MAX_VALUE));
    }

    private static Map<String, Integer> orderedMap(String k1, int v1, String k2, int v2) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return Collections.unmodifiableMap(m);
    }

    /** @return the header extensions offered in this session: URI → id, the same on every m-line of a kind */
    public Map<String, Integer> extensionIds(MediaKind kind) {
        return kind == MediaKind.AUDIO ? AUDIO_EXTENSIONS : VIDEO_EXTENSIONS;
    }

    /** @return every header extension the session offers: URI → id (one id per URI across the session) */
    public Map<String, Integer> extensionIds() {
        Map<String, Integer> all = new LinkedHashMap<>(AUDIO_EXTENSIONS);
        all.putAll(VIDEO_EXTENSIONS);
        return Collections.unmodifiableMap(all);
    }

    /** @return the {@code o=} session id of every offer */
    public String sessionId() {
        return sessionId;
    }

    /** @return true while an offer awaits its answer */
    public boolean isOfferPending() {
        return pending != null;
    }

    /** @return a copy of the outstanding offer */
    public Optional<SessionDescription> pendingOffer() {
        return Optional.ofNullable(pendingOffer).map(SessionDescription::copy);
    }

    /** @return the subscriber's transport from its last applied answer */
    public Optional<RemoteTransportParams> remoteTransport() {
        return Optional.ofNullable(remote);
    }

    /** @return the number of m-lines agreed so far */
    public int mediaSectionCount() {
        return stable.slots.size();
    }

    /** @return the forwarded tracks as the last applied answer accepted them, in m-line order */
    public List<AnsweredTrack> tracks() {
        List<AnsweredTrack> out = new ArrayList<>();
        for (Slot s : stable.slots) {
            if (s.answered != null) {
                out.add(s.answered);
            }
        }
        return out;
    }

    /** @return the accepted track with that key */
    public Optional<AnsweredTrack> track(String key) {
        for (AnsweredTrack t : tracks()) {
            if (t.key().equals(key)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * @return true when offering these tracks would change the description: against the outstanding offer if
     *     there is one, else against the last applied answer
     * @throws IllegalArgumentException as {@link #createOffer}
     */
    public boolean needsOffer(List<ForwardedTrack> tracks) {
        Map<String, ForwardedTrack> desired = index(tracks);
        State current = pending != null ? pending : stable;
        for (Slot s : current.slots) {
            if (s.track != null && !s.track.equals(desired.remove(s.track.key()))) {
                return true;
            }
        }
        return !desired.isEmpty();
    }

    /**
     * Offers the complete set of tracks to forward.
     *
     * @param tracks every track the subscriber should receive now (keys and SSRCs unique)
     * @param local  the SFU's transport for this peer connection
     * @return the offer to send; its state takes effect when {@link #applyAnswer} accepts the answer
     * @throws IllegalStateException    when the session runs out of payload types (more than 61 distinct codec
     *                                  formats)
     * @throws IllegalArgumentException when two tracks share a key or an SSRC
     */
    public SessionDescription createOffer(List<ForwardedTrack> tracks, LocalTransportParams local) {
        Objects.requireNonNull(local, "local");
        Map<String, ForwardedTrack> desired = index(tracks);
        State next = stable.copy();
        for (Slot s : next.slots) {
            if (s.track == null) {
                continue;
            }
            ForwardedTrack t = desired.remove(s.track.key());
            if (t != null && t.kind() == s.kind) {
                if (!t.equals(s.track)) {
                    next.assign(s, t);
                }
            } else {
                if (t != null) {
                    desired.put(t.key(), t); // same key, other kind: placed again below
                }
                s.track = null;
                s.mapping = PayloadTypeMapping.EMPTY;
            }
        }
        for (ForwardedTrack t : desired.values()) {
            next.assign(next.slotFor(t.kind()), t);
        }
        version++;
        SessionDescription offer = write(next, local);
        pending = next;
        pendingOffer = offer.copy();
        return offer;
    }

    /**
     * Discards the outstanding offer, as JSEP's rollback (RFC 8829 §4.1.10.2): the session returns to the state of
     * the last applied answer.
     *
     * @return true when an offer was outstanding
     */
    public boolean rollback() {
        boolean had = pending != null;
        pending = null;
        pendingOffer = null;
        return had;
    }

    /**
     * Parses and applies the subscriber's answer as received from signaling.
     *
     * @throws NegotiationException as {@link #applyAnswer(SessionDescription)}, and when the text does not parse
     */
    public SubscriberAnswerResult applyAnswer(String answerSdp) {
        if (pending == null) {
            throw noOffer();
        }
        return applyAnswer(PublisherNegotiator.parse(answerSdp, "answer"));
    }

    /**
     * Applies the subscriber's answer to the outstanding offer: it must keep the offer's m-lines and mids in order,
     * bundle every accepted m-line, answer {@code recvonly} or {@code inactive} to {@code sendonly} and
     * {@code inactive} to {@code inactive}, keep at least one offered codec on each accepted m-line, and carry
     * ICE credentials, a fingerprint and {@code a=setup:active} (the SFU is the DTLS server) or {@code passive}.
     * On failure the offer stays outstanding (roll it back to offer again).
     *
     * @throws NegotiationException {@code bad_request} when no offer is outstanding, {@code sdp_invalid} when the
     *                              answer does not fit the offer
     */
    public SubscriberAnswerResult applyAnswer(SessionDescription answer) {
        Objects.requireNonNull(answer, "answer");
        if (pending == null) {
            throw noOffer();
        }
        SubscriberAnswerResult result;
        State next = pending.copy();
        try {
            result = check(answer, next);
        } catch (SdpParseException e) {
            throw new NegotiationException(NegotiationException.SDP_INVALID, "answer: " + e.getMessage(), e);
        }
        stable = next;
        pending = null;
        pendingOffer = null;
        if (result.remote() != null) {
            remote = result.remote();
        }
        return result;
    }

    private static NegotiationException noOffer() {
        return new NegotiationException(NegotiationException.BAD_REQUEST, "no subscriber offer is outstanding");
    }

    private static Map<String, ForwardedTrack> index(List<ForwardedTrack> tracks) {
        Map<String, ForwardedTrack> byKey = new LinkedHashMap<>();
        Set<Integer> ssrcs = new HashSet<>();
        for (ForwardedTrack t : tracks) {
            if (byKey.put(t.key(), t) != null) {
                throw new IllegalArgumentException("two tracks have the key " + t.key());
            }
            if (!ssrcs.add(t.ssrc()) || (t.hasRtx() && !ssrcs.add(t.rtxSsrc()))) {
                throw new IllegalArgumentException("track " + t.key() + " reuses an SSRC of another track: BUNDLE "
                    + "demultiplexes by SSRC (RFC 8843 §9.2)");
            }
        }
        return byKey;
    }

    // ---------------------------------------------------------------- writing the offer

    private SessionDescription write(State state, LocalTransportParams local) {
        SessionDescription sdp = new SessionDescription()
            .setOrigin(new Origin("-", sessionId, version, "IN", "IP4", "127.0.0.1"));
        sdp.setIceLite(true);
        List<String> bundled = new ArrayList<>();
        for (Slot s : state.slots) {
            if (!s.rejected) {
                bundled.add(s.mid);
            }
        }
        if (!bundled.isEmpty()) {
            sdp.setGroup(Group.bundle(bundled));
        }
        sdp.add(new MsidSemantic(MsidSemantic.WMS, List.of("*")));
        for (Slot s : state.slots) {
            sdp.addMedia(s.rejected ? writeRejected(s) : writeMedia(s, local));
        }
        return sdp;
    }

    private static MediaDescription writeRejected(Slot s) {
        MediaDescription m = new MediaDescription(s.kind.sdpName(), 0, MediaDescription.PROTO_RTP)
            .setConnection(Connection.IP4_ANY);
        for (NegotiatedCodec c : s.codecs) {
            m.addPayloadType(c.payloadType());
        }
        return m.setMid(s.mid);
    }

    private MediaDescription writeMedia(Slot s, LocalTransportParams local) {
        MediaDescription m = MediaDescription.webRtc(s.kind.sdpName());
        m.add(new Rtcp(MediaDescription.DISCARD_PORT, Connection.IP4_ANY));
        m.setIceUfrag(local.iceUfrag());
        m.setIcePwd(local.icePwd());
        m.setFingerprint(local.fingerprint());
        m.setSetup(Setup.ACTPASS);
        m.setMid(s.mid);
        for (Map.Entry<String, Integer> e : extensionIds(s.kind).entrySet()) {
            m.addExtmap(new Extmap(e.getValue(), e.getKey()));
        }
        ForwardedTrack t = s.track;
        m.setDirection(t == null ? Direction.INACTIVE : Direction.SENDONLY);
        Msid msid = t == null ? null : new Msid(t.participantId(), t.trackId());
        if (msid != null) {
            m.setMsid(msid);
        }
        m.setRtcpMux(true);
        m.setRtcpRsize(true);
        for (NegotiatedCodec c : s.codecs) {
            List<RtcpFb> feedback = new ArrayList<>();
            for (String value : c.feedback()) {
                int space = value.indexOf(' ');
                feedback.add(space < 0 ? new RtcpFb(c.payloadType(), value)
                    : new RtcpFb(c.payloadType(), value.substring(0, space), value.substring(space + 1)));
            }
            m.addCodec(new Rtpmap(c.payloadType(), c.name(), c.clockRate(), c.channels()),
                c.parameters().isEmpty() ? null : new Fmtp(c.payloadType(), c.parameters()), feedback);
            if (c.hasRtx()) {
                m.addCodec(new Rtpmap(c.rtxPayloadType(), "rtx", c.clockRate()),
                    Fmtp.rtx(c.rtxPayloadType(), c.payloadType()), List.of());
            }
        }
        if (t != null) {
            long ssrc = Integer.toUnsignedLong(t.ssrc());
            boolean rtx = t.hasRtx() && s.codecs.stream().anyMatch(NegotiatedCodec::hasRtx);
            if (rtx) {
                long rtxSsrc = Integer.toUnsignedLong(t.rtxSsrc());
                m.add(new SsrcGroup(SsrcGroup.FID, List.of(ssrc, rtxSsrc)));
                m.add(Ssrc.cname(ssrc, t.cname())).add(Ssrc.msid(ssrc, msid));
                m.add(Ssrc.cname(rtxSsrc, t.cname())).add(Ssrc.msid(rtxSsrc, msid));
            } else {
                m.add(Ssrc.cname(ssrc, t.cname())).add(Ssrc.msid(ssrc, msid));
            }
        }
        m.addAll(local.hostCandidates());
        m.setEndOfCandidates(true);
        return m;
    }

    // ---------------------------------------------------------------- applying the answer

    private SubscriberAnswerResult check(SessionDescription answer, State next) {
        List<MediaDescription> offered = pendingOffer.media();
        List<MediaDescription> answered = answer.media();
        if (answered.size() != offered.size()) {
            throw NegotiationException.invalid("answer has " + answered.size() + " m-lines, the offer "
                + offered.size() + " (RFC 3264 §6)");
        }
        Map<String, MediaDescription> acceptedByMid = new LinkedHashMap<>();
        for (int i = 0; i < offered.size(); i++) {
            MediaDescription o = offered.get(i);
            MediaDescription a = answered.get(i);
            String mid = next.slots.get(i).mid;
            Optional<String> answeredMid = a.mid();
            if (!a.media().equals(o.media())) {
                throw NegotiationException.invalid("answer m-line " + i + " is " + a.media() + ", the offer's "
                    + o.media() + " (RFC 3264 §6)");
            }
            if (answeredMid.isPresent() ? !answeredMid.get().equals(mid) : !a.isRejected()) {
                throw NegotiationException.invalid("answer m-line " + i + " has mid " + answeredMid.orElse("(none)")
                    + ", the offer's is " + mid + " (RFC 8829 §5.3.1)");
            }
            if (!a.isRejected()) {
                if (o.port() == 0) {
                    throw NegotiationException.invalid("answer accepts m-line " + i
                        + ", which the offer rejected (RFC 3264 §6)");
                }
                acceptedByMid.put(mid, a);
            }
        }
        RemoteTransportParams transport = remote;
        if (!acceptedByMid.isEmpty()) {
            List<String> group = answer.bundleGroup().map(Group::mids).orElse(List.of());
            if (group.isEmpty()) {
                throw NegotiationException.invalid("answer has no a=group:BUNDLE: the SFU carries every m-line on "
                    + "one transport (RFC 8843)");
            }
            for (String mid : acceptedByMid.keySet()) {
                if (!group.contains(mid)) {
                    throw NegotiationException.invalid("answer accepts mid " + mid + " outside its BUNDLE group");
                }
            }
            for (String mid : group) {
                if (!acceptedByMid.containsKey(mid)) {
                    throw NegotiationException.invalid("answer BUNDLE group names mid " + mid
                        + ", which is not an accepted m-line of the offer");
                }
            }
            transport = RemoteTransportParams.fromAnswer(answer, acceptedByMid.get(group.get(0)),
                new ArrayList<>(acceptedByMid.values()));
        }
        List<AnsweredMedia> media = new ArrayList<>();
        List<AnsweredTrack> tracks = new ArrayList<>();
        for (int i = 0; i < offered.size(); i++) {
            Slot s = next.slots.get(i);
            MediaDescription a = answered.get(i);
            String key = s.track == null ? null : s.track.key();
            s.answered = null;
            if (a.isRejected()) {
                s.rejected = true;
                media.add(new AnsweredMedia(s.mid, s.kind, true, Direction.INACTIVE, key, List.of(), Map.of()));
                continue;
            }
            checkAccepted(answer, a, s);
            List<NegotiatedCodec> codecs = acceptedCodecs(a, s);
            Map<String, Integer> extensions = acceptedExtensions(a, s.kind);
            Direction direction = answer.directionOf(a);
            media.add(new AnsweredMedia(s.mid, s.kind, false, direction, key, codecs, extensions));
            if (s.track != null) {
                Set<Integer> kept = new HashSet<>();
                for (NegotiatedCodec c : codecs) {
                    kept.add(c.payloadType());
                    if (c.hasRtx()) {
                        kept.add(c.rtxPayloadType());
                    }
                }
                s.answered = new AnsweredTrack(s.track.key(), s.mid, s.kind, s.track.ssrc(),
                    s.track.hasRtx() && codecs.stream().anyMatch(NegotiatedCodec::hasRtx) ? s.track.rtxSsrc() : 0,
                    direction, codecs, s.mapping.retainSubscriber(kept::contains), extensions, s.track);
                tracks.add(s.answered);
            }
        }
        boolean iceRestart = remote != null && transport != null && transport.isIceRestartOf(remote);
        return new SubscriberAnswerResult(transport, iceRestart, media, tracks);
    }

    private static void checkAccepted(SessionDescription answer, MediaDescription a, Slot s) {
        if (!a.isRtcpMux()) {
            throw NegotiationException.invalid("answer m-line mid " + s.mid + " has no a=rtcp-mux (RFC 8858)");
        }
        Direction direction = answer.directionOf(a);
        boolean allowed = s.track != null
            ? direction == Direction.RECVONLY || direction == Direction.INACTIVE
            : direction == Direction.INACTIVE;
        if (!allowed) {
            throw NegotiationException.invalid("answer m-line mid " + s.mid + " is " + direction.sdpName()
                + " to an offered " + (s.track != null ? "sendonly" : "inactive") + " (RFC 3264 §6.1)");
        }
    }

    /** The offered codecs the answer kept, with the RTX and feedback it kept (RFC 3264 §6.1, RFC 4585 §4.2). */
    private static List<NegotiatedCodec> acceptedCodecs(MediaDescription a, Slot s) {
        Map<Integer, NegotiatedCodec> byPt = new HashMap<>();
        for (NegotiatedCodec c : s.codecs) {
            byPt.put(c.payloadType(), c);
        }
        Set<Integer> rtxPts = new HashSet<>();
        for (NegotiatedCodec c : s.codecs) {
            if (c.hasRtx()) {
                rtxPts.add(c.rtxPayloadType());
            }
        }
        Map<Integer, Codec> answeredCodecs = new HashMap<>();
        for (Codec c : a.codecs()) {
            int pt = c.payloadType();
            NegotiatedCodec mine = byPt.get(pt);
            boolean rtx = rtxPts.contains(pt);
            if (mine == null && !rtx) {
                throw NegotiationException.invalid("answer m-line mid " + s.mid + " has payload type " + pt
                    + ", which the offer does not (RFC 3264 §6.1)");
            }
            String name = rtx ? "rtx" : mine.name();
            if (c.rtpmap() != null && !c.rtpmap().is(name)) {
                throw NegotiationException.invalid("answer m-line mid " + s.mid + " maps payload type " + pt + " to "
                    + c.rtpmap().encodingName() + ", the offer to " + name + " (RFC 3264 §6.1)");
            }
            answeredCodecs.putIfAbsent(pt, c);
        }
        List<NegotiatedCodec> accepted = new ArrayList<>();
        for (NegotiatedCodec c : s.codecs) {
            Codec answeredCodec = answeredCodecs.get(c.payloadType());
            if (answeredCodec == null) {
                continue;
            }
            List<String> feedback = new ArrayList<>();
            for (RtcpFb fb : answeredCodec.feedback()) {
                String value = CodecPolicy.feedbackValue(fb);
                if (c.hasFeedback(value) && !feedback.contains(value)) {
                    feedback.add(value);
                }
            }
            int rtx = c.hasRtx() && answeredCodecs.containsKey(c.rtxPayloadType()) ? c.rtxPayloadType() : -1;
            accepted.add(c.withPayloadTypes(c.payloadType(), rtx).withFeedback(feedback));
        }
        if (accepted.isEmpty()) {
            throw NegotiationException.invalid("answer m-line mid " + s.mid + " keeps none of the offered codecs "
                + "(RFC 3264 §6.1)");
        }
        return accepted;
    }

    private Map<String, Integer> acceptedExtensions(MediaDescription a, MediaKind kind) {
        Map<String, Integer> offered = extensionIds(kind);
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Extmap e : a.extmaps()) {
            Integer id = offered.get(e.uri());
            if (id != null && id == e.id()) {
                out.putIfAbsent(e.uri(), id);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- state

    /** One m-line of the session. */
    private static final class Slot {
        String mid;
        MediaKind kind;
        /** The track sent on it, or null while inactive. */
        ForwardedTrack track;
        /** The offered codecs in session payload types, kept while inactive. */
        List<NegotiatedCodec> codecs = List.of();
        PayloadTypeMapping mapping = PayloadTypeMapping.EMPTY;
        /** The browser rejected it (port 0): out of the BUNDLE group until recycled with a new mid. */
        boolean rejected;
        /** What the last applied answer accepted for the track, or null. */
        AnsweredTrack answered;

        Slot(String mid, MediaKind kind) {
            this.mid = mid;
            this.kind = kind;
        }

        Slot copy() {
            Slot c = new Slot(mid, kind);
            c.track = track;
            c.codecs = codecs;
            c.mapping = mapping;
            c.rejected = rejected;
            c.answered = answered;
            return c;
        }
    }

    /** A media format as one payload type number means it in this session. */
    private record Format(String name, int clockRate, int channels, Map<String, String> parameters) {
        static Format of(NegotiatedCodec c) {
            return new Format(c.name().toLowerCase(java.util.Locale.ROOT), c.clockRate(), c.channels(),
                c.parameters());
        }

        static Format rtx(int clockRate, int associatedPayloadType) {
            return new Format("rtx", clockRate, 0, Map.of("apt", Integer.toString(associatedPayloadType)));
        }
    }

    /** The m-lines and the payload type space of one offer/answer state. */
    private static final class State {
        final List<Slot> slots = new ArrayList<>();
        /** Every payload type number given out in this session and what it means; a meaning never changes. */
        final Map<Integer, Format> payloadTypes = new TreeMap<>();
        int nextMid;

        State copy() {
            State c = new State();
            for (Slot s : slots) {
                c.slots.add(s.copy());
            }
            c.payloadTypes.putAll(payloadTypes);
            c.nextMid = nextMid;
            return c;
        }

        /** The first inactive m-line of the kind, else a rejected one recycled with a new mid, else a new one. */
        Slot slotFor(MediaKind kind) {
            for (Slot s : slots) {
                if (s.track == null && !s.rejected && s.kind == kind) {
                    return s;
                }
            }
            for (Slot s : slots) {
                if (s.track == null && s.rejected) {
                    s.mid = Integer.toString(nextMid++);
                    s.kind = kind;
                    s.rejected = false;
                    s.answered = null;
                    s.codecs = List.of();
                    return s;
                }
            }
            Slot s = new Slot(Integer.toString(nextMid++), kind);
            slots.add(s);
            return s;
        }

        /** Puts a track on a slot: its codecs in session payload types and the publisher → session mapping. */
        void assign(Slot slot, ForwardedTrack track) {
            List<NegotiatedCodec> codecs = new ArrayList<>();
            Set<Integer> onLine = new HashSet<>();
            PayloadTypeMapping.Builder mapping = new PayloadTypeMapping.Builder();
            boolean withRtx = track.hasRtx();
            List<String> feedback = track.kind() == MediaKind.VIDEO ? VIDEO_FEEDBACK : List.of();
            for (NegotiatedCodec c : track.codecs()) {
                int pt = allocate(Format.of(c), c.payloadType());
                if (!onLine.add(pt)) {
                    mapping.map(c.payloadType(), pt); // a second publisher number for a format already on the line
                    continue;
                }
                int rtx = -1;
                if (withRtx) {
                    rtx = allocate(Format.rtx(c.clockRate(), pt), c.rtxPayloadType());
                    onLine.add(rtx);
                    if (c.hasRtx()) {
                        mapping.map(c.rtxPayloadType(), rtx);
                    }
                }
                mapping.map(c.payloadType(), pt);
                codecs.add(new NegotiatedCodec(pt, c.name(), c.clockRate(), c.channels(), c.parameters(), rtx,
                    feedback));
            }
            slot.track = track;
            slot.codecs = List.copyOf(codecs);
            slot.mapping = mapping.build();
        }

        /**
         * The publisher's number when free or already this format, else the format's number in the session, else
         * a free dynamic number (96-127, then 35-63).
         */
        private int allocate(Format format, int preferred) {
            if (isDynamic(preferred)) {
                Format current = payloadTypes.get(preferred);
                if (current == null || current.equals(format)) {
                    payloadTypes.put(preferred, format);
                    return preferred;
                }
            }
            for (Map.Entry<Integer, Format> e : payloadTypes.entrySet()) {
                if (e.getValue().equals(format)) {
                    return e.getKey();
                }
            }
            for (int pt = 96; pt <= 127; pt++) {
                if (payloadTypes.putIfAbsent(pt, format) == null) {
                    return pt;
                }
            }
            for (int pt = 35; pt <= 63; pt++) {
                if (payloadTypes.putIfAbsent(pt, format) == null) {
                    return pt;
                }
            }
            throw new IllegalStateException("the subscriber session has given out every dynamic payload type");
        }

        /** RFC 3551 §6 dynamic range, without 64-95 where RTCP packet types collide under rtcp-mux (RFC 5761 §4). */
        private static boolean isDynamic(int pt) {
            return (pt >= 96 && pt <= 127) || (pt >= 35 && pt <= 63);
        }
    }
}
