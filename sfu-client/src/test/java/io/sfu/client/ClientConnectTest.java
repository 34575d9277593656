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
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.sfu.core.dtls.DtlsConfig;
import io.sfu.core.feedback.NtpTime;
import io.sfu.core.rtcp.PictureLossIndication;
import io.sfu.core.rtcp.RtcpCompoundIterator;
import io.sfu.core.rtcp.RtcpHeader;
import io.sfu.core.rtcp.SenderReport;
import io.sfu.core.rtcp.SourceDescription;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.srtp.SrtpProfile;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** ICE, DTLS and SRTP against the loopback fixture, over real UDP, for every SRTP profile. */
class ClientConnectTest {
    private static final int PACKETS = 200;

    private static ClientIoLoop newLoop() {
        return ClientIoLoop.start(ClientIoLoopConfig.builder().socketReceiveBufferBytes(1 << 20).build());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void connectsWithTheProfileTheServerChoosesAndDeliversRtpBitExact(SrtpProfile profile) throws Exception {
        DtlsConfig server = DtlsConfig.builder().initialRetransmitMillis(100).srtpProfiles(profile.id()).build();
        try (MiniSfu sfu = new MiniSfu(server); ClientIoLoop loop = newLoop()) {
            ClientTests.Recorder recorder = new ClientTests.Recorder();
            ClientTests.Publisher p = publish(loop, sfu, List.of(TrackSpec.video("v0")), fastConfig().build(),
                recorder);

            assertThat(p.pc().state()).isEqualTo(ClientState.CONNECTED);
            assertThat(p.pc().srtpProfile()).isEqualTo(profile);
            assertThat(get(p.transport().handshake).srtpProfileId()).isEqualTo(profile.id());
            assertThat(recorder.states).containsExactly(ClientState.CHECKING, ClientState.DTLS, ClientState.CONNECTED);
            assertThat(recorder.threads).allMatch(name -> name.equals(ClientIoLoopConfig.DEFAULT_THREAD_NAME));

            RtpSender sender = p.pc().sender("v0");
            int firstSequence = onLoop(loop, sender::nextSequenceNumber);
            for (int batch = 0; batch < PACKETS; batch += 20) {
                int from = batch;
                onLoop(loop, () -> {
                    for (int i = from; i < from + 20; i++) {
                        byte[] data = payload(i, 100 + (i * 37) % 1000);
                        assertThat(sender.send(data, 0, data.length, i % 10 == 9, 3000L * i)).isTrue();
                    }
                    return null;
                });
            }
            List<byte[]> received = take(p.transport().receivedRtp, PACKETS);

            RtpPacket rtp = new RtpPacket();
            int previousTransportSequence = -1;
            for (int i = 0; i < PACKETS; i++) {
                byte[] packet = received.get(i);
                assertThat(rtp.wrap(new UnsafeBuffer(packet), 0, packet.length)).isTrue();
                assertThat(rtp.ssrc()).isEqualTo(sender.ssrc());
                assertThat(rtp.payloadType()).isEqualTo(ClientSdp.VP8_PT);
                assertThat(rtp.sequenceNumber()).isEqualTo((firstSequence + i) & 0xFFFF);
                assertThat(rtp.timestamp()).isEqualTo(3000L * i);
                assertThat(rtp.marker()).isEqualTo(i % 10 == 9);
                assertThat(ClientTests.rtpPayload(packet)).isEqualTo(payload(i, 100 + (i * 37) % 1000));
                Map<Integer, byte[]> ext = MiniSfu.extensions(packet);
                assertThat(ext.get(ExtensionIds.OFFERED.mid())).isEqualTo("0".getBytes());
                int transportSequence = ((ext.get(ExtensionIds.OFFERED.transportCc())[0] & 0xFF) << 8)
                    | (ext.get(ExtensionIds.OFFERED.transportCc())[1] & 0xFF);
                if (previousTransportSequence >= 0) {
                    assertThat(transportSequence).isEqualTo((previousTransportSequence + 1) & 0xFFFF);
                }
                previousTransportSequence = transportSequence;
                assertThat(ext).containsKey(ExtensionIds.OFFERED.absSendTime());
            }
            assertThat(p.transport().srtpFailures.get()).isZero();
            assertThat(p.pc().stats().rtpPacketsSent()).isEqualTo(PACKETS);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void srtcpFlowsBothWays(SrtpProfile profile) throws Exception {
        DtlsConfig server = DtlsConfig.builder().initialRetransmitMillis(100).srtpProfiles(profile.id()).build();
        try (MiniSfu sfu = new MiniSfu(server); ClientIoLoop loop = newLoop()) {
            ClientTests.Recorder recorder = new ClientTests.Recorder();
            ClientPeerConnectionConfig config = fastConfig().reportIntervalNs(50_000_000L).build();
            ClientTests.Publisher p = publish(loop, sfu, List.of(TrackSpec.video("v0")), config, recorder);
            RtpSender sender = p.pc().sender("v0");
            onLoop(loop, () -> sender.send(new byte[100], 0, 100, true, 90_000));

            // client → server: the periodic sender report with the CNAME, decrypted by the server's SRTCP context
            byte[] report = takeUntil(p.transport().receivedRtcp, b -> (b[1] & 0xFF) == RtcpHeader.SENDER_REPORT);
            RtcpCompoundIterator compound = new RtcpCompoundIterator();
            UnsafeBuffer buffer = new UnsafeBuffer(report);
            assertThat(compound.wrap(buffer, 0, report.length)).isTrue();
            assertThat(compound.next()).isTrue();
            SenderReport sr = new SenderReport();
            assertThat(sr.wrap(buffer, compound.packetOffset(), compound.packetLength())).isTrue();
            assertThat(sr.ssrc()).isEqualTo(sender.ssrc());
            assertThat(sr.packetCount()).isEqualTo(1);
            assertThat(sr.octetCount()).isEqualTo(100);
            long unixNs = System.currentTimeMillis() * 1_000_000L;
            long reportUnixNs = ((sr.ntpTimestamp() >>> 32) - NtpTime.UNIX_EPOCH_OFFSET_SECONDS) * 1_000_000_000L;
            assertThat(Math.abs(reportUnixNs - unixNs)).isLessThan(Duration.ofSeconds(5).toNanos());
            boolean cname = false;
            while (compound.next()) {
                if (compound.packetType() == RtcpHeader.SOURCE_DESCRIPTION) {
                    SourceDescription sdes = new SourceDescription();
                    assertThat(sdes.wrap(buffer, compound.packetOffset(), compound.packetLength())).isTrue();
                    assertThat(sdes.nextChunk()).isTrue();
                    assertThat(sdes.chunkSsrc()).isEqualTo(sender.ssrc());
                    assertThat(sdes.nextItem()).isTrue();
                    byte[] text = new byte[sdes.itemLength()];
                    buffer.getBytes(sdes.itemOffset(), text);
                    assertThat(new String(text)).isEqualTo(p.pc().cname());
                    cname = true;
                }
            }
            assertThat(cname).isTrue();

            // server → client: a PLI for the client's stream reaches the keyframe callback through SRTCP
            byte[] pli = new byte[PictureLossIndication.LENGTH];
            PictureLossIndication.write(new UnsafeBuffer(pli), 0, 0x1234, sender.ssrc());
            assertThat(p.transport().sendRtcp(pli)).isTrue();
            assertThat(recorder.keyframeRequests.poll(30, java.util.concurrent.TimeUnit.SECONDS)).isSameAs(sender);
            byte[] delivered = recorder.rtcp.poll(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(delivered).isEqualTo(pli);
            assertThat(p.pc().stats().keyframeRequestsReceived()).isEqualTo(1);
            assertThat(p.pc().stats().srtpFailures()).isZero();
            assertThat(onLoop(loop, sender::keyframeRequests)).isEqualTo(1);
        }
    }

    @Test
    void receiverReportsFromTheServerGiveTheSenderARoundTripTime() throws Exception {
        try (MiniSfu sfu = new MiniSfu(); ClientIoLoop loop = newLoop()) {
            ClientTests.Recorder recorder = new ClientTests.Recorder();
            ClientPeerConnectionConfig config = fastConfig().reportIntervalNs(20_000_000L).build();
            ClientTests.Publisher p = publish(loop, sfu, List.of(TrackSpec.audio("a0")), config, recorder);
            RtpSender sender = p.pc().sender("a0");
            onLoop(loop, () -> sender.send(new byte[50], 0, 50, false, 960));
            byte[] report = takeUntil(p.transport().receivedRtcp, b -> (b[1] & 0xFF) == RtcpHeader.SENDER_REPORT);
            long ntp = new UnsafeBuffer(report).getLong(SenderReport.NTP_TIMESTAMP_OFFSET, ByteOrder.BIG_ENDIAN);

            // an RR echoing the SR's middle 32 bits with a DLSR of 0: the RTT is the time since the SR was made
            byte[] rr = new byte[io.sfu.core.rtcp.ReceiverReport.length(1)];
            UnsafeBuffer rrBuffer = new UnsafeBuffer(rr);
            io.sfu.core.rtcp.ReceiverReport.write(rrBuffer, 0, 0x5678, 1);
            io.sfu.core.rtcp.ReportBlock.write(rrBuffer, io.sfu.core.rtcp.ReceiverReport.REPORT_BLOCKS_OFFSET,
                sender.ssrc(), 0, 0, 1, 0, NtpTime.middle32(ntp) & 0xFFFF_FFFFL, 0);
            assertThat(p.transport().sendRtcp(rr)).isTrue();
            takeUntil(recorder.rtcp, b -> (b[1] & 0xFF) == RtcpHeader.RECEIVER_REPORT);

            long rttNs = onLoop(loop, p.pc()::rttNs);
            assertThat(rttNs).isNotEqualTo(io.sfu.core.feedback.RttEstimator.DEFAULT_INITIAL_RTT_NS)
                .isBetween(0L, Duration.ofSeconds(5).toNanos());
        }
    }
}
