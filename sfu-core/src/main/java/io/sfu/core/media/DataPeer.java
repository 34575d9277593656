package io.sfu.core.media;

import io.sfu.core.datachannel.DataChannel;
import io.sfu.core.datachannel.DataChannelEndpoint;
import io.sfu.core.session.PeerConnectionRole;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The data channel association of one peer connection, owned by the {@link DataPlane}'s thread: its endpoint, when
 * the endpoint wants to be polled, and what flows on it (the data tracks published on a publisher connection; the
 * relaying channels and the backend's channels on a subscriber connection). Reports the endpoint's events to the
 * plane.
 */
final class DataPeer implements DataChannelEndpoint.Listener {
    final DataPlane plane;
    final DataParticipant owner;
    final PeerConnectionRole role;
    final DataTransport dtls;
    DataChannelEndpoint endpoint;
    /** When {@link DataChannelEndpoint#poll} is due next. */
    long deadlineNs = Long.MAX_VALUE;
    /** Something happened on the endpoint since it was polled: poll it in this cycle. */
    boolean dirty = true;
    boolean established;
    boolean closed;
    /** Publisher connection: the data track of each channel the participant opened. */
    final Map<DataChannel, DataTrack> published = new LinkedHashMap<>();
    /** Subscriber connection: the channel relaying each data track, by track id. */
    final Map<String, DataTrack.Outlet> outlets = new HashMap<>();
    /** Subscriber connection: tracks whose channel the subscriber closed or was cut off; not reopened. */
    final Set<String> refused = new HashSet<>();
    /** Subscriber connection: the backend's channels by label. */
    final Map<String, DataChannel> serverChannels = new HashMap<>();

    DataPeer(DataPlane plane, DataParticipant owner, PeerConnectionRole role, DataTransport dtls) {
        this.plane = plane;
        this.owner = owner;
        this.role = role;
        this.dtls = dtls;
    }

    @Override
    public void onChannelOpen(DataChannel channel) {
        plane.onChannelOpen(this, channel);
    }

    @Override
    public void onMessage(DataChannel channel, boolean binary, byte[] buf, int off, int len) {
        plane.onMessage(this, channel, binary, buf, off, len);
    }

    @Override
    public void onChannelClosed(DataChannel channel) {
        plane.onChannelClosed(this, channel);
    }

    @Override
    public void onClosed(String reason) {
        plane.onAssociationClosed(this, reason);
    }

    @Override
    public String toString() {
        return owner.participantId + "/" + role.wireName();
    }
}
