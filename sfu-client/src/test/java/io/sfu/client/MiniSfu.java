package io.sfu.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.sfu.core.dtls.DtlsCertificate;
import io.sfu.core.dtls.DtlsConfig;
import io.sfu.core.dtls.DtlsEndpoint;
import io.sfu.core.dtls.DtlsFingerprint;
import io.sfu.core.dtls.DtlsResult;
import io.sfu.core.dtls.DtlsRole;
import io.sfu.core.ice.IceCheckResult;
import io.sfu.core.ice.IceCheckStatus;
import io.sfu.core.ice.IceCredentials;
import io.sfu.core.ice.IceLiteResponder;
import io.sfu.core.ice.IceLiteSession;
import io.sfu.core.ice.IceUsername;
import io.sfu.core.net.DatagramKind;
import io.sfu.core.rtp.HeaderExtensionUris;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.sdp.Candidate;
import io.sfu.core.sdp.Codec;
import io.sfu.core.sdp.Connection;
import io.sfu.core.sdp.Extmap;
import io.sfu.core.sdp.Fingerprint;
import io.sfu.core.sdp.Fmtp;
import io.sfu.core.sdp.Group;
import io.sfu.core.sdp.MediaDescription;
import io.sfu.core.sdp.Msid;
import io.sfu.core.sdp.MsidSemantic;
import io.sfu.core.sdp.Origin;
import io.sfu.core.sdp.Rid;
import io.sfu.core.sdp.RtcpFb;
import io.sfu.core.sdp.Rtpmap;
import io.sfu.core.sdp.SessionDescription;
import io.sfu.core.sdp.Setup;
import io.sfu.core.sdp.Direction;
import io.sfu.core.sdp.Ssrc;
import io.sfu.core.sdp.SsrcGroup;
import io.sfu.core.srtp.SrtpConfig;
import io.sfu.core.srtp.SrtpContext;
import io.sfu.core.srtp.SrtpKeyingMaterial;
import io.sfu.core.srtp.SrtpProfile;
import io.sfu.core.stun.StunAddress;
import io.sfu.core.stun.StunMessage;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A loopback stand-in for the SFU's media side, made of the server-side blocks the SFU uses: one UDP socket for
 * every transport, an {@link IceLiteSession} and {@link IceLiteResponder} per transport (found by the local ufrag of
 * a check, then by the nominated 5-tuple), a {@link DtlsEndpoint} in the server role started by the first DTLS
 * record, and {@link SrtpContext}s from its result. It writes SFU-style SDP (ICE-lite, passive/actpass, BUNDLE,
 * rtcp-mux, one host candidate), keeps a decrypted copy of every RTP and RTCP packet it receives, and forwards them,
 * re-encrypted, to linked transports or back to their sender, without rewriting anything. Test code: plain objects,
 * one receive thread.
 */
final class MiniSfu implements AutoCloseable {
    static final String LOOPBACK = "127.0.0.1";

    private final DatagramChannel channel;
    private final InetSocketAddress address;
    private final DtlsCertificate certificate;
    private final DtlsConfig dtlsConfig;
    private final ExecutorService dtlsExecutor;
    private final Thread receiver;
    private final List<Transport> transports = new CopyOnWriteArrayList<>();
    private final Map<InetSocketAddress, Transport> byAddress = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private volatile boolean closed;

    // receive thread only
    private final StunMessage stun = new StunMessage();
    private final IceLiteResponder responder = new IceLiteResponder();
    private final IceCheckResult check = new IceCheckResult();
    private final StunAddress source = new StunAddress();
    private final byte[] rxArray = new byte[2048];
    private final UnsafeBuffer rx = new UnsafeBuffer(rxArray);
    private final ByteBuffer rxByteBuffer = ByteBuffer.wrap(rxArray);
    private final UnsafeBuffer response = new UnsafeBuffer(new byte[512]);

    MiniSfu() throws IOException {
        this(DtlsConfig.builder().initialRetransmitMillis(100).build());
    }

    /** A fixture whose DTLS server accepts the SRTP profiles of {@code dtlsConfig}, first match wins. */
    MiniSfu(DtlsConfig dtlsConfig) throws IOException {
        this.dtlsConfig = dtlsConfig;
        this.certificate = DtlsCertificate.generate();
        this.dtlsExecutor = DtlsEndpoint.newHandshakeExecutor(4, 1024);
        this.channel = DatagramChannel.open();
        channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
        this.address = (InetSocketAddress) channel.getLocalAddress();
        this.receiver = new Thread(this::receiveLoop, "mini-sfu-rx");
        receiver.setDaemon(true);
        receiver.start();
    }

