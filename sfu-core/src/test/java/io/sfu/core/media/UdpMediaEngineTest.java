package io.sfu.core.media;

import io.sfu.core.session.MediaEngineConfig;
import io.sfu.core.session.TurnAccess;
import io.sfu.core.testing.SelfSignedCertificate;
import io.sfu.core.turn.TurnCredentials;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine's sizes that keep one part from starving the others, and where its ICE-TCP and TURN listeners go. */
class UdpMediaEngineTest {
    @Test
    void eachAgentsQueueTakesAtMostAQuarterOfThePacketPool() {
        // the queue rounds its capacity up to a power of two: this one is taken as given
        assertThat(Integer.bitCount(UdpMediaEngine.AGENT_INBOUND_CAPACITY)).isEqualTo(1);
        assertThat(UdpMediaEngine.AGENT_INBOUND_CAPACITY * 4).isLessThanOrEqualTo(UdpMediaEngine.POOL_SLOTS);
    }

    private static MediaEngineConfig config(int port, MediaEngineConfig.IceTcp tcp) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        return new MediaEngineConfig(new InetSocketAddress(loopback, port), List.of(loopback), Duration.ofSeconds(30),
            Duration.ofSeconds(10), 1).withIceTcp(tcp);
    }

    @Test
    void iceTcpListensOnTheUdpPortsNumberByDefaultAndCountsItsConnections() throws Exception {
        try (UdpMediaEngine engine = new UdpMediaEngine(config(0, MediaEngineConfig.IceTcp.DEFAULT))) {
            assertThat(engine.tcpPort()).isEqualTo(engine.localAddress().getPort());
            assertThat(engine.counters()).containsEntry("media_tcp_connections", 0L)
                .containsKey("media_tcp_frames_dropped_write");
        }
    }

    @Test
    void theRelaysCountersAreThereBeforeItOpensAndItOpensOnceOnItsOwnSocket() throws Exception {
        try (UdpMediaEngine engine = new UdpMediaEngine(config(0, MediaEngineConfig.IceTcp.DISABLED))) {
            // the metrics take the engine's counter names once, at start: the relay's must be among them
            assertThat(engine.counters()).containsEntry("relay_packets_sent", 0L)
                .containsEntry("relay_dropped_auth", 0L).containsEntry("relay_peers", 0L);
            var relay = engine.relay("127.0.0.1", 0);
            assertThat(relay.localAddress().getPort()).isNotEqualTo(engine.localAddress().getPort());
            assertThat(engine.relay("127.0.0.1", 0)).isSameAs(relay);
            relay.sendingKey("b");
            assertThat(engine.counters()).containsEntry("relay_peers", 1L);
            assertThat(relay.sendingKey("b")).hasSize(30).isEqualTo(relay.sendingKey("b"));
        }
    }

    @Test
    void aRelayPortThatIsTakenIsReportedWithTheAddress() throws Exception {
        try (UdpMediaEngine engine = new UdpMediaEngine(config(0, MediaEngineConfig.IceTcp.DISABLED));
             java.nio.channels.DatagramChannel taken = java.nio.channels.DatagramChannel.open()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = ((InetSocketAddress) taken.getLocalAddress()).getPort();
            assertThatThrownBy(() -> engine.relay("127.0.0.1", port))
                .hasMessageContaining("media relay").hasMessageContaining(Integer.toString(port));
        }
    }

    @Test
    void iceTcpTurnedOffHasNoListenerAndNoCounters() throws Exception {
        try (UdpMediaEngine engine = new UdpMediaEngine(config(0, MediaEngineConfig.IceTcp.DISABLED))) {
            assertThat(engine.tcpPort()).isZero();
            assertThat(engine.counters()).doesNotContainKey("media_tcp_connections");
        }
    }

    @Test
    void aTcpPortThatIsTakenStopsTheEngineNamingTheSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            MediaEngineConfig.IceTcp tcp = new MediaEngineConfig.IceTcp(taken.getLocalPort(), 8, 65536);
            assertThatThrownBy(() -> new UdpMediaEngine(config(0, tcp)).close())
                .hasMessageContaining("media.tcpPort").hasMessageContaining(Integer.toString(taken.getLocalPort()));
        }
    }

    @Test
    void turnGivesEachParticipantCredentialsOfItsOwnForTheEnginesTurnPortAndCountsItsAllocations() throws Exception {
        MediaEngineConfig.Turn turn = new MediaEngineConfig.Turn(0, "sfu", new byte[32], Duration.ofHours(1), 8, 2,
            null);
        try (UdpMediaEngine engine = new UdpMediaEngine(config(0, MediaEngineConfig.IceTcp.DISABLED).withTurn(turn))) {
            TurnAccess access = engine.turnAccess("p1");
            int port = engine.turn.localAddress().getPort();

            assertThat(access.urls()).containsExactly("turn:127.0.0.1:" + port + "?transport=udp",
                "turn:127.0.0.1:" + port + "?transport=tcp");
            assertThat(access.username()).endsWith(":p1");
            assertThat(access.credential()).isEqualTo(TurnCredentials.password(new byte[32], access.username()));
            assertThat(engine.counters()).containsEntry("media_turn_allocations", 0L);
        }
    }

    @Test
    void withACertificateTurnAlsoListensForTlsAndGivesATurnsUrlNamingTheConfiguredHost() throws Exception {
        MediaEngineConfig.TurnTls tls = new MediaEngineConfig.TurnTls(0, "turn.example.org",
            SelfSignedCertificate.create("EC").serverContext());
        MediaEngineConfig.Turn turn = new MediaEngineConfig.Turn(0, "sfu", new byte[32], Duration.ofHours(1), 8, 2,
            tls);
        try (UdpMediaEngine engine = new UdpMediaEngine(config(0, MediaEngineConfig.IceTcp.DISABLED).withTurn(turn))) {
            TurnAccess access = engine.turnAccess("p1");
            int port = engine.turn.localAddress().getPort();
            int tlsPort = engine.turn.tlsAddress().getPort();

            assertThat(access.urls()).containsExactly("turn:127.0.0.1:" + port + "?transport=udp",
                "turn:127.0.0.1:" + port + "?transport=tcp", "turns:turn.example.org:" + tlsPort + "?transport=tcp");
            assertThat(engine.counters()).containsEntry("media_turn_tls_failures", 0L)
                .containsEntry("media_turn_connections", 0L);
        }
    }

    @Test
    void withoutTurnNoParticipantGetsTurnAccess() throws Exception {
        try (UdpMediaEngine engine = new UdpMediaEngine(config(0, MediaEngineConfig.IceTcp.DISABLED))) {
            assertThat(engine.turnAccess("p1")).isNull();
            assertThat(engine.counters()).doesNotContainKey("media_turn_allocations");
        }
    }
}
