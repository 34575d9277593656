package io.sfu.client;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.sfu.core.dtls.DtlsFingerprint;
import io.sfu.core.sdp.SessionDescription;
import io.sfu.core.sdp.Setup;

/**
 * Offer/answer for one connection (RFC 8829, RFC 3264), in one of two roles taken with the first call: the
 * publisher offers its tracks and applies the SFU's answers ({@link PublisherSdp}), the subscriber answers the SFU's
 * offers ({@link SubscriberSdp}). SDP is built and read on the caller's thread, one call at a time (any thread);
 * what was agreed is then handed to the loop: new senders and their settings, the streams to receive, the remote
 * transport.
 */
final class ClientNegotiation {
    private enum Role { NONE, PUBLISHER, SUBSCRIBER }

    private final ClientPeerConnection pc;
    private final ClientIoLoop loop;
    private final ClientPeerConnectionConfig config;
    private final LocalIds ids;
    private final ClientSdp.LocalTransport local;
    private final InetSocketAddress localAddress;
    private final long sessionId;
    private final ClientTransport transport;
    private final SendPath sendPath;
    private final ReceiveStreams streams;
    private final ClientRtcp rtcp;
    private final ClientDataChannels data;

    // guarded by this
    private final List<LocalTrack> published = new ArrayList<>();
    private volatile Role role = Role.NONE;
    private List<LocalTrack> pendingOffer;
    /** The data channel section of the offers, once one asked for data channels. */
    private PublisherSdp.DataLine dataLine;
    /** Data channels offered and not yet handed to the loop with an answer. */
    private final List<DataChannelSpec> pendingChannels = new ArrayList<>();
    private long offerVersion = 1;
    private long answerVersion = 1;
    private int nextMid;
    private List<DtlsFingerprint> negotiatedFingerprints;

    /** @param local what the SDP says of this side's transport, without a candidate */
    ClientNegotiation(ClientPeerConnection pc, LocalIds ids, ClientSdp.LocalTransport local,
        InetSocketAddress localAddress, ClientTransport transport, SendPath sendPath, ReceiveStreams streams,
        ClientRtcp rtcp, ClientDataChannels data) {
        this.pc = pc;
        this.loop = pc.loop();
        this.config = pc.config();
        this.ids = ids;
        this.local = local;
        this.localAddress = localAddress;
        this.sessionId = ids.newSessionId();
        this.transport = transport;
        this.sendPath = sendPath;
        this.streams = streams;
        this.rtcp = rtcp;
        this.data = data;
    }

    /** See {@link ClientPeerConnection#createOffer}. */
    synchronized String createOffer(List<TrackSpec> tracks, List<DataChannelSpec> dataChannels) {
        ensureOpen();
        if (role == Role.SUBSCRIBER) {
            throw new IllegalStateException("this connection answers the SFU's offers; it cannot offer");
        }
        Set<String> trackIds = new HashSet<>();
        for (TrackSpec spec : tracks) {
            if (!trackIds.add(spec.trackId())) {
                throw new IllegalArgumentException("track id offered twice: " + spec.trackId());
            }
            LocalTrack existing = localTrack(spec.trackId());
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
            if (localTrack(spec.trackId()) != null) {
                continue;
            }
            String mid = Integer.toString(nextMid++);
            List<RtpSender> encodings = new ArrayList<>();
            List<String> rids = spec.isSimulcast() ? spec.rids() : Collections.singletonList(null);
            for (String rid : rids) {
                encodings.add(new RtpSender(sendPath, spec.kind(), spec.trackId(), mid, rid, ids.newSsrc(),
                    spec.rtx() ? ids.newSsrc() : 0, config.newSendHistory(spec.kind()), ids.newSequence(),
                    ids.newSequence()));
            }
            published.add(new LocalTrack(spec, mid, encodings));
            created.addAll(encodings);
        }
        for (LocalTrack t : published) {
            if (!trackIds.contains(t.spec.trackId())) {
                t.stopped = true;
            }
        }
        if (dataLine == null && !dataChannels.isEmpty()) {
            dataLine = new PublisherSdp.DataLine(Integer.toString(nextMid++), published.size());
        }
        pendingChannels.addAll(dataChannels);
        offerVersion++;
        List<LocalTrack> offered = List.copyOf(published);
        String sdp = PublisherSdp.offer(localTransport(config.includeCandidates()), offered, dataLine, sessionId,
            offerVersion);
        pendingOffer = offered;
        if (!created.isEmpty()) {
            loop.runOnLoop(() -> sendPath.addSenders(created));
        }
        return sdp;
    }

