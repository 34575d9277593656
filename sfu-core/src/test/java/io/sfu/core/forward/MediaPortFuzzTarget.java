package io.sfu.core.forward;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.ice.IceCredentials;
import io.sfu.core.rtcp.GenericNack;
import io.sfu.core.rtcp.PictureLossIndication;
import io.sfu.core.rtcp.ReceiverReport;
import io.sfu.core.rtcp.ReportBlock;
import io.sfu.core.rtp.RtpPacketWriter;
import io.sfu.core.srtp.SrtpProfile;
import io.sfu.core.stun.StunAttributeType;
import io.sfu.core.stun.StunIntegrity;
import io.sfu.core.stun.StunMessageType;
import io.sfu.core.stun.StunMessageWriter;
import io.sfu.core.testing.FuzzInput;
import io.sfu.core.transport.Demultiplexer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Coverage-guided fuzzing (Jazzer) of the media port behind its socket: datagrams from a publisher, a subscriber
 * and strangers go into a real {@link Demultiplexer} with a real {@link ForwardingAgent} behind it (driven by hand,
 * time advanced by the input). Each datagram is sent as it is, or as the payload of an SRTP or SRTCP packet that
 * the peer protects with its real keys (so that the plain RTP and RTCP reach the agent's parsers), or as an ICE
 * check that the harness signs with the right password. Whatever arrives: nothing throws on the receive thread or
 * in the agent's duty cycle, every packet slot returns to the pool exactly once, an answer goes only to the
 * source of the datagram it answers, and media and feedback only to addresses that passed an ICE check.
 *
 * <p>The input is a sequence of steps: one control byte (source, kind, time to advance), then the datagram as a
 * {@link FuzzInput} chunk. Seeds: a keyframe and audio from the publisher, reports and feedback from the
 * subscriber, ICE checks and strangers' junk.
 */
class MediaPortFuzzTarget {
    private static final int SOURCES = 8;
    private static final int RAW = 0;
    private static final int RTP = 1;
    private static final int RTCP = 2;
    private static final int CHECK = 3;
    private static final int AUDIO_SSRC = 0x2222;
    private static final int SUBSCRIBER_SSRC = 0x7000;
    private static final ReceiveExtensionIds EXTENSION_IDS = new ReceiveExtensionIds(1, 2, 3, 4, 5);
    private static final int MAX_STEPS = 64;

    private final StunIntegrity integrity = new StunIntegrity();

    static Stream<byte[]> conversations() {
        byte[] keyframe = rtp(ForwardingFixture.PUBLISHER_SSRC, 96, 1, ForwardingFixture.vp8Payload(true, 300, 1));
        byte[] delta = rtp(ForwardingFixture.PUBLISHER_SSRC, 96, 2, ForwardingFixture.vp8Payload(false, 300, 2));
        byte[] audio = rtp(AUDIO_SSRC, 111, 9, new byte[40]);
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        int rr = ReceiverReport.write(buffer, 0, 0x9999, 1);
        ReportBlock.write(buffer, rr - ReportBlock.LENGTH, SUBSCRIBER_SSRC, 20, 4, 70_000, 30, 0, 0);
        int length = rr + GenericNack.write(buffer, rr, 0x9999, SUBSCRIBER_SSRC, new int[] {1, 2}, 2);
        length += PictureLossIndication.write(buffer, length, 0x9999, SUBSCRIBER_SSRC);
        byte[] feedback = Arrays.copyOf(buffer.byteArray(), length);
        byte[] nominate = new byte[] {1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        byte[] dtlsJunk = new byte[] {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0};
        return Stream.of(
            new FuzzInput.Writer()
                .u8(step(0, RTP, 0)).chunk(keyframe).u8(step(0, RTP, 1)).chunk(delta).u8(step(0, RTP, 0)).chunk(audio)
                .u8(step(1, RTCP, 2)).chunk(feedback).u8(step(0, RTP, 15)).chunk(delta).toByteArray(),
            new FuzzInput.Writer()
                .u8(step(2, CHECK, 0)).chunk(nominate).u8(step(2, RTP, 0)).chunk(keyframe)
                .u8(step(3, RAW, 1)).chunk(dtlsJunk).u8(step(4, RAW, 0)).chunk(keyframe)
                .u8(step(1, RAW, 0)).chunk(feedback).toByteArray());
    }

    /** The control byte of a step: who sends, what the harness makes of the chunk, how many 10 ms pass first. */
    private static int step(int source, int kind, int tens) {
        return source | kind << 3 | (tens & 0x7) << 5;
    }

    private static byte[] rtp(int ssrc, int payloadType, int sequence, byte[] payload) {
        byte[] packet = new byte[payload.length + 64];
        int length = new RtpPacketWriter().wrap(new UnsafeBuffer(packet), 0, packet.length).payloadType(payloadType)
            .sequenceNumber(sequence).timestamp(3000L * sequence).ssrc(ssrc).extension(1, new byte[] {'1'})
            .extension(4, sequence, 2).extension(5, 0x7F & sequence, 1).payload(payload).length();
        return Arrays.copyOf(packet, length);
    }

    @MethodSource("conversations")
    @FuzzTest
    void anyDatagramsFromAnySourceAreForwardedOrDroppedAndEverySlotComesBack(byte[] input) {
        ForwardingFixture fixture = new ForwardingFixture(SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        InetSocketAddress[] current = new InetSocketAddress[1];
        Demultiplexer demultiplexer = new Demultiplexer((datagram, target) -> {
            check(target.equals(current[0]), "an answer to " + current[0] + " went to " + target);
            datagram.position(datagram.limit());
            return true;
        });
        ForwardingFixture.Peer publisher = fixture.publisher();
        fixture.agent.addProducer(publisher.leg, ForwardingFixture.audioSpec("a1", "publisher", AUDIO_SSRC));
        fixture.agent.extensionIds(publisher.leg, EXTENSION_IDS);
        ForwardingFixture.Peer subscriber = fixture.subscriber("subscriber", SUBSCRIBER_SSRC);
        fixture.agent.addConsumer(subscriber.leg, ForwardingFixture.consumerSpec("c-audio", "a1", 0x7100, 0));
        fixture.run();
        ForwardingFixture.Peer[] peers = {publisher, subscriber};
        Set<InetSocketAddress> checked = new HashSet<>();
        for (ForwardingFixture.Peer peer : peers) {
            demultiplexer.register(peer.transport.ice().localCredentials().ufrag(), peer.transport);
            // the path becomes known the way it does in the server: through a valid check
            current[0] = peer.address;
            receive(fixture, demultiplexer, peer.address, check(peer, new FuzzInput(new byte[] {1})));
            checked.add(peer.address);
        }
        fixture.sent.clear();

        FuzzInput in = new FuzzInput(input);
        for (int steps = 0; in.hasRemaining() && steps < MAX_STEPS; steps++) {
            int control = in.u8();
            int source = control & (SOURCES - 1);
            int kind = (control >>> 3) & 0x3;
            fixture.nowNs += ((control >>> 5) & 0x7) * 10_000_000L;
            ForwardingFixture.Peer peer = peers[source % 2];
            InetSocketAddress from = source < 2 ? peer.address : new InetSocketAddress("127.0.0.1", 50_000 + source);
            byte[] chunk = in.chunk();
            byte[] datagram = switch (kind) {
                case RTP -> protect(peer, chunk, false);
                case RTCP -> protect(peer, chunk, true);
                case CHECK -> check(peer, new FuzzInput(chunk));
                default -> chunk;
            };
            long validChecks = demultiplexer.iceChecksValid();
            current[0] = from;
            receive(fixture, demultiplexer, from, datagram);
            if (demultiplexer.iceChecksValid() > validChecks) {
                checked.add(from);
            }
            for (ForwardingFixture.Sent sent : fixture.sent) {
                check(checked.contains(sent.to()), "media went to " + sent.to() + ", which passed no ICE check");
            }
            fixture.sent.clear();
        }
        for (ForwardingFixture.Peer p : peers) {
            fixture.agent.closeLeg(p.leg);
            p.transport.close();
            demultiplexer.forget(p.transport);
        }
        fixture.run();
        check(fixture.pool.inUse() == 0, fixture.pool.inUse() + " packet slots never came back");
    }

    /** Hands one datagram to the demultiplexer as the receive thread does, then lets the agent work. */
    private static void receive(ForwardingFixture fixture, Demultiplexer demultiplexer, InetSocketAddress from,
                                byte[] datagram) {
        PacketSlot slot = fixture.pool.acquire();
        check(slot != null, "the packet pool ran dry");
        int length = Math.min(datagram.length, PacketSlot.CAPACITY);
        slot.buffer().putBytes(0, datagram, 0, length);
        slot.data(0, length);
        slot.source(from);
        if (!demultiplexer.onDatagram(slot)) {
            slot.release();
        }
        fixture.run();
    }

    /** The plain packet protected with the peer's SRTP or SRTCP context, or as it is when it cannot be. */
    private static byte[] protect(ForwardingFixture.Peer peer, byte[] plain, boolean rtcp) {
        UnsafeBuffer buffer = new UnsafeBuffer(Arrays.copyOf(plain, plain.length + 64));
        int length = rtcp ? peer.peerSend.protectRtcp(buffer, 0, plain.length)
            : peer.peerSend.protectRtp(buffer, 0, plain.length);
        return length < 0 ? plain : Arrays.copyOf(buffer.byteArray(), length);
    }

    /**
     * A Binding request to the peer's transport, signed with its password: the chunk's first byte says which
     * attributes it carries (USE-CANDIDATE, the role, PRIORITY, FINGERPRINT, a wrong user name), then comes the
     * transaction id, then an extra attribute's type and value.
     */
    private byte[] check(ForwardingFixture.Peer peer, FuzzInput chunk) {
        int flags = chunk.u8();
        byte[] transactionId = new byte[12];
        for (int i = 0; i < transactionId.length; i++) {
            transactionId[i] = (byte) chunk.u8();
        }
        IceCredentials local = peer.transport.ice().localCredentials();
        String ufrag = (flags & 0x10) != 0 ? "x" + local.ufrag() : local.ufrag();
        byte[] array = new byte[1024];
        StunMessageWriter writer = new StunMessageWriter().wrap(new UnsafeBuffer(array), 0, array.length)
            .header(StunMessageType.BINDING_REQUEST, transactionId)
            .username((ufrag + ":peer").getBytes(StandardCharsets.US_ASCII));
        if ((flags & 0x04) == 0) {
            writer.priority(0x6E7F1EFFL);
        }
        if ((flags & 0x02) == 0) {
            writer.iceControlling(0x1234);
        } else {
            writer.iceControlled(0x1234);
        }
        if ((flags & 0x01) != 0) {
            writer.useCandidate();
        }
        if (chunk.hasRemaining()) {
            int type = chunk.u16();
            byte[] value = chunk.rest();
            writer.attribute(type == StunAttributeType.MESSAGE_INTEGRITY ? type + 1 : type, value, 0,
                Math.min(value.length, 512));
        }
        writer.messageIntegrity(integrity, local.key());
        if ((flags & 0x08) == 0) {
            writer.fingerprint(integrity);
        }
        return Arrays.copyOf(array, writer.length());
    }

    private static void check(boolean holds, String what) {
        if (!holds) {
            throw new AssertionError(what);
        }
    }
}
