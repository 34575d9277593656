package io.sfu.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.IntConsumer;

import io.sfu.core.dtls.DatagramSender;
import io.sfu.core.dtls.DtlsCertificate;
import io.sfu.core.dtls.DtlsEndpoint;
import io.sfu.core.dtls.DtlsFingerprint;
import io.sfu.core.dtls.DtlsResult;
import io.sfu.core.dtls.DtlsRole;
import io.sfu.core.feedback.NackGenerator;
import io.sfu.core.feedback.NtpTime;
import io.sfu.core.feedback.PacketHistory;
import io.sfu.core.feedback.ReceiveStatistics;
import io.sfu.core.feedback.RttEstimator;
import io.sfu.core.ice.IceClient;
import io.sfu.core.ice.IceCredentials;
import io.sfu.core.net.DatagramKind;
import io.sfu.core.rtcp.FullIntraRequest;
import io.sfu.core.rtcp.GenericNack;
import io.sfu.core.rtcp.PictureLossIndication;
import io.sfu.core.rtcp.ReceiverReport;
import io.sfu.core.rtcp.ReportBlock;
import io.sfu.core.rtcp.RtcpCompoundIterator;
import io.sfu.core.rtcp.RtcpHeader;
import io.sfu.core.rtcp.SenderReport;
import io.sfu.core.rtcp.SourceDescription;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.sdp.Fingerprint;
import io.sfu.core.sdp.SessionDescription;
import io.sfu.core.sdp.Setup;
import io.sfu.core.srtp.SrtpContext;
import io.sfu.core.srtp.SrtpKeyingMaterial;
import io.sfu.core.srtp.SrtpProfile;
import io.sfu.core.stun.StunMessage;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebRTC transport of the Java client, the counterpart of one SFU peer connection: its own UDP socket, a
 * controlling {@link IceClient} (nominating with USE-CANDIDATE, then refreshing consent), a {@link DtlsEndpoint}
 * in the client role with its own certificate ({@code a=setup:active}), and the SRTP contexts keyed from the
 * handshake. Incoming datagrams are told apart by their first byte (RFC 7983).
 *
 * <p>Two uses, as the SFU's API has them: the <b>publisher</b> side offers ({@link #createOffer}), reads the SFU's
 * answer ({@link #applyAnswer}) and sends media through its {@link RtpSender}s, answering NACKs from its send
 * history and keyframe requests through the listener; the <b>subscriber</b> side answers the SFU's offers
 * ({@link #acceptOffer}), attributes received SSRCs to tracks, keeps reception statistics, sends NACKs and receiver
 * reports, and unwraps RTX. A connection takes one of the two roles with its first negotiation call. States:
 * {@link ClientState}; {@link #connected()} completes when SRTP is ready.
 *
 * <p>Threads: the negotiation methods may be called from any thread (one at a time); they parse and build SDP on
 * the caller's thread and hand the result to the loop. Everything else — media, callbacks, the accessors marked
 * "loop thread" — belongs to the {@link ClientIoLoop}'s thread. Receiving and sending media allocate nothing.
 */
public final class ClientPeerConnection implements AutoCloseable {

    /** What a connection tells its owner, on the loop thread. Every method has an empty default. */
    public interface Listener {
        /** The connection moved to {@code state}. */
        default void onStateChange(ClientPeerConnection pc, ClientState state) {
        }

        /** A remote track was announced by an offer, or first seen through the mid extension of its packets. */
        default void onTrack(ClientPeerConnection pc, RemoteTrack track) {
        }

        /** A later offer no longer sends the track. */
        default void onTrackRemoved(ClientPeerConnection pc, RemoteTrack track) {
        }

        /**
         * An RTP packet arrived, decrypted (and unwrapped if it came as RTX). The flyweight and its buffer are valid
         * only during the call: copy what must outlive it. {@link ClientPeerConnection#deliveringRetransmission()}
         * says whether it was recovered.
         */
        default void onRtp(ClientPeerConnection pc, RtpPacket packet, long arrivalNs) {
        }

        /** A decrypted RTCP compound packet arrived; valid only during the call. */
        default void onRtcp(ClientPeerConnection pc, DirectBuffer buffer, int offset, int length, long arrivalNs) {
        }

        /** The remote side asked for a keyframe on one of our streams (PLI, or FIR when {@code fir}). */
        default void onKeyframeRequest(ClientPeerConnection pc, RtpSender sender, boolean fir) {
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClientPeerConnection.class);
    private static final Listener NO_LISTENER = new Listener() {
    };
    private static final SecureRandom SECURE_RANDOM = new SecureRandom();
    private static final char[] ID_CHARS =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final long NO_DEADLINE = Long.MAX_VALUE;
    /** Room after a packet for the SRTP tag or the SRTCP trailer. */
    private static final int PROTECTION_SLACK = 64;
    /** RTCP compounds stay below this, well inside any path MTU once protected. */
    private static final int MAX_COMPOUND_BYTES = 1200;
    private static final int RTCP_BUFFER_BYTES = 1500;
    private static final int MAX_REPORT_BLOCKS = 31;
    private static final int NACK_WORDS = 16;
    private static final long ICE_PRIORITY = IceClient.priority(IceClient.PEER_REFLEXIVE_TYPE_PREFERENCE, 65535, 1);

    private enum Role { NONE, PUBLISHER, SUBSCRIBER }

    private final ClientIoLoop loop;
    private final ClientPeerConnectionConfig config;
    private final Listener listener;
    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;
    private final DtlsCertificate certificate;
    private final Fingerprint sdpFingerprint;
    private final IceCredentials localIce;
    private final String cname;
    private final byte[] cnameBytes;
    private final String streamId;
    private final long sessionId;
    private final int localRtcpSsrc;
    private final ClientStats stats = new ClientStats();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    // ---- negotiation, guarded by this
    private final SplittableRandom idRandom;
    private final Set<Integer> usedSsrcs = new HashSet<>();
    private final List<LocalTrack> published = new ArrayList<>();
    private Role role = Role.NONE;
    private List<LocalTrack> pendingOffer;
    private long offerVersion = 1;
    private long answerVersion = 1;
    private int nextMid;
    private List<DtlsFingerprint> negotiatedFingerprints;

    // ---- loop thread
    private volatile ClientState state = ClientState.NEW;
    private volatile ClientConnectionException failure;
    private volatile InetSocketAddress remoteAddress;
    private volatile SrtpProfile srtpProfile;
    private volatile DtlsResult dtlsResult;
    private volatile List<RemoteTrack> remoteTracks = List.of();
    private final SplittableRandom loopRandom;
    private SelectionKey key;
    private IceClient ice;
    private IceCredentials remoteIce;
    private List<DtlsFingerprint> remoteFingerprints;
    private DtlsEndpoint dtls;
    private SrtpContext srtpOut;
    private SrtpContext srtpIn;
    private boolean reducedSizeRtcp;
    private RtpSender[] senders = new RtpSender[0];
    private final Int2ObjectHashMap<RtpSender> sendersBySsrc = new Int2ObjectHashMap<>();
    private ReceiveStream[] streams = new ReceiveStream[8];
    private int streamCount;
    private final Int2ObjectHashMap<ReceiveStream> streamsBySsrc = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<ReceiveStream> streamsByRtxSsrc = new Int2ObjectHashMap<>();
    private int[] associatedPayloadTypes = noPayloadTypes();
    private int[] clockRates = new int[128];
    private Set<Integer> nackPayloadTypes = Set.of();
    private HeaderExtensions receiveExtensions = HeaderExtensions.NONE;
    private List<ClientSdp.MidRoute> midRoutes = List.of();
    private int transportSequence;
    private final RttEstimator rtt = new RttEstimator();
    private long nextReportNs;
    private long nextNackNs;
    private boolean nackPending;
    private boolean deliveringRetransmission;
    private final ImpairmentQueue sendQueue;
    private final ImpairmentQueue receiveQueue;

    // ---- buffers and flyweights, loop thread
    private final UnsafeBuffer txBuffer;
    private final ByteBuffer txByteBuffer;
    private final UnsafeBuffer rtxBuffer;
    private final ByteBuffer rtxByteBuffer;
    private final UnsafeBuffer rtcpBuffer;
    private final ByteBuffer rtcpByteBuffer;
    private final StunMessage stun = new StunMessage();
    private final RtpPacket rtp = new RtpPacket();
    private final RtcpCompoundIterator compound = new RtcpCompoundIterator();
    private final SenderReport senderReport = new SenderReport();
    private final ReceiverReport receiverReport = new ReceiverReport();
    private final ReportBlock reportBlock = new ReportBlock();
    private final GenericNack nack = new GenericNack();
    private final PictureLossIndication pli = new PictureLossIndication();
    private final FullIntraRequest fir = new FullIntraRequest();
    private final int[] nackWords = new int[NACK_WORDS];
    private final int[] nackSequences = new int[NACK_WORDS * 17];
    private RtpSender nackTarget;
    private long nackNowNs;
    private final IntConsumer onNackedSequence = sequence -> nackTarget.retransmit(sequence, nackNowNs);
    private final ImpairmentQueue.Sink sendSink = (buffer, byteBuffer, offset, length, releaseNs) ->
        transmit(byteBuffer, offset, length);
    private final ImpairmentQueue.Sink receiveSink = this::onMedia;
    private final DatagramSender dtlsSender = this::sendDtls;
    private final TimerQueue.Entry timer = new TimerQueue.Entry() {
        @Override
        void onTimer(long nowNs) {
            try {
                ClientPeerConnection.this.onTimer(nowNs);
            } catch (RuntimeException e) {
                internalError(e);
            }
        }
    };

    ClientPeerConnection(ClientIoLoop loop, ClientPeerConnectionConfig config, Listener listener) {
        this.loop = loop;
        this.config = config;
        this.listener = listener == null ? NO_LISTENER : listener;
        this.idRandom = new SplittableRandom(SECURE_RANDOM.nextLong());
        this.loopRandom = idRandom.split();
        InetAddress bind = config.bindAddress() != null ? config.bindAddress() : loop.config().bindAddress();
        DatagramChannel opened = null;
        try {
            opened = DatagramChannel.open(bind instanceof Inet4Address
                ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
            opened.configureBlocking(false);
            if (loop.config().socketReceiveBufferBytes() > 0) {
                opened.setOption(StandardSocketOptions.SO_RCVBUF, loop.config().socketReceiveBufferBytes());
            }
            opened.bind(new InetSocketAddress(bind, 0));
            this.localAddress = (InetSocketAddress) opened.getLocalAddress();
        } catch (IOException e) {
            closeQuietly(opened);
            throw new UncheckedIOException("cannot bind a client socket to " + bind, e);
        }
        this.channel = opened;
        try {
            this.certificate = config.certificate() != null ? config.certificate() : DtlsCertificate.generate();
            this.sdpFingerprint = Fingerprint.parse(certificate.fingerprint());
        } catch (RuntimeException e) {
            closeQuietly(opened);
            throw e;
        }
        this.localIce = IceCredentials.random(SECURE_RANDOM);
        this.cname = config.cname() != null ? config.cname() : randomId(16);
        this.cnameBytes = cname.getBytes(StandardCharsets.US_ASCII);
        this.streamId = config.streamId() != null ? config.streamId() : randomId(16);
        this.sessionId = 1 + (idRandom.nextLong() >>> 2);
        this.localRtcpSsrc = newSsrc();
        this.transportSequence = idRandom.nextInt(0x10000);
        int packetCapacity = config.maxPacketBytes() + PROTECTION_SLACK;
        byte[] tx = new byte[packetCapacity];
        this.txBuffer = new UnsafeBuffer(tx);
        this.txByteBuffer = ByteBuffer.wrap(tx);
        byte[] rtx = new byte[packetCapacity + 2];
        this.rtxBuffer = new UnsafeBuffer(rtx);
        this.rtxByteBuffer = ByteBuffer.wrap(rtx);
        byte[] rtcp = new byte[RTCP_BUFFER_BYTES];
        this.rtcpBuffer = new UnsafeBuffer(rtcp);
        this.rtcpByteBuffer = ByteBuffer.wrap(rtcp);
        this.sendQueue = config.sendImpairment().isActive()
            ? new ImpairmentQueue(config.sendImpairment(), packetCapacity + 2) : null;
        this.receiveQueue = config.receiveImpairment().isActive()
            ? new ImpairmentQueue(config.receiveImpairment(), loop.config().maxDatagramBytes()) : null;
    }

    void register(Selector selector) throws IOException {
        key = channel.register(selector, SelectionKey.OP_READ, this);
    }

    // ================================================================ negotiation (any thread, one at a time)

    /**
     * The publisher offer for {@code tracks}: one m-line per track ({@code sendonly}, mid, msid, rtcp-mux,
     * rtcp-rsize, ICE credentials, fingerprint, {@code a=setup:actpass}), Opus 111 or VP8 96 with RTX 97, Chromium's
     * extension ids, {@code a=ssrc} lines with an FID group or, for simulcast, {@code a=rid}/{@code a=simulcast}
     * without SSRCs. Calling it again renegotiates: tracks already offered keep their mid and SSRCs, new ones get
     * new m-lines, and tracks left out become {@code inactive}. The senders exist from now on ({@link #senders()})
     * and can send once the answer was applied and the connection is connected.
     *
     * @throws IllegalArgumentException if two tracks share an id, or a track changes kind, rids or RTX
     * @throws IllegalStateException if this connection answers offers, or is closed
     */
    public synchronized String createOffer(List<TrackSpec> tracks) {
        ensureOpen();
        if (role == Role.SUBSCRIBER) {
            throw new IllegalStateException("this connection answers the SFU's offers; it cannot offer");
        }
        Set<String> ids = new HashSet<>();
        for (TrackSpec spec : tracks) {
            if (!ids.add(spec.trackId())) {
                throw new IllegalArgumentException("track id offered twice: " + spec.trackId());
            }
            LocalTrack existing = publishedTrack(spec.trackId());
            if (existing != null && !existing.spec.equals(spec)) {
                throw new IllegalArgumentException("track " + spec.trackId() + " cannot change kind, rids or RTX");
            }
            if (existing != null && existing.stopped) {
                throw new IllegalArgumentException("track " + spec.trackId() + " was stopped; offer a new track id");
            }
        }
        role = Role.PUBLISHER;
        List<RtpSender> created = new ArrayList<>();
        for (TrackSpec spec : tracks) {
            if (publishedTrack(spec.trackId()) != null) {
                continue;
            }
            String mid = Integer.toString(nextMid++);
            List<RtpSender> encodings = new ArrayList<>();
            List<String> rids = spec.isSimulcast() ? spec.rids() : java.util.Collections.singletonList(null);
            for (String rid : rids) {
                encodings.add(new RtpSender(this, spec.kind(), spec.trackId(), mid, rid, newSsrc(),
                    spec.rtx() ? newSsrc() : 0, newHistory(spec.kind()), idRandom.nextInt(0x10000),
                    idRandom.nextInt(0x10000)));
            }
            published.add(new LocalTrack(spec, mid, encodings));
            created.addAll(encodings);
        }
        for (LocalTrack t : published) {
            if (!ids.contains(t.spec.trackId())) {
                t.stopped = true;
            }
        }
        offerVersion++;
        List<LocalTrack> offered = List.copyOf(published);
        String sdp = ClientSdp.publisherOffer(localTransport(config.includeCandidates()), offered, sessionId,
            offerVersion);
        pendingOffer = offered;
        if (!created.isEmpty()) {
            loop.runOnLoop(() -> addSenders(created));
        }
        return sdp;
    }

    /**
     * Applies the SFU's answer to the last offer: the remote ICE credentials, fingerprints and candidate, and per
     * track whether it was accepted, with which payload types and header extension ids. The first answer starts ICE,
     * then DTLS, then SRTP; later ones keep the transport.
     *
     * @throws IllegalArgumentException if the SDP is malformed or unusable (no credentials, fingerprint or IPv4 UDP
     *     candidate; m-lines not matching the offer; {@code a=setup} other than passive; a changed fingerprint)
     * @throws IllegalStateException if there is no offer to answer, or the connection is closed
     */
    public synchronized void applyAnswer(String sdp) {
        ensureOpen();
        if (role != Role.PUBLISHER || pendingOffer == null) {
            throw new IllegalStateException("applyAnswer needs an offer from createOffer first");
        }
        SessionDescription answer = ClientSdp.parse(sdp);
        ClientSdp.RemoteTransport remote = ClientSdp.remoteTransport(answer);
        if (remote.setup() != null && remote.setup() != Setup.PASSIVE) {
            throw new IllegalArgumentException("the answer must say a=setup:passive (this client is the DTLS client),"
                + " it says " + remote.setup().sdpValue());
        }
        List<ClientSdp.SenderSettings> settings = ClientSdp.publisherAnswer(answer, pendingOffer);
        checkFingerprints(remote);
        pendingOffer = null;
        loop.runOnLoop(() -> {
            applySenderSettings(settings, remote.reducedSizeRtcp());
            startTransport(remote);
        });
    }

    /**
     * Answers an SFU offer: every m-line {@code recvonly} (or {@code inactive} when the offer does not send; port 0
     * when it is rejected or not RTP), the offered codecs and extensions kept, {@code a=setup:active}, our ICE
     * credentials and fingerprint, the BUNDLE group of the accepted mids, no candidates. The offer's
     * {@code a=msid}/{@code a=ssrc}/{@code a=ssrc-group:FID} lines become {@link RemoteTrack}s reported through the
     * listener. The first offer starts ICE and DTLS; later offers (new or inactive m-lines) keep the transport.
     *
     * @return the answer SDP
     * @throws IllegalArgumentException if the SDP is malformed or unusable (no credentials, fingerprint or IPv4 UDP
     *     candidate; {@code a=setup:active}; a changed fingerprint)
     * @throws IllegalStateException if this connection is a publisher, or is closed
     */
    public synchronized String acceptOffer(String sdp) {
        ensureOpen();
        if (role == Role.PUBLISHER) {
            throw new IllegalStateException("this connection offers; it cannot answer");
        }
        SessionDescription offer = ClientSdp.parse(sdp);
        ClientSdp.RemoteTransport remote = ClientSdp.remoteTransport(offer);
        if (remote.setup() == Setup.ACTIVE || remote.setup() == Setup.HOLDCONN) {
            throw new IllegalArgumentException("the offer must say a=setup:actpass or passive (this client is the "
                + "DTLS client), it says " + remote.setup().sdpValue());
        }
        ClientSdp.SubscriberAnswer answer = ClientSdp.answerOffer(localTransport(false), offer, sessionId,
            answerVersion + 1);
        checkFingerprints(remote);
        role = Role.SUBSCRIBER;
        answerVersion++;
        loop.runOnLoop(() -> {
            applySubscriberPlan(answer.plan(), remote.reducedSizeRtcp());
            startTransport(remote);
        });
        return answer.sdp();
    }

    private void checkFingerprints(ClientSdp.RemoteTransport remote) {
        if (negotiatedFingerprints == null) {
            negotiatedFingerprints = remote.fingerprints();
        } else if (!new HashSet<>(negotiatedFingerprints).equals(new HashSet<>(remote.fingerprints()))) {
            throw new IllegalArgumentException("the remote fingerprint changed: a new DTLS association is not "
                + "supported on this connection");
        }
    }

    private ClientSdp.LocalTransport localTransport(boolean withCandidate) {
        InetSocketAddress candidate = withCandidate && !localAddress.getAddress().isAnyLocalAddress()
            ? localAddress : null;
        return new ClientSdp.LocalTransport(localIce, sdpFingerprint, cname, streamId, candidate);
    }

    private LocalTrack publishedTrack(String trackId) {
        for (LocalTrack t : published) {
            if (t.spec.trackId().equals(trackId)) {
                return t;
            }
        }
        return null;
    }

    private PacketHistory newHistory(MediaKind kind) {
        int capacity = kind == MediaKind.VIDEO ? config.videoHistoryPackets() : config.audioHistoryPackets();
        return capacity == 0 ? null : new PacketHistory(capacity, config.maxPacketBytes(), config.historyMaxAgeNs());
    }

    private int newSsrc() {
        while (true) {
            int ssrc = idRandom.nextInt();
            if (ssrc != 0 && usedSsrcs.add(ssrc)) {
                return ssrc;
            }
        }
    }

    private String randomId(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ID_CHARS[idRandom.nextInt(ID_CHARS.length)];
        }
        return new String(chars);
    }

    private void ensureOpen() {
        if (state == ClientState.CLOSED || loop.isClosed()) {
            throw new IllegalStateException("the peer connection is closed");
        }
    }

    // ================================================================ applying negotiation (loop thread)

    private void addSenders(List<RtpSender> created) {
        RtpSender[] grown = Arrays.copyOf(senders, senders.length + created.size());
        for (int i = 0; i < created.size(); i++) {
            RtpSender sender = created.get(i);
            grown[senders.length + i] = sender;
            sendersBySsrc.put(sender.ssrc(), sender);
        }
        senders = grown;
    }

    private void applySenderSettings(List<ClientSdp.SenderSettings> settings, boolean reducedSize) {
        reducedSizeRtcp = reducedSize;
        for (ClientSdp.SenderSettings s : settings) {
            s.sender().configure(s.active(), s.payloadType(), s.rtxPayloadType(), s.extensions());
        }
    }

    private void applySubscriberPlan(ClientSdp.SubscriberPlan plan, boolean reducedSize) {
        if (state == ClientState.CLOSED) {
            return;
        }
        reducedSizeRtcp = reducedSize;
        associatedPayloadTypes = plan.associatedPayloadTypes();
        clockRates = plan.clockRates();
        nackPayloadTypes = plan.nackPayloadTypes();
        receiveExtensions = plan.extensions();
        midRoutes = plan.midRoutes();
        Set<Integer> announced = new HashSet<>();
        for (RemoteTrack t : plan.tracks()) {
            announced.add(t.ssrc());
        }
        List<RemoteTrack> removed = new ArrayList<>();
        for (int i = streamCount - 1; i >= 0; i--) {
            ReceiveStream s = streams[i];
            RemoteTrack t = s.track();
            if (t != null && !announced.contains(s.ssrc()) && (t.rtxSsrc() != 0 || !hasMidRoute(t.mid()))) {
                removeStream(i);
                removed.add(t);
            }
        }
        List<RemoteTrack> added = new ArrayList<>();
        for (RemoteTrack t : plan.tracks()) {
            ReceiveStream existing = streamsBySsrc.get(t.ssrc());
            if (existing != null && existing.track() != null) {
                continue;
            }
            if (existing != null) {
                removeStream(indexOf(existing));
            }
            ReceiveStream stream = new ReceiveStream(t.ssrc(), t, t.clockRateHz(),
                wantsNack(t.kind(), t.payloadType()) ? newNackGenerator() : null);
            addStream(stream);
            if (t.rtxSsrc() != 0) {
                streamsByRtxSsrc.put(t.rtxSsrc(), stream);
            }
            added.add(t);
        }
        publishRemoteTracks();
        for (RemoteTrack t : removed) {
            notifyTrackRemoved(t);
        }
        for (RemoteTrack t : added) {
            notifyTrack(t);
        }
    }

    private boolean hasMidRoute(String mid) {
        for (ClientSdp.MidRoute route : midRoutes) {
            if (route.mid().equals(mid)) {
                return true;
            }
        }
        return false;
    }

    private boolean wantsNack(MediaKind kind, int payloadType) {
        return kind == MediaKind.VIDEO && (payloadType < 0 || nackPayloadTypes.isEmpty()
            || nackPayloadTypes.contains(payloadType));
    }

    private NackGenerator newNackGenerator() {
        return new NackGenerator(config.nackCapacity(), config.nackMaxRetries(), config.nackMaxAgeNs(),
            config.nackMinRetryIntervalNs(), config.nackReorderDelayNs());
    }

    private void addStream(ReceiveStream stream) {
        if (streamCount == streams.length) {
            streams = Arrays.copyOf(streams, streamCount * 2);
        }
        streams[streamCount++] = stream;
        streamsBySsrc.put(stream.ssrc(), stream);
    }

    private void removeStream(int index) {
        ReceiveStream stream = streams[index];
        System.arraycopy(streams, index + 1, streams, index, streamCount - index - 1);
        streams[--streamCount] = null;
        streamsBySsrc.remove(stream.ssrc());
        RemoteTrack t = stream.track();
        if (t != null && t.rtxSsrc() != 0) {
            streamsByRtxSsrc.remove(t.rtxSsrc());
            if (srtpIn != null) {
                srtpIn.removeSsrc(t.rtxSsrc());
            }
        }
        if (srtpIn != null) {
            srtpIn.removeSsrc(stream.ssrc());
        }
    }

    private int indexOf(ReceiveStream stream) {
        for (int i = 0; i < streamCount; i++) {
            if (streams[i] == stream) {
                return i;
            }
        }
        return -1;
    }

    private void publishRemoteTracks() {
        List<RemoteTrack> tracks = new ArrayList<>();
        for (int i = 0; i < streamCount; i++) {
            if (streams[i].track() != null) {
                tracks.add(streams[i].track());
            }
        }
        remoteTracks = List.copyOf(tracks);
    }

    // ================================================================ transport: ICE, DTLS, SRTP (loop thread)

    private void startTransport(ClientSdp.RemoteTransport remote) {
        if (state.isTerminal()) {
            return;
        }
        long nowNs = loop.nanoTime();
        remoteAddress = remote.address();
        if (ice == null) {
            remoteIce = remote.ice();
            remoteFingerprints = remote.fingerprints();
            ice = new IceClient(localIce, remoteIce, ICE_PRIORITY, loopRandom, config.iceConfig());
            ice.start(nowNs);
            setState(ClientState.CHECKING);
        } else if (!remote.ice().equals(remoteIce)) {
            // ICE restart (RFC 8445 §9): new checks on the same socket, the DTLS association carries on
            remoteIce = remote.ice();
            ice.restart(localIce, remoteIce, nowNs);
        }
        reschedule();
    }

    private void onStun(UnsafeBuffer buffer, int offset, int length, long nowNs) {
        if (ice == null || !stun.wrap(buffer, offset, length) || !ice.onMessage(stun, nowNs)) {
            return;
        }
        IceClient.State iceState = ice.state();
        if (iceState == IceClient.State.CONNECTED && dtls == null && state == ClientState.CHECKING) {
            startDtls();
        } else if (iceState == IceClient.State.FAILED) {
            failIce();
        }
    }

    private void failIce() {
        switch (ice.failure()) {
            case ERROR_RESPONSE -> fail(new ClientConnectionException(ClientConnectionException.Reason.ICE_ERROR_RESPONSE,
                ice.lastErrorCode(), "the connectivity check was answered with STUN error " + ice.lastErrorCode(), null));
            case CONSENT_EXPIRED -> fail(new ClientConnectionException(ClientConnectionException.Reason.CONSENT_EXPIRED,
                -1, "ICE consent expired", null));
            default -> fail(new ClientConnectionException(ClientConnectionException.Reason.ICE_TIMEOUT, -1,
                "no answer to the ICE connectivity check from " + remoteAddress, null));
        }
    }

    private void startDtls() {
        setState(ClientState.DTLS);
        DtlsEndpoint endpoint;
        try {
            endpoint = new DtlsEndpoint(DtlsRole.CLIENT, certificate, remoteFingerprints, dtlsSender,
                loop.dtlsExecutor(), config.dtlsConfig());
        } catch (RuntimeException e) {
            fail(new ClientConnectionException(ClientConnectionException.Reason.DTLS_FAILED, -1,
                "cannot start DTLS: " + e.getMessage(), e));
            return;
        }
        dtls = endpoint;
        endpoint.addCloseListener((closedEndpoint, cause) -> handOver(() -> onDtlsClosed(cause)));
        endpoint.start().whenComplete((result, error) -> handOver(() -> onHandshake(result, error)));
    }

    /** Runs a DTLS event on the loop; when the loop is closed the connection went with it. */
    private void handOver(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("DTLS event after the client loop closed: {}", e.getMessage());
        }
    }

    private void onHandshake(DtlsResult result, Throwable error) {
        if (state != ClientState.DTLS) {
            return;
        }
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
            fail(new ClientConnectionException(ClientConnectionException.Reason.DTLS_FAILED, -1,
                "DTLS handshake failed: " + cause.getMessage(), cause));
            return;
        }
        SrtpProfile profile = SrtpProfile.fromId(result.srtpProfileId());
        SrtpKeyingMaterial keys = SrtpKeyingMaterial.fromExporter(profile, result.keyingMaterial(),
            SrtpKeyingMaterial.Role.CLIENT);
        srtpOut = keys.newSendingContext(config.srtpConfig());
        srtpIn = keys.newReceivingContext(config.srtpConfig());
        srtpProfile = profile;
        dtlsResult = result;
        nextReportNs = loop.nanoTime() + config.reportIntervalNs();
        setState(ClientState.CONNECTED);
        connected.complete(null);
        reschedule();
    }

    private void onDtlsClosed(Throwable cause) {
        if (state == ClientState.CONNECTED) {
            fail(new ClientConnectionException(ClientConnectionException.Reason.DTLS_CLOSED, -1,
                "the DTLS association was closed" + (cause == null ? " by the peer" : ": " + cause.getMessage()),
                cause));
        }
    }

    /** The DTLS stack's sender: called on handshake threads; a failure is a loss. */
    private void sendDtls(byte[] data, int offset, int length) {
        InetSocketAddress target = remoteAddress;
        if (target == null || !channel.isOpen()) {
            return;
        }
        try {
            channel.send(ByteBuffer.wrap(data, offset, length), target);
        } catch (IOException | RuntimeException e) {
            LOG.debug("DTLS send failed: {}", e.toString());
        }
    }

    private void fail(ClientConnectionException e) {
        if (state.isTerminal()) {
            return;
        }
        failure = e;
        LOG.debug("{} failed: {}", this, e.getMessage());
        setState(ClientState.FAILED);
        connected.completeExceptionally(e);
        loop.timers().cancel(timer);
        if (dtls != null) {
            dtls.close();
        }
        clearQueues();
    }

    void internalError(RuntimeException e) {
        LOG.warn("{}: unexpected error", this, e);
        fail(new ClientConnectionException(ClientConnectionException.Reason.INTERNAL_ERROR, -1,
            "unexpected error: " + e, e));
    }

    private void setState(ClientState newState) {
        state = newState;
        try {
            listener.onStateChange(this, newState);
        } catch (RuntimeException e) {
            LOG.warn("{}: state listener failed", this, e);
        }
    }

    // ================================================================ receiving (loop thread)

    void onReadable(long nowNs) {
        ByteBuffer byteBuffer = loop.receiveByteBuffer();
        UnsafeBuffer buffer = loop.receiveBuffer();
        int batch = loop.config().receiveBatch();
        for (int i = 0; i < batch; i++) {
            byteBuffer.clear();
            SocketAddress source;
            try {
                source = channel.receive(byteBuffer);
            } catch (IOException e) {
                LOG.debug("{}: receive failed: {}", this, e.toString());
                break;
            }
            if (source == null) {
                break;
            }
            stats.increment(ClientStats.DATAGRAMS_RECEIVED);
            onDatagram(buffer, 0, byteBuffer.position(), nowNs);
            if (state == ClientState.CLOSED) {
                return;
            }
        }
        reschedule();
    }

    /** Handles one datagram in {@code buffer[offset, offset + length)}, in place. Loop thread. */
    void onDatagram(UnsafeBuffer buffer, int offset, int length, long nowNs) {
        DatagramKind kind = DatagramKind.of(buffer.byteArray(), buffer.wrapAdjustment() + offset, length);
        switch (kind) {
            case STUN -> onStun(buffer, offset, length, nowNs);
            case DTLS -> {
                if (dtls != null) {
                    dtls.offer(buffer, offset, length);
                }
            }
            case RTP, RTCP -> {
                if (receiveQueue != null) {
                    int fate = receiveQueue.offer(buffer, offset, length, nowNs);
                    if (fate == ImpairmentQueue.DROP) {
                        stats.increment(ClientStats.IMPAIRED_RECEIVE_DROPS);
                        return;
                    }
                    if (fate == ImpairmentQueue.QUEUED) {
                        return;
                    }
                }
                onMedia(buffer, null, offset, length, nowNs);
            }
            default -> {
            }
        }
    }

    private void onMedia(UnsafeBuffer buffer, ByteBuffer unused, int offset, int length, long nowNs) {
        if (srtpIn == null || state != ClientState.CONNECTED || length < 2) {
            return;
        }
        int packetType = buffer.getByte(offset + 1) & 0xFF;
        if (packetType >= 192 && packetType <= 223) {
            onRtcp(buffer, offset, length, nowNs);
        } else {
            onRtp(buffer, offset, length, nowNs);
        }
    }

    private void onRtp(UnsafeBuffer buffer, int offset, int length, long nowNs) {
        int plain = srtpIn.unprotectRtp(buffer, offset, length);
        if (plain < 0) {
            stats.increment(ClientStats.SRTP_FAILURES);
            return;
        }
        if (!rtp.wrap(buffer, offset, plain)) {
            return;
        }
        stats.increment(ClientStats.RTP_PACKETS_RECEIVED);
        stats.add(ClientStats.RTP_BYTES_RECEIVED, length);
        int ssrc = rtp.ssrc();
        ReceiveStream stream = streamsBySsrc.get(ssrc);
        boolean viaRtx = false;
        if (stream == null) {
            ReceiveStream media = streamsByRtxSsrc.get(ssrc);
            if (media != null) {
                if (rtp.payloadLength() < 2) {
                    return; // a padding-only RTX packet (bandwidth probe)
                }
                unwrapRtx(buffer, offset, media);
                offset += 2;
                plain -= 2;
                stream = media;
                viaRtx = true;
            } else {
                stream = discover(ssrc);
                if (stream == null) {
                    return;
                }
            }
        }
        int sequence = rtp.sequenceNumber();
        NackGenerator nackGenerator = stream.nackGenerator();
        boolean ahead = nackGenerator == null || stream.packetsReceived() == 0
            || (short) (sequence - nackGenerator.highestSequence()) > 0;
        boolean filledGap = nackGenerator != null && nackGenerator.onPacket(sequence, nowNs);
        boolean recovered;
        if (viaRtx) {
            // a repair of a packet already here (a spurious retransmission, or RTX used as a bandwidth probe)
            if (!filledGap && !ahead) {
                stats.increment(ClientStats.DUPLICATE_RETRANSMISSIONS);
                return;
            }
            recovered = true;
        } else {
            RemoteTrack track = stream.track();
            recovered = filledGap && (track == null || track.rtxSsrc() == 0);
        }
        ReceiveStatistics statistics = stream.statistics();
        if (recovered) {
            statistics.onRetransmittedPacket(sequence, nowNs, plain);
            stats.increment(ClientStats.RETRANSMISSIONS_RECEIVED);
        } else {
            statistics.onPacket(sequence, (int) rtp.timestamp(), nowNs, plain);
        }
        stream.onPacket(rtp.payloadType(), recovered);
        if (nackGenerator != null && !nackPending && nackGenerator.missingCount() > 0) {
            nackPending = true;
            nextNackNs = nowNs;
        }
        deliveringRetransmission = recovered;
        try {
            listener.onRtp(this, rtp, nowNs);
        } catch (RuntimeException e) {
            LOG.warn("{}: RTP listener failed", this, e);
        } finally {
            deliveringRetransmission = false;
        }
    }

    /**
     * RFC 4588 §4: the original sequence number is the first two payload octets; moving the header two octets
     * forward over them restores the original packet, whose SSRC and payload type are then put back.
     */
    private void unwrapRtx(UnsafeBuffer buffer, int offset, ReceiveStream media) {
        int originalSequence = buffer.getShort(rtp.payloadOffset(), ByteOrder.BIG_ENDIAN) & 0xFFFF;
        int rtxPayloadType = rtp.payloadType();
        int headerLength = rtp.headerLength();
        int plainLength = rtp.length();
        byte[] array = buffer.byteArray();
        int base = buffer.wrapAdjustment() + offset;
        System.arraycopy(array, base, array, base + 2, headerLength);
        rtp.wrap(buffer, offset + 2, plainLength - 2);
        rtp.ssrc(media.ssrc()).sequenceNumber(originalSequence);
        int associated = associatedPayloadTypes[rtxPayloadType];
        if (associated >= 0) {
            rtp.payloadType(associated);
        } else if (media.lastPayloadType() >= 0) {
            rtp.payloadType(media.lastPayloadType());
        }
    }

    /** A stream for an SSRC the SDP did not name: attributed by its mid extension, else anonymous; bounded. */
    private ReceiveStream discover(int ssrc) {
        int payloadType = rtp.payloadType();
        if (associatedPayloadTypes[payloadType] >= 0 || streamCount >= config.maxReceiveStreams()) {
            // RTX without an FID group cannot be attributed
            stats.increment(ClientStats.UNKNOWN_SSRC_DROPS);
            return null;
        }
        RemoteTrack track = null;
        int midId = receiveExtensions.mid();
        if (midId > 0 && !midRoutes.isEmpty()) {
            long found = rtp.findExtension(midId);
            if (found != RtpPacket.NOT_FOUND) {
                int at = RtpPacket.valueOffset(found);
                int n = RtpPacket.valueLength(found);
                for (ClientSdp.MidRoute route : midRoutes) {
                    if (regionEquals(rtp.buffer(), at, n, route.midBytes())) {
                        track = new RemoteTrack(route.participantId(), route.trackId(), route.kind(), route.mid(),
                            ssrc, 0, route.payloadType(), route.clockRateHz());
                        break;
                    }
                }
            }
        }
        int clockRate = track != null ? track.clockRateHz()
            : clockRates[payloadType] > 0 ? clockRates[payloadType] : ClientSdp.VIDEO_CLOCK_RATE;
        MediaKind kind = track != null ? track.kind()
            : clockRate == ClientSdp.VIDEO_CLOCK_RATE ? MediaKind.VIDEO : MediaKind.AUDIO;
        ReceiveStream stream = new ReceiveStream(ssrc, track, clockRate,
            wantsNack(kind, payloadType) ? newNackGenerator() : null);
        addStream(stream);
        if (track != null) {
            publishRemoteTracks();
            notifyTrack(track);
        }
        return stream;
    }

    private static boolean regionEquals(DirectBuffer buffer, int offset, int length, byte[] bytes) {
        if (length != bytes.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (buffer.getByte(offset + i) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    private void onRtcp(UnsafeBuffer buffer, int offset, int length, long nowNs) {
        int plain = srtpIn.unprotectRtcp(buffer, offset, length);
        if (plain < 0) {
            stats.increment(ClientStats.SRTP_FAILURES);
            return;
        }
        stats.increment(ClientStats.RTCP_PACKETS_RECEIVED);
        if (compound.wrap(buffer, offset, plain)) {
            while (compound.next()) {
                int at = compound.packetOffset();
                int n = compound.packetLength();
                switch (compound.packetType()) {
                    case RtcpHeader.SENDER_REPORT -> onSenderReport(buffer, at, n, nowNs);
                    case RtcpHeader.RECEIVER_REPORT -> {
                        if (receiverReport.wrap(buffer, at, n)) {
                            for (int i = 0; i < receiverReport.reportCount(); i++) {
                                onReportBlock(receiverReport.reportBlock(i, reportBlock), nowNs);
                            }
                        }
                    }
                    case RtcpHeader.TRANSPORT_FEEDBACK -> {
                        if (compound.count() == GenericNack.FORMAT && nack.wrap(buffer, at, n)) {
                            onNack(nowNs);
                        }
                    }
                    case RtcpHeader.PAYLOAD_FEEDBACK -> {
                        int format = compound.count();
                        if (format == PictureLossIndication.FORMAT && pli.wrap(buffer, at, n)) {
                            onKeyframeRequest(pli.mediaSsrc(), false);
                        } else if (format == FullIntraRequest.FORMAT && fir.wrap(buffer, at, n)) {
                            for (int i = 0; i < fir.entryCount(); i++) {
                                onKeyframeRequest(fir.entrySsrc(i), true);
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        try {
            listener.onRtcp(this, buffer, offset, plain, nowNs);
        } catch (RuntimeException e) {
            LOG.warn("{}: RTCP listener failed", this, e);
        }
    }

    private void onSenderReport(UnsafeBuffer buffer, int offset, int length, long nowNs) {
        if (!senderReport.wrap(buffer, offset, length)) {
            return;
        }
        ReceiveStream stream = streamsBySsrc.get(senderReport.ssrc());
        if (stream != null) {
            stream.statistics().onSenderReport(senderReport.ntpTimestamp(), nowNs);
        }
        for (int i = 0; i < senderReport.reportCount(); i++) {
            onReportBlock(senderReport.reportBlock(i, reportBlock), nowNs);
        }
    }

    private void onReportBlock(ReportBlock block, long nowNs) {
        if (sendersBySsrc.get(block.ssrc()) != null) {
            int arrival = NtpTime.middle32(NtpTime.fromUnixNanos(loop.unixNanos(nowNs)));
            rtt.onReportBlock((int) block.lastSenderReport(), block.delaySinceLastSenderReport(), arrival);
        }
    }

    private void onNack(long nowNs) {
        stats.increment(ClientStats.NACKS_RECEIVED);
        RtpSender sender = sendersBySsrc.get(nack.mediaSsrc());
        if (sender == null) {
            return;
        }
        nackTarget = sender;
        nackNowNs = nowNs;
        nack.forEachLost(onNackedSequence);
        nackTarget = null;
    }

    private void onKeyframeRequest(int ssrc, boolean fullIntraRequest) {
        RtpSender sender = sendersBySsrc.get(ssrc);
        if (sender == null) {
            return;
        }
        stats.increment(ClientStats.KEYFRAME_REQUESTS_RECEIVED);
        sender.onKeyframeRequest();
        try {
            listener.onKeyframeRequest(this, sender, fullIntraRequest);
        } catch (RuntimeException e) {
            LOG.warn("{}: keyframe listener failed", this, e);
        }
    }

    private void notifyTrack(RemoteTrack track) {
        try {
            listener.onTrack(this, track);
        } catch (RuntimeException e) {
            LOG.warn("{}: track listener failed", this, e);
        }
    }

    private void notifyTrackRemoved(RemoteTrack track) {
        try {
            listener.onTrackRemoved(this, track);
        } catch (RuntimeException e) {
            LOG.warn("{}: track listener failed", this, e);
        }
    }

    // ================================================================ sending (loop thread)

    /** Protects and sends the RTP packet {@code buffer[0, length)} (the tx or RTX buffer of this connection). */
    void sendRtp(UnsafeBuffer buffer, int length, long nowNs) {
        int protectedLength = srtpOut.protectRtp(buffer, 0, length);
        if (protectedLength < 0) {
            stats.increment(ClientStats.SEND_FAILURES);
            return;
        }
        stats.increment(ClientStats.RTP_PACKETS_SENT);
        stats.add(ClientStats.RTP_BYTES_SENT, protectedLength);
        sendMedia(buffer, buffer == rtxBuffer ? rtxByteBuffer : txByteBuffer, protectedLength, nowNs);
    }

    private void sendMedia(UnsafeBuffer buffer, ByteBuffer byteBuffer, int length, long nowNs) {
        if (sendQueue != null) {
            int fate = sendQueue.offer(buffer, 0, length, nowNs);
            if (fate == ImpairmentQueue.DROP) {
                stats.increment(ClientStats.IMPAIRED_SEND_DROPS);
                return;
            }
            if (fate == ImpairmentQueue.QUEUED) {
                reschedule();
                return;
            }
        }
        transmit(byteBuffer, 0, length);
    }

    private boolean transmit(ByteBuffer byteBuffer, int offset, int length) {
        InetSocketAddress target = remoteAddress;
        if (target == null) {
            return false;
        }
        byteBuffer.clear();
        byteBuffer.position(offset).limit(offset + length);
        try {
            if (channel.send(byteBuffer, target) > 0) {
                return true;
            }
        } catch (IOException e) {
            LOG.debug("{}: send failed: {}", this, e.toString());
        }
        stats.increment(ClientStats.SEND_FAILURES);
        return false;
    }

    /**
     * Sends a PLI (RFC 4585 §6.3.1) for a received SSRC. Loop thread.
     *
     * @return false when not connected
     */
    public boolean requestKeyframe(int mediaSsrc) {
        if (state != ClientState.CONNECTED) {
            return false;
        }
        long nowNs = loop.nanoTime();
        int position = 0;
        if (!reducedSizeRtcp) {
            position += ReceiverReport.write(rtcpBuffer, 0, localRtcpSsrc, 0);
        }
        position += PictureLossIndication.write(rtcpBuffer, position, localRtcpSsrc, mediaSsrc);
        flushRtcp(position, nowNs);
        stats.increment(ClientStats.PLIS_SENT);
        return true;
    }

    /**
     * Protects and sends an RTCP (compound) packet of the caller's making, e.g. a REMB. Loop thread.
     *
     * @return false when not connected or longer than {@value #MAX_COMPOUND_BYTES} bytes
     */
    public boolean sendRtcp(DirectBuffer packet, int offset, int length) {
        if (state != ClientState.CONNECTED || length < RtcpHeader.HEADER_LENGTH || length > MAX_COMPOUND_BYTES) {
            return false;
        }
        rtcpBuffer.putBytes(0, packet, offset, length);
        flushRtcp(length, loop.nanoTime());
        return true;
    }

    /** Protects and sends {@code rtcpBuffer[0, length)}; returns 0, the next write position. */
    private int flushRtcp(int length, long nowNs) {
        if (length == 0) {
            return 0;
        }
        int protectedLength = srtpOut.protectRtcp(rtcpBuffer, 0, length);
        if (protectedLength < 0) {
            stats.increment(ClientStats.SEND_FAILURES);
            return 0;
        }
        stats.increment(ClientStats.RTCP_PACKETS_SENT);
        sendMedia(rtcpBuffer, rtcpByteBuffer, protectedLength, nowNs);
        return 0;
    }

    /**
     * Sender reports for every sender that has sent, receiver report blocks for every received stream, and the
     * CNAME (RFC 3550 §6.4, §6.5), split over compounds that fit {@value #MAX_COMPOUND_BYTES} bytes.
     */
    private void sendReports(long nowNs) {
        long ntp = NtpTime.fromUnixNanos(loop.unixNanos(nowNs));
        UnsafeBuffer b = rtcpBuffer;
        int position = 0;
        int reportSsrc = localRtcpSsrc;
        boolean anySender = false;
        for (RtpSender s : senders) {
            if (!s.isActive() || s.packetsSent() == 0) {
                continue;
            }
            if (!anySender) {
                reportSsrc = s.ssrc();
                anySender = true;
            }
            if (position + SenderReport.length(0) > MAX_COMPOUND_BYTES) {
                position = flushRtcp(position, nowNs);
            }
            position += SenderReport.write(b, position, s.ssrc(), ntp, s.rtpTimestampAt(nowNs), s.packetsSent(),
                s.payloadBytesSent(), 0);
        }
        long lost = 0;
        int index = 0;
        boolean anyBlock = false;
        while (index < streamCount) {
            if (position + ReceiverReport.length(1) > MAX_COMPOUND_BYTES) {
                position = flushRtcp(position, nowNs);
            }
            int headerAt = position;
            int room = Math.min(MAX_REPORT_BLOCKS,
                (MAX_COMPOUND_BYTES - position - ReceiverReport.length(0)) / ReportBlock.LENGTH);
            int blocks = 0;
            position += ReceiverReport.length(0);
            while (index < streamCount && blocks < room) {
                ReceiveStream s = streams[index++];
                ReceiveStatistics st = s.statistics();
                if (!st.hasReceived()) {
                    continue;
                }
                ReportBlock.write(b, position, s.ssrc(), st.fractionLost(), st.cumulativeLost(),
                    st.extendedHighestSequence(), st.jitter(), st.lastSenderReport() & 0xFFFF_FFFFL,
                    st.delaySinceLastSenderReport(nowNs));
                st.onReportSent();
                lost += Math.max(0, st.cumulativeLost());
                position += ReportBlock.LENGTH;
                blocks++;
            }
            if (blocks == 0) {
                position = headerAt;
            } else {
                ReceiverReport.write(b, headerAt, reportSsrc, blocks);
                anyBlock = true;
            }
        }
        stats.set(ClientStats.PACKETS_LOST, lost);
        if (!anySender && !anyBlock) {
            return;
        }
        int sdesLength = SourceDescription.length(cnameBytes.length);
        if (position + sdesLength > MAX_COMPOUND_BYTES) {
            position = flushRtcp(position, nowNs);
        }
        if (position == 0) {
            position += ReceiverReport.write(b, 0, reportSsrc, 0);
        }
        position += SourceDescription.write(b, position, reportSsrc, SourceDescription.CNAME, cnameBytes);
        flushRtcp(position, nowNs);
    }

    /** Generic NACKs (RFC 4585 §6.2.1) for what every stream's generator says is due. */
    private void sendNacks(long nowNs) {
        boolean missing = false;
        int position = 0;
        long rttNs = rtt.smoothedRttNs();
        for (int i = 0; i < streamCount; i++) {
            ReceiveStream s = streams[i];
            NackGenerator generator = s.nackGenerator();
            if (generator == null || generator.missingCount() == 0) {
                continue;
            }
            int words = generator.collectRequests(nowNs, rttNs, nackWords);
            if (words > 0) {
                int count = expandNackWords(words);
                if (position + GenericNack.maxLength(count) > MAX_COMPOUND_BYTES) {
                    position = flushRtcp(position, nowNs);
                }
                if (position == 0 && !reducedSizeRtcp) {
                    position += ReceiverReport.write(rtcpBuffer, 0, localRtcpSsrc, 0);
                }
                position += GenericNack.write(rtcpBuffer, position, localRtcpSsrc, s.ssrc(), nackSequences, count);
                stats.increment(ClientStats.NACKS_SENT);
                stats.add(ClientStats.NACKED_PACKETS_REQUESTED, count);
            }
            if (generator.missingCount() > 0) {
                missing = true;
            }
        }
        flushRtcp(position, nowNs);
        nackPending = missing;
    }

    private int expandNackWords(int words) {
        int count = 0;
        for (int w = 0; w < words; w++) {
            int packetId = nackWords[w] >>> 16;
            int bitmask = nackWords[w] & 0xFFFF;
            nackSequences[count++] = packetId;
            while (bitmask != 0) {
                nackSequences[count++] = (packetId + Integer.numberOfTrailingZeros(bitmask) + 1) & 0xFFFF;
                bitmask &= bitmask - 1;
            }
        }
        return count;
    }

    int nextTransportSequence() {
        int sequence = transportSequence;
        transportSequence = (sequence + 1) & 0xFFFF;
        return sequence;
    }

    // ================================================================ timers (loop thread)

    private void onTimer(long nowNs) {
        if (state.isTerminal()) {
            return;
        }
        if (ice != null) {
            int length = ice.pollTransmit(nowNs, txBuffer, 0, txBuffer.capacity());
            if (length > 0) {
                transmit(txByteBuffer, 0, length);
            }
            if (ice.state() == IceClient.State.FAILED) {
                failIce();
                return;
            }
        }
        if (sendQueue != null) {
            sendQueue.releaseDue(nowNs, sendSink);
        }
        if (receiveQueue != null) {
            receiveQueue.releaseDue(nowNs, receiveSink);
        }
        if (state == ClientState.CONNECTED) {
            if (nackPending && nowNs - nextNackNs >= 0) {
                sendNacks(nowNs);
                nextNackNs = nowNs + config.nackIntervalNs();
            }
            if (nowNs - nextReportNs >= 0) {
                sendReports(nowNs);
                nextReportNs = nowNs + config.reportIntervalNs();
            }
        }
        reschedule();
    }

    /** Puts this connection's timer at its earliest deadline: ICE, impairment queues, NACK scan, reports. */
    private void reschedule() {
        if (state.isTerminal()) {
            loop.timers().cancel(timer);
            return;
        }
        long next = NO_DEADLINE;
        if (ice != null) {
            next = earliest(next, ice.nextDeadlineNs());
        }
        if (sendQueue != null && sendQueue.hasQueued()) {
            next = earliest(next, sendQueue.nextReleaseNs());
        }
        if (receiveQueue != null && receiveQueue.hasQueued()) {
            next = earliest(next, receiveQueue.nextReleaseNs());
        }
        if (state == ClientState.CONNECTED) {
            next = earliest(next, nextReportNs);
            if (nackPending) {
                next = earliest(next, nextNackNs);
            }
        }
        if (next == NO_DEADLINE) {
            loop.timers().cancel(timer);
        } else if (!timer.isQueued() || timer.deadlineNs != next) {
            loop.timers().schedule(timer, next);
        }
    }

    private static long earliest(long a, long b) {
        if (a == NO_DEADLINE) {
            return b;
        }
        if (b == NO_DEADLINE) {
            return a;
        }
        return a - b <= 0 ? a : b;
    }

    private void clearQueues() {
        if (sendQueue != null) {
            sendQueue.clear();
        }
        if (receiveQueue != null) {
            receiveQueue.clear();
        }
    }

    // ================================================================ closing

    /**
     * Closes the connection: close_notify to the peer, socket closed and unregistered. Asynchronous unless called
     * on the loop thread; {@link #closeAsync()} tells when it is done. Idempotent.
     */
    @Override
    public void close() {
        closeAsync();
    }

    /** {@link #close()}, completing once the socket is closed. */
    public CompletableFuture<Void> closeAsync() {
        try {
            loop.runOnLoop(this::closeNow);
        } catch (RejectedExecutionException e) {
            if (!loop.isClosed()) {
                throw e;
            }
            // the loop closes every connection as it shuts down
        }
        return closed;
    }

    /** Closes at once; on the loop thread, or after the loop thread stopped. */
    void closeNow() {
        if (state != ClientState.CLOSED) {
            setState(ClientState.CLOSED);
            connected.completeExceptionally(new ClientConnectionException(ClientConnectionException.Reason.CLOSED, -1,
                "the peer connection was closed", null));
        }
        loop.timers().cancel(timer);
        if (dtls != null) {
            dtls.close();
        }
        if (key != null) {
            key.cancel();
        }
        closeChannelQuietly();
        clearQueues();
        loop.deregister(this);
        closed.complete(null);
    }

    void closeChannelQuietly() {
        closeQuietly(channel);
    }

    private static void closeQuietly(DatagramChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.debug("client socket close: {}", e.toString());
            }
        }
    }

    // ================================================================ accessors

    /** Completes when DTLS finished and SRTP is ready; fails with a {@link ClientConnectionException}. */
    public CompletableFuture<Void> connected() {
        return connected;
    }

    /** Completes once the connection is closed and its socket released. */
    public CompletableFuture<Void> closedFuture() {
        return closed;
    }

    public ClientState state() {
        return state;
    }

    /** Why the connection failed, or null. */
    public ClientConnectionException failure() {
        return failure;
    }

    public ClientIoLoop loop() {
        return loop;
    }

    public ClientPeerConnectionConfig config() {
        return config;
    }

    public ClientStats stats() {
        return stats;
    }

    /** The local socket address (the host candidate). */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** The remote candidate media goes to, or null before a remote description. */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    public IceCredentials localIceCredentials() {
        return localIce;
    }

    public DtlsCertificate certificate() {
        return certificate;
    }

    /** Our fingerprint in SDP form ({@code sha-256 AB:CD:...}). */
    public String localFingerprint() {
        return certificate.fingerprint();
    }

    public String cname() {
        return cname;
    }

    /** The msid stream id of the published tracks. */
    public String streamId() {
        return streamId;
    }

    /** The SSRC of RTCP this connection sends without a media SSRC of its own (receiver reports, NACK, PLI). */
    public int localRtcpSsrc() {
        return localRtcpSsrc;
    }

    /** The negotiated SRTP profile, or null before {@link ClientState#CONNECTED}. */
    public SrtpProfile srtpProfile() {
        return srtpProfile;
    }

    /** The DTLS handshake's outcome, or null before {@link ClientState#CONNECTED}. */
    public DtlsResult dtlsResult() {
        return dtlsResult;
    }

    /** Every sender created by {@link #createOffer}, in offer order (simulcast: one per rid). */
    public synchronized List<RtpSender> senders() {
        List<RtpSender> all = new ArrayList<>();
        for (LocalTrack t : published) {
            all.addAll(t.senders);
        }
        return all;
    }

    /** The senders of one track (one per rid for simulcast), or an empty list. */
    public synchronized List<RtpSender> senders(String trackId) {
        LocalTrack t = publishedTrack(trackId);
        return t == null ? List.of() : t.senders;
    }

    /** The first sender of a track, or null. */
    public RtpSender sender(String trackId) {
        List<RtpSender> list = senders(trackId);
        return list.isEmpty() ? null : list.get(0);
    }

    /** The remote tracks announced or discovered so far. Any thread. */
    public List<RemoteTrack> remoteTracks() {
        return remoteTracks;
    }

    /** The stream of a received SSRC, or null. Loop thread. */
    public ReceiveStream receiveStream(int ssrc) {
        return streamsBySsrc.get(ssrc);
    }

    /** Every received stream. Loop thread. */
    public List<ReceiveStream> receiveStreams() {
        return List.of(Arrays.copyOf(streams, streamCount));
    }

    /** During {@link Listener#onRtp}: whether the packet was recovered (RTX, or a gap filled without RTX). */
    public boolean deliveringRetransmission() {
        return deliveringRetransmission;
    }

    /** The smoothed round-trip time from report blocks about our streams (100 ms before any). Loop thread. */
    public long rttNs() {
        return rtt.smoothedRttNs();
    }

    /** Whether the socket is still open. */
    public boolean isChannelOpen() {
        return channel.isOpen();
    }

    UnsafeBuffer txBuffer() {
        return txBuffer;
    }

    UnsafeBuffer rtxBuffer() {
        return rtxBuffer;
    }

    /** The receive SRTP context (tests); null before {@link ClientState#CONNECTED}. Loop thread. */
    SrtpContext receivingContext() {
        return srtpIn;
    }

    @Override
    public String toString() {
        return "ClientPeerConnection{" + localAddress + " " + role + " " + state + "}";
    }

    private static int[] noPayloadTypes() {
        int[] pts = new int[128];
        Arrays.fill(pts, -1);
        return pts;
    }
}
