package io.sfu.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

import io.sfu.core.datachannel.DataChannel;
import io.sfu.core.datachannel.DataChannelEndpoint;
import io.sfu.core.datachannel.SendResult;
import io.sfu.core.dtls.DtlsCertificate;
import io.sfu.core.dtls.DtlsEndpoint;
import io.sfu.core.dtls.DtlsResult;
import io.sfu.core.ice.IceClient;
import io.sfu.core.ice.IceCredentials;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.sdp.Fingerprint;
import io.sfu.core.srtp.SrtpProfile;
import org.agrona.DirectBuffer;
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
 * <p>This class is the facade and keeps the state and the listener; each job is a part of its own: the socket
 * ({@link ClientSocket}), offer/answer ({@link ClientNegotiation}), ICE, DTLS and SRTP ({@link ClientTransport}),
 * sending ({@link SendPath}), receiving ({@link ReceivePath}, {@link ReceiveStreams}), RTCP ({@link ClientRtcp})
 * and their deadlines ({@link ConnectionTimer}).
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

        /**
         * With {@link ClientPeerConnectionConfig#lightReceive()}: an RTP packet arrived and was counted, still
         * protected. The flyweight wraps the SRTP packet without its authentication tag, so its header is readable
         * and its payload is not; {@link ClientPeerConnection#unprotect} decrypts it in place during the call.
         * Valid only during the call.
         */
        default void onProtectedRtp(ClientPeerConnection pc, RtpPacket packet, long arrivalNs) {
        }

        /** A decrypted RTCP compound packet arrived; valid only during the call. */
        default void onRtcp(ClientPeerConnection pc, DirectBuffer buffer, int offset, int length, long arrivalNs) {
        }

        /** The remote side asked for a keyframe on one of our streams (PLI, or FIR when {@code fir}). */
        default void onKeyframeRequest(ClientPeerConnection pc, RtpSender sender, boolean fir) {
        }

        /** A data channel opened: one this side offered, or one the SFU opened (a subscriber's data track). */
        default void onDataChannel(ClientPeerConnection pc, DataChannel channel) {
        }

        /** A data channel message; the bytes are valid only during the call. */
        default void onDataMessage(ClientPeerConnection pc, DataChannel channel, boolean binary, byte[] buf, int off,
            int len) {
        }

        /** A data channel was closed by either side, or with its association. */
        default void onDataChannelClosed(ClientPeerConnection pc, DataChannel channel) {
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClientPeerConnection.class);
    private static final Listener NO_LISTENER = new Listener() {
    };

    private final ClientIoLoop loop;
    private final ClientPeerConnectionConfig config;
    private final Listener listener;
    private final ClientStats stats = new ClientStats();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final DtlsCertificate certificate;
    private final IceCredentials localIce;
    private final String cname;
    private final String streamId;
    private final int localRtcpSsrc;
    private volatile ClientState state = ClientState.NEW;
    private volatile ClientConnectionException failure;
    /** During {@link Listener#onRtp} only: whether the packet was recovered. */
    private boolean deliveringRetransmission;

    private final ClientSocket socket;
    private final ClientTransport transport;
    private final ReceiveStreams streams;
    private final ClientRtcp rtcp;
    private final ReceivePath receivePath;
    private final ConnectionTimer timer;
    private final ClientNegotiation negotiation;
    private final ClientDataChannels data;

    ClientPeerConnection(ClientIoLoop loop, ClientPeerConnectionConfig config, Listener listener) {
        this.loop = loop;
        this.config = config;
        this.listener = listener == null ? NO_LISTENER : listener;
        this.socket = new ClientSocket(this, loop, config, stats, SendPath.packetCapacity(config) + 2);
        Fingerprint sdpFingerprint;
        try {
            this.certificate = config.certificate() != null ? config.certificate() : DtlsCertificate.generate();
            sdpFingerprint = Fingerprint.parse(certificate.fingerprint());
        } catch (RuntimeException e) {
            socket.closeChannel();
            throw e;
        }
        LocalIds ids = new LocalIds();
        this.localIce = LocalIds.newIceCredentials();
        this.cname = config.cname() != null ? config.cname() : ids.newId(16);
        this.streamId = config.streamId() != null ? config.streamId() : ids.newId(16);
        this.localRtcpSsrc = ids.newSsrc();
        this.transport = new ClientTransport(this, socket, certificate, localIce, ids.split());
        SendPath sendPath = new SendPath(this, socket, transport, ids.newSequence());
        this.streams = new ReceiveStreams(this, transport);
        this.rtcp = new ClientRtcp(this, socket, transport, sendPath, streams, localRtcpSsrc,
            cname.getBytes(StandardCharsets.US_ASCII));
        this.receivePath = new ReceivePath(this, transport, streams, rtcp);
        this.data = new ClientDataChannels(this);
        this.timer = new ConnectionTimer(this, transport, socket, receivePath, rtcp, data);
        this.negotiation = new ClientNegotiation(this, ids,
            new ClientSdp.LocalTransport(localIce, sdpFingerprint, cname, streamId, null), socket.localAddress(),
            transport, sendPath, streams, rtcp, data);
    }

    void register(Selector selector) throws IOException {
        socket.register(selector);
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
    public String createOffer(List<TrackSpec> tracks) {
        return negotiation.createOffer(tracks, List.of());
    }

    /**
     * {@link #createOffer(List)} with data channels: when {@code dataChannels} is not empty (or was in an earlier
     * offer), the offer carries an {@code m=application ... UDP/DTLS/SCTP webrtc-datachannel} section
     * ({@code a=sctp-port}, {@code a=max-message-size}) and the channels are opened once the answer accepted it and
     * the SCTP association is up ({@link Listener#onDataChannel}). Channels of later offers are opened as well.
     */
    public String createOffer(List<TrackSpec> tracks, List<DataChannelSpec> dataChannels) {
        return negotiation.createOffer(tracks, dataChannels);
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
    public void applyAnswer(String sdp) {
        negotiation.applyAnswer(sdp);
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
    public String acceptOffer(String sdp) {
        return negotiation.acceptOffer(sdp);
    }

    // ================================================================ media (loop thread)

    /** The socket is readable: its datagrams go to the receive path. */
    void onReadable(long nowNs) {
        if (socket.receive(receivePath, nowNs)) {
            timer.reschedule();
        }
    }

    /** Handles one datagram in {@code buffer[offset, offset + length)} as if the socket had read it. */
    void onDatagram(UnsafeBuffer buffer, int offset, int length, long nowNs) {
        receivePath.onDatagram(buffer, offset, length, nowNs);
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
        rtcp.requestKeyframe(mediaSsrc, loop.nanoTime());
        return true;
    }

    /**
     * Protects and sends an RTCP (compound) packet of the caller's making, e.g. a REMB. Loop thread.
     *
     * @return false when not connected or longer than {@value ClientRtcp#MAX_COMPOUND_BYTES} bytes
     */
    public boolean sendRtcp(DirectBuffer packet, int offset, int length) {
        return state == ClientState.CONNECTED && rtcp.send(packet, offset, length, loop.nanoTime());
    }

    /**
     * Sends one message on an open data channel. Loop thread.
     *
     * @return what became of it; {@link SendResult#CLOSED} when no association is up
     */
    public SendResult sendData(DataChannel channel, boolean binary, byte[] buf, int off, int len) {
        return data.send(channel, binary, buf, off, len, loop.nanoTime());
    }

    /** The data channels open now. Loop thread. */
    public List<DataChannel> dataChannels() {
        return data.channels();
    }

    /** The data channels' SCTP endpoint (its counters), or null before an association exists. Loop thread. */
    public DataChannelEndpoint dataChannelEndpoint() {
        return data.endpoint();
    }

    // ================================================================ state and listener (loop thread)

    void setState(ClientState newState) {
        state = newState;
        try {
            listener.onStateChange(this, newState);
        } catch (RuntimeException e) {
            LOG.warn("{}: state listener failed", this, e);
        }
    }

    /** The transport has its SRTP keys: media flows. */
    void onSecured() {
        rtcp.onConnected(loop.nanoTime());
        setState(ClientState.CONNECTED);
        connected.complete(null);
        timer.reschedule();
    }

    void fail(ClientConnectionException e) {
        if (state.isTerminal()) {
            return;
        }
        failure = e;
        LOG.debug("{} failed: {}", this, e.getMessage());
        setState(ClientState.FAILED);
        connected.completeExceptionally(e);
        timer.cancel();
        transport.close();
        socket.clearQueue();
        receivePath.clearQueue();
    }

    void internalError(RuntimeException e) {
        LOG.warn("{}: unexpected error", this, e);
        fail(new ClientConnectionException(ClientConnectionException.Reason.INTERNAL_ERROR, -1,
            "unexpected error: " + e, e));
    }

    /** A part has a new deadline. */
    void reschedule() {
        timer.reschedule();
    }

    void deliverRtp(RtpPacket packet, long arrivalNs, boolean recovered) {
        deliveringRetransmission = recovered;
        try {
            listener.onRtp(this, packet, arrivalNs);
        } catch (RuntimeException e) {
            LOG.warn("{}: RTP listener failed", this, e);
        } finally {
            deliveringRetransmission = false;
        }
    }

    void deliverProtectedRtp(RtpPacket packet, long arrivalNs) {
        try {
            listener.onProtectedRtp(this, packet, arrivalNs);
        } catch (RuntimeException e) {
            LOG.warn("{}: RTP listener failed", this, e);
        }
    }

    /**
     * During {@link Listener#onProtectedRtp}: authenticates and decrypts the delivered packet in place with this
     * connection's SRTP context and wraps {@code packet} around the plain RTP packet. Loop thread.
     *
     * @return false when it fails authentication, is a replay or is malformed (counted as
     *     {@link ClientStats.Counter#SRTP_FAILURES}); the packet is then not to be read
     */
    public boolean unprotect(RtpPacket packet) {
        return receivePath.unprotectDelivered(packet);
    }

    void deliverRtcp(DirectBuffer buffer, int offset, int length, long arrivalNs) {
        try {
            listener.onRtcp(this, buffer, offset, length, arrivalNs);
        } catch (RuntimeException e) {
            LOG.warn("{}: RTCP listener failed", this, e);
        }
    }

    void notifyKeyframeRequest(RtpSender sender, boolean fullIntraRequest) {
        try {
            listener.onKeyframeRequest(this, sender, fullIntraRequest);
        } catch (RuntimeException e) {
            LOG.warn("{}: keyframe listener failed", this, e);
        }
    }

    ClientDataChannels dataPart() {
        return data;
    }

    void notifyDataChannel(DataChannel channel) {
        try {
            listener.onDataChannel(this, channel);
        } catch (RuntimeException e) {
            LOG.warn("{}: data channel listener failed", this, e);
        }
    }

    void notifyDataMessage(DataChannel channel, boolean binary, byte[] buf, int off, int len) {
        try {
            listener.onDataMessage(this, channel, binary, buf, off, len);
        } catch (RuntimeException e) {
            LOG.warn("{}: data message listener failed", this, e);
        }
    }

    void notifyDataChannelClosed(DataChannel channel) {
        try {
            listener.onDataChannelClosed(this, channel);
        } catch (RuntimeException e) {
            LOG.warn("{}: data channel listener failed", this, e);
        }
    }

    void notifyTrack(RemoteTrack track) {
        try {
            listener.onTrack(this, track);
        } catch (RuntimeException e) {
            LOG.warn("{}: track listener failed", this, e);
        }
    }

    void notifyTrackRemoved(RemoteTrack track) {
        try {
            listener.onTrackRemoved(this, track);
        } catch (RuntimeException e) {
            LOG.warn("{}: track listener failed", this, e);
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
        timer.cancel();
        data.close();
        transport.close();
        socket.close();
        receivePath.clearQueue();
        loop.deregister(this);
        closed.complete(null);
    }

    void closeChannelQuietly() {
        socket.closeChannel();
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
        return socket.localAddress();
    }

    /** The remote candidate media goes to, or null before a remote description. */
    public InetSocketAddress remoteAddress() {
        return socket.remoteAddress();
    }

    public IceCredentials localIceCredentials() {
        return localIce;
    }

    /** The remote side's ICE credentials from its description, or null before one was applied. Any thread. */
    public IceCredentials remoteIceCredentials() {
        return transport.remoteIce();
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
        return transport.srtpProfile();
    }

    /** The DTLS handshake's outcome, or null before {@link ClientState#CONNECTED}. */
    public DtlsResult dtlsResult() {
        return transport.dtlsResult();
    }

    /** Every sender created by {@link #createOffer}, in offer order (simulcast: one per rid). */
    public List<RtpSender> senders() {
        return negotiation.senders();
    }

    /** The senders of one track (one per rid for simulcast), or an empty list. */
    public List<RtpSender> senders(String trackId) {
        return negotiation.senders(trackId);
    }

    /** The first sender of a track, or null. */
    public RtpSender sender(String trackId) {
        List<RtpSender> list = senders(trackId);
        return list.isEmpty() ? null : list.get(0);
    }

    /** The remote tracks announced or discovered so far. Any thread. */
    public List<RemoteTrack> remoteTracks() {
        return streams.remoteTracks();
    }

    /** The stream of a received SSRC, or null. Loop thread. */
    public ReceiveStream receiveStream(int ssrc) {
        return streams.get(ssrc);
    }

    /** Every received stream. Loop thread. */
    public List<ReceiveStream> receiveStreams() {
        return streams.snapshot();
    }

    /** During {@link Listener#onRtp}: whether the packet was recovered (RTX, or a gap filled without RTX). */
    public boolean deliveringRetransmission() {
        return deliveringRetransmission;
    }

    /** The smoothed round-trip time from report blocks about our streams (100 ms before any). Loop thread. */
    public long rttNs() {
        return rtcp.rttNs();
    }

    /** Whether the socket is still open. */
    public boolean isChannelOpen() {
        return socket.isOpen();
    }

    @Override
    public String toString() {
        return "ClientPeerConnection{" + socket.localAddress() + " " + negotiation.role() + " " + state + "}";
    }
}
