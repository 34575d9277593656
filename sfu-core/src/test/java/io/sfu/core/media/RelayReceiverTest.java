package io.sfu.core.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfu.core.buffer.PacketPool;
import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.forward.ForwardingAgent;
import io.sfu.core.forward.Leg;
import io.sfu.core.net.DatagramKind;
import io.sfu.core.testing.Allocations;
import io.sfu.core.transport.WebRtcTransport;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The relay socket's dispatch: by source address to a peer, by SSRC (RTP's, or SRTCP's sender) to the relay leg of
 * one room, everything else dropped and counted; without allocating.
 */
class RelayReceiverTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40_000);
    private static final InetSocketAddress STRANGER = new InetSocketAddress("127.0.0.1", 40_001);

    private final PacketPool pool = new PacketPool(64);
    private final ForwardingAgent agent = new ForwardingAgent("relay-test", (datagram, target) -> true,
        SystemNanoClock.INSTANCE, new OffsetEpochNanoClock(), (room, participant) -> { }, 64, 500_000_000L);
    private final RelayCounters counters = new RelayCounters();
    private final RelayCounters.Peer peerCounters = new RelayCounters.Peer();
    private final RelayReceiver receiver = new RelayReceiver(counters);
    private final Leg roomOne = leg("one");
    private final Leg roomTwo = leg("two");

    private Leg leg(String room) {
        return agent.openRelayLeg(WebRtcTransport.relay("relay-" + room, PEER, (datagram, target) -> true,
            new AtomicLong()), room, "peer", 1);
    }

    RelayReceiverTest() {
        Int2ObjectHashMap<Leg> legs = new Int2ObjectHashMap<>();
        legs.put(0x1111, roomOne);
        legs.put(0x2222, roomTwo);
        receiver.routes(Map.of(PEER, new RelayReceiver.PeerRoute(peerCounters, legs)));
    }

    private PacketSlot datagram(InetSocketAddress source, boolean rtcp, int ssrc, int length) {
        PacketSlot slot = pool.acquire();
        slot.buffer().setMemory(0, length, (byte) 0);
        slot.buffer().putByte(0, (byte) 0x80);
        slot.buffer().putByte(1, (byte) (rtcp ? 201 : 96));
        if (length >= 12) {
            slot.buffer().putInt(rtcp ? 4 : 8, ssrc, ByteOrder.BIG_ENDIAN);
        }
        slot.data(0, length);
        slot.source(source);
        return slot;
    }

    /** Hands a datagram to the receiver as the socket does: releases it unless it was kept. */
    private Object hand(PacketSlot slot) {
        if (!receiver.onDatagram(slot)) {
            slot.release();
            return null;
        }
        return slot.context();
    }

    @Test
    void aPeersPacketsReachTheLegOfTheRoomTheirSsrcBelongsTo() {
        PacketSlot rtp = datagram(PEER, false, 0x2222, 100);
        assertThat(hand(rtp)).isSameAs(roomTwo);
        assertThat(rtp.kind()).isEqualTo(DatagramKind.RTP.ordinal());
        PacketSlot rtcp = datagram(PEER, true, 0x1111, 40);
        assertThat(hand(rtcp)).isSameAs(roomOne);
        assertThat(rtcp.kind()).isEqualTo(DatagramKind.RTCP.ordinal());
        assertThat(counters.packetsReceived.get()).isEqualTo(2);
        assertThat(peerCounters.bytesReceived.get()).isEqualTo(140);
        agent.doWork();
        assertThat(pool.inUse()).isZero();
    }

    @Test
    void strangersUnknownSsrcsAndWhatIsNotRtpAreDroppedAndCounted() {
        assertThat(hand(datagram(STRANGER, false, 0x1111, 100))).isNull();
        assertThat(hand(datagram(PEER, false, 0x3333, 100))).isNull();
        assertThat(hand(datagram(PEER, false, 0x1111, 10))).isNull();
        PacketSlot stun = datagram(PEER, false, 0x1111, 100);
        stun.buffer().putByte(0, (byte) 0);
        assertThat(hand(stun)).isNull();

        assertThat(counters.droppedUnknownPeer.get()).isEqualTo(1);
        assertThat(counters.droppedUnknownSsrc.get()).isEqualTo(1);
        assertThat(counters.droppedMalformed.get()).isEqualTo(2);
        assertThat(peerCounters.droppedUnknownSsrc.get()).isEqualTo(1);
        assertThat(counters.packetsReceived.get()).isZero();
        assertThat(pool.inUse()).isZero();
    }

    @Test
    void dispatchAllocatesNothing() {
        Runnable routed = () -> {
            hand(datagram(PEER, false, 0x1111, 200));
            hand(datagram(PEER, true, 0x2222, 60));
            hand(datagram(PEER, false, 0x4444, 200));
            hand(datagram(STRANGER, false, 0x1111, 200));
            // the agent drops them (no keys yet) and gives the slots back
            agent.doWork();
        };
        assertThat(Allocations.bytesPerRun(routed)).as("bytes per dispatch of four datagrams").isZero();
        assertThat(pool.inUse()).isZero();
    }
}
