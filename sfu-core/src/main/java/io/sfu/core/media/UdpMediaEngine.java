package io.sfu.core.media;

import io.sfu.core.buffer.PacketPool;
import io.sfu.core.dtls.DtlsCertificate;
import io.sfu.core.dtls.DtlsConfig;
import io.sfu.core.dtls.DtlsSrtpProfiles;
import io.sfu.core.dtls.DtlsEndpoint;
import io.sfu.core.forward.AgentThread;
import io.sfu.core.forward.ForwardingAgent;
import io.sfu.core.forward.ForwardingListener;
import io.sfu.core.logging.RateLimitedLog;
import io.sfu.core.net.IceTcpServer;
import io.sfu.core.net.MediaOutput;
import io.sfu.core.net.MediaSocket;
import io.sfu.core.session.MediaEngine;
import io.sfu.core.session.MediaEngineConfig;
import io.sfu.core.session.MediaRelay;
import io.sfu.core.session.MediaSession;
import io.sfu.core.session.MediaSessionContext;
import io.sfu.core.session.MediaSessionListener;
import io.sfu.core.session.TurnAccess;
import io.sfu.core.session.TurnRelayed;
import io.sfu.core.transport.Demultiplexer;
import io.sfu.core.turn.TurnCredentials;
import io.sfu.core.turn.TurnServer;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The SFU's media plane: one UDP socket for every peer connection (and an ICE-TCP listener for peers without UDP,
 * whose frames join the same receive thread), the receive thread that demultiplexes it, the forwarding agents that
 * rooms are sharded to, the DTLS handshake pool and the timer that checks ICE consent and restarts a media thread
 * that ended. It creates a {@link UdpMediaSession} per participant.
 */
public final class UdpMediaEngine implements MediaEngine {
    private static final Logger LOG = LoggerFactory.getLogger(UdpMediaEngine.class);
    private static final RateLimitedLog ERRORS = new RateLimitedLog(LOG);
    static final int POOL_SLOTS = 8192;
    /** Datagrams queued toward one agent: a quarter of the pool, so an agent that stops draining holds no more. */
    static final int AGENT_INBOUND_CAPACITY = POOL_SLOTS / 4;
    /** Handshakes waiting for a thread once {@code dtls.maxConcurrentHandshakes} run; more are refused. */
    static final int DTLS_QUEUE = 4096;
    /** Tries at a TCP port with the number of an ephemeral UDP port that is free for TCP too. */
    private static final int TCP_BIND_ATTEMPTS = 16;

    final MediaEngineConfig config;
    final MediaSocket socket;
    /** The ICE-TCP listener; null when {@code media.tcpPort} is -1. */
    final IceTcpServer tcp;
    /** The embedded TURN server; null when {@code turn.enabled} is false. */
    final TurnServer turn;
    /** Where every outgoing packet goes: the peer's TCP connection if it has one, else the UDP socket. */
    final MediaOutput output;
    final PacketPool pool;
    final Demultiplexer demultiplexer;
    final DtlsCertificate certificate = DtlsCertificate.generate();
    final DtlsConfig dtlsConfig;
    final ExecutorService dtlsExecutor;
    final List<InetSocketAddress> announced;
    private final ForwardingAgent[] agents;
    private final List<AgentThread> agentThreads = new ArrayList<>();
    private final ScheduledExecutorService timer;
    /** The data channels' thread; null when {@code dataChannels.enabled} is false. */
    final DataPlane dataPlane;
    /** Every open session, by participant id; the consent timer and dominant-speaker reports read it. */
    final Map<String, UdpMediaSession> sessions = new ConcurrentHashMap<>();
    /** The relay to the other nodes of a cluster, opened by {@link #relay}; null until then. */
    private volatile UdpMediaRelay relay;
    /**
     * The relay's counters, there from the start (zero until the relay opens), so that the metrics, which take the
     * engine's counter names once at start, show them whenever the cluster layer opens the relay.
     */
    final RelayCounters relayCounters = new RelayCounters();
    /** The mirrors of tracks on the agents of a room spread over several; control thread. */
    final AgentBridges bridges;
    /** Published tracks by track id, for building subscriptions; touched by the control thread only. */
    final Map<String, PublishedTrackInfo> published = new ConcurrentHashMap<>();

