package io.sfu.core.negotiation;

import io.sfu.core.negotiation.SubscriberAnswerResult.AnsweredMedia;
import io.sfu.core.rtp.HeaderExtensionUris;
import io.sfu.core.sdp.AttributeNames;
import io.sfu.core.sdp.Codec;
import io.sfu.core.sdp.Direction;
import io.sfu.core.sdp.Extmap;
import io.sfu.core.sdp.Group;
import io.sfu.core.sdp.MediaDescription;
import io.sfu.core.sdp.MediaKind;
import io.sfu.core.sdp.RtcpFb;
import io.sfu.core.sdp.SdpLimits;
import io.sfu.core.sdp.SdpParseException;
import io.sfu.core.sdp.SessionDescription;
import io.sfu.core.sdp.Setup;

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
 *       {@code goog-remb} for video and RTX when the track has an RTX SSRC, and {@code transport-cc} on every codec
 *       with the transport-wide sequence extension (the SFU numbers what it sends each subscriber and estimates its
 *       downlink from the feedback);</li>
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
    /** The id of {@link HeaderExtensionUris#TRANSPORT_WIDE_CC} in every subscriber session. */
    public static final int TRANSPORT_WIDE_CC_ID = 3;
    /** The id of {@link HeaderExtensionUris#VIDEO_ORIENTATION} in every subscriber session. */
    public static final int VIDEO_ORIENTATION_ID = 13;
    /**
     * The id of {@link HeaderExtensionUris#DEPENDENCY_DESCRIPTOR} in every subscriber session: libwebrtc's receiver
     * needs it to put an AV1 stream with spatial layers back together (without it, each layer frame reads as a frame
     * of its own and none decodes).
     */
    public static final int DEPENDENCY_DESCRIPTOR_ID = 4;

    private static final Map<String, Integer> AUDIO_EXTENSIONS = orderedMap(
        HeaderExtensionUris.AUDIO_LEVEL, AUDIO_LEVEL_ID, HeaderExtensionUris.ABS_SEND_TIME, ABS_SEND_TIME_ID,
        HeaderExtensionUris.TRANSPORT_WIDE_CC, TRANSPORT_WIDE_CC_ID);
    private static final Map<String, Integer> VIDEO_EXTENSIONS = orderedMap(
        HeaderExtensionUris.ABS_SEND_TIME, ABS_SEND_TIME_ID, HeaderExtensionUris.TRANSPORT_WIDE_CC,
        TRANSPORT_WIDE_CC_ID, HeaderExtensionUris.VIDEO_ORIENTATION, VIDEO_ORIENTATION_ID,
        HeaderExtensionUris.DEPENDENCY_DESCRIPTOR, DEPENDENCY_DESCRIPTOR_ID);

    /** The mid of the data channel m-line, the first of every offer when data channels are enabled. */
    public static final String DATA_CHANNEL_MID = "data";

    private final String sessionId;
    /** The a=max-message-size of the offered data channel m-line; 0: none is offered. */
    private final int dataChannelMaxMessageSize;
    /** What the browser's last applied answer said of the data channel m-line; null when it rejected it. */
    private DataChannelSection.PeerParams dataChannel;
    private long version;
    private SubscriberMediaLines stable = new SubscriberMediaLines();
    private SubscriberMediaLines pending;
    private SessionDescription pendingOffer;
    private int pendingOfferLength;
    private RemoteTransportParams remote;

    /** A session whose id comes from a {@link SecureRandom}. */
    public SubscriberNegotiator() {
        this(new SecureRandom());
    }

    /** @param random the source of the session id (seeded in tests) */
    public SubscriberNegotiator(RandomGenerator random) {
        this(random, 0);
    }

    /**
     * @param dataChannelMaxMessageSize greater than 0: every offer carries a data channel m-line first (mid
     *                                  {@link #DATA_CHANNEL_MID}) announcing it, so the SFU opens channels without
     *                                  renegotiating
     */
    public SubscriberNegotiator(RandomGenerator random, int dataChannelMaxMessageSize) {
        if (dataChannelMaxMessageSize < 0) {
            throw new IllegalArgumentException("dataChannelMaxMessageSize must not be negative");
        }
        this.sessionId = Long.toString(random.nextLong(1, Long.MAX_VALUE));
        this.dataChannelMaxMessageSize = dataChannelMaxMessageSize;
    }

    /** The browser's data channel m-line as its last applied answer accepted it; empty before or when rejected. */
    public Optional<DataChannelSection.PeerParams> dataChannel() {
        return Optional.ofNullable(dataChannel);
    }

    /** URIs and ids in the order given: {@code uri, id, uri, id, ...}. */
    private static Map<String, Integer> orderedMap(Object... urisAndIds) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < urisAndIds.length; i += 2) {
            m.put((String) urisAndIds[i], (Integer) urisAndIds[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** @return the header extensions offered in this session: URI → id, the same on every m-line of a kind */
    public Map<String, Integer> extensionIds(MediaKind kind) {
        return offeredExtensions(kind);
    }

    static Map<String, Integer> offeredExtensions(MediaKind kind) {
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
        return stable.lines.size();
    }

    /** @return the forwarded tracks as the last applied answer accepted them, in m-line order */
    public List<AnsweredTrack> tracks() {
        List<AnsweredTrack> out = new ArrayList<>();
        for (SubscriberMediaLine s : stable.lines) {
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
        SubscriberMediaLines current = pending != null ? pending : stable;
        for (SubscriberMediaLine s : current.lines) {
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
        SubscriberMediaLines next = stable.copy();
        for (SubscriberMediaLine s : next.lines) {
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
            next.assign(next.lineFor(t.kind()), t);
        }
        version++;
        SessionDescription offer = SubscriberOfferWriter.write(next, local, sessionId, version);
        if (dataChannelMaxMessageSize > 0) {
            addDataChannelFirst(offer, local);
        }
        pending = next;
        pendingOffer = offer.copy();
        pendingOfferLength = offer.write().length();
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
     * Parses and applies the subscriber's answer as received from signaling, within {@link #answerLimits()}.
     *
     * @throws NegotiationException as {@link #applyAnswer(SessionDescription)}, and when the text does not parse
     */
    public SubscriberAnswerResult applyAnswer(String answerSdp) {
        if (pending == null) {
            throw noOffer();
        }
        return applyAnswer(PublisherNegotiator.parse(answerSdp, "answer", answerLimits()));
    }

    /**
     * The parser's bounds for the answer to the outstanding offer: they follow from the offer, so a room's size
     * and not a fixed number bounds them. The answer has exactly the offer's m-lines (RFC 3264 §6), and a browser
     * writes about as much per m-line as the SFU offered; twice the offer's length (at least
     * {@link SdpLimits#DEFAULT}'s) leaves it room.
     *
     * @throws NegotiationException {@code bad_request} when no offer is outstanding
     */
    public SdpLimits answerLimits() {
        if (pending == null) {
            throw noOffer();
        }
        int mediaSections = Math.max(1, pendingOffer.media().size());
        return SdpLimits.DEFAULT.withMediaSections(Math.max(SdpLimits.DEFAULT.maxMediaSections(), mediaSections),
            Math.max(SdpLimits.DEFAULT.maxLength(), 2 * pendingOfferLength));
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
        SubscriberMediaLines next = pending.copy();
        DataChannelSection.PeerParams answeredDataChannel = null;
        try {
            SessionDescription readable = answer.copy();
            readable.removeMalformed(PublisherNegotiator.READ_LENIENTLY);
            List<MediaDescription> offered = pendingOffer.media();
            if (dataChannelMaxMessageSize > 0) {
                MediaDescription app = readable.media().isEmpty() ? null : readable.media().get(0);
                readable = withoutDataChannel(readable);
                offered = offered.subList(1, offered.size());
                if (!app.isRejected()) {
                    answeredDataChannel = DataChannelSection.read(app, DATA_CHANNEL_MID);
                }
                result = check(readable, next, offered);
                if (result.remote() == null && answeredDataChannel != null) {
                    // the data channel is all the browser accepted: it carries the transport
                    RemoteTransportParams transport = RemoteTransportParams.fromAnswer(answer, app, List.of(app));
                    result = new SubscriberAnswerResult(transport, false, result.media(), result.tracks());
                }
            } else {
                result = check(readable, next, offered);
            }
        } catch (SdpParseException e) {
            throw new NegotiationException(NegotiationException.SDP_INVALID, "answer: " + e.getMessage(), e);
        }
        stable = next;
        pending = null;
        pendingOffer = null;
        dataChannel = answeredDataChannel;
        if (result.remote() != null) {
            remote = result.remote();
        }
        return result;
    }

    /**
     * The data channel m-line goes first, where no track's m-line can move it, and first in the BUNDLE group, so it
     * tags the bundle (RFC 8843 §7.2) for the connection's whole life: with a track's m-line first in the group,
     * Chromium stopped decoding a forwarded video when a renegotiation added m-lines (the three-participant browser
     * scenario, three runs of three).
     */
    private void addDataChannelFirst(SessionDescription offer, LocalTransportParams local) {
        List<MediaDescription> media = new ArrayList<>(offer.media());
        List<String> bundled = new ArrayList<>();
        bundled.add(DATA_CHANNEL_MID);
        offer.bundleGroup().ifPresent(g -> bundled.addAll(g.mids()));
        offer.clearMedia();
        offer.addMedia(DataChannelSection.write(DATA_CHANNEL_MID, local, Setup.ACTPASS, dataChannelMaxMessageSize));
        media.forEach(offer::addMedia);
        offer.setGroup(Group.bundle(bundled));
    }

    /**
     * Takes the data channel m-line out of an answer (the first, as offered) and reads it.
     *
     * @return the answer's track m-lines and BUNDLE group without it
     */
    private SessionDescription withoutDataChannel(SessionDescription answer) {
        List<MediaDescription> answered = answer.media();
        if (answered.isEmpty() || !DataChannelSection.isApplication(answered.get(0))) {
            throw NegotiationException.invalid("answer m-line 0 is " + (answered.isEmpty() ? "missing"
                : answered.get(0).media()) + ", the offer's application (RFC 3264 §6)");
        }
        MediaDescription app = answered.get(0);
        if (!app.isRejected() && !app.mid().map(DATA_CHANNEL_MID::equals).orElse(false)) {
            throw NegotiationException.invalid("answer m-line 0 has mid " + app.mid().orElse("(none)")
                + ", the offer's is " + DATA_CHANNEL_MID + " (RFC 8829 §5.3.1)");
        }
        SessionDescription tracks = answer.copy();
        tracks.removeMedia(tracks.media().get(0));
        List<String> bundled = new ArrayList<>(answer.bundleGroup().map(Group::mids).orElse(List.of()));
        bundled.remove(DATA_CHANNEL_MID);
        tracks.removeAttributes(AttributeNames.GROUP);
        if (!bundled.isEmpty()) {
            tracks.setGroup(Group.bundle(bundled));
        }
        return tracks;
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

    // ---------------------------------------------------------------- applying the answer

    private SubscriberAnswerResult check(SessionDescription answer, SubscriberMediaLines next,
                                         List<MediaDescription> offered) {
        List<MediaDescription> answered = answer.media();
        if (answered.size() != offered.size()) {
            throw NegotiationException.invalid("answer has " + answered.size() + " m-lines, the offer "
                + offered.size() + " (RFC 3264 §6)");
        }
        Map<String, MediaDescription> acceptedByMid = new LinkedHashMap<>();
        for (int i = 0; i < offered.size(); i++) {
            MediaDescription o = offered.get(i);
            MediaDescription a = answered.get(i);
            String mid = next.lines.get(i).mid;
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
            SubscriberMediaLine s = next.lines.get(i);
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

    private static void checkAccepted(SessionDescription answer, MediaDescription a, SubscriberMediaLine s) {
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
    private static List<NegotiatedCodec> acceptedCodecs(MediaDescription a, SubscriberMediaLine s) {
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
}