    /** See {@link ClientPeerConnection#applyAnswer}. */
    synchronized void applyAnswer(String sdp) {
        ensureOpen();
        if (role != Role.PUBLISHER || pendingOffer == null) {
            throw new IllegalStateException("applyAnswer needs an offer from createOffer first");
        }
        SessionDescription answer = ClientSdp.parse(sdp);
        RemoteTransport remote = RemoteTransport.of(answer);
        if (remote.setup() != null && remote.setup() != Setup.PASSIVE) {
            throw new IllegalArgumentException("the answer must say a=setup:passive (this client is the DTLS client),"
                + " it says " + remote.setup().sdpValue());
        }
        List<PublisherSdp.SenderSettings> settings = PublisherSdp.readAnswer(answer, pendingOffer, dataLine);
        ClientSdp.DataParams dataParams = dataLine == null ? null
            : PublisherSdp.readDataAnswer(answer, dataLine);
        checkFingerprints(remote);
        pendingOffer = null;
        List<DataChannelSpec> channels = List.copyOf(pendingChannels);
        if (dataParams != null) {
            pendingChannels.clear();
        }
        loop.runOnLoop(() -> {
            sendPath.configure(settings);
            if (dataParams != null) {
                data.negotiated(dataParams.sctpPort(), dataParams.maxMessageSize(), channels);
            }
            rtcp.reducedSize(remote.reducedSizeRtcp());
            transport.start(remote);
        });
    }

    /** See {@link ClientPeerConnection#acceptOffer}. */
    synchronized String acceptOffer(String sdp) {
        ensureOpen();
        if (role == Role.PUBLISHER) {
            throw new IllegalStateException("this connection offers; it cannot answer");
        }
        SessionDescription offer = ClientSdp.parse(sdp);
        RemoteTransport remote = RemoteTransport.of(offer);
        if (remote.setup() == Setup.ACTIVE || remote.setup() == Setup.HOLDCONN) {
            throw new IllegalArgumentException("the offer must say a=setup:actpass or passive (this client is the "
                + "DTLS client), it says " + remote.setup().sdpValue());
        }
        SubscriberSdp.SubscriberAnswer answer = SubscriberSdp.answer(localTransport(false), offer, sessionId,
            answerVersion + 1);
        checkFingerprints(remote);
        role = Role.SUBSCRIBER;
        answerVersion++;
        loop.runOnLoop(() -> {
            if (pc.state() != ClientState.CLOSED) {
                rtcp.reducedSize(remote.reducedSizeRtcp());
                streams.apply(answer.plan());
                ClientSdp.DataParams dataParams = answer.plan().data();
                if (dataParams != null) {
                    data.negotiated(dataParams.sctpPort(), dataParams.maxMessageSize(), List.of());
                }
            }
            transport.start(remote);
        });
        return answer.sdp();
    }

    /** Every sender created by {@link #createOffer}, in offer order. */
    synchronized List<RtpSender> senders() {
        List<RtpSender> all = new ArrayList<>();
        for (LocalTrack t : published) {
            all.addAll(t.senders);
        }
        return all;
    }

    /** The senders of one track, or an empty list. */
    synchronized List<RtpSender> senders(String trackId) {
        LocalTrack t = localTrack(trackId);
        return t == null ? List.of() : t.senders;
    }

    /** NONE, PUBLISHER or SUBSCRIBER, for logs. */
    String role() {
        return role.name();
    }

    private void checkFingerprints(RemoteTransport remote) {
        if (negotiatedFingerprints == null) {
            negotiatedFingerprints = remote.fingerprints();
        } else if (!new HashSet<>(negotiatedFingerprints).equals(new HashSet<>(remote.fingerprints()))) {
            throw new IllegalArgumentException("the remote fingerprint changed: a new DTLS association is not "
                + "supported on this connection");
        }
    }

    private ClientSdp.LocalTransport localTransport(boolean withCandidate) {
        return withCandidate && !localAddress.getAddress().isAnyLocalAddress()
            ? local.withCandidate(localAddress) : local;
    }

    private LocalTrack localTrack(String trackId) {
        for (LocalTrack t : published) {
            if (t.spec.trackId().equals(trackId)) {
                return t;
            }
        }
        return null;
    }

    private void ensureOpen() {
        if (pc.state() == ClientState.CLOSED || loop.isClosed()) {
            throw new IllegalStateException("the peer connection is closed");
        }
    }
}