    public UdpMediaEngine(MediaEngineConfig config) throws IOException {
        this.config = config;
        this.pool = new PacketPool(POOL_SLOTS);
        MediaSocket udp = MediaSocket.bind(config.bindAddress(), pool);
        IceTcpServer tcpServer = null;
        for (int attempt = 1; config.iceTcp().enabled(); attempt++) {
            try {
                tcpServer = bindTcp(config, udp.localAddress(), pool);
                break;
            } catch (IOException e) {
                if (!(e instanceof java.net.BindException) || config.bindAddress().getPort() != 0
                    || config.iceTcp().port() != 0 || attempt == TCP_BIND_ATTEMPTS) {
                    udp.close();
                    throw e;
                }
                // the UDP port was any free one: find one whose number TCP has free too
                udp.close();
                udp = MediaSocket.bind(config.bindAddress(), pool);
            }
        }
        this.socket = udp;
        this.tcp = tcpServer;
        this.announced = announcedAddresses(config, socket.localAddress());
        try {
            this.turn = config.turn().enabled() ? bindTurn(config, announced, pool) : null;
        } catch (IOException e) {
            if (tcp != null) {
                tcp.close();
            }
            socket.close();
            throw e;
        }
        this.output = new MediaOutput(socket, tcp, turn);
        this.demultiplexer = new Demultiplexer(output);
        if (tcp != null) {
            demultiplexer.pathListener(tcp);
        }
        this.dtlsConfig = DtlsConfig.builder().handshakeTimeout(config.dtlsHandshakeTimeout())
            .srtpProfiles(srtpProfileIds(config.srtpProfiles())).build();
        this.dtlsExecutor = DtlsEndpoint.newHandshakeExecutor(config.dtlsMaxConcurrentHandshakes(), DTLS_QUEUE);
        this.bridges = new AgentBridges(pool);
        this.agents = new ForwardingAgent[config.forwardingWorkers()];
        for (int i = 0; i < agents.length; i++) {
            int index = i;
            // a room spread over agents elects its speaker on each; its home agent's election is the one reported
            ForwardingListener listener = (room, speaker) -> {
                if (agentFor(room) == agents[index]) {
                    onDominantSpeaker(room, speaker);
                }
            };
            agents[i] = new ForwardingAgent("sfu-forward-" + i, output, SystemNanoClock.INSTANCE,
                new OffsetEpochNanoClock(), listener, AGENT_INBOUND_CAPACITY, TimeUnit.MILLISECONDS.toNanos(500),
                config.retransmitBudgetPercent());
            agentThreads.add(agents[i].start());
        }
        if (config.dataChannels().enabled()) {
            // supervised, counted and closed as the forwarding agents are
            this.dataPlane = new DataPlane(config.dataChannels(), System::nanoTime);
            agentThreads.add(dataPlane.start());
        } else {
            this.dataPlane = null;
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "sfu-media-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::onTimer, 1, 1, TimeUnit.SECONDS);
        socket.start(demultiplexer);
        if (tcp != null) {
            tcp.start(socket::handOver);
        }
        if (turn != null) {
            turn.start(socket);
        }
        LOG.info("media engine on udp {} (ice-tcp {}, turn {}) announcing {} with {} forwarding agent(s); DTLS "
            + "fingerprint {}", socket.localAddress(), tcp == null ? "off" : tcp.localAddress().getPort(),
            turn == null ? "off" : turn.localAddress().getPort() + (turn.tlsAddress() == null ? ""
                : ", turns " + turn.tlsAddress().getPort()), announced, agents.length, certificate.fingerprint());
    }

    /** The TURN server: its relayed addresses on the first announced address, its peers the announced ones. */
    private static TurnServer bindTurn(MediaEngineConfig config, List<InetSocketAddress> announced, PacketPool pool)
        throws IOException {
        MediaEngineConfig.Turn settings = config.turn();
        InetSocketAddress local = new InetSocketAddress(config.bindAddress().getAddress(), settings.port());
        TurnServer.Settings defaults = TurnServer.Settings.defaults(settings.realm(), settings.secret());
        try {
            return TurnServer.bind(local, announced.get(0).getAddress(), announced, pool,
                new TurnServer.Settings(settings.realm(), settings.secret(), settings.maxAllocations(),
                    settings.maxAllocationsPerUser(), defaults.defaultLifetime(), defaults.maxLifetime(),
                    defaults.nonceLifetime(), defaults.maxTcpConnections(), defaults.tcpWriteBufferBytes(),
                    defaults.failedAuthsPerSecond()), java.time.Clock.systemUTC(), SystemNanoClock.INSTANCE,
                settings.tls() == null ? null
                    : new TurnServer.TlsListener(settings.tls().port(), settings.tls().context()));
        } catch (java.net.BindException e) {
            java.net.BindException named = new java.net.BindException("cannot listen for TURN (turn.port) on "
                + local + (settings.tls() == null ? "" : " or for TURN over TLS (turn.tlsPort) on port "
                + settings.tls().port()) + ": " + e.getMessage());
            named.initCause(e);
            throw named;
        }
    }

    /**
     * Opens the relay socket on the first call (its failure to bind is thrown, unchecked, naming the address), and
     * returns the same relay on every later one, whatever their arguments.
     */
    @Override
    public synchronized MediaRelay relay(String host, int port) {
        if (relay == null) {
            InetSocketAddress local = new InetSocketAddress(host, port);
            try {
                relay = new UdpMediaRelay(this, local);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot open the media relay on " + local + ": "
                    + e.getMessage(), e);
            }
        }
        return relay;
    }

