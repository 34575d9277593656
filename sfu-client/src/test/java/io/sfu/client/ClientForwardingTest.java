package io.sfu.client;

import static io.sfu.client.ClientTests.fastConfig;
import static io.sfu.client.ClientTests.get;
import static io.sfu.client.ClientTests.onLoop;
import static io.sfu.client.ClientTests.payload;
import static io.sfu.client.ClientTests.publish;
import static io.sfu.client.ClientTests.take;
import static io.sfu.client.ClientTests.takeUntil;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.sfu.core.rtcp.GenericNack;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.sdp.MediaKind;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A publisher and a subscriber connected through the fixture, which forwards RTP and RTCP between them unchanged:
 * track attribution from the subscriber offer, NACK → RTX → recovered delivery, random loss, simulcast headers.
 */
class ClientForwardingTest {
    private MiniSfu sfu;
    private ClientIoLoop loop;

    @BeforeEach
    void start() throws Exception {
        sfu = new MiniSfu();
        loop = ClientIoLoop.start(ClientIoLoopConfig.builder().socketReceiveBufferBytes(1 << 20).build());
    }

    @AfterEach
    void stop() throws Exception {
        loop.close();
        sfu.close();
    }

    private record Subscriber(ClientPeerConnection pc, MiniSfu.Transport transport) {
    }

    private Subscriber subscribe(MiniSfu.Transport publisher, ClientPeerConnectionConfig config,
        ClientTests.Recorder recorder) throws Exception {
        MiniSfu.Transport transport = sfu.newTransport();
        ClientPeerConnection pc = loop.newPeerConnection(config, recorder);
        transport.acceptAnswer(pc.acceptOffer(transport.subscriberOffer("alice", publisher.published)));
        publisher.forwardTo.add(transport);
        transport.forwardTo.add(publisher);
        get(pc.connected());
        get(transport.handshake);
        return new Subscriber(pc, transport);
    }

    /** The SSRCs of every report block in an RTCP compound packet. */
    private static List<Integer> reportBlockSsrcs(byte[] compoundPacket) {
        List<Integer> ssrcs = new ArrayList<>();
        UnsafeBuffer buffer = new UnsafeBuffer(compoundPacket);
        io.sfu.core.rtcp.RtcpCompoundIterator compound = new io.sfu.core.rtcp.RtcpCompoundIterator();
        io.sfu.core.rtcp.ReceiverReport rr = new io.sfu.core.rtcp.ReceiverReport();
        io.sfu.core.rtcp.ReportBlock block = new io.sfu.core.rtcp.ReportBlock();
        if (compound.wrap(buffer, 0, compoundPacket.length)) {
            while (compound.next()) {
                if (compound.packetType() == io.sfu.core.rtcp.RtcpHeader.RECEIVER_REPORT
                    && rr.wrap(buffer, compound.packetOffset(), compound.packetLength())) {
                    for (int i = 0; i < rr.reportCount(); i++) {
                        ssrcs.add(rr.reportBlock(i, block).ssrc());
                    }
                }
            }
        }
        return ssrcs;
    }

    private void send(RtpSender sender, int from, int count) throws Exception {
        for (int start = from; start < from + count; start += 10) {
            int first = start;
            int last = Math.min(from + count, start + 10);
            onLoop(loop, () -> {
                for (int i = first; i < last; i++) {
                    byte[] data = payload(i, 200 + i % 300);
                    if (!sender.send(data, 0, data.length, false, 3000L * i)) {
                        throw new AssertionError("send refused at " + i);
                    }
                }
                return null;
            });
        }
    }