    InetSocketAddress address() {
        return address;
    }

    DtlsCertificate certificate() {
        return certificate;
    }

    Transport newTransport() {
        Transport t = new Transport(IceCredentials.random(random));
        transports.add(t);
        return t;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        for (Transport t : transports) {
            t.close();
        }
        channel.close();
        try {
            receiver.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dtlsExecutor.shutdownNow();
    }

    private void receiveLoop() {
        while (!closed) {
            InetSocketAddress from;
            try {
                rxByteBuffer.clear();
                from = (InetSocketAddress) channel.receive(rxByteBuffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                continue;
            }
            int length = rxByteBuffer.position();
            try {
                switch (DatagramKind.of(rxArray, 0, length)) {
                    case STUN -> onStun(from, length);
                    case DTLS -> {
                        Transport t = byAddress.get(from);
                        if (t != null) {
                            t.onDtls(length);
                        }
                    }
                    case RTP -> {
                        Transport t = byAddress.get(from);
                        if (t != null) {
                            t.onRtp(length);
                        }
                    }
                    case RTCP -> {
                        Transport t = byAddress.get(from);
                        if (t != null) {
                            t.onRtcp(length);
                        }
                    }
                    default -> {
                    }
                }
            } catch (RuntimeException e) {
                e.printStackTrace();
            }
        }
    }

    private void onStun(InetSocketAddress from, int length) {
        if (!stun.wrap(rx, 0, length) || !stun.isBindingRequest()) {
            return;
        }
        Transport transport = null;
        for (Transport t : transports) {
            if (IceUsername.localUfragEquals(stun, t.localIce.ufragBytes())) {
                transport = t;
                break;
            }
        }
        if (transport == null || transport.ignoreChecks) {
            return;
        }
        source.set(from);
        IceCheckStatus status = transport.ice.handleBindingRequest(responder, stun, source, response, 0,
            response.capacity(), check);
        transport.checks.incrementAndGet();
        if (status == IceCheckStatus.UNAUTHORIZED) {
            transport.unauthorizedChecks.incrementAndGet();
        }
        if (status.hasResponse()) {
            send(response, check.responseLength(), from);
        }
        if (status == IceCheckStatus.VALID && check.selectedTupleChanged()) {
            if (transport.selected != null) {
                byAddress.remove(transport.selected);
            }
            transport.selected = from;
            byAddress.put(from, transport);
        }
    }

    private void send(UnsafeBuffer buffer, int length, InetSocketAddress to) {
        try {
            channel.send(ByteBuffer.wrap(buffer.byteArray(), 0, length), to);
        } catch (IOException e) {
            // a loss
        }
    }

    /** One server-side transport: ICE-lite, DTLS server, SRTP, and the SDP the SFU would write for it. */
    final class Transport {
        final IceCredentials localIce;
        final IceLiteSession ice;
        final AtomicInteger checks = new AtomicInteger();
        final AtomicInteger unauthorizedChecks = new AtomicInteger();
        final CompletableFuture<DtlsResult> handshake = new CompletableFuture<>();
        final BlockingQueue<byte[]> receivedRtp = new LinkedBlockingQueue<>();
        final BlockingQueue<byte[]> receivedRtcp = new LinkedBlockingQueue<>();
        final AtomicLong srtpFailures = new AtomicLong();
        final List<Transport> forwardTo = new CopyOnWriteArrayList<>();
        /** (SSRC, sequence number) pairs to lose once, as if on the network: see {@link #dropOnce(int, int)}. */
        private final Set<Long> dropOnce = ConcurrentHashMap.newKeySet();
        final List<PublishedInfo> published = new CopyOnWriteArrayList<>();
        volatile boolean echo;
        /** Keep a copy of every packet received (off for the long-running allocation tests). */
        volatile boolean capture = true;
        /** Stop answering connectivity checks (consent tests). */
        volatile boolean ignoreChecks;
        volatile InetSocketAddress selected;
        volatile List<DtlsFingerprint> clientFingerprints;
        volatile List<DtlsFingerprint> fingerprintOverride;
        private volatile DtlsEndpoint dtls;
        private volatile SrtpContext srtpIn;
        private volatile SrtpContext srtpOut;
        private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[2048]);
        private long offerVersion = 1;

        private Transport(IceCredentials localIce) {
            this.localIce = localIce;
            this.ice = new IceLiteSession(localIce, SystemNanoClock.INSTANCE);
        }

        // ---------------------------------------------------------------- SDP

        /** The SFU's answer to a publisher offer; also remembers the client's credentials and fingerprint. */
        String answer(String offerSdp) {
            SessionDescription offer = SessionDescription.parse(offerSdp);
            learnRemote(offer);
            List<String> mids = new ArrayList<>();
            for (MediaDescription o : offer.media()) {
                mids.add(o.mid().orElseThrow());
            }
            SessionDescription answer = sessionSkeleton(2).setGroup(Group.bundle(mids));
            for (MediaDescription o : offer.media()) {
                MediaDescription m = transportSection(o.media(), o.mid().orElseThrow(), Setup.PASSIVE)
                    .setDirection(offer.directionOf(o).reverse());
                for (Extmap e : o.extmaps()) {
                    m.addExtmap(e);
                }
                Codec first = o.codecs().get(0);
                m.addCodec(first.rtpmap(), first.fmtp(), first.feedback());
                int rtxPt = -1;
                for (Codec c : o.codecs()) {
                    if (c.isRtx() && c.fmtp().associatedPayloadType() == first.payloadType()) {
                        m.addCodec(c.rtpmap(), c.fmtp(), List.of());
                        rtxPt = c.payloadType();
                    }
                }
                for (Rid rid : o.rids()) {
                    m.add(rid.reversed());
                }
                o.simulcast().ifPresent(sc -> m.setSimulcast(sc.reversed()));
                addCandidate(m);
                answer.addMedia(m);
                rememberPublished(o, first, rtxPt);
            }
            return answer.write();
        }

        private void rememberPublished(MediaDescription o, Codec codec, int rtxPt) {
            if (o.msid().isEmpty()) {
                return;
            }
            long ssrc = -1;
            long rtx = -1;
            for (SsrcGroup g : o.ssrcGroups()) {
                if (g.semantics().equals(SsrcGroup.FID)) {
                    ssrc = g.ssrcs().get(0);
                    rtx = g.ssrcs().get(1);
                }
            }
            if (ssrc < 0 && !o.ssrcs().isEmpty()) {
                ssrc = o.ssrcs().get(0).ssrc();
            }
            published.add(new PublishedInfo(o.media(), o.msid().get().trackId(), ssrc, rtx, codec, rtxPt));
        }

        /**
         * The SFU's subscriber offer forwarding {@code tracks} of {@code participantId} with their SSRCs:
         * {@code sendonly}, {@code a=msid:<participantId> <trackId>}, {@code a=ssrc} and {@code a=ssrc-group:FID};
         * a null entry is an m-line that stopped ({@code inactive}).
         */
        String subscriberOffer(String participantId, List<PublishedInfo> tracks) {
            SessionDescription offer = sessionSkeleton(++offerVersion);
            List<String> mids = new ArrayList<>();
            for (int i = 0; i < tracks.size(); i++) {
                mids.add(Integer.toString(i));
            }
            offer.setGroup(Group.bundle(mids));
            for (int i = 0; i < tracks.size(); i++) {
                PublishedInfo t = tracks.get(i);
                String kind = t == null ? "video" : t.kind();
                MediaDescription m = transportSection(kind, Integer.toString(i), Setup.ACTPASS)
                    .addExtmap(new Extmap(4, HeaderExtensionUris.MID))
                    .addExtmap(new Extmap(3, HeaderExtensionUris.TRANSPORT_WIDE_CC));
                if (t == null) {
                    m.setDirection(Direction.INACTIVE).addCodec(new Rtpmap(96, "VP8", 90000), null, List.of());
                    addCandidate(m);
                    offer.addMedia(m);
                    continue;
                }
                Msid msid = new Msid(participantId, t.trackId());
                m.setDirection(Direction.SENDONLY).setMsid(msid);
                m.addCodec(t.codec().rtpmap(), t.codec().fmtp(), t.codec().feedback());
                if (t.rtxPayloadType() >= 0 && t.rtxSsrc() >= 0) {
                    m.addCodec(new Rtpmap(t.rtxPayloadType(), "rtx", 90000),
                        Fmtp.rtx(t.rtxPayloadType(), t.codec().payloadType()), List.of());
                    m.add(new SsrcGroup(SsrcGroup.FID, List.of(t.ssrc(), t.rtxSsrc())));
                }
                if (t.ssrc() >= 0) {
                    m.add(Ssrc.cname(t.ssrc(), "sfu")).add(Ssrc.msid(t.ssrc(), msid));
                }
                if (t.rtxSsrc() >= 0 && t.rtxPayloadType() >= 0) {
                    m.add(Ssrc.cname(t.rtxSsrc(), "sfu")).add(Ssrc.msid(t.rtxSsrc(), msid));
                }
                addCandidate(m);
                offer.addMedia(m);
            }
            return offer.write();
        }

        /** Reads the client's answer to a subscriber offer. */
        void acceptAnswer(String answerSdp) {
            learnRemote(SessionDescription.parse(answerSdp));
        }

        private void learnRemote(SessionDescription sdp) {
            MediaDescription first = sdp.media().get(0);
            String ufrag = first.iceUfrag().or(sdp::iceUfrag).orElseThrow();
            String pwd = first.icePwd().or(sdp::icePwd).orElseThrow();
            ice.remoteCredentials(IceCredentials.of(ufrag, pwd));
            List<DtlsFingerprint> fingerprints = new ArrayList<>();
            for (Fingerprint f : first.fingerprints()) {
                fingerprints.add(DtlsFingerprint.parse(f.hashFunction() + " " + f.fingerprint()));
            }
            clientFingerprints = fingerprints;
        }

        private SessionDescription sessionSkeleton(long version) {
            return new SessionDescription()
                .setOrigin(new Origin("-", "4242", version, "IN", "IP4", LOOPBACK))
                .setIceLite(true)
                .add(new MsidSemantic(MsidSemantic.WMS, List.of("*")));
        }

        private MediaDescription transportSection(String media, String mid, Setup setup) {
            return new MediaDescription(media, address.getPort(), MediaDescription.PROTO_RTP)
                .setConnection(Connection.of(LOOPBACK))
                .setMid(mid)
                .setIceUfrag(localIce.ufrag())
                .setIcePwd(localIce.pwd())
                .setFingerprint(Fingerprint.parse(certificate.fingerprint()))
                .setSetup(setup)
                .setRtcpMux(true)
                .setRtcpRsize(true);
        }

        private void addCandidate(MediaDescription m) {
            m.addCandidate(Candidate.host("1", "udp", 2_130_706_431L, LOOPBACK, address.getPort()))
                .setEndOfCandidates(true);
        }

        // ---------------------------------------------------------------- media plane (receive thread)

        private void onDtls(int length) {
            DtlsEndpoint endpoint = dtls;
            if (endpoint == null) {
                List<DtlsFingerprint> expected = fingerprintOverride != null ? fingerprintOverride
                    : clientFingerprints;
                if (expected == null) {
                    // the client's SDP has not arrived yet: drop, the client retransmits its flight
                    return;
                }
                endpoint = new DtlsEndpoint(DtlsRole.SERVER, certificate, expected, this::sendDtls, dtlsExecutor,
                    dtlsConfig);
                dtls = endpoint;
                endpoint.offer(rx, 0, length);
                endpoint.start().whenComplete((result, error) -> {
                    if (error != null) {
                        handshake.completeExceptionally(error);
                        return;
                    }
                    SrtpKeyingMaterial keys = SrtpKeyingMaterial.fromExporter(
                        SrtpProfile.fromId(result.srtpProfileId()), result.keyingMaterial(),
                        SrtpKeyingMaterial.Role.SERVER);
                    srtpOut = keys.newSendingContext(SrtpConfig.defaults());
                    srtpIn = keys.newReceivingContext(SrtpConfig.defaults());
                    handshake.complete(result);
                });
                return;
            }
            endpoint.offer(rx, 0, length);
        }

        private void sendDtls(byte[] data, int offset, int length) {
            InetSocketAddress to = selected;
            if (to != null) {
                try {
                    channel.send(ByteBuffer.wrap(data, offset, length), to);
                } catch (IOException e) {
                    // a loss
                }
            }
        }

        /** Loses the packet with this SSRC and sequence number once, before it is decrypted. */
        void dropOnce(int ssrc, int sequence) {
            dropOnce.add(dropKey(ssrc, sequence));
        }

        private long dropKey(int ssrc, int sequence) {
            return ((ssrc & 0xFFFF_FFFFL) << 16) | (sequence & 0xFFFF);
        }

        private void onRtp(int length) {
            SrtpContext in = srtpIn;
            if (in == null) {
                return;
            }
            // the RTP header travels in the clear: lose the packet before SRTP has seen it
            int ssrc = rx.getInt(RtpPacket.SSRC_OFFSET, java.nio.ByteOrder.BIG_ENDIAN);
            int sequence = rx.getShort(RtpPacket.SEQUENCE_NUMBER_OFFSET, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
            if (!dropOnce.isEmpty() && dropOnce.remove(dropKey(ssrc, sequence))) {
                return;
            }
            int plain = in.unprotectRtp(rx, 0, length);
            if (plain < 0) {
                srtpFailures.incrementAndGet();
                return;
            }
            if (capture) {
                receivedRtp.add(Arrays.copyOf(rxArray, plain));
            }
            for (Transport to : forwardTo) {
                to.sendRtp(rx, plain);
            }
            if (echo) {
                sendRtp(rx, plain);
            }
        }

        private void onRtcp(int length) {
            SrtpContext in = srtpIn;
            if (in == null) {
                return;
            }
            int plain = in.unprotectRtcp(rx, 0, length);
            if (plain < 0) {
                srtpFailures.incrementAndGet();
                return;
            }
            if (capture) {
                receivedRtcp.add(Arrays.copyOf(rxArray, plain));
            }
            for (Transport to : forwardTo) {
                to.sendRtcp(rx, plain);
            }
            if (echo) {
                sendRtcp(rx, plain);
            }
        }

        /** Protects and sends a plain RTP packet to the client; any thread. */
        synchronized boolean sendRtp(org.agrona.DirectBuffer packet, int length) {
            SrtpContext out = srtpOut;
            InetSocketAddress to = selected;
            if (out == null || to == null) {
                return false;
            }
            scratch.putBytes(0, packet, 0, length);
            int n = out.protectRtp(scratch, 0, length);
            if (n < 0) {
                return false;
            }
            MiniSfu.this.send(scratch, n, to);
            return true;
        }

        /** Protects and sends a plain RTCP compound packet to the client; any thread. */
        synchronized boolean sendRtcp(org.agrona.DirectBuffer packet, int length) {
            SrtpContext out = srtpOut;
            InetSocketAddress to = selected;
            if (out == null || to == null) {
                return false;
            }
            scratch.putBytes(0, packet, 0, length);
            int n = out.protectRtcp(scratch, 0, length);
            if (n < 0) {
                return false;
            }
            MiniSfu.this.send(scratch, n, to);
            return true;
        }

        boolean sendRtp(byte[] packet) {
            return sendRtp(new UnsafeBuffer(packet), packet.length);
        }

        boolean sendRtcp(byte[] packet) {
            return sendRtcp(new UnsafeBuffer(packet), packet.length);
        }

        /** The sending context, for tests that protect packets themselves (only while nothing is forwarded). */
        SrtpContext sendingContext() {
            return srtpOut;
        }

        void close() {
            DtlsEndpoint endpoint = dtls;
            if (endpoint != null) {
                endpoint.close();
            }
        }
    }

    /** A track a publisher transport received, as the subscriber offers forward it. */
    record PublishedInfo(String kind, String trackId, long ssrc, long rtxSsrc, Codec codec, int rtxPayloadType) {
    }

    /** Parses the header extensions of a plain RTP packet by id, for assertions. */
    static Map<Integer, byte[]> extensions(byte[] rtpPacket) {
        RtpPacket packet = new RtpPacket();
        Map<Integer, byte[]> out = new LinkedHashMap<>();
        if (!packet.wrap(new UnsafeBuffer(rtpPacket), 0, rtpPacket.length)) {
            return out;
        }
        for (int id = 1; id <= 14; id++) {
            long found = packet.findExtension(id);
            if (found != RtpPacket.NOT_FOUND) {
                int at = RtpPacket.valueOffset(found);
                out.put(id, Arrays.copyOfRange(rtpPacket, at, at + RtpPacket.valueLength(found)));
            }
        }
        return out;
    }
}