    /** Publishes a track (a new one, or one renegotiated) for subscriptions; its mirrors on other agents follow. */
    void publish(PublishedTrackInfo info) {
        published.put(info.trackId(), info);
        bridges.onPublished(info);
    }

    /** A track is no longer published: its mirrors go, and the relay stops sending it to peers. Control thread. */
    void onUnpublished(String trackId) {
        bridges.onUnpublished(trackId);
        UdpMediaRelay open = relay;
        if (open != null) {
            open.onUnpublished(trackId);
        }
    }

    @Override
    public TurnRelayed turnRelayed(String participantId) {
        TurnServer.Usage usage = turn == null ? null : turn.usage(participantId);
        return usage == null ? null : new TurnRelayed(usage.allocations(), usage.bytesToSfu(), usage.bytesToClient(),
            usage.packetsToSfu(), usage.packetsToClient());
    }

    @Override
    public TurnAccess turnAccess(String participantId) {
        if (turn == null) {
            return null;
        }
        InetAddress ip = announced.get(0).getAddress();
        String host = ip instanceof java.net.Inet6Address ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress();
        String at = "turn:" + host + ":" + turn.localAddress().getPort() + "?transport=";
        List<String> urls = new ArrayList<>(List.of(at + "udp", at + "tcp"));
        InetSocketAddress tls = turn.tlsAddress();
        if (tls != null) {
            // the host a client checks the certificate against
            String tlsHost = config.turn().tls().host();
            urls.add("turns:" + (tlsHost.isEmpty() ? host : tlsHost) + ":" + tls.getPort() + "?transport=tcp");
        }
        long expiry = System.currentTimeMillis() / 1000 + config.turn().credentialTtl().toSeconds();
        String username = TurnCredentials.username(expiry, participantId);
        return new TurnAccess(urls, username, TurnCredentials.password(config.turn().secret(), username));
    }

    private static IceTcpServer bindTcp(MediaEngineConfig config, InetSocketAddress udp, PacketPool pool)
        throws IOException {
        MediaEngineConfig.IceTcp settings = config.iceTcp();
        int port = settings.port() == 0 ? udp.getPort() : settings.port();
        Duration idle = config.consentTimeout();
        Duration firstCheck = idle.compareTo(IceTcpServer.Settings.DEFAULT_FIRST_CHECK_TIMEOUT) < 0 ? idle
            : IceTcpServer.Settings.DEFAULT_FIRST_CHECK_TIMEOUT;
        InetSocketAddress local = new InetSocketAddress(config.bindAddress().getAddress(), port);
        try {
            return IceTcpServer.bind(local, pool, new IceTcpServer.Settings(settings.maxConnections(),
                settings.writeBufferBytes(), firstCheck, idle));
        } catch (java.net.BindException e) {
            java.net.BindException named = new java.net.BindException("cannot listen for ICE-TCP (media.tcpPort) on "
                + local + ": " + e.getMessage());
            named.initCause(e);
            throw named;
        }
    }

