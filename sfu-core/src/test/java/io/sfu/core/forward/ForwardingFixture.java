package io.sfu.core.forward;

import io.sfu.core.buffer.PacketPool;
import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.ice.IceCredentials;
import io.sfu.core.ice.IceLiteSession;
import io.sfu.core.net.DatagramKind;
import io.sfu.core.net.DatagramOutput;
import io.sfu.core.rtcp.PictureLossIndication;
import io.sfu.core.rtcp.RtcpCompoundIterator;
import io.sfu.core.rtcp.RtcpHeader;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.rtp.RtpPacketWriter;
import io.sfu.core.srtp.SrtpContext;
import io.sfu.core.srtp.SrtpProfile;
import io.sfu.core.transport.WebRtcTransport;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A forwarding agent driven by hand on the test thread: real SRTP on every leg, datagrams captured instead of
 * sent, time advanced explicitly. Each simulated peer holds the opposite SRTP contexts of its transport.
 */
final class ForwardingFixture {
    /** The SRTP profile of every leg unless a fixture is made with another. */
    static final SrtpProfile PROFILE = SrtpProfile.SRTP_AEAD_AES_128_GCM;
    static final int PUBLISHER_SSRC = 0x1111;
    static final int PUBLISHER_RTX_SSRC = 0x1112;

    /** A captured outgoing datagram. */
    record Sent(InetSocketAddress to, byte[] data) {
    }

    /**
     * A simulated remote peer: its transport and leg on the SFU, the SRTP contexts of the peer's side, and the keys
     * the handshake will hand the agent.
     */
    static final class Peer {
        final Leg leg;
        final WebRtcTransport transport;
        final InetSocketAddress address;
        final SrtpContext peerSend;
        final SrtpContext peerReceive;
        private final SrtpProfile profile;
        private final byte[][] upKeys;
        private final byte[][] downKeys;

        Peer(Leg leg, InetSocketAddress address, SrtpProfile profile, byte[][] upKeys, byte[][] downKeys) {
            this.leg = leg;
            this.transport = leg.transport();
            this.address = address;
            this.profile = profile;
            this.upKeys = upKeys;
            this.downKeys = downKeys;
            this.peerSend = SrtpContext.forSending(profile, upKeys[0], upKeys[1]);
            this.peerReceive = SrtpContext.forReceiving(profile, downKeys[0], downKeys[1]);
        }
    }

    private final SrtpProfile profile;
    final List<Sent> sent = new ArrayList<>();
    /** Each datagram is unprotected once (a second time would be a replay). */
    private final java.util.IdentityHashMap<Sent, byte[]> opened = new java.util.IdentityHashMap<>();
    final boolean[] capture = {true};
    long sentCount;
    long nowNs = 1_000_000_000L;
    final PacketPool pool = new PacketPool(64);
    /** Targets whose datagrams the socket refuses, as a full send buffer would. */
    final java.util.Set<InetSocketAddress> refusing = new java.util.HashSet<>();
    final DatagramOutput output = (datagram, target) -> {
        if (refusing.contains(target)) {
            datagram.position(datagram.limit());
            return false;
        }
        sentCount++;
        if (capture[0]) {
            byte[] copy = new byte[datagram.remaining()];
            datagram.get(copy);
            sent.add(new Sent(target, copy));
        } else {
            datagram.position(datagram.limit());
        }
        return true;
    };
    final List<String> dominantSpeakers = new ArrayList<>();
    final ForwardingAgent agent;
    private int nextPort = 40_000;
    private byte keySeed = 1;

    ForwardingFixture() {
        this(PROFILE, io.sfu.core.feedback.RetransmissionLimiter.DEFAULT_BUDGET_PERCENT);
    }

    /** A fixture whose legs protect with {@code profile}. */
    ForwardingFixture(SrtpProfile profile) {
        this(profile, io.sfu.core.feedback.RetransmissionLimiter.DEFAULT_BUDGET_PERCENT);
    }

