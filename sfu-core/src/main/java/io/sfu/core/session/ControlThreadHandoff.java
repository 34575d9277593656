package io.sfu.core.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A participant's media-side reports, handed to the control thread before they touch the room. */
final class ControlThreadHandoff implements MediaSessionListener {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
    private final ControlPlane controlPlane;
    private final Executor controlThread;
    private final Participant participant;

    ControlThreadHandoff(ControlPlane controlPlane, Executor controlThread, Participant participant) {
        this.controlPlane = controlPlane;
        this.controlThread = controlThread;
        this.participant = participant;
    }

    @Override
    public void onPublishedTracks(List<Track> tracks) {
        publishLater(tracks, false);
    }

    @Override
    public void onDataTracks(List<Track> tracks) {
        publishLater(tracks, true);
    }

    private void publishLater(List<Track> tracks, boolean data) {
        List<Track> copy = new ArrayList<>(tracks);
        controlThread.execute(() -> {
            if (participant.isActive()) {
                controlPlane.publishTracks(participant, copy, data);
            }
        });
    }

    @Override
    public void onConnected(PeerConnectionRole pc) {
        controlThread.execute(() -> {
            if (participant.isActive()) {
                LOG.info("room {}: {} connected its {} peer connection", participant.room().name(),
                    participant.id(), pc.wireName());
            }
        });
    }

    @Override
    public void onConsentExpired() {
        controlThread.execute(() -> controlPlane.leave(participant, LeaveReason.CONSENT_EXPIRED));
    }

    @Override
    public void onTransportFailed(String reason) {
        controlThread.execute(() -> {
            LOG.info("room {}: {} lost its media transport: {}", participant.room().name(), participant.id(),
                reason);
            controlPlane.leave(participant, LeaveReason.TRANSPORT_FAILED);
        });
    }

    @Override
    public void onDominantSpeaker(String participantId) {
        controlThread.execute(() -> {
            if (participant.isActive()) {
                Room room = participant.room();
                room.participant(participantId).ifPresent(room::dominantSpeaker);
            }
        });
    }
}
