package io.sfu.core.media;

import io.sfu.core.negotiation.DataChannelSection;
import io.sfu.core.session.MediaSessionListener;
import io.sfu.core.session.PeerConnectionRole;
import io.sfu.core.session.SubscribedTrack;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data channels of one participant: the handle its media session uses from the control and DTLS threads (each
 * call becomes a command of the {@link DataPlane}), and the state the plane's thread keeps for it.
 */
final class DataParticipant {
    final String participantId;
    final MediaSessionListener listener;
    private final DataPlane plane;

    // the plane's thread alone
    final Map<PeerConnectionRole, DataPeer> peers = new EnumMap<>(PeerConnectionRole.class);
    final Map<PeerConnectionRole, DataTransport> connected = new EnumMap<>(PeerConnectionRole.class);
    final Map<PeerConnectionRole, DataChannelSection.PeerParams> negotiated = new EnumMap<>(PeerConnectionRole.class);
    /** The data tracks relayed to this participant, by track id. */
    Map<String, SubscribedTrack> wanted = Map.of();
    boolean closed;

    DataParticipant(DataPlane plane, String participantId, MediaSessionListener listener) {
        this.plane = plane;
        this.participantId = participantId;
        this.listener = listener;
    }

    /** A description applied on {@code role} accepted a data channel m-line. */
    void negotiated(PeerConnectionRole role, DataChannelSection.PeerParams params) {
        plane.execute(() -> plane.negotiated(this, role, params));
    }

    /** DTLS completed on {@code role}. */
    void connected(PeerConnectionRole role, DataTransport dtls) {
        plane.execute(() -> plane.connected(this, role, dtls));
    }

    /** The data tracks to relay to this participant now. */
    void subscribe(List<SubscribedTrack> tracks) {
        Map<String, SubscribedTrack> byId = new LinkedHashMap<>();
        for (SubscribedTrack t : tracks) {
            byId.put(t.track().id(), t);
        }
        plane.execute(() -> plane.subscribe(this, byId));
    }

    /** A backend message for this participant's channel {@code server:<label>}. */
    void sendServer(String label, boolean binary, byte[] payload) {
        plane.execute(() -> plane.sendServer(this, label, binary, payload));
    }

    /** The participant left: its associations end, its tracks are unpublished, its relaying channels closed. */
    void close() {
        plane.execute(() -> plane.close(this));
    }
}
