package io.sfu.core.media;

import io.sfu.core.datachannel.DataChannel;
import io.sfu.core.datachannel.DataChannelConfig;
import io.sfu.core.datachannel.DataChannelEndpoint;
import io.sfu.core.datachannel.SendResult;
import io.sfu.core.forward.AgentThread;
import io.sfu.core.forward.WakeableAgent;
import io.sfu.core.logging.RateLimitedLog;
import io.sfu.core.negotiation.DataChannelSection;
import io.sfu.core.session.DataTrackInfo;
import io.sfu.core.session.Ids;
import io.sfu.core.session.MediaEngineConfig;
import io.sfu.core.session.PeerConnectionRole;
import io.sfu.core.session.SubscribedTrack;
import io.sfu.core.session.Track;
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * The data plane: one thread ({@code sfu-data}) that owns every data channel association of the engine (one
 * {@link DataChannelEndpoint} per peer connection that negotiated one), so each has a single writer. SCTP packets
 * come from the DTLS drains through a bounded queue (full: dropped and counted), commands from the control thread
 * through another; the thread polls the endpoints' timers and relays each message of a data track to the channels
 * of its subscribers. It shares nothing with the forwarding agents, so messages never wait on media.
 *
 * <p>A subscriber that does not read fills its association's send buffer: a message to it on a partially reliable
 * channel is then dropped for it alone, and a reliable channel to it is closed (cut off), since skipping a message
 * would break its promise. Either way the sending never waits, and the others get every message.
 */
final class DataPlane implements WakeableAgent {
    private static final RateLimitedLog LOG = new RateLimitedLog(LoggerFactory.getLogger(DataPlane.class));
    private static final int COMMAND_CAPACITY = 4096;
    /** Packets handled per duty cycle, so commands and timers get their turn under a flood. */
    private static final int PACKETS_PER_CYCLE = 1024;
    /** Prefix of the label of the backend's channels. */
    static final String SERVER_LABEL_PREFIX = "server:";
    /** The reliability of the backend's channels. */
    private static final DataChannel.Reliability RELIABLE_ORDERED = new DataChannel.Reliability(true, -1, -1);
    /**
     * Streams of each association (each channel takes one): what browsers announce and more than any limit here
     * needs; the channels a participant may publish are bounded by the plane itself.
     */
    private static final int STREAMS = 1024;

    private record Packet(DataPeer peer, byte[] data) {
    }

    private final MediaEngineConfig.DataChannels settings;
    private final LongSupplier clock;
    private final MpscArrayQueue<Packet> packets;
    private final MpscArrayQueue<Runnable> commands = new MpscArrayQueue<>(COMMAND_CAPACITY);
    private final List<DataPeer> peers = new ArrayList<>();
    private final Map<String, DataTrack> tracks = new HashMap<>();
    private final SplittableRandom seeds = new SplittableRandom();
    final DataCounters counters = new DataCounters();
    private long nextDeadlineNs = Long.MAX_VALUE;
    private AgentThread thread;

    DataPlane(MediaEngineConfig.DataChannels settings, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
        this.packets = new MpscArrayQueue<>(settings.queuePackets());
    }

    /** Starts the plane on its own thread. */
    AgentThread start() {
        thread = new AgentThread(this);
        return thread.start();
    }

