package io.sfu.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.sfu.core.ice.IceClient;
import io.sfu.core.sdp.MediaKind;
import org.junit.jupiter.api.Test;

/** Settings are validated once, with an error naming the setting; track specs likewise. */
class ClientConfigTest {

    @Test
    void loopSettingsOutOfRangeAreRefusedByName() {
        assertThatThrownBy(() -> ClientIoLoopConfig.builder().bindAddress(null).build())
            .hasMessageContaining("client.bindAddress");
        assertThatThrownBy(() -> ClientIoLoopConfig.builder().clock(null).build()).hasMessageContaining("client.clock");
        assertThatThrownBy(() -> ClientIoLoopConfig.builder().dtlsThreads(0).build())
            .hasMessageContaining("client.dtlsThreads");
        assertThatThrownBy(() -> ClientIoLoopConfig.builder().taskQueueCapacity(1).build())
            .hasMessageContaining("client.taskQueueCapacity");
        assertThatThrownBy(() -> ClientIoLoopConfig.builder().receiveBatch(0).build())
            .hasMessageContaining("client.receiveBatch");
        assertThatThrownBy(() -> ClientIoLoopConfig.builder().maxDatagramBytes(1000).build())
            .hasMessageContaining("client.maxDatagramBytes");
        assertThatThrownBy(() -> ClientIoLoopConfig.builder().socketReceiveBufferBytes(10).build())
            .hasMessageContaining("client.socketReceiveBufferBytes");
        assertThatThrownBy(() -> ClientIoLoopConfig.builder().threadName(" ").build())
            .hasMessageContaining("client.threadName");
        assertThat(ClientIoLoopConfig.defaults().bindAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void peerConnectionSettingsOutOfRangeAreRefusedByName() {
        assertThatThrownBy(() -> ClientPeerConnectionConfig.builder().reportIntervalNs(1).build())
            .hasMessageContaining("pc.reportIntervalNs");
        assertThatThrownBy(() -> ClientPeerConnectionConfig.builder().nackIntervalNs(0).build())
            .hasMessageContaining("pc.nackIntervalNs");
        assertThatThrownBy(() -> ClientPeerConnectionConfig.builder().nackCapacity(100).build())
            .hasMessageContaining("pc.nack");
        assertThatThrownBy(() -> ClientPeerConnectionConfig.builder().videoHistoryPackets(100).build())
            .hasMessageContaining("pc.videoHistoryPackets");
        assertThatThrownBy(() -> ClientPeerConnectionConfig.builder().audioHistoryPackets(-1).build())
            .hasMessageContaining("pc.audioHistoryPackets");
        assertThatThrownBy(() -> ClientPeerConnectionConfig.builder().maxPacketBytes(2000).build())
            .hasMessageContaining("pc.maxPacketBytes");
        assertThatThrownBy(() -> ClientPeerConnectionConfig.builder().maxReceiveStreams(0).build())
            .hasMessageContaining("pc.maxReceiveStreams");
        assertThatThrownBy(() -> ClientPeerConnectionConfig.builder().streamId("a b").build())
            .hasMessageContaining("pc.streamId");
        assertThatThrownBy(() -> ClientPeerConnectionConfig.builder().cname("").build())
            .hasMessageContaining("pc.cname");
        assertThatThrownBy(() -> ClientPeerConnectionConfig.builder().sendImpairment(null).build())
            .hasMessageContaining("pc.sendImpairment");
        assertThatThrownBy(() -> ClientPeerConnectionConfig.builder()
            .iceConfig(IceClient.Config.retransmission(IceClient.Config.DEFAULT_RTO_NS, 0, 1)).build()).hasMessageContaining("pc.iceConfig");
        assertThat(ClientPeerConnectionConfig.defaults().videoHistoryPackets())
            .isEqualTo(ClientPeerConnectionConfig.DEFAULT_VIDEO_HISTORY_PACKETS);
    }

    @Test
    void trackSpecsAreValidated() {
        assertThatThrownBy(() -> new TrackSpec(MediaKind.AUDIO, "a", List.of("q"), false))
            .hasMessageContaining("audio");
        assertThatThrownBy(() -> TrackSpec.video("has space")).hasMessageContaining("trackId");
        assertThatThrownBy(() -> TrackSpec.simulcastVideo("v", "q", "q")).hasMessageContaining("twice");
        assertThatThrownBy(() -> TrackSpec.simulcastVideo("v", "this-rid-is-far-too-long")).hasMessageContaining("rid");
        assertThat(TrackSpec.audio("a").rtx()).isFalse();
        assertThat(TrackSpec.video("v").rtx()).isTrue();
        assertThat(TrackSpec.video("v").withoutRtx().rtx()).isFalse();
    }
}
