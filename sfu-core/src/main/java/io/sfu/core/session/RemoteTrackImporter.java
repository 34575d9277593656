package io.sfu.core.session;

/**
 * How a track published on another node of the cluster becomes forwardable here: the cluster layer imports it into
 * the media engine (and asks its origin to send it) when a local participant wants it. Called on the control thread;
 * must not block.
 */
@FunctionalInterface
public interface RemoteTrackImporter {
    /** Without a cluster, or without a media relay: remote tracks are shown but never forwarded. */
    RemoteTrackImporter NONE = (room, publisher, track) -> false;

    /**
     * A local participant wants {@code track} of the remote {@code publisher}: true when the track is imported (its
     * producer exists here) and may go into a subscriber offer now. When it returns false, the cluster layer calls
     * {@link ControlPlane#refreshRoom} once the import is ready.
     */
    boolean importForLocalSubscriber(Room room, Participant publisher, Track track);
}
