package io.sfu.core.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfu.core.net.DatagramOutput;
import io.sfu.core.rtp.RtpPacketWriter;
import io.sfu.core.srtp.SrtpContext;
import io.sfu.core.srtp.SrtpProfile;
import io.sfu.core.testing.Allocations;
import io.sfu.core.transport.WebRtcTransport;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A relay leg toward another node of a cluster, driven by hand: its consumers each send one encoding of a track,
 * every packet of it whatever the room's last-N, through the relay's own output; without allocating per packet.
 */
class RelayLegTest {
    private static final String[] RIDS = {"q", "h", "f"};
    private static final int[] PUBLISHER_SSRCS = {0x100, 0x200, 0x300};
    private static final int[] RELAY_SSRCS = {0xA00, 0xB00, 0xC00};
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 45_000);

    private final ForwardingFixture fixture = new ForwardingFixture();
    private final List<byte[]> relayed = new ArrayList<>();
    private final boolean[] capture = {true};
    private final DatagramOutput relayOutput = (datagram, target) -> {
        if (capture[0]) {
            byte[] copy = new byte[datagram.remaining()];
            datagram.get(copy);
            relayed.add(copy);
        } else {
            datagram.position(datagram.limit());
        }
        return target.equals(PEER);
    };
    private final byte[] key = new byte[16];
    private final byte[] salt = new byte[14];

    private Leg relayLeg(ForwardingFixture.Peer publisher) {
        Arrays.fill(key, (byte) 7);
        Leg leg = fixture.agent.openRelayLeg(WebRtcTransport.relay("relay", PEER, relayOutput, new AtomicLong()),
            "room", "node-b", 0x7777);
        fixture.agent.installKeys(leg, SrtpContext.forReceiving(SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80, key, salt),
            SrtpContext.forSending(SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80, key, salt));
        fixture.agent.addProducer(publisher.leg, ForwardingFixture.simulcastSpec("v1", RIDS, PUBLISHER_SSRCS));
        for (int i = 0; i < RIDS.length; i++) {
            ConsumerSpec base = ForwardingFixture.consumerSpec("relay-" + i, "v1", RELAY_SSRCS[i], 0);
            fixture.agent.addConsumer(leg, new ConsumerSpec(base.consumerId(), "v1", RELAY_SSRCS[i], 0,
                base.payloadTypeMap(), base.rtxPayloadTypeMap(), base.extensionIdMap(), i, new TrackCounters(),
                ConsumerSpec.ALL_TEMPORAL_LAYERS, ConsumerSpec.ALL_SPATIAL_LAYERS, 0, i));
        }
        // last-N does not apply to what crosses to another node
        fixture.agent.setLastN(leg, 1);
        fixture.run();
        return leg;
    }

    private void sendLayers(ForwardingFixture.Peer publisher, int from, int count) {
        for (int seq = from; seq < from + count; seq++) {
            for (int layer = 0; layer < RIDS.length; layer++) {
                fixture.receiveRtp(publisher, PUBLISHER_SSRCS[layer], 96, seq, 3000L * seq,
                    ForwardingFixture.vp8Payload(seq == 0, 300, seq * 3 + layer));
            }
        }
    }

    @Test
    void eachEncodingCrossesOnItsOwnRelaySsrcThroughTheRelaysOutputWhateverLastN() {
        ForwardingFixture.Peer publisher = fixture.publisher();
        relayLeg(publisher);
        fixture.agent.addProducer(fixture.peer("other").leg, ForwardingFixture.videoSpec("v2", 0x900, 0));
        fixture.run();

        sendLayers(publisher, 0, 20);

        int[] perSsrc = new int[RIDS.length];
        for (byte[] datagram : relayed) {
            int ssrc = new UnsafeBuffer(datagram).getInt(8, ByteOrder.BIG_ENDIAN);
            for (int layer = 0; layer < RIDS.length; layer++) {
                if (ssrc == RELAY_SSRCS[layer] && (datagram[1] & 0xFF) < 192) {
                    perSsrc[layer]++;
                }
            }
        }
        assertThat(perSsrc).containsExactly(20, 20, 20);
        assertThat(fixture.sent).as("nothing toward the peer node through the media socket's output")
            .noneMatch(sent -> sent.to().equals(PEER));
    }

    @Test
    void forwardingToARelayLegAllocatesNothing() {
        ForwardingFixture.Peer publisher = fixture.publisher();
        Leg leg = relayLeg(publisher);
        sendLayers(publisher, 0, 5);
        capture[0] = false;
        UnsafeBuffer packet = new UnsafeBuffer(new byte[1500]);
        byte[] payload = ForwardingFixture.vp8Payload(false, 900, 1);
        RtpPacketWriter writer = new RtpPacketWriter();
        int[] sequence = {5};
        Runnable forward = () -> {
            int seq = sequence[0]++ & 0xFFFF;
            int length = writer.wrap(packet, 0, packet.capacity()).payloadType(96).sequenceNumber(seq)
                .timestamp(3000L * seq).ssrc(PUBLISHER_SSRCS[2]).payload(payload).length();
            fixture.agent.onRtp(publisher.leg, packet, 0, length, fixture.nowNs);
        };
        assertThat(Allocations.bytesPerRun(forward)).as("bytes per packet relayed").isZero();
        assertThat(leg.sendFailures()).isZero();
    }
}