    /** A fixture whose subscribers' retransmissions may take {@code retransmitBudgetPercent} of their bitrate. */
    ForwardingFixture(int retransmitBudgetPercent) {
        this(PROFILE, retransmitBudgetPercent);
    }

    private ForwardingFixture(SrtpProfile profile, int retransmitBudgetPercent) {
        this.profile = profile;
        agent = new ForwardingAgent("test-forward", output, () -> nowNs, () -> 1_700_000_000_000_000_000L + nowNs,
            (room, participant) -> dominantSpeakers.add(room + ":" + participant), 1024,
            ForwardingAgent.DEFAULT_KEYFRAME_INTERVAL_NS, retransmitBudgetPercent);
    }

    /** A peer whose transport is connected: ICE selected its path and DTLS gave the agent the keys. */
    Peer peer(String id) {
        Peer peer = unconnectedPeer(id);
        connect(peer);
        return peer;
    }

    /** A peer whose leg is open but whose path and keys the agent does not have yet. */
    Peer unconnectedPeer(String id) {
        int port = nextPort++;
        WebRtcTransport transport = new WebRtcTransport(id, new IceLiteSession(IceCredentials.of("u" + port,
            "p".repeat(22)), () -> nowNs));
        Leg leg = agent.openLeg(transport, "room", 0x5F00_0000 + port);
        run();
        byte[][] up = {key(profile.masterKeyLength()), key(profile.masterSaltLength())};
        byte[][] down = {key(profile.masterKeyLength()), key(profile.masterSaltLength())};
        return new Peer(leg, new InetSocketAddress("127.0.0.1", port), profile, up, down);
    }

    /** What the receive thread and the DTLS handshake do for a peer: its path, then its keys. */
    void connect(Peer peer) {
        peer.leg.onPathSelected(peer.address);
        agent.installKeys(peer.leg, SrtpContext.forReceiving(peer.profile, peer.upKeys[0], peer.upKeys[1]),
            SrtpContext.forSending(peer.profile, peer.downKeys[0], peer.downKeys[1]));
        run();
    }

    /** A connected publisher with the VP8 track "v1" (RTX negotiated). */
    Peer publisher() {
        Peer publisher = peer("publisher");
        agent.addProducer(publisher.leg, videoSpec("v1", PUBLISHER_SSRC, PUBLISHER_RTX_SSRC));
        run();
        return publisher;
    }

    /** A connected subscriber of "v1", receiving it as {@code ssrc} (RTX: {@code ssrc + 1}). */
    Peer subscriber(String id, int ssrc) {
        Peer subscriber = peer(id);
        agent.addConsumer(subscriber.leg, consumerSpec("c-" + id, "v1", ssrc, ssrc + 1));
        run();
        return subscriber;
    }

    /** A connected subscriber of "v1" as {@link #subscriber(String, int)}, its counters in {@code counters}. */
    Peer subscriber(String id, int ssrc, TrackCounters counters) {
        Peer subscriber = peer(id);
        ConsumerSpec spec = consumerSpec("c-" + id, "v1", ssrc, ssrc + 1);
        agent.addConsumer(subscriber.leg, new ConsumerSpec(spec.consumerId(), spec.producerTrackId(), spec.ssrc(),
            spec.rtxSsrc(), spec.payloadTypeMap(), spec.rtxPayloadTypeMap(), spec.extensionIdMap(),
            spec.preferredLayer(), counters));
        run();
        return subscriber;
    }