    /** The ICE-TCP listener's port, announced in passive TCP candidates; 0 when ICE-TCP is off. */
    int tcpPort() {
        return tcp == null ? 0 : tcp.localAddress().getPort();
    }

    private static int[] srtpProfileIds(List<String> names) {
        int[] ids = new int[names.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = DtlsSrtpProfiles.byName(names.get(i));
            if (ids[i] < 0) {
                throw new IllegalArgumentException("unknown SRTP protection profile " + names.get(i));
            }
        }
        return ids;
    }

    private static List<InetSocketAddress> announcedAddresses(MediaEngineConfig config, InetSocketAddress bound)
        throws IOException {
        List<InetAddress> hosts = config.announceAddresses().isEmpty()
            ? MediaSocket.hostAddresses(bound.getAddress()) : config.announceAddresses();
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (InetAddress host : hosts) {
            addresses.add(new InetSocketAddress(host, bound.getPort()));
        }
        if (addresses.isEmpty()) {
            throw new IOException("no address to announce for media socket " + bound);
        }
        return List.copyOf(addresses);
    }

    /**
     * A room's home agent: where its sessions go until it holds {@code forwarding.spreadRoomsFrom} of them, where
     * the cluster relay's legs of the room live, and whose speaker election is reported.
     */
    ForwardingAgent agentFor(String roomName) {
        return agents[Math.floorMod(roomName.hashCode(), agents.length)];
    }

    /**
     * The agent a new session of {@code roomName} lives on: the room's home agent, unless that already holds
     * {@code forwarding.spreadRoomsFrom} of the room's sessions and another agent holds fewer sessions of any room
     * than it; then the agent that holds fewest. Control thread.
     */
    ForwardingAgent agentForSession(String roomName) {
        ForwardingAgent home = agentFor(roomName);
        int spreadFrom = config.spreadRoomsFrom();
        if (agents.length == 1 || spreadFrom == 0) {
            return home;
        }
        int roomAtHome = 0;
        for (UdpMediaSession session : sessions.values()) {
            if (session.agent() == home && session.context().roomName().equals(roomName)) {
                roomAtHome++;
            }
        }
        if (roomAtHome < spreadFrom) {
            return home;
        }
        int[] load = sessionsPerAgent();
        int least = Math.floorMod(roomName.hashCode(), agents.length);
        for (int i = 0; i < agents.length; i++) {
            if (load[i] < load[least]) {
                least = i;
            }
        }
        return agents[least];
    }

    @Override
    public MediaSession createSession(MediaSessionContext context, MediaSessionListener listener) {
        UdpMediaSession session = new UdpMediaSession(this, context, listener);
        sessions.put(context.participantId(), session);
        if (turn != null) {
            turn.participantJoined(context.participantId());
        }
        return session;
    }

    void onSessionClosed(UdpMediaSession session) {
        sessions.remove(session.context().participantId(), session);
        if (turn != null) {
            turn.participantLeft(session.context().participantId());
        }
    }

    private void onDominantSpeaker(String roomKey, String participantId) {
        UdpMediaSession session = sessions.get(participantId);
        if (session != null) {
            session.reportDominantSpeaker(participantId);
        }
    }

    private void onTimer() {
        try {
            superviseThreads();
            checkConsent();
        } catch (ThreadDeath death) {
            throw death;
        } catch (Throwable failure) {
            // an exception would cancel the schedule, and with it consent checks and supervision
            ERRORS.error("timer", "media timer failed; it runs again in a second", failure);
        }
    }

    /**
     * Restarts a forwarding agent or the receive thread whose thread ended (each catches what one duty cycle throws,
     * so this is the last line of defence). Their state belongs to the agent or the socket, not to the thread.
     */
    void superviseThreads() {
        for (AgentThread thread : agentThreads) {
            thread.restartIfStopped();
        }
        socket.restartReceiverIfStopped();
        UdpMediaRelay open = relay;
        if (open != null) {
            open.socket.restartReceiverIfStopped();
        }
    }

