package io.sfu.core.media;

import io.sfu.core.buffer.PacketPool;
import io.sfu.core.forward.BridgeOutput;
import io.sfu.core.forward.ForwardingAgent;
import io.sfu.core.forward.Leg;
import io.sfu.core.forward.TrackCounters;
import io.sfu.core.negotiation.NegotiatedCodec;
import io.sfu.core.negotiation.PublishedTrack;
import io.sfu.core.sdp.MediaKind;
import io.sfu.core.transport.WebRtcTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Spreads a room over several forwarding agents. A track is forwarded by the agent of its publisher's session; a
 * subscriber on another agent gets it from a mirror there: a producer on that agent fed, in the clear, by consumers
 * on the publisher's agent that send it every encoding (the cluster relay's consumers, {@link UdpMediaRelay#exportSpec},
 * over a pair of bridge legs per room and pair of agents instead of a socket). The mirror keeps its own packet history
 * and statistics, so its subscribers' NACKs, layer choices and estimates stay on their own agent; their keyframe
 * requests travel back over the bridge to the publisher. A mirror lives while someone holds it (a subscription, the
 * cluster relay, the room's speaker election) and goes with its track.
 *
 * <p>Control thread only; the agents get commands, and the packets cross through {@link BridgeOutput}.
 */
final class AgentBridges {
    private static final Logger LOG = LoggerFactory.getLogger(AgentBridges.class);
    /** What a bridge leg calls its remote end in logs; nothing is ever sent to it. */
    private static final InetSocketAddress NOWHERE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);

    private final PacketPool pool;
    private final SplittableRandom random = new SplittableRandom();
    /** Datagrams between agents that the pool or the receiving agent's queue could not take. */
    final AtomicLong dropped = new AtomicLong();
    private final Map<LinkKey, Link> links = new HashMap<>();
    /** The mirrors of each track, by the agent they are on. */
    private final Map<String, Map<ForwardingAgent, Mirror>> mirrors = new HashMap<>();
    /** Every SSRC a bridge sends with: unique, so that no leg confuses two streams. */
    private final Set<Integer> ssrcs = new HashSet<>();
    /** Gauges for the metrics, which another thread may read. */
    private volatile int mirrorCount;
    private volatile int linkCount;

    private record LinkKey(String room, ForwardingAgent from, ForwardingAgent to) {
    }

    /** The bridge legs of one room from one agent to another: export on {@code from}, import on {@code to}. */
    private static final class Link {
        final LinkKey key;
        final int exportSsrc;
        final int importSsrc;
        final Leg exportLeg;
        final Leg importLeg;
        int mirrors;

        Link(LinkKey key, int exportSsrc, int importSsrc, Leg exportLeg, Leg importLeg) {
            this.key = key;
            this.exportSsrc = exportSsrc;
            this.importSsrc = importSsrc;
            this.exportLeg = exportLeg;
            this.importLeg = importLeg;
        }
    }

    /** One track mirrored onto one agent. */
    private static final class Mirror {
        final String trackId;
        final Link link;
        PublishedTrackInfo origin;
        PublishedTrackInfo info;
        String[] consumerIds = new String[0];
        int[] ssrcs = new int[0];
        int[] rtxSsrcs = new int[0];
        int holders;

        Mirror(String trackId, Link link) {
            this.trackId = trackId;
            this.link = link;
        }
    }

    AgentBridges(PacketPool pool) {
        this.pool = pool;
    }

    /**
     * The track {@code origin} as agent {@code onto} forwards it, mirrored there if it was not yet; the caller holds
     * the mirror until {@link #release}. Null when the track cannot be mirrored (more encodings than a bridge
     * carries).
     */
    PublishedTrackInfo acquire(String room, PublishedTrackInfo origin, ForwardingAgent onto) {
        if (origin.agent() == onto) {
            return origin;
        }
        Mirror mirror = mirrors.computeIfAbsent(origin.trackId(), id -> new HashMap<>()).get(onto);
        if (mirror == null) {
            Link link = link(room, origin.agent(), onto);
            mirror = new Mirror(origin.trackId(), link);
            if (!describe(mirror, origin)) {
                tidy(link);
                forgetIfEmpty(origin.trackId());
                count();
                return null;
            }
            link.mirrors++;
            mirrors.get(origin.trackId()).put(onto, mirror);
        }
        mirror.holders++;
        count();
        return mirror.info;
    }

    /** Lets go of a mirror {@link #acquire} gave; the last holder's release takes it down. */
    void release(String trackId, ForwardingAgent onto) {
        Map<ForwardingAgent, Mirror> ofTrack = mirrors.get(trackId);
        Mirror mirror = ofTrack == null ? null : ofTrack.get(onto);
        if (mirror == null || --mirror.holders > 0) {
            return;
        }
        ofTrack.remove(onto);
        forgetIfEmpty(trackId);
        takeDown(mirror);
        count();
    }

    /** A track was published again (renegotiated): its mirrors follow the new description. */
    void onPublished(PublishedTrackInfo origin) {
        Map<ForwardingAgent, Mirror> ofTrack = mirrors.get(origin.trackId());
        if (ofTrack == null) {
            return;
        }
        for (Mirror mirror : new ArrayList<>(ofTrack.values())) {
            if (mirror.origin.negotiated().equals(origin.negotiated())
                && mirror.origin.screenShare() == origin.screenShare()) {
                continue;
            }
            if (!describe(mirror, origin)) {
                ofTrack.remove(mirror.link.key.to());
                takeDown(mirror);
            }
        }
        forgetIfEmpty(origin.trackId());
        count();
    }

    /** A track is gone: so are its mirrors (the subscribers' consumers with them), whoever holds them. */
    void onUnpublished(String trackId) {
        Map<ForwardingAgent, Mirror> ofTrack = mirrors.remove(trackId);
        if (ofTrack != null) {
            for (Mirror mirror : ofTrack.values()) {
                takeDown(mirror);
            }
            count();
        }
    }

    /** The track's publisher muted or unmuted it: its mirrors say so to their subscribers' consumers. */
    void onMuted(String trackId, boolean muted) {
        Map<ForwardingAgent, Mirror> ofTrack = mirrors.get(trackId);
        if (ofTrack != null) {
            for (Mirror mirror : ofTrack.values()) {
                mirror.link.key.to().setProducerMuted(mirror.link.importLeg, trackId, muted);
            }
        }
    }

    /** Tracks mirrored onto another agent, counted once per agent. */
    int mirrorCount() {
        return mirrorCount;
    }

    /** Rooms and pairs of agents bridged (each with two legs open). */
    int linkCount() {
        return linkCount;
    }

    private void count() {
        int count = 0;
        for (Map<ForwardingAgent, Mirror> ofTrack : mirrors.values()) {
            count += ofTrack.size();
        }
        mirrorCount = count;
        linkCount = links.size();
    }

    /**
     * (Re)describes a mirror from its track: the producer on the mirror's agent, and one consumer per encoding on the
     * publisher's agent, each replacing the one before under the same id. False when the track has more encodings
     * than a bridge carries.
     */
    private boolean describe(Mirror mirror, PublishedTrackInfo origin) {
        PublishedTrack track = origin.negotiated();
        int layers = track.layerCount();
        if (layers > RelayDescription.MAX_ENCODINGS || !track.rids().isEmpty() && track.rids().size() != layers) {
            LOG.warn("track {} has {} encodings: not mirrored onto {}", origin.trackId(), layers,
                mirror.link.key.to().name());
            return false;
        }
        boolean rtx = track.kind() == MediaKind.VIDEO && track.codecs().stream().anyMatch(NegotiatedCodec::hasRtx);
        if (mirror.ssrcs.length != layers || (mirror.rtxSsrcs.length > 0 && mirror.rtxSsrcs[0] != 0) != rtx) {
            forgetSsrcs(mirror);
            mirror.ssrcs = new int[layers];
            mirror.rtxSsrcs = new int[layers];
            for (int i = 0; i < layers; i++) {
                mirror.ssrcs[i] = newSsrc();
                mirror.rtxSsrcs[i] = rtx ? newSsrc() : 0;
            }
        }
        Link link = mirror.link;
        String room = link.key.room();
        PublishedTrack mirrored = RelayDescription.of(link.exportSsrc, track, mirror.ssrcs, mirror.rtxSsrcs)
            .toPublishedTrack(origin.trackId(), origin.participantId());
        link.key.to().addProducer(link.importLeg, ForwardingSpecs.producer(origin.trackId(), origin.participantId(),
            room, mirrored, origin.screenShare(), new TrackCounters()));
        String[] consumerIds = new String[layers];
        for (int i = 0; i < layers; i++) {
            consumerIds[i] = "bridge/" + link.key.to().name() + "/" + origin.trackId() + "/" + i;
            link.key.from().addConsumer(link.exportLeg, UdpMediaRelay.exportSpec(consumerIds[i], origin.trackId(),
                track, mirror.ssrcs[i], mirror.rtxSsrcs[i], i));
        }
        for (int i = layers; i < mirror.consumerIds.length; i++) {
            link.key.from().removeConsumer(link.exportLeg, mirror.consumerIds[i]);
        }
        mirror.consumerIds = consumerIds;
        mirror.origin = origin;
        mirror.info = new PublishedTrackInfo(origin.trackId(), origin.participantId(), mirrored, link.key.to(),
            origin.screenShare());
        return true;
    }

    private void takeDown(Mirror mirror) {
        Link link = mirror.link;
        for (String consumerId : mirror.consumerIds) {
            link.key.from().removeConsumer(link.exportLeg, consumerId);
        }
        link.key.to().removeProducer(link.importLeg, mirror.trackId);
        forgetSsrcs(mirror);
        link.mirrors--;
        tidy(link);
    }

    private void forgetSsrcs(Mirror mirror) {
        for (int i = 0; i < mirror.ssrcs.length; i++) {
            ssrcs.remove(mirror.ssrcs[i]);
            ssrcs.remove(mirror.rtxSsrcs[i]);
        }
    }

    private void forgetIfEmpty(String trackId) {
        Map<ForwardingAgent, Mirror> ofTrack = mirrors.get(trackId);
        if (ofTrack != null && ofTrack.isEmpty()) {
            mirrors.remove(trackId);
        }
    }

    private Link link(String room, ForwardingAgent from, ForwardingAgent to) {
        LinkKey key = new LinkKey(room, from, to);
        Link link = links.get(key);
        if (link != null) {
            return link;
        }
        BridgeOutput toImport = new BridgeOutput(pool, dropped);
        BridgeOutput toExport = new BridgeOutput(pool, dropped);
        String name = room + "-" + from.name() + "-" + to.name();
        int exportSsrc = newSsrc();
        int importSsrc = newSsrc();
        Leg exportLeg = from.openRelayLeg(WebRtcTransport.bridge("bridge-export-" + name, NOWHERE, toImport), room,
            "agent:" + to.name(), exportSsrc);
        Leg importLeg = to.openRelayLeg(WebRtcTransport.bridge("bridge-import-" + name, NOWHERE, toExport), room,
            "agent:" + from.name(), importSsrc);
        to.extensionIds(importLeg, UdpMediaRelay.RECEIVE_IDS);
        toImport.target(importLeg);
        toExport.target(exportLeg);
        link = new Link(key, exportSsrc, importSsrc, exportLeg, importLeg);
        links.put(key, link);
        return link;
    }

    /** Closes a link that carries no mirror any more. */
    private void tidy(Link link) {
        if (link.mirrors > 0 || links.get(link.key) != link) {
            return;
        }
        links.remove(link.key);
        link.key.from().closeLeg(link.exportLeg);
        link.key.to().closeLeg(link.importLeg);
        ssrcs.remove(link.exportSsrc);
        ssrcs.remove(link.importSsrc);
    }

    private int newSsrc() {
        int ssrc;
        do {
            ssrc = random.nextInt();
        } while (ssrc == 0 || !ssrcs.add(ssrc));
        return ssrc;
    }
}