    /**
     * A connected subscriber "s" of "v1" (consumer "c-s", SSRC 0x2000) that negotiated transport-wide sequence
     * numbers: the publisher's extension {@code publisherId} goes out as {@code subscriberId}. Its counters in
     * {@code counters}.
     */
    Peer transportCcSubscriber(int publisherId, int subscriberId, TrackCounters counters) {
        Peer subscriber = peer("s");
        ConsumerSpec spec = consumerSpec("c-s", "v1", 0x2000, 0x2001);
        int[] extensions = spec.extensionIdMap();
        extensions[publisherId] = subscriberId;
        agent.addConsumer(subscriber.leg, new ConsumerSpec(spec.consumerId(), spec.producerTrackId(), spec.ssrc(),
            spec.rtxSsrc(), spec.payloadTypeMap(), spec.rtxPayloadTypeMap(), extensions, spec.preferredLayer(),
            counters));
        run();
        return subscriber;
    }

    /** The media SSRCs of the PLIs sent to {@code peer}, in order. */
    List<Integer> pliSsrcsTo(Peer peer) {
        List<Integer> ssrcs = new ArrayList<>();
        for (byte[] compound : rtcpTo(peer)) {
            RtcpCompoundIterator iterator = new RtcpCompoundIterator();
            iterator.wrap(new UnsafeBuffer(compound), 0, compound.length);
            PictureLossIndication pli = new PictureLossIndication();
            while (iterator.next()) {
                if (iterator.packetType() == RtcpHeader.PAYLOAD_FEEDBACK
                    && iterator.count() == PictureLossIndication.FORMAT
                    && pli.wrap(iterator.buffer(), iterator.packetOffset(), iterator.packetLength())) {
                    ssrcs.add(pli.mediaSsrc());
                }
            }
        }
        return ssrcs;
    }

    /** {@code count} VP8 packets of "v1" from {@code firstSeq}, the first a keyframe, 900 bytes each. */
    void sendFrames(Peer publisher, int firstSeq, int count) {
        for (int i = 0; i < count; i++) {
            int seq = (firstSeq + i) & 0xFFFF;
            receiveRtp(publisher, PUBLISHER_SSRC, 96, seq, 3000L * (firstSeq + i), vp8Payload(i == 0, 900, seq));
        }
    }

    /** Whether an RTCP compound holds a PLI. */
    static boolean isPli(byte[] compound) {
        RtcpCompoundIterator iterator = new RtcpCompoundIterator();
        if (!iterator.wrap(new UnsafeBuffer(compound), 0, compound.length)) {
            return false;
        }
        while (iterator.next()) {
            if (iterator.packetType() == RtcpHeader.PAYLOAD_FEEDBACK
                && iterator.count() == PictureLossIndication.FORMAT) {
                return true;
            }
        }
        return false;
    }

    private byte[] key(int length) {
        byte[] key = new byte[length];
        Arrays.fill(key, keySeed++);
        return key;
    }

    /** Applies queued commands and packets. */
    void run() {
        while (agent.doWork() > 0) {
            // drain
        }
    }

    /** Lets the time pass, a pacing cycle at a time, until {@code peer}'s pacer has sent all that waits in it. */
    void drainPacer(Peer peer) {
        for (long waited = 0; peer.leg.pacer.queued() > 0 && waited <= Pacer.MAX_QUEUE_NS;
             waited += Pacer.INTERVAL_NS) {
            nowNs += Pacer.INTERVAL_NS;
            run();
        }
        assertThat(peer.leg.pacer.queued()).as("what waits in the pacer").isZero();
    }

    static ProducerSpec videoSpec(String trackId, int ssrc, int rtxSsrc) {
        return new ProducerSpec(trackId, "pub-" + trackId, "room", "1", true, 90_000,
            List.of(new ProducerSpec.Codec(96, "VP8", 97)),
            List.of(new ProducerSpec.Encoding(null, ssrc, rtxSsrc)), true, true, true, false, new TrackCounters());
    }