    @Test
    void forwardedTracksAreAttributedToTheirParticipantAndArriveBitExact() throws Exception {
        ClientTests.Recorder publisherEvents = new ClientTests.Recorder();
        ClientTests.Publisher p = publish(loop, sfu, List.of(TrackSpec.audio("mic"), TrackSpec.video("cam")),
            fastConfig().build(), publisherEvents);
        ClientTests.Recorder events = new ClientTests.Recorder();
        Subscriber s = subscribe(p.transport(), fastConfig().reportIntervalNs(50_000_000L).build(), events);
        RtpSender mic = p.pc().sender("mic");
        RtpSender cam = p.pc().sender("cam");

        assertThat(events.tracks).containsExactlyInAnyOrder(
            new RemoteTrack("alice", "mic", MediaKind.AUDIO, "0", mic.ssrc(), 0, ClientSdp.OPUS_PT, 48_000),
            new RemoteTrack("alice", "cam", MediaKind.VIDEO, "1", cam.ssrc(), cam.rtxSsrc(), ClientSdp.VP8_PT, 90_000));
        assertThat(s.pc().remoteTracks()).hasSize(2);

        int micFirst = onLoop(loop, mic::nextSequenceNumber);
        int camFirst = onLoop(loop, cam::nextSequenceNumber);
        send(cam, 0, 100);
        send(mic, 1000, 50);
        List<ClientTests.Received> received = events.takeRtp(150);

        int video = 0;
        int audio = 0;
        for (ClientTests.Received r : received) {
            assertThat(r.retransmission()).isFalse();
            if (r.ssrc() == cam.ssrc()) {
                assertThat(r.sequence()).isEqualTo((camFirst + video) & 0xFFFF);
                assertThat(r.payload()).isEqualTo(payload(video, 200 + video % 300));
                assertThat(r.payloadType()).isEqualTo(ClientSdp.VP8_PT);
                video++;
            } else {
                assertThat(r.ssrc()).isEqualTo(mic.ssrc());
                assertThat(r.sequence()).isEqualTo((micFirst + audio) & 0xFFFF);
                assertThat(r.payload()).isEqualTo(payload(1000 + audio, 200 + (1000 + audio) % 300));
                audio++;
            }
        }
        assertThat(video).isEqualTo(100);
        assertThat(audio).isEqualTo(50);
        ReceiveStream camStream = onLoop(loop, () -> s.pc().receiveStream(cam.ssrc()));
        assertThat(onLoop(loop, camStream::packetsReceived)).isEqualTo(100);
        assertThat(onLoop(loop, () -> camStream.statistics().cumulativeLost())).isZero();
        assertThat(onLoop(loop, () -> camStream.nackGenerator() != null)).isTrue();
        assertThat(onLoop(loop, () -> s.pc().receiveStream(mic.ssrc()).nackGenerator())).isNull();
        // the subscriber's receiver report about the camera stream reaches the fixture
        takeUntil(s.transport().receivedRtcp, b -> reportBlockSsrcs(b).contains(cam.ssrc()));
    }

