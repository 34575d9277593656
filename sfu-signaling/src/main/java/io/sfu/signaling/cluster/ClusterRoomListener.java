package io.sfu.signaling.cluster;

import io.sfu.core.session.LeaveReason;
import io.sfu.core.session.Participant;
import io.sfu.core.session.Room;
import io.sfu.core.session.RoomListener;
import io.sfu.core.session.Track;

/**
 * Tells the cluster of every change to a room that its state shows: a local participant joined, left or changed its
 * tracks. A remote participant replaced by a local join of the same identity is disconnected on its own node.
 */
final class ClusterRoomListener implements RoomListener {
    private final ClusterService cluster;

    ClusterRoomListener(ClusterService cluster) {
        this.cluster = cluster;
    }

    @Override
    public void onParticipantJoined(Room room, Participant participant) {
        changed(participant);
    }

    @Override
    public void onParticipantLeft(Room room, Participant participant, LeaveReason reason) {
        // only a local join replaces a remote participant (a newer remote one replaces it as DISCONNECTED)
        if (participant.isRemote() && reason == LeaveReason.REPLACED) {
            cluster.replaceRemote(participant);
        }
        changed(participant);
    }

    @Override
    public void onTrackPublished(Room room, Participant publisher, Track track) {
        changed(publisher);
    }

    @Override
    public void onTrackUnpublished(Room room, Participant publisher, Track track) {
        changed(publisher);
    }

    @Override
    public void onTrackMuted(Room room, Participant publisher, Track track) {
        changed(publisher);
    }

    @Override
    public void onRoomClosed(Room room) {
        cluster.publishSoon();
    }

    private void changed(Participant participant) {
        // a remote participant's change may free an import; a local one's goes into this node's state
        cluster.publishSoon();
    }
}