    /** A VP8 track sent in simulcast, one encoding per rid (lowest first), each with the SSRC given or 0. */
    static ProducerSpec simulcastSpec(String trackId, String[] rids, int[] ssrcs) {
        List<ProducerSpec.Encoding> encodings = new ArrayList<>();
        for (int i = 0; i < rids.length; i++) {
            encodings.add(new ProducerSpec.Encoding(rids[i], ssrcs[i], 0));
        }
        return new ProducerSpec(trackId, "pub-" + trackId, "room", "1", true, 90_000,
            List.of(new ProducerSpec.Codec(96, "VP8", 97)), encodings, true, true, true, false, new TrackCounters());
    }

    static ConsumerSpec consumerSpec(String id, String trackId, int ssrc, int rtxSsrc) {
        int[] pt = new int[128];
        Arrays.fill(pt, -1);
        pt[96] = 100;
        int[] rtx = new int[128];
        Arrays.fill(rtx, -1);
        rtx[100] = 101;
        int[] ext = new int[256];
        return new ConsumerSpec(id, trackId, ssrc, rtxSsrc, pt, rtx, ext, Integer.MAX_VALUE, new TrackCounters());
    }

    /** A VP8 keyframe or delta frame payload (RFC 7741 §4.2/§4.3) of {@code size} bytes, filled from a seed. */
    static byte[] vp8Payload(boolean keyframe, int size, int seed) {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (seed * 31 + i);
        }
        payload[0] = 0x10; // descriptor: S=1, PID=0
        payload[1] = (byte) (keyframe ? 0x00 : 0x01); // frame tag, P bit: 0 = key frame
        payload[2] = 0;
        payload[3] = 0;
        payload[4] = (byte) 0x9d; // key frame start code
        payload[5] = 0x01;
        payload[6] = 0x2a;
        return payload;
    }

    /** Protects an RTP packet with the peer's context and hands it to the agent as received. */
    void receiveRtp(Peer from, int ssrc, int payloadType, int sequence, long timestamp, byte[] payload) {
        receiveRtp(from, ssrc, payloadType, sequence, timestamp, payload, writer -> writer);
    }

    /** As {@link #receiveRtp(Peer, int, int, int, long, byte[])}, with header extensions {@code extensions} adds. */
    void receiveRtp(Peer from, int ssrc, int payloadType, int sequence, long timestamp, byte[] payload,
                    java.util.function.UnaryOperator<RtpPacketWriter> extensions) {
        PacketSlot slot = pool.acquire();
        RtpPacketWriter writer = new RtpPacketWriter().wrap(slot.buffer(), 0, PacketSlot.CAPACITY)
            .payloadType(payloadType).sequenceNumber(sequence).timestamp(timestamp).ssrc(ssrc);
        int length = extensions.apply(writer).payload(payload).length();
        int protectedLength = from.peerSend.protectRtp(slot.buffer(), 0, length);
        slot.data(0, protectedLength);
        deliver(from, slot, DatagramKind.RTP);
    }

    /**
     * Queues an RTP packet at the agent as the receive thread does, stamped as received at {@code receivedNs}, without
     * running the agent: several queued packets are handled in one duty cycle.
     */
    void queueRtp(Peer from, int ssrc, int sequence, long timestamp, byte[] payload, long receivedNs) {
        PacketSlot slot = pool.acquire();
        int length = new RtpPacketWriter().wrap(slot.buffer(), 0, PacketSlot.CAPACITY).payloadType(96)
            .sequenceNumber(sequence).timestamp(timestamp).ssrc(ssrc).payload(payload).length();
        slot.data(0, from.peerSend.protectRtp(slot.buffer(), 0, length));
        slot.receivedNs(receivedNs);
        slot.kind(DatagramKind.RTP.ordinal());
        if (!from.leg.onMedia(slot)) {
            slot.release();
            throw new IllegalStateException("agent queue full");
        }
    }

    /** Hands a received datagram to the peer's leg as the receive thread does, and runs the agent. */
    void deliver(Peer from, PacketSlot slot, DatagramKind kind) {
        slot.kind(kind.ordinal());
        if (!from.leg.onMedia(slot)) {
            slot.release();
            throw new IllegalStateException("agent queue full");
        }
        run();
    }

    static ProducerSpec audioSpec(String trackId, String participantId, int ssrc) {
        return new ProducerSpec(trackId, participantId, "room", "0", false, 48_000,
            List.of(new ProducerSpec.Codec(111, "opus", -1)),
            List.of(new ProducerSpec.Encoding(null, ssrc, 0)), false, false, false, false, new TrackCounters());
    }

    /** An Opus packet carrying an RFC 6464 audio level (0 loudest .. 127 silent) in extension {@code id}. */
    void receiveAudio(Peer from, int ssrc, int sequence, int extensionId, int level) {
        PacketSlot slot = pool.acquire();
        int length = new RtpPacketWriter().wrap(slot.buffer(), 0, PacketSlot.CAPACITY).payloadType(111)
            .sequenceNumber(sequence).timestamp(960L * sequence).ssrc(ssrc).extension(extensionId, level, 1)
            .payload(new byte[60]).length();
        slot.data(0, from.peerSend.protectRtp(slot.buffer(), 0, length));
        deliver(from, slot, DatagramKind.RTP);
    }

    /** Protects an RTCP packet written by {@code writer} into a slot and hands it to the agent. */
    void receiveRtcp(Peer from, java.util.function.ToIntFunction<UnsafeBuffer> writer) {
        PacketSlot slot = pool.acquire();
        int length = writer.applyAsInt(slot.buffer());
        int protectedLength = from.peerSend.protectRtcp(slot.buffer(), 0, length);
        slot.data(0, protectedLength);
        deliver(from, slot, DatagramKind.RTCP);
    }

    /** The RTP packets sent to {@code peer}, unprotected with its context, in order. */
    List<byte[]> rtpTo(Peer peer) {
        List<byte[]> packets = new ArrayList<>();
        for (Sent s : sent) {
            if (s.to().equals(peer.address) && (s.data()[1] & 0xFF) < 192 || s.to().equals(peer.address)
                && (s.data()[1] & 0xFF) > 223) {
                packets.add(opened.computeIfAbsent(s, x -> {
                    UnsafeBuffer buffer = new UnsafeBuffer(Arrays.copyOf(x.data(), x.data().length + 64));
                    int length = peer.peerReceive.unprotectRtp(buffer, 0, x.data().length);
                    if (length < 0) {
                        throw new AssertionError("SRTP to " + peer.address + " failed: " + length);
                    }
                    return Arrays.copyOf(buffer.byteArray(), length);
                }));
            }
        }
        return packets;
    }

    /** The RTCP compound packets sent to {@code peer}, unprotected. */
    List<byte[]> rtcpTo(Peer peer) {
        List<byte[]> packets = new ArrayList<>();
        for (Sent s : sent) {
            int type = s.data()[1] & 0xFF;
            if (s.to().equals(peer.address) && type >= 192 && type <= 223) {
                packets.add(opened.computeIfAbsent(s, x -> {
                    UnsafeBuffer buffer = new UnsafeBuffer(Arrays.copyOf(x.data(), x.data().length + 64));
                    int length = peer.peerReceive.unprotectRtcp(buffer, 0, x.data().length);
                    if (length < 0) {
                        throw new AssertionError("SRTCP to " + peer.address + " failed: " + length);
                    }
                    return Arrays.copyOf(buffer.byteArray(), length);
                }));
            }
        }
        return packets;
    }

    static RtpPacket wrap(byte[] packet) {
        RtpPacket rtp = new RtpPacket();
        if (!rtp.wrap(new UnsafeBuffer(packet), 0, packet.length)) {
            throw new AssertionError("not RTP");
        }
        return rtp;
    }

    static byte[] payloadOf(byte[] packet) {
        RtpPacket rtp = wrap(packet);
        return Arrays.copyOfRange(packet, rtp.payloadOffset(), rtp.payloadOffset() + rtp.payloadLength());
    }
}
