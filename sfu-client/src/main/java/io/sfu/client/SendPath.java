package io.sfu.client;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The send side of one connection: its {@link RtpSender}s by SSRC, the buffers they write packets into, SRTP
 * protection on the way to the socket, and the transport-wide sequence number every packet carries. Loop thread;
 * nothing is allocated per packet.
 */
final class SendPath {
    /** Room after a packet for the SRTP tag or the SRTCP trailer. */
    static final int PROTECTION_SLACK = 64;

    private final ClientPeerConnection pc;
    private final ClientStats stats;
    private final ClientSocket socket;
    private final ClientTransport transport;
    private final UnsafeBuffer packetBuffer;
    private final ByteBuffer packetByteBuffer;
    private final UnsafeBuffer retransmissionBuffer;
    private final ByteBuffer retransmissionByteBuffer;
    private final Int2ObjectHashMap<RtpSender> sendersBySsrc = new Int2ObjectHashMap<>();
    private RtpSender[] senders = new RtpSender[0];
    private int transportSequence;

    SendPath(ClientPeerConnection pc, ClientSocket socket, ClientTransport transport, int firstTransportSequence) {
        this.pc = pc;
        this.stats = pc.stats();
        this.socket = socket;
        this.transport = transport;
        int capacity = packetCapacity(pc.config());
        byte[] packet = new byte[capacity];
        this.packetBuffer = new UnsafeBuffer(packet);
        this.packetByteBuffer = ByteBuffer.wrap(packet);
        // an RTX packet is two bytes longer than the original it repeats (RFC 4588 §4)
        byte[] retransmission = new byte[capacity + 2];
        this.retransmissionBuffer = new UnsafeBuffer(retransmission);
        this.retransmissionByteBuffer = ByteBuffer.wrap(retransmission);
        this.transportSequence = firstTransportSequence & 0xFFFF;
    }

    /** The bytes an RTP packet of {@code pc.maxPacketBytes} takes once protected. */
    static int packetCapacity(ClientPeerConnectionConfig config) {
        return config.maxPacketBytes() + PROTECTION_SLACK;
    }

    ClientPeerConnection peerConnection() {
        return pc;
    }

    /** Senders a new offer created; they send once its answer configured them. */
    void addSenders(List<RtpSender> created) {
        RtpSender[] grown = Arrays.copyOf(senders, senders.length + created.size());
        for (int i = 0; i < created.size(); i++) {
            RtpSender sender = created.get(i);
            grown[senders.length + i] = sender;
            sendersBySsrc.put(sender.ssrc(), sender);
        }
        senders = grown;
    }

    /** What the answer decided for each sender: accepted or not, payload types, header extension ids. */
    void configure(List<PublisherSdp.SenderSettings> settings) {
        for (PublisherSdp.SenderSettings s : settings) {
            s.sender().configure(s.active(), s.payloadType(), s.rtxPayloadType(), s.extensions());
        }
    }

    /** The sender of a media SSRC, or null. */
    RtpSender sender(int ssrc) {
        return sendersBySsrc.get(ssrc);
    }

    /** Every sender, in offer order; the caller must not change the array. */
    RtpSender[] senders() {
        return senders;
    }

    /** Where a sender writes the packet it sends next. */
    UnsafeBuffer packetBuffer() {
        return packetBuffer;
    }

    /** Protects and sends {@code packetBuffer()[0, length)}. */
    void sendPacket(int length, long nowNs) {
        protectAndSend(packetBuffer, packetByteBuffer, length, nowNs);
    }

    /** Where a sender writes a retransmission; it stays the sender's until the next one. */
    UnsafeBuffer retransmissionBuffer() {
        return retransmissionBuffer;
    }

    /** Protects and sends {@code retransmissionBuffer()[0, length)}. */
    void sendRetransmission(int length, long nowNs) {
        protectAndSend(retransmissionBuffer, retransmissionByteBuffer, length, nowNs);
    }

    private void protectAndSend(UnsafeBuffer buffer, ByteBuffer byteBuffer, int length, long nowNs) {
        int protectedLength = transport.sending().protectRtp(buffer, 0, length);
        if (protectedLength < 0) {
            stats.increment(ClientStats.SEND_FAILURES);
            return;
        }
        stats.increment(ClientStats.RTP_PACKETS_SENT);
        stats.add(ClientStats.RTP_BYTES_SENT, protectedLength);
        socket.sendMedia(buffer, byteBuffer, protectedLength, nowNs);
    }

    /** The transport-wide sequence number of the next packet sent (RTX included). */
    int nextTransportSequence() {
        int sequence = transportSequence;
        transportSequence = (sequence + 1) & 0xFFFF;
        return sequence;
    }
}
