package io.sfu.core.media;

import io.sfu.core.datachannel.DataChannel;
import io.sfu.core.session.Track;

import java.util.ArrayList;
import java.util.List;

/**
 * A data track on the {@link DataPlane}'s thread: the channel a participant opened on its publisher connection and
 * the channels relaying it to each subscriber.
 */
final class DataTrack {
    final Track track;
    final DataPeer publisher;
    final DataChannel channel;
    final List<Outlet> outlets = new ArrayList<>();

    /** The channel relaying a track to one subscriber, on that subscriber's connection. */
    record Outlet(DataTrack track, DataPeer subscriber, DataChannel channel) {
    }

    DataTrack(Track track, DataPeer publisher, DataChannel channel) {
        this.track = track;
        this.publisher = publisher;
        this.channel = channel;
    }

    String id() {
        return track.id();
    }

    /** Whether every message must arrive: then a subscriber whose buffer is full is cut off, not skipped. */
    boolean reliable() {
        return track.data().reliable();
    }
}