    /** The data channels of a participant who just joined. */
    DataParticipant participant(String participantId, io.sfu.core.session.MediaSessionListener listener) {
        return new DataParticipant(this, participantId, listener);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Other threads

    /** Runs {@code command} on the plane's thread. */
    void execute(Runnable command) {
        if (!commands.offer(command)) {
            throw new IllegalStateException("sfu-data: command queue full");
        }
        wake();
    }

    /** One SCTP packet from {@code peer}'s DTLS drain: copied and queued. */
    private void packetFrom(DataPeer peer, byte[] buf, int off, int len) {
        byte[] copy = java.util.Arrays.copyOfRange(buf, off, off + len);
        if (!packets.offer(new Packet(peer, copy))) {
            counters.packetsDroppedQueueFull.incrementAndGet();
            return;
        }
        wake();
    }

    private void wake() {
        AgentThread runner = thread;
        if (runner != null) {
            runner.wake();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The duty cycle

    @Override
    public int doWork() {
        int work = 0;
        Runnable command;
        while ((command = commands.poll()) != null) {
            command.run();
            work++;
        }
        long now = clock.getAsLong();
        Packet packet;
        for (int i = 0; i < PACKETS_PER_CYCLE && (packet = packets.poll()) != null; i++) {
            receive(packet.peer(), packet.data(), now);
            work++;
        }
        if (work > 0 || now >= nextDeadlineNs) {
            pollEndpoints(now);
        }
        return work;
    }

    private void receive(DataPeer peer, byte[] data, long now) {
        if (peer.closed) {
            return;
        }
        peer.endpoint.receivePacket(data, 0, data.length, now);
        peer.dirty = true;
        if (!peer.established && !peer.closed && peer.endpoint.isEstablished()) {
            peer.established = true;
            if (peer.role == PeerConnectionRole.SUBSCRIBER) {
                reconcile(peer.owner);
            }
        }
    }

    /** Polls the endpoints that are due or had something happen, and finds the next deadline. */
    private void pollEndpoints(long now) {
        long next = Long.MAX_VALUE;
        for (int i = 0; i < peers.size(); i++) {
            DataPeer peer = peers.get(i);
            if (peer.dirty || peer.deadlineNs <= now) {
                peer.dirty = false;
                peer.deadlineNs = peer.endpoint.poll(now);
            }
            next = Math.min(next, peer.deadlineNs);
        }
        nextDeadlineNs = next;
    }

    @Override
    public boolean hasPendingWork() {
        return !commands.isEmpty() || !packets.isEmpty();
    }

    @Override
    public long nextDeadlineNs(long nowNs) {
        return nextDeadlineNs;
    }

    @Override
    public String roleName() {
        return "sfu-data";
    }

    // ---------------------------------------------------------------------------------------------------------
    // Commands

    void negotiated(DataParticipant p, PeerConnectionRole role, DataChannelSection.PeerParams params) {
        p.negotiated.put(role, params);
        attachIfReady(p, role);
    }

    void connected(DataParticipant p, PeerConnectionRole role, DataTransport dtls) {
        p.connected.put(role, dtls);
        attachIfReady(p, role);
    }

    /** Once the description accepted a data channel and DTLS is up, the association starts (INIT). */
    private void attachIfReady(DataParticipant p, PeerConnectionRole role) {
        DataTransport dtls = p.connected.get(role);
        DataChannelSection.PeerParams params = p.negotiated.get(role);
        if (p.closed || dtls == null || params == null || p.peers.containsKey(role)) {
            return;
        }
        DataPeer peer = new DataPeer(this, p, role, dtls);
        DataChannelConfig config = new DataChannelConfig(params.sctpPort(), settings.maxMessageBytes(),
            settings.sendBufferBytes(), settings.receiveBufferBytes(), STREAMS);
        peer.endpoint = new DataChannelEndpoint(config, dtls.dtlsClient(), (buf, off, len) -> {
            if (!dtls.send(buf, off, len)) {
                counters.packetsNotSent.incrementAndGet();
            }
        }, peer, seeds.nextLong());
        p.peers.put(role, peer);
        peers.add(peer);
        counters.associations.incrementAndGet();
        dtls.receiveWith((buf, off, len) -> packetFrom(peer, buf, off, len));
        peer.endpoint.connect(clock.getAsLong());
    }

    void subscribe(DataParticipant p, Map<String, SubscribedTrack> wanted) {
        p.wanted = wanted;
        reconcile(p);
    }

    /** Opens the channels of the tracks the subscriber wants and closes those it no longer wants. */
    private void reconcile(DataParticipant p) {
        DataPeer subscriber = p.peers.get(PeerConnectionRole.SUBSCRIBER);
        if (subscriber == null || !subscriber.established || subscriber.closed) {
            return;
        }
        long now = clock.getAsLong();
        for (Iterator<DataTrack.Outlet> it = subscriber.outlets.values().iterator(); it.hasNext(); ) {
            DataTrack.Outlet outlet = it.next();
            if (!p.wanted.containsKey(outlet.track().id())) {
                it.remove();
                outlet.track().outlets.remove(outlet);
                subscriber.endpoint.close(outlet.channel(), now);
            }
        }
        subscriber.refused.retainAll(p.wanted.keySet());
        for (SubscribedTrack wanted : p.wanted.values()) {
            DataTrack track = tracks.get(wanted.track().id());
            if (track == null || subscriber.outlets.containsKey(track.id()) || subscriber.refused.contains(track.id())) {
                continue;
            }
            DataTrackInfo info = track.track.data();
            DataChannel channel = subscriber.endpoint.open(wanted.publisherId() + ":" + info.label(), info.protocol(),
                track.channel.reliability(), now);
            if (channel == null) {
                counters.channelsRefused.incrementAndGet();
                continue;
            }
            DataTrack.Outlet outlet = new DataTrack.Outlet(track, subscriber, channel);
            subscriber.outlets.put(track.id(), outlet);
            track.outlets.add(outlet);
        }
        subscriber.dirty = true;
    }

    void sendServer(DataParticipant p, String label, boolean binary, byte[] payload) {
        DataPeer subscriber = p.peers.get(PeerConnectionRole.SUBSCRIBER);
        if (subscriber == null || !subscriber.established || subscriber.closed) {
            counters.serverMessagesUndelivered.incrementAndGet();
            return;
        }
        long now = clock.getAsLong();
        DataChannel channel = subscriber.serverChannels.get(label);
        if (channel == null) {
            if (subscriber.serverChannels.size() >= settings.maxChannelsPerParticipant()) {
                counters.channelsRefused.incrementAndGet();
                return;
            }
            channel = subscriber.endpoint.open(SERVER_LABEL_PREFIX + label, "", RELIABLE_ORDERED, now);
            if (channel == null) {
                counters.channelsRefused.incrementAndGet();
                return;
            }
            subscriber.serverChannels.put(label, channel);
        }
        SendResult result = subscriber.endpoint.send(channel, binary, payload, 0, payload.length, now);
        subscriber.dirty = true;
        if (result == SendResult.SENT) {
            counters.out(payload.length);
        } else if (result == SendResult.DROPPED_BUFFER_FULL) {
            counters.channelsCutOff.incrementAndGet();
            subscriber.serverChannels.remove(label);
            subscriber.endpoint.close(channel, now);
        } else {
            counters.messagesDropped.incrementAndGet();
        }
    }

    void close(DataParticipant p) {
        if (p.closed) {
            return;
        }
        p.closed = true;
        long now = clock.getAsLong();
        for (DataPeer peer : new ArrayList<>(p.peers.values())) {
            if (peer.endpoint.isEstablished()) {
                peer.endpoint.shutdown(now);
            }
            forget(peer);
        }
        p.peers.clear();
        p.connected.clear();
    }

    // ---------------------------------------------------------------------------------------------------------
    // What the endpoints report (on this thread, from receivePacket and poll)

    void onChannelOpen(DataPeer peer, DataChannel channel) {
        if (peer.role != PeerConnectionRole.PUBLISHER || peer.closed) {
            // on a subscriber connection only the SFU's own channels belong; a channel the browser opened there
            // goes nowhere
            if (!peer.closed && !isOwn(peer, channel)) {
                peer.endpoint.close(channel, clock.getAsLong());
            }
            return;
        }
        if (peer.published.size() >= settings.maxChannelsPerParticipant()) {
            counters.channelsRefused.incrementAndGet();
            peer.endpoint.close(channel, clock.getAsLong());
            return;
        }
        DataChannel.Reliability reliability = channel.reliability();
        DataTrackInfo info = new DataTrackInfo(channel.label(), channel.protocol() == null ? "" : channel.protocol(),
            reliability.ordered(), reliability.maxRetransmits(), reliability.maxLifetimeMillis());
        String mid = peer.owner.negotiated.get(PeerConnectionRole.PUBLISHER).mid();
        DataTrack track = new DataTrack(Track.data(Ids.trackId(), mid, info), peer, channel);
        peer.published.put(channel, track);
        tracks.put(track.id(), track);
        counters.tracks.incrementAndGet();
        reportTracks(peer);
    }

    private static boolean isOwn(DataPeer peer, DataChannel channel) {
        for (DataTrack.Outlet outlet : peer.outlets.values()) {
            if (outlet.channel() == channel) {
                return true;
            }
        }
        return peer.serverChannels.containsValue(channel);
    }

    void onMessage(DataPeer peer, DataChannel channel, boolean binary, byte[] buf, int off, int len) {
        DataTrack track = peer.role == PeerConnectionRole.PUBLISHER ? peer.published.get(channel) : null;
        if (track == null) {
            return;
        }
        counters.in(len);
        long now = clock.getAsLong();
        List<DataTrack.Outlet> outlets = track.outlets;
        for (int i = outlets.size() - 1; i >= 0; i--) {
            DataTrack.Outlet outlet = outlets.get(i);
            DataPeer subscriber = outlet.subscriber();
            SendResult result = subscriber.endpoint.send(outlet.channel(), binary, buf, off, len, now);
            subscriber.dirty = true;
            if (result == SendResult.SENT) {
                counters.out(len);
            } else if (result == SendResult.DROPPED_BUFFER_FULL && track.reliable()) {
                cutOff(outlet, now);
            } else {
                counters.messagesDropped.incrementAndGet();
            }
        }
    }

    /** A reliable channel toward a subscriber that does not keep up is closed: a gap would break its promise. */
    private void cutOff(DataTrack.Outlet outlet, long now) {
        counters.channelsCutOff.incrementAndGet();
        DataPeer subscriber = outlet.subscriber();
        removeOutlet(outlet);
        subscriber.refused.add(outlet.track().id());
        subscriber.endpoint.close(outlet.channel(), now);
        LOG.warn("cut-off", "{}: data track {} cut off, its send buffer is full", subscriber, outlet.track().id());
    }

    private static void removeOutlet(DataTrack.Outlet outlet) {
        outlet.track().outlets.remove(outlet);
        outlet.subscriber().outlets.remove(outlet.track().id(), outlet);
    }

    void onChannelClosed(DataPeer peer, DataChannel channel) {
        if (peer.closed) {
            return;
        }
        if (peer.role == PeerConnectionRole.PUBLISHER) {
            DataTrack track = peer.published.remove(channel);
            if (track != null) {
                unpublish(track);
                reportTracks(peer);
            }
            return;
        }
        for (DataTrack.Outlet outlet : new ArrayList<>(peer.outlets.values())) {
            if (outlet.channel() == channel) {
                removeOutlet(outlet);
                peer.refused.add(outlet.track().id());
            }
        }
        peer.serverChannels.values().remove(channel);
    }

    void onAssociationClosed(DataPeer peer, String reason) {
        if (peer.closed) {
            return;
        }
        LOG.warn("association-closed", "{}: data channel association closed: {}", peer, reason);
        boolean hadTracks = !peer.published.isEmpty();
        forget(peer);
        peer.owner.peers.remove(peer.role, peer);
        if (hadTracks && !peer.owner.closed) {
            reportTracks(peer);
        }
    }

    /** Takes a peer off the plane: its tracks are unpublished, its relaying channels gone, DTLS data dropped. */
    private void forget(DataPeer peer) {
        peer.closed = true;
        peer.dtls.receiveWith(null);
        for (DataTrack track : peer.published.values()) {
            unpublish(track);
        }
        peer.published.clear();
        for (DataTrack.Outlet outlet : new ArrayList<>(peer.outlets.values())) {
            removeOutlet(outlet);
        }
        peer.serverChannels.clear();
        if (peers.remove(peer)) {
            counters.associations.decrementAndGet();
        }
    }

    /** The track is gone: the channels relaying it close. */
    private void unpublish(DataTrack track) {
        if (tracks.remove(track.id()) == null) {
            return;
        }
        counters.tracks.decrementAndGet();
        long now = clock.getAsLong();
        for (DataTrack.Outlet outlet : new ArrayList<>(track.outlets)) {
            removeOutlet(outlet);
            if (!outlet.subscriber().closed) {
                outlet.subscriber().endpoint.close(outlet.channel(), now);
                outlet.subscriber().dirty = true;
            }
        }
    }

    private static void reportTracks(DataPeer publisher) {
        List<Track> published = new ArrayList<>();
        for (DataTrack track : publisher.published.values()) {
            published.add(track.track);
        }
        publisher.owner.listener.onDataTracks(published);
    }
}
