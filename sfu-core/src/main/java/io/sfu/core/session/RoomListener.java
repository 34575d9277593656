package io.sfu.core.session;

/**
 * Room events, delivered synchronously on the control thread in the order they happen. Default methods ignore
 * the event, so a listener implements only what it needs.
 */
public interface RoomListener {

    default void onParticipantJoined(Room room, Participant participant) {
    }

    /** The participant is no longer in {@link Room#participants()}; its tracks went with it. */
    default void onParticipantLeft(Room room, Participant participant, LeaveReason reason) {
    }

    default void onTrackPublished(Room room, Participant publisher, Track track) {
    }

    default void onTrackUnpublished(Room room, Participant publisher, Track track) {
    }

    /** The publisher muted or unmuted the track; {@code track} carries the new flag. */
    default void onTrackMuted(Room room, Participant publisher, Track track) {
    }

    default void onDominantSpeaker(Room room, Participant speaker) {
    }

    /** The room was removed from its registry; it has no participants left. */
    default void onRoomClosed(Room room) {
    }
}