    private void checkConsent() {
        long now = System.nanoTime();
        for (UdpMediaSession session : sessions.values()) {
            try {
                session.checkConsent(now);
            } catch (RuntimeException e) {
                ERRORS.warn("consent", "consent check of {} failed", session.context().participantId(), e);
            }
        }
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> counters = new java.util.LinkedHashMap<>();
        counters.put("media_datagrams_received", socket.receivedCount());
        counters.put("media_datagrams_dropped_no_slot", socket.droppedNoSlotCount());
        counters.put("media_send_failures", socket.sendFailureCount());
        counters.put("media_datagrams_dropped_unknown", demultiplexer.droppedUnknown());
        counters.put("media_datagrams_dropped_not_ready", demultiplexer.droppedNotReady());
        counters.put("media_datagrams_dropped_queue_full", inboundDrops());
        counters.put("media_ice_checks_valid", demultiplexer.iceChecksValid());
        counters.put("media_ice_checks_refused", demultiplexer.iceChecksRefused());
        counters.put("media_ice_path_takeovers_refused", demultiplexer.pathTakeoversRefused());
        counters.put("media_ice_paths_evicted", demultiplexer.pathsEvicted());
        counters.put("media_dtls_handshake_threads", (long) dtlsThreads());
        counters.put("media_failed_duty_cycles", failedDutyCycles());
        counters.put("media_thread_restarts", threadRestarts());
        counters.put("media_packets_forwarded", packetsForwarded());
        counters.put("media_packet_slots_in_use", (long) pool.inUse());
        counters.put("media_sessions", (long) sessions.size());
        counters.put("media_legs", (long) openLegs());
        counters.put("media_rooms", (long) openRooms());
        int[] perAgent = sessionsPerAgent();
        for (int i = 0; i < perAgent.length; i++) {
            counters.put("media_agent_" + i + "_sessions", (long) perAgent[i]);
        }
        counters.put("media_bridged_tracks", (long) bridges.mirrorCount());
        counters.put("media_bridge_links", (long) bridges.linkCount());
        counters.put("media_bridge_datagrams_dropped", bridges.dropped.get());
        counters.put("media_handed_over_dropped", socket.handOverDropCount());
        if (turn != null) {
            counters.put("media_turn_allocations", (long) turn.allocations());
            counters.put("media_turn_allocations_granted", turn.allocationsCreatedCount());
            counters.put("media_turn_allocations_expired", turn.allocationsExpiredCount());
            counters.put("media_turn_unauthorized", turn.unauthorizedCount());
            counters.put("media_turn_auth_throttled", turn.authThrottledCount());
            counters.put("media_turn_challenges_throttled", turn.challengesThrottledCount());
            counters.put("media_turn_quota_refusals", turn.quotaRefusalCount());
            counters.put("media_turn_forbidden_peers", turn.forbiddenPeerCount());
            counters.put("media_turn_malformed", turn.malformedCount());
            counters.put("media_turn_tcp_refused", turn.tcpRefusedCount());
            counters.put("media_turn_connections", (long) turn.connections());
            counters.put("media_turn_tls_failures", turn.tlsFailureCount());
            counters.put("media_turn_bytes_to_sfu", turn.bytesToSfuCount());
            counters.put("media_turn_bytes_to_client", turn.bytesToClientCount());
            counters.put("media_turn_dropped_to_sfu", turn.droppedToSfuCount());
            counters.put("media_turn_dropped_to_client", turn.droppedToClientCount());
        }
        if (dataPlane != null) {
            dataPlane.counters.addTo(counters);
        }
        relayCounters.addTo(counters);
        if (tcp != null) {
            counters.put("media_tcp_connections", (long) tcp.openConnections());
            counters.put("media_tcp_connections_accepted", tcp.acceptedCount());
            counters.put("media_tcp_connections_refused", tcp.refusedCount());
            counters.put("media_tcp_connections_closed_timeout", tcp.closedTimeoutCount());
            counters.put("media_tcp_connections_closed_oversize", tcp.closedOversizeCount());
            counters.put("media_tcp_connections_closed_invalid", tcp.closedInvalidCount());
            counters.put("media_tcp_connections_closed_ice", tcp.closedForgottenCount());
            counters.put("media_tcp_frames_received", tcp.framesReceivedCount());
            counters.put("media_tcp_frames_dropped_no_slot", tcp.framesDroppedNoSlotCount());
            counters.put("media_tcp_frames_sent", tcp.framesSentCount());
            counters.put("media_tcp_frames_dropped_write", tcp.framesDroppedCount());
        }
        return counters;
    }