    @Test
    void aPacketLostOnTheWayIsNackedSentAgainAsRtxAndDeliveredWithItsOriginalSequenceNumber() throws Exception {
        ClientTests.Publisher p = publish(loop, sfu, List.of(TrackSpec.video("cam")), fastConfig().build(),
            new ClientTests.Recorder());
        ClientTests.Recorder events = new ClientTests.Recorder();
        Subscriber s = subscribe(p.transport(), fastConfig().build(), events);
        RtpSender cam = p.pc().sender("cam");
        int first = onLoop(loop, cam::nextSequenceNumber);
        Set<Integer> lost = Set.of((first + 20) & 0xFFFF, (first + 21) & 0xFFFF, (first + 50) & 0xFFFF);
        for (int sequence : lost) {
            p.transport().dropOnce(cam.ssrc(), sequence);
        }

        send(cam, 0, 100);
        List<ClientTests.Received> received = events.takeRtp(100);

        Map<Integer, ClientTests.Received> bySequence = new HashMap<>();
        for (ClientTests.Received r : received) {
            assertThat(bySequence.put(r.sequence(), r)).as("delivered twice: %d", r.sequence()).isNull();
            assertThat(r.ssrc()).isEqualTo(cam.ssrc());
            assertThat(r.payloadType()).isEqualTo(ClientSdp.VP8_PT);
            int index = (r.sequence() - first) & 0xFFFF;
            assertThat(r.payload()).isEqualTo(payload(index, 200 + index % 300));
            assertThat(r.retransmission()).isEqualTo(lost.contains(r.sequence()));
        }
        assertThat(bySequence).hasSize(100);
        // the fixture saw the RTX packets: own SSRC and payload type, the original sequence number first
        List<byte[]> atServer = new ArrayList<>(p.transport().receivedRtp);
        Set<Integer> repaired = new TreeSet<>();
        RtpPacket rtp = new RtpPacket();
        for (byte[] packet : atServer) {
            rtp.wrap(new UnsafeBuffer(packet), 0, packet.length);
            if (rtp.ssrc() == cam.rtxSsrc()) {
                assertThat(rtp.payloadType()).isEqualTo(ClientSdp.VP8_RTX_PT);
                repaired.add(new UnsafeBuffer(packet).getShort(rtp.payloadOffset(), ByteOrder.BIG_ENDIAN) & 0xFFFF);
            }
        }
        assertThat(repaired).containsExactlyInAnyOrderElementsOf(lost);
        assertThat(s.pc().stats().nacksSent()).isPositive();
        assertThat(s.pc().stats().retransmissionsReceived()).isEqualTo(3);
        assertThat(p.pc().stats().nacksReceived()).isPositive();
        assertThat(p.pc().stats().retransmissionsSent()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void withoutRtxTheOriginalPacketIsSentAgain() throws Exception {
        ClientTests.Publisher p = publish(loop, sfu, List.of(TrackSpec.video("cam").withoutRtx()),
            fastConfig().build(), new ClientTests.Recorder());
        ClientTests.Recorder events = new ClientTests.Recorder();
        Subscriber s = subscribe(p.transport(), fastConfig().build(), events);
        RtpSender cam = p.pc().sender("cam");
        assertThat(cam.rtxSsrc()).isZero();
        int first = onLoop(loop, cam::nextSequenceNumber);
        int dropped = (first + 7) & 0xFFFF;
        p.transport().dropOnce(cam.ssrc(), dropped);

        send(cam, 0, 20);
        List<ClientTests.Received> received = events.takeRtp(20);

        ClientTests.Received recovered = received.stream().filter(r -> r.sequence() == dropped).findFirst()
            .orElseThrow();
        assertThat(recovered.retransmission()).isTrue();
        assertThat(recovered.ssrc()).isEqualTo(cam.ssrc());
        assertThat(recovered.payload()).isEqualTo(payload(7, 207));
        assertThat(received.stream().filter(ClientTests.Received::retransmission)).hasSize(1);
    }

    @Test
    void randomLossAtTheSubscriberIsRecoveredAndEveryPacketDeliveredOnce() throws Exception {
        // the burst below is sent within milliseconds: keep all of it, so that a second NACK (after a lost RTX)
        // still finds its packet in the history
        ClientTests.Publisher p = publish(loop, sfu, List.of(TrackSpec.video("cam")),
            fastConfig().videoHistoryPackets(1024).build(), new ClientTests.Recorder());
        Impairment loss = Impairment.builder().lossRate(0.05).seed(7).build();
        ClientTests.Recorder events = new ClientTests.Recorder();
        Subscriber s = subscribe(p.transport(), fastConfig().receiveImpairment(loss).build(), events);
        RtpSender cam = p.pc().sender("cam");

        int first = onLoop(loop, cam::nextSequenceNumber);
        // 10 packets before the 300 counted start the stream (a lost first packet is unknowable to any receiver),
        // 20 after them reveal a loss among the last ones
        send(cam, 0, 330);
        Set<Integer> wanted = new TreeSet<>();
        for (int i = 10; i < 310; i++) {
            wanted.add((first + i) & 0xFFFF);
        }
        List<ClientTests.Received> received = events.takeRtpUntilSeen(wanted);

        Set<Integer> sequences = new TreeSet<>();
        for (ClientTests.Received r : received) {
            assertThat(sequences.add(r.sequence())).as("seed 7: delivered twice: %d", r.sequence()).isTrue();
        }
        assertThat(sequences).containsAll(wanted);
        long dropped = s.pc().stats().get(ClientStats.Counter.IMPAIRED_RECEIVE_DROPS);
        assertThat(dropped).as("seed 7").isPositive();
        long flagged = received.stream().filter(ClientTests.Received::retransmission).count();
        assertThat(flagged).as("seed 7").isPositive();
        // repairs of the trailing packets may still be arriving: the counter is at least what was collected
        assertThat(s.pc().stats().retransmissionsReceived()).isGreaterThanOrEqualTo(flagged);
    }

    @Test
    void simulcastLayersCarryMidAndRidAndTheirRetransmissionsCarryRepairedRid() throws Exception {
        ClientTests.Publisher p = publish(loop, sfu, List.of(TrackSpec.simulcastVideo("cam", "q", "h", "f")),
            fastConfig().build(), new ClientTests.Recorder());
        List<RtpSender> layers = p.pc().senders("cam");
        assertThat(layers).extracting(RtpSender::rid).containsExactly("q", "h", "f");
        for (RtpSender layer : layers) {
            send(layer, 0, 5);
        }
        List<byte[]> atServer = take(p.transport().receivedRtp, 15);
        Map<Integer, String> ridBySsrc = new HashMap<>();
        for (byte[] packet : atServer) {
            Map<Integer, byte[]> ext = MiniSfu.extensions(packet);
            assertThat(new String(ext.get(ExtensionIds.OFFERED.mid()))).isEqualTo("0");
            ridBySsrc.put(new UnsafeBuffer(packet).getInt(RtpPacket.SSRC_OFFSET, ByteOrder.BIG_ENDIAN),
                new String(ext.get(ExtensionIds.OFFERED.rid())));
        }
        assertThat(ridBySsrc).containsOnlyKeys(layers.get(0).ssrc(), layers.get(1).ssrc(), layers.get(2).ssrc())
            .containsEntry(layers.get(1).ssrc(), "h");

        RtpSender h = layers.get(1);
        int lostSequence = (onLoop(loop, h::nextSequenceNumber) - 3) & 0xFFFF;
        byte[] nack = new byte[GenericNack.maxLength(1)];
        GenericNack.write(new UnsafeBuffer(nack), 0, 0x77, h.ssrc(), new int[] {lostSequence}, 1);
        assertThat(p.transport().sendRtcp(nack)).isTrue();

        byte[] rtx = takeUntil(p.transport().receivedRtp,
            b -> new UnsafeBuffer(b).getInt(RtpPacket.SSRC_OFFSET, ByteOrder.BIG_ENDIAN) == h.rtxSsrc());
        RtpPacket packet = new RtpPacket();
        UnsafeBuffer buffer = new UnsafeBuffer(rtx);
        assertThat(packet.wrap(buffer, 0, rtx.length)).isTrue();
        assertThat(packet.payloadType()).isEqualTo(ClientSdp.VP8_RTX_PT);
        assertThat(buffer.getShort(packet.payloadOffset(), ByteOrder.BIG_ENDIAN) & 0xFFFF).isEqualTo(lostSequence);
        Map<Integer, byte[]> ext = MiniSfu.extensions(rtx);
        assertThat(ext).doesNotContainKey(ExtensionIds.OFFERED.rid());
        assertThat(new String(ext.get(ExtensionIds.OFFERED.repairedRid()))).isEqualTo("h");
        assertThat(new String(ext.get(ExtensionIds.OFFERED.mid()))).isEqualTo("0");
        byte[] original = payload(2, 202);
        byte[] carried = new byte[original.length];
        buffer.getBytes(packet.payloadOffset() + 2, carried);
        assertThat(carried).isEqualTo(original);
    }

    @Test
    void aTrackOfferedWithoutSsrcsIsRecognisedByTheMidOfItsPackets() throws Exception {
        ClientTests.Publisher p = publish(loop, sfu, List.of(TrackSpec.video("cam")), fastConfig().build(),
            new ClientTests.Recorder());
        MiniSfu.PublishedInfo known = p.transport().published.get(0);
        MiniSfu.PublishedInfo withoutSsrcs = new MiniSfu.PublishedInfo(known.kind(), known.trackId(), -1, -1,
            known.codec(), known.rtxPayloadType());
        MiniSfu.Transport transport = sfu.newTransport();
        ClientTests.Recorder events = new ClientTests.Recorder();
        ClientPeerConnection sub = loop.newPeerConnection(fastConfig().build(), events);
        String offer = transport.subscriberOffer("alice", List.of(withoutSsrcs));
        assertThat(offer).doesNotContain("a=ssrc");
        transport.acceptAnswer(sub.acceptOffer(offer));
        p.transport().forwardTo.add(transport);
        get(sub.connected());
        get(transport.handshake);
        assertThat(events.tracks).isEmpty();

        RtpSender cam = p.pc().sender("cam");
        send(cam, 0, 5);
        events.takeRtp(5);

        assertThat(events.tracks).containsExactly(
            new RemoteTrack("alice", "cam", MediaKind.VIDEO, "0", cam.ssrc(), 0, ClientSdp.VP8_PT, 90_000));
        assertThat(sub.remoteTracks()).hasSize(1);
    }

    @Test
    void jitterAndReorderingAtTheSubscriberDeliverEveryPacketOnceOutOfOrder() throws Exception {
        ClientTests.Publisher p = publish(loop, sfu, List.of(TrackSpec.video("cam")), fastConfig().build(),
            new ClientTests.Recorder());
        Impairment shuffle = Impairment.builder().jitterNs(3_000_000L).reorderRate(0.1).reorderDelayNs(8_000_000L)
            .seed(13).build();
        ClientTests.Recorder events = new ClientTests.Recorder();
        Subscriber s = subscribe(p.transport(),
            fastConfig().receiveImpairment(shuffle).nackReorderDelayNs(50_000_000L).build(), events);
        RtpSender cam = p.pc().sender("cam");
        int first = onLoop(loop, cam::nextSequenceNumber);

        send(cam, 0, 200);
        List<ClientTests.Received> received = events.takeRtp(200);

        List<Integer> order = new ArrayList<>();
        for (ClientTests.Received r : received) {
            int index = (r.sequence() - first) & 0xFFFF;
            order.add(index);
            assertThat(r.payload()).isEqualTo(payload(index, 200 + index % 300));
        }
        assertThat(order).as("seed 13").doesNotHaveDuplicates().hasSize(200).isNotEqualTo(order.stream().sorted()
            .toList());
        assertThat(s.pc().stats().get(ClientStats.Counter.IMPAIRED_RECEIVE_DROPS)).isZero();
    }

    @Test
    void aKeyframeRequestFromTheSubscriberReachesThePublisher() throws Exception {
        ClientTests.Recorder publisherEvents = new ClientTests.Recorder();
        ClientTests.Publisher p = publish(loop, sfu, List.of(TrackSpec.video("cam")), fastConfig().build(),
            publisherEvents);
        Subscriber s = subscribe(p.transport(), fastConfig().build(), new ClientTests.Recorder());
        RtpSender cam = p.pc().sender("cam");

        assertThat(onLoop(loop, () -> s.pc().requestKeyframe(cam.ssrc()))).isTrue();

        assertThat(publisherEvents.keyframeRequests.poll(30, java.util.concurrent.TimeUnit.SECONDS)).isSameAs(cam);
        assertThat(s.pc().stats().plisSent()).isEqualTo(1);
        assertThat(p.pc().stats().keyframeRequestsReceived()).isEqualTo(1);
    }
}
