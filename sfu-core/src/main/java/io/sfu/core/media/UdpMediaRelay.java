package io.sfu.core.media;

import io.sfu.core.forward.ConsumerSpec;
import io.sfu.core.forward.ForwardingAgent;
import io.sfu.core.forward.Leg;
import io.sfu.core.forward.ReceiveExtensionIds;
import io.sfu.core.forward.TrackCounters;
import io.sfu.core.negotiation.NegotiatedCodec;
import io.sfu.core.negotiation.PublishedTrack;
import io.sfu.core.net.MediaSocket;
import io.sfu.core.rtp.HeaderExtensionUris;
import io.sfu.core.sdp.MediaKind;
import io.sfu.core.session.MediaRelay;
import io.sfu.core.session.Track;
import io.sfu.core.session.TrackKind;
import io.sfu.core.session.TrackSource;
import io.sfu.core.srtp.SrtpConfig;
import io.sfu.core.srtp.SrtpContext;
import io.sfu.core.srtp.SrtpProfile;
import io.sfu.core.transport.WebRtcTransport;
import org.agrona.collections.Int2ObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The engine's relay to the other nodes of a cluster: one UDP socket, one SRTP flow per peer node, and per room and
 * peer an export leg (consumers sending local tracks to the peer, one per encoding) and an import leg (producers of
 * the peer's tracks, consumed by local subscribers), both on the room's forwarding agent. This class keeps the
 * control plane's view, on its control thread; media state lives on the agents and the receive thread's routes.
 */
final class UdpMediaRelay implements MediaRelay {
    private static final Logger LOG = LoggerFactory.getLogger(UdpMediaRelay.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final SrtpProfile PROFILE = SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80;
    static final int KEY_OCTETS = 30;
    static final int MAX_PEERS = 64;
    /**
     * SSRCs one peer's SRTP context on one agent keeps state for, over the peer's life (their indices must never
     * repeat under the key): more than 16 encodings and RTX streams each of the most tracks a peer may carry.
     */
    private static final SrtpConfig SRTP = SrtpConfig.defaults().withMaxSsrcs(16_384);
    /** Tracks exported to one peer, and imported from one peer, at most. */
    static final int MAX_TRACKS_PER_PEER = 512;
    /** What an import leg reads of its packets: the relay's own extension ids (no mid/rid: SSRCs are announced). */
    static final ReceiveExtensionIds RECEIVE_IDS = new ReceiveExtensionIds(0, 0, 0,
        RelayDescription.EXTENSION_IDS.get(HeaderExtensionUris.TRANSPORT_WIDE_CC),
        RelayDescription.EXTENSION_IDS.get(HeaderExtensionUris.AUDIO_LEVEL),
        RelayDescription.EXTENSION_IDS.get(HeaderExtensionUris.DEPENDENCY_DESCRIPTOR));

    private final UdpMediaEngine engine;
    final MediaSocket socket;
    final RelayCounters counters;
    private final RelayReceiver receiver;
    private final Map<String, Peer> peers = new LinkedHashMap<>();
    /** The SSRC this node's relay legs of a room send RTCP with (and receive the peers' feedback under). */
    private final Map<String, Integer> roomSsrcs = new HashMap<>();
    /** The relay SSRCs of each local track described to the peers, by track id. */
    private final Map<String, Described> described = new HashMap<>();
    /**
     * Every SSRC this node picked for the relay: unique per node, hence per peer flow, and never picked again while
     * the relay is open (an SRTP context keeps each SSRC's index under the peer's key).
     */
    private final Set<Integer> pickedSsrcs = new HashSet<>();

    private record Described(String room, int[] ssrcs, int[] rtxSsrcs) {
    }

    /** A peer node: its keys and address, and the flows of each room with it. */
    private final class Peer {
        final String nodeId;
        final byte[] sendingKey = randomKey();
        final RelayCounters.Peer counters = new RelayCounters.Peer();
        final RelayCounters.PeerOutput output;
        byte[] receivingKey;
        InetSocketAddress address;
        final Map<String, Flow> flows = new HashMap<>();
        /**
         * The SRTP contexts of this peer's legs, one pair per forwarding agent (whose thread alone uses it), kept for
         * the peer's life: a leg that closes and opens again under the same key must go on with the SSRCs' indices
         * (a fresh sending context would use keystream twice; a fresh receiving one would take replays).
         */
        final Map<ForwardingAgent, SrtpContext> sendContexts = new HashMap<>();
        final Map<ForwardingAgent, SrtpContext> receiveContexts = new HashMap<>();

        Peer(String nodeId) {
            this.nodeId = nodeId;
            this.output = new RelayCounters.PeerOutput(socket, UdpMediaRelay.this.counters, this.counters);
        }

        boolean connected() {
            return address != null && receivingKey != null;
        }

        SrtpContext sending(ForwardingAgent agent) {
            return sendContexts.computeIfAbsent(agent, a -> SrtpContext.forSending(PROFILE,
                Arrays.copyOf(sendingKey, PROFILE.masterKeyLength()),
                Arrays.copyOfRange(sendingKey, PROFILE.masterKeyLength(), KEY_OCTETS), SRTP));
        }

        SrtpContext receiving(ForwardingAgent agent) {
            return receiveContexts.computeIfAbsent(agent, a -> SrtpContext.forReceiving(PROFILE,
                Arrays.copyOf(receivingKey, PROFILE.masterKeyLength()),
                Arrays.copyOfRange(receivingKey, PROFILE.masterKeyLength(), KEY_OCTETS), SRTP));
        }

        int exports() {
            return flows.values().stream().mapToInt(f -> f.exports.size()).sum();
        }

        int imports() {
            return flows.values().stream().mapToInt(f -> f.imports.size()).sum();
        }
    }

    /** What crosses between this node and a peer in one room. */
    private static final class Flow {
        final String room;
        final ForwardingAgent agent;
        Leg exportLeg;
        Leg importLeg;
        /** The peer's room SSRC, which the import leg sends its RTCP with. */
        int importRoomSsrc;
        /** This node's room SSRC, which the export leg sends its RTCP with. */
        int exportRoomSsrc;

        final Map<String, String[]> exports = new LinkedHashMap<>();
        final Map<String, RelayDescription> imports = new LinkedHashMap<>();
        /** Exported tracks published on another agent than the flow's: their mirrors here, held while exported. */
        final Set<String> bridged = new HashSet<>();
        /** The imports' descriptions as printed, to tell a new description from a repeat. */
        final Map<String, String> printed = new HashMap<>();

        Flow(String room, ForwardingAgent agent) {
            this.room = room;
            this.agent = agent;
        }
    }

    UdpMediaRelay(UdpMediaEngine engine, InetSocketAddress local) throws IOException {
        this.engine = engine;
        this.counters = engine.relayCounters;
        this.receiver = new RelayReceiver(counters);
        this.socket = MediaSocket.bind(local, engine.pool, "sfu-relay-rx");
        socket.start(receiver);
        LOG.info("media relay on udp {}", socket.localAddress());
    }

    private static byte[] randomKey() {
        byte[] key = new byte[KEY_OCTETS];
        RANDOM.nextBytes(key);
        return key;
    }

    /** The relay socket's address; bound to a wildcard address, the engine's first announced address instead. */
    @Override
    public InetSocketAddress localAddress() {
        InetSocketAddress bound = socket.localAddress();
        return bound.getAddress().isAnyLocalAddress()
            ? new InetSocketAddress(engine.announced.get(0).getAddress(), bound.getPort()) : bound;
    }

    @Override
    public byte[] sendingKey(String peerNodeId) {
        Peer peer = peer(peerNodeId);
        return peer == null ? null : peer.sendingKey.clone();
    }

    private Peer peer(String nodeId) {
        Peer peer = peers.get(nodeId);
        if (peer == null) {
            if (peers.size() >= MAX_PEERS) {
                counters.refused.incrementAndGet();
                return null;
            }
            peer = new Peer(nodeId);
            peers.put(nodeId, peer);
            publishRoutes();
        }
        return peer;
    }

    @Override
    public void connectPeer(String peerNodeId, InetSocketAddress address, byte[] peerSendingKey) {
        // an unresolved address would never equal a datagram's source, and resolving it here could block
        if (address == null || address.isUnresolved() || peerSendingKey == null
            || peerSendingKey.length != KEY_OCTETS) {
            counters.refused.incrementAndGet();
            return;
        }
        for (Peer other : peers.values()) {
            if (address.equals(other.address) && !other.nodeId.equals(peerNodeId)) {
                // one address, one peer: the receive side finds the peer by it
                counters.refused.incrementAndGet();
                return;
            }
        }
        Peer peer = peer(peerNodeId);
        if (peer == null) {
            return;
        }
        boolean moved = peer.connected() && !address.equals(peer.address);
        boolean rekeyed = peer.connected() && !Arrays.equals(peerSendingKey, peer.receivingKey);
        peer.address = address;
        peer.receivingKey = peerSendingKey.clone();
        if (rekeyed) {
            peer.receiveContexts.clear();
        }
        for (Flow flow : peer.flows.values()) {
            retarget(peer, flow, flow.exportLeg, moved, rekeyed);
            retarget(peer, flow, flow.importLeg, moved, rekeyed);
        }
        publishRoutes();
    }

    /** Points an open leg at the peer's new address, or has it read the peer's new key (its own stays). */
    private static void retarget(Peer peer, Flow flow, Leg leg, boolean moved, boolean rekeyed) {
        if (leg == null) {
            return;
        }
        if (moved) {
            InetSocketAddress address = peer.address;
            flow.agent.query(() -> {
                leg.transport().remote(address);
                return null;
            });
        }
        if (rekeyed) {
            flow.agent.installKeys(leg, peer.receiving(flow.agent), peer.sending(flow.agent));
        }
    }

    @Override
    public void disconnectPeer(String peerNodeId) {
        Peer peer = peers.remove(peerNodeId);
        if (peer == null) {
            return;
        }
        for (Flow flow : peer.flows.values()) {
            for (String trackId : flow.imports.keySet()) {
                unpublishImport(trackId);
            }
            for (String trackId : flow.bridged) {
                engine.bridges.release(trackId, flow.agent);
            }
            closeLegs(flow);
        }
        counters.droppedAuthRetained.addAndGet(peer.counters.droppedAuth.get());
        publishRoutes();
        LOG.info("relay peer {} disconnected", peerNodeId);
    }

    private static void closeLegs(Flow flow) {
        if (flow.exportLeg != null) {
            flow.agent.closeLeg(flow.exportLeg);
            flow.exportLeg = null;
        }
        if (flow.importLeg != null) {
            flow.agent.closeLeg(flow.importLeg);
            flow.importLeg = null;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Export

    /** A track published on this node in {@code room} by {@code publisherId}; null for any other, imports too. */
    private PublishedTrackInfo localTrack(String room, String publisherId, String trackId) {
        PublishedTrackInfo info = trackId == null ? null : engine.published.get(trackId);
        if (info == null || !info.participantId().equals(publisherId) || isImported(trackId)) {
            return null;
        }
        UdpMediaSession session = engine.sessions.get(publisherId);
        return session != null && session.context().roomName().equals(room) ? info : null;
    }

    private boolean isImported(String trackId) {
        for (Peer peer : peers.values()) {
            for (Flow flow : peer.flows.values()) {
                if (flow.imports.containsKey(trackId)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String describe(String roomName, String publisherId, String trackId) {
        PublishedTrackInfo info = localTrack(roomName, publisherId, trackId);
        if (info == null) {
            return null;
        }
        Described relayed = described(roomName, info);
        return RelayDescription.of(roomSsrc(roomName), info.negotiated(), relayed.ssrcs(), relayed.rtxSsrcs())
            .encode();
    }

    private Described described(String room, PublishedTrackInfo info) {
        Described relayed = described.get(info.trackId());
        if (relayed == null) {
            PublishedTrack track = info.negotiated();
            int layers = Math.min(track.layerCount(), RelayDescription.MAX_ENCODINGS);
            boolean rtx = track.kind() == MediaKind.VIDEO && track.codecs().stream().anyMatch(NegotiatedCodec::hasRtx);
            int[] ssrcs = new int[layers];
            int[] rtxSsrcs = new int[layers];
            for (int i = 0; i < layers; i++) {
                ssrcs[i] = pickSsrc();
                rtxSsrcs[i] = rtx ? pickSsrc() : 0;
            }
            relayed = new Described(room, ssrcs, rtxSsrcs);
            described.put(info.trackId(), relayed);
        }
        return relayed;
    }

    private int roomSsrc(String room) {
        return roomSsrcs.computeIfAbsent(room, r -> pickSsrc());
    }

    /**
     * A new SSRC for this node to send with: never one it sends with already, nor a peer's room SSRC its import
     * legs send RTCP under (two contexts sending one SSRC under one key would use keystream twice), nor one a peer
     * sends an imported stream with (the routes would not tell them apart).
     */
    private int pickSsrc() {
        int ssrc;
        do {
            ssrc = RANDOM.nextInt();
        } while (ssrc == 0 || isPeerSsrc(ssrc) || !pickedSsrcs.add(ssrc));
        return ssrc;
    }

    private boolean isPeerSsrc(int ssrc) {
        for (Peer peer : peers.values()) {
            for (Flow flow : peer.flows.values()) {
                if (flow.importLeg != null && flow.importRoomSsrc == ssrc) {
                    return true;
                }
                for (RelayDescription imported : flow.imports.values()) {
                    for (int i = 0; i < imported.ssrcs().length; i++) {
                        if (imported.ssrcs()[i] == ssrc || imported.rtxSsrcs()[i] == ssrc) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    @Override
    public void startExport(String roomName, String publisherId, String trackId, String peerNodeId) {
        Peer peer = peers.get(peerNodeId);
        PublishedTrackInfo info = localTrack(roomName, publisherId, trackId);
        if (peer == null || !peer.connected() || info == null) {
            counters.refused.incrementAndGet();
            return;
        }
        Flow flow = peer.flows.get(roomName);
        if (flow != null && flow.exports.containsKey(trackId)) {
            return;
        }
        if (peer.exports() >= MAX_TRACKS_PER_PEER) {
            counters.refused.incrementAndGet();
            return;
        }
        // the room's relay legs live on its home agent; a track published on another (a room spread over
        // several) is exported from its mirror there
        ForwardingAgent home = engine.agentFor(roomName);
        PublishedTrackInfo exported = info.agent() == home ? info : engine.bridges.acquire(roomName, info, home);
        if (exported == null) {
            counters.refused.incrementAndGet();
            return;
        }
        if (flow == null) {
            flow = new Flow(roomName, home);
            peer.flows.put(roomName, flow);
        }
        if (flow.exportLeg == null) {
            flow.exportRoomSsrc = roomSsrc(roomName);
            flow.exportLeg = openLeg(peer, flow, "export", flow.exportRoomSsrc);
        }
        Described relayed = described(roomName, info);
        String[] consumerIds = new String[relayed.ssrcs().length];
        for (int i = 0; i < consumerIds.length; i++) {
            consumerIds[i] = "relay/" + peerNodeId + "/" + trackId + "/" + i;
            flow.agent.addConsumer(flow.exportLeg, exportSpec(consumerIds[i], trackId, exported.negotiated(),
                relayed.ssrcs()[i], relayed.rtxSsrcs()[i], i));
        }
        flow.exports.put(trackId, consumerIds);
        if (exported != info) {
            flow.bridged.add(trackId);
        }
        publishRoutes();
    }

    /**
     * The consumer that sends encoding {@code encoding} of a local track to a peer: payload types as the publisher
     * numbered them (the description carries them), header extensions under the relay's ids.
     */
    static ConsumerSpec exportSpec(String consumerId, String trackId, PublishedTrack track, int ssrc, int rtxSsrc,
                                   int encoding) {
        int[] payloadTypes = new int[128];
        Arrays.fill(payloadTypes, -1);
        int[] rtxPayloadTypes = new int[128];
        Arrays.fill(rtxPayloadTypes, -1);
        for (NegotiatedCodec codec : track.codecs()) {
            payloadTypes[codec.payloadType()] = codec.payloadType();
            if (codec.hasRtx()) {
                payloadTypes[codec.rtxPayloadType()] = codec.rtxPayloadType();
                rtxPayloadTypes[codec.payloadType()] = codec.rtxPayloadType();
            }
        }
        int[] extensionIds = new int[256];
        for (Map.Entry<String, Integer> extension : track.extensions().entrySet()) {
            Integer relayId = RelayDescription.EXTENSION_IDS.get(extension.getKey());
            int publisherId = extension.getValue();
            if (relayId != null && publisherId > 0 && publisherId < 256) {
                extensionIds[publisherId] = relayId;
            }
        }
        return new ConsumerSpec(consumerId, trackId, ssrc, rtxSsrc, payloadTypes, rtxPayloadTypes, extensionIds,
            encoding, new TrackCounters(), ConsumerSpec.ALL_TEMPORAL_LAYERS, ConsumerSpec.ALL_SPATIAL_LAYERS, 0,
            encoding);
    }

    private static Leg openLeg(Peer peer, Flow flow, String role, int rtcpSsrc) {
        WebRtcTransport transport = WebRtcTransport.relay("relay-" + role + "-" + peer.nodeId + "-" + flow.room,
            peer.address, peer.output, peer.counters.droppedAuth);
        Leg leg = flow.agent.openRelayLeg(transport, flow.room, peer.nodeId, rtcpSsrc);
        flow.agent.installKeys(leg, peer.receiving(flow.agent), peer.sending(flow.agent));
        return leg;
    }

    @Override
    public void stopExport(String roomName, String trackId, String peerNodeId) {
        Peer peer = peers.get(peerNodeId);
        Flow flow = peer == null ? null : peer.flows.get(roomName);
        String[] consumerIds = flow == null ? null : flow.exports.remove(trackId);
        if (consumerIds == null) {
            return;
        }
        for (String consumerId : consumerIds) {
            flow.agent.removeConsumer(flow.exportLeg, consumerId);
        }
        if (flow.bridged.remove(trackId)) {
            engine.bridges.release(trackId, flow.agent);
        }
        tidy(peer, flow);
        publishRoutes();
    }

    /** Closes a flow's legs that carry nothing any more, and forgets a flow that has none. */
    private void tidy(Peer peer, Flow flow) {
        if (flow.exports.isEmpty() && flow.exportLeg != null) {
            flow.agent.closeLeg(flow.exportLeg);
            flow.exportLeg = null;
        }
        if (flow.imports.isEmpty() && flow.importLeg != null) {
            flow.agent.closeLeg(flow.importLeg);
            flow.importLeg = null;
        }
        if (flow.exportLeg == null && flow.importLeg == null) {
            peer.flows.remove(flow.room);
        }
    }

    /** A local track is gone (unpublished, or its publisher left): its exports stop. */
    void onUnpublished(String trackId) {
        Described relayed = described.remove(trackId);
        if (relayed == null) {
            return;
        }
        for (Peer peer : new ArrayList<>(peers.values())) {
            Flow flow = peer.flows.get(relayed.room());
            if (flow != null && flow.exports.containsKey(trackId)) {
                stopExport(relayed.room(), trackId, peer.nodeId);
            }
        }
        // its SSRCs are not picked again: the peers' SRTP contexts keep their indices under the same keys
        boolean roomInUse = described.values().stream().anyMatch(d -> d.room().equals(relayed.room()))
            || peers.values().stream().anyMatch(p -> p.flows.containsKey(relayed.room()));
        if (!roomInUse) {
            roomSsrcs.remove(relayed.room());
        }
        publishRoutes();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Import

    @Override
    public void importTrack(String roomName, String publisherId, Track track, String description, String fromNodeId) {
        Peer peer = peers.get(fromNodeId);
        if (peer == null || !peer.connected() || track == null || track.kind() == TrackKind.DATA) {
            counters.refused.incrementAndGet();
            return;
        }
        Flow flow = peer.flows.get(roomName);
        String previous = flow == null ? null : flow.printed.get(track.id());
        if (previous != null && previous.equals(description)) {
            return;
        }
        RelayDescription relayed;
        try {
            relayed = RelayDescription.decode(description);
        } catch (IllegalArgumentException e) {
            counters.badDescriptions.incrementAndGet();
            LOG.debug("relay: description of {} from {} refused: {}", track.id(), fromNodeId, e.getMessage());
            return;
        }
        if ((relayed.kind() == MediaKind.AUDIO) != (track.kind() == TrackKind.AUDIO)) {
            counters.badDescriptions.incrementAndGet();
            return;
        }
        boolean replaces = previous != null;
        // the import leg sends RTCP under the peer's room SSRC, and the routes hold this node's room SSRCs beside
        // the peer's stream SSRCs: none of them may be one this node picked
        boolean ownSsrc = pickedSsrcs.contains(relayed.roomSsrc());
        for (int i = 0; i < relayed.ssrcs().length; i++) {
            ownSsrc |= pickedSsrcs.contains(relayed.ssrcs()[i]) || pickedSsrcs.contains(relayed.rtxSsrcs()[i]);
        }
        if (!replaces && (peer.imports() >= MAX_TRACKS_PER_PEER || engine.published.containsKey(track.id()))
            || ownSsrc || clashes(peer, flow, track.id(), relayed)) {
            counters.refused.incrementAndGet();
            return;
        }
        if (flow == null) {
            flow = new Flow(roomName, engine.agentFor(roomName));
            peer.flows.put(roomName, flow);
        }
        if (flow.importLeg == null) {
            flow.importRoomSsrc = relayed.roomSsrc();
            flow.importLeg = openLeg(peer, flow, "import", relayed.roomSsrc());
            flow.agent.extensionIds(flow.importLeg, RECEIVE_IDS);
        }
        // a new description of an imported track (its publisher renegotiated) replaces its producer, whose
        // subscribers carry on from the next keyframe
        PublishedTrack negotiated = relayed.toPublishedTrack(track.id(), publisherId);
        boolean screen = track.kind() == TrackKind.VIDEO && track.source() == TrackSource.SCREEN;
        flow.agent.addProducer(flow.importLeg, ForwardingSpecs.producer(track.id(), publisherId, roomName,
            negotiated, screen, new TrackCounters()));
        engine.publish(new PublishedTrackInfo(track.id(), publisherId, negotiated, flow.agent, screen));
        flow.imports.put(track.id(), relayed);
        flow.printed.put(track.id(), description);
        publishRoutes();
    }

    /**
     * Whether a description's SSRCs clash with what the peer's flows already route: every SSRC the peer sends with
     * must lead to one leg, or its traffic could reach another room. The room SSRC may repeat within a room.
     */
    private static boolean clashes(Peer peer, Flow into, String trackId, RelayDescription relayed) {
        Set<Integer> own = new HashSet<>();
        for (int i = 0; i < relayed.ssrcs().length; i++) {
            if (!own.add(relayed.ssrcs()[i]) || relayed.rtxSsrcs()[i] != 0 && !own.add(relayed.rtxSsrcs()[i])) {
                return true;
            }
        }
        if (into != null && into.importLeg != null && into.importRoomSsrc != relayed.roomSsrc()) {
            return true;
        }
        for (Flow flow : peer.flows.values()) {
            if (flow != into && flow.importLeg != null && flow.importRoomSsrc == relayed.roomSsrc()) {
                return true;
            }
            for (Map.Entry<String, RelayDescription> imported : flow.imports.entrySet()) {
                RelayDescription other = imported.getValue();
                if (flow == into && imported.getKey().equals(trackId)) {
                    continue;
                }
                for (int i = 0; i < other.ssrcs().length; i++) {
                    if (own.contains(other.ssrcs()[i]) || own.contains(other.rtxSsrcs()[i])) {
                        return true;
                    }
                }
            }
        }
        return own.contains(relayed.roomSsrc());
    }

    @Override
    public void removeImport(String roomName, String trackId) {
        for (Peer peer : peers.values()) {
            Flow flow = peer.flows.get(roomName);
            if (flow != null && flow.imports.remove(trackId) != null) {
                flow.printed.remove(trackId);
                flow.agent.removeProducer(flow.importLeg, trackId);
                unpublishImport(trackId);
                tidy(peer, flow);
                publishRoutes();
                return;
            }
        }
    }

    private void unpublishImport(String trackId) {
        engine.published.remove(trackId);
        engine.bridges.onUnpublished(trackId);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Routes and counters

    /** Publishes the receive thread's routes: for each connected peer, its SSRCs to the legs they belong to. */
    private void publishRoutes() {
        Map<InetSocketAddress, RelayReceiver.PeerRoute> routes = new HashMap<>();
        List<RelayCounters.Peer> live = new ArrayList<>();
        int ssrcs = 0;
        int exports = 0;
        int imports = 0;
        for (Peer peer : peers.values()) {
            live.add(peer.counters);
            if (!peer.connected()) {
                continue;
            }
            Int2ObjectHashMap<Leg> legs = new Int2ObjectHashMap<>();
            for (Flow flow : peer.flows.values()) {
                exports += flow.exports.size();
                imports += flow.imports.size();
                if (flow.exportLeg != null) {
                    // the peer's import leg sends its feedback about our exports under our room SSRC
                    legs.put(flow.exportRoomSsrc, flow.exportLeg);
                }
                if (flow.importLeg != null) {
                    legs.put(flow.importRoomSsrc, flow.importLeg);
                    for (RelayDescription relayed : flow.imports.values()) {
                        for (int i = 0; i < relayed.ssrcs().length; i++) {
                            legs.put(relayed.ssrcs()[i], flow.importLeg);
                            if (relayed.rtxSsrcs()[i] != 0) {
                                legs.put(relayed.rtxSsrcs()[i], flow.importLeg);
                            }
                        }
                    }
                }
            }
            ssrcs += legs.size();
            routes.put(peer.address, new RelayReceiver.PeerRoute(peer.counters, legs));
        }
        receiver.routes(Map.copyOf(routes));
        counters.live = List.copyOf(live);
        counters.peers = peers.size();
        counters.exports = exports;
        counters.imports = imports;
        counters.routedSsrcs = ssrcs;
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> snapshot = new LinkedHashMap<>();
        counters.addTo(snapshot);
        return snapshot;
    }

    @Override
    public Map<String, Long> peerCounters(String peerNodeId) {
        Peer peer = peers.get(peerNodeId);
        Map<String, Long> snapshot = new LinkedHashMap<>();
        if (peer != null) {
            peer.counters.addTo(snapshot);
            snapshot.put("relay_exports", (long) peer.exports());
            snapshot.put("relay_imports", (long) peer.imports());
        }
        return snapshot;
    }

    /** Tears down every peer's flows, then the socket and its thread. */
    void close() {
        for (String peer : new ArrayList<>(peers.keySet())) {
            disconnectPeer(peer);
        }
        socket.close();
    }
}