    @Override
    public InetSocketAddress localAddress() {
        return socket.localAddress();
    }

    /** Datagrams the demultiplexer dropped because their 5-tuple was unknown or not yet authenticated. */
    public long droppedUnknown() {
        return demultiplexer.droppedUnknown();
    }

    public long packetsForwarded() {
        long total = 0;
        for (ForwardingAgent agent : agents) {
            total += agent.packetsForwarded();
        }
        return total;
    }

    /** Legs open on the forwarding agents: two per connected participant, and the relay's (none once all closed). */
    public int openLegs() {
        int total = 0;
        for (ForwardingAgent agent : agents) {
            total += agent.legs();
        }
        return total;
    }

    /** Rooms on the forwarding agents: none once every leg of every room was closed. */
    public int openRooms() {
        int total = 0;
        for (ForwardingAgent agent : agents) {
            total += agent.rooms();
        }
        return total;
    }

    /** Datagrams dropped because the forwarding agent's inbound queue was full (each counted once, by its agent). */
    public long inboundDrops() {
        long total = 0;
        for (ForwardingAgent agent : agents) {
            total += agent.inboundDrops();
        }
        return total;
    }

    /** ICE-TCP connections open now (0 when ICE-TCP is off). */
    public int tcpConnections() {
        return tcp == null ? 0 : tcp.openConnections();
    }

    public int packetSlotsInUse() {
        return pool.inUse();
    }

    /** Duty cycles of the agents, and datagrams of the receive thread, whose handling threw. */
    public long failedDutyCycles() {
        long total = socket.handlerFailureCount() + (tcp == null ? 0 : tcp.handlerFailureCount());
        for (AgentThread thread : agentThreads) {
            total += thread.failedCycles();
        }
        return total;
    }

    /** Agent and receive threads found ended and started again. */
    public long threadRestarts() {
        long total = socket.receiverRestartCount();
        for (AgentThread thread : agentThreads) {
            total += thread.restarts();
        }
        return total;
    }

    /** Threads of the DTLS handshake pool now: none when idle, at most {@code dtls.maxConcurrentHandshakes}. */
    public int dtlsThreads() {
        return dtlsExecutor instanceof ThreadPoolExecutor handshakes ? handshakes.getPoolSize() : 0;
    }

    public int openSessions() {
        return sessions.size();
    }

    /** Open sessions on each forwarding agent, by the agent's number. */
    public int[] sessionsPerAgent() {
        int[] counts = new int[agents.length];
        for (UdpMediaSession session : sessions.values()) {
            for (int i = 0; i < agents.length; i++) {
                if (session.agent() == agents[i]) {
                    counts[i]++;
                }
            }
        }
        return counts;
    }

    /** Transports ICE checks can still reach: none once every session was closed (end-to-end tests read it). */
    public int registeredTransports() {
        return demultiplexer.registeredTransports();
    }

    /** Tracks published in any room and not yet unpublished: none once every session was closed. */
    public int publishedTracks() {
        return published.size();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        for (UdpMediaSession session : new ArrayList<>(sessions.values())) {
            session.close();
        }
        UdpMediaRelay open = relay;
        if (open != null) {
            open.close();
        }
        // the listeners first: they hand packets to the socket's receive thread, which gives back what is left
        if (tcp != null) {
            tcp.close();
        }
        if (turn != null) {
            turn.close();
        }
        socket.close();
        for (AgentThread thread : agentThreads) {
            thread.close();
        }
        dtlsExecutor.shutdownNow();
        if (dtlsExecutor instanceof ThreadPoolExecutor pool) {
            try {
                pool.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
