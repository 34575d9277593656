package io.sfu.bench.forward;

import io.sfu.core.buffer.PacketPool;
import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.net.DatagramKind;
import io.sfu.core.net.DatagramOutput;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.srtp.SrtpContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardingRigTest {
    private static final int FAN_OUT = 3;

    /** What the agent sent, copied, with where it went. */
    private record Sent(InetSocketAddress to, byte[] data) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private final DatagramOutput capture = (datagram, target) -> {
        byte[] copy = new byte[datagram.remaining()];
        datagram.get(copy);
        sent.add(new Sent(target, copy));
        return true;
    };
    private long nowNs = 5_000_000_000L;

    private ForwardingRig rig(Crypto crypto, DatagramOutput output) {
        ForwardingRig rig = new ForwardingRig(FAN_OUT, crypto, output, () -> nowNs, 1024);
        rig.applyCommands();
        return rig;
    }

    private List<byte[]> rtpTo(ForwardingRig rig, int subscriber) {
        List<byte[]> packets = new ArrayList<>();
        for (Sent s : sent) {
            int type = s.data()[1] & 0xFF;
            if (s.to().equals(rig.subscribers[subscriber].transport().remote()) && (type < 192 || type > 223)) {
                packets.add(s.data());
            }
        }
        return packets;
    }

    @ParameterizedTest
    @EnumSource(Crypto.class)
    void eachSubscriberGetsEveryPacketInItsOwnNumberingAndKeys(Crypto crypto) {
        ForwardingRig rig = rig(crypto, capture);
        UnsafeBuffer input = new UnsafeBuffer(new byte[2048]);
        int length = rig.source.write(input, 0);
        RtpPacket packet = new RtpPacket();
        assertThat(packet.wrap(input, 0, length)).isTrue();
        byte[] lastPayload = null;
        for (long n = 0; n < 20; n++) {
            rig.source.advance(packet, n);
            lastPayload = Arrays.copyOfRange(input.byteArray(), packet.payloadOffset(), length);
            rig.agent.onRtp(rig.publisher, input, 0, length, nowNs);
        }

        for (int i = 0; i < FAN_OUT; i++) {
            List<byte[]> received = rtpTo(rig, i);
            assertThat(received).as("subscriber %d", i).hasSize(20);
            SrtpContext peer = rig.subscriberPeerReceive[i];
            for (int n = 0; n < received.size(); n++) {
                byte[] datagram = received.get(n);
                UnsafeBuffer opened = new UnsafeBuffer(Arrays.copyOf(datagram, 2048));
                int plainLength = crypto.protectsOutput() ? peer.unprotectRtp(opened, 0, datagram.length)
                    : datagram.length;
                assertThat(plainLength).as("subscriber %d packet %d", i, n).isEqualTo(VideoPacketSource.PACKET_BYTES);
                RtpPacket out = new RtpPacket();
                assertThat(out.wrap(opened, 0, plainLength)).isTrue();
                assertThat(out.ssrc()).isEqualTo(ForwardingRig.subscriberSsrc(i));
                assertThat(out.payloadType()).isEqualTo(ForwardingRig.SUBSCRIBER_PAYLOAD_TYPE);
                assertThat(out.sequenceNumber()).isEqualTo(VideoPacketSource.sequenceOf(n));
                assertThat(out.findExtension(ForwardingRig.SUBSCRIBER_MID_ID)).isNotEqualTo(RtpPacket.NOT_FOUND);
                assertThat(out.findExtension(VideoPacketSource.MID_ID)).isEqualTo(RtpPacket.NOT_FOUND);
                if (n == received.size() - 1) {
                    assertThat(Arrays.copyOfRange(opened.byteArray(), out.payloadOffset(), plainLength))
                        .isEqualTo(lastPayload);
                }
            }
        }
    }

    @Test
    void aStreamKeepsFlowingPastHalfTheSequenceSpace() {
        CountingOutput output = new CountingOutput();
        ForwardingRig rig = rig(Crypto.NONE, output);
        UnsafeBuffer input = new UnsafeBuffer(new byte[2048]);
        int length = rig.source.write(input, 0);
        RtpPacket packet = new RtpPacket();
        assertThat(packet.wrap(input, 0, length)).isTrue();
        int packets = 3 * 32_768 + 7;
        for (long n = 0; n < packets; n++) {
            rig.source.advance(packet, n);
            rig.agent.onRtp(rig.publisher, input, 0, length, nowNs);
        }

        assertThat(output.rtpPackets()).isEqualTo((long) packets * FAN_OUT);
        assertThat(output.rtpBytes()).isEqualTo((long) packets * FAN_OUT * VideoPacketSource.PACKET_BYTES);
    }

    @Test
    void theFullPathUnprotectsPooledSlotsAndReleasesThem() {
        CountingOutput output = new CountingOutput();
        ForwardingRig rig = rig(Crypto.AEAD_AES_128_GCM, output);
        PacketPool pool = new PacketPool(8);
        RtpPacket packet = new RtpPacket();
        UnsafeBuffer template = new UnsafeBuffer(new byte[PacketSlot.CAPACITY]);
        int length = rig.source.write(template, 0);
        for (long n = 0; n < 100; n++) {
            PacketSlot slot = pool.acquire();
            slot.buffer().putBytes(0, template, 0, length);
            assertThat(packet.wrap(slot.buffer(), 0, length)).isTrue();
            rig.source.advance(packet, n);
            int protectedLength = rig.publisherPeerSend.protectRtp(slot.buffer(), 0, length);
            slot.data(0, protectedLength).kind(DatagramKind.RTP.ordinal());
            assertThat(rig.publisher.onMedia(slot)).isTrue();
            rig.agent.doWork();
        }

        assertThat(rig.publisher.transport().srtpFailures()).isZero();
        assertThat(output.rtpPackets()).isEqualTo(100L * FAN_OUT);
        assertThat(pool.inUse()).isZero();
    }

    @Test
    void countingOutputTellsRtcpFromRtpAndConsumesTheDatagram() {
        CountingOutput output = new CountingOutput();
        ByteBuffer rtcp = ByteBuffer.wrap(new byte[] {(byte) 0x81, (byte) 201, 0, 1, 0, 0, 0, 1});
        ByteBuffer rtp = ByteBuffer.wrap(new byte[40]);
        rtp.put(1, (byte) 100);
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", 9);

        assertThat(output.send(rtcp, to)).isTrue();
        assertThat(output.send(rtp, to)).isTrue();

        assertThat(output.rtcpPackets()).isEqualTo(1);
        assertThat(output.rtpPackets()).isEqualTo(1);
        assertThat(output.rtpBytes()).isEqualTo(40);
        assertThat(rtcp.remaining()).isZero();
        assertThat(rtp.remaining()).isZero();
    }
}
