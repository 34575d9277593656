package io.sfu.core.session;

import java.util.List;
import java.util.Optional;

/**
 * Where the rooms of this server live. An interface so a clustered registry can replace the in-memory one; used
 * from the control thread only.
 */
public interface RoomRegistry {

    /** Adds a new, empty room; empty when a room of that name exists. */
    Optional<Room> create(String name, int maxParticipants, boolean autoCreated);

    Optional<Room> find(String name);

    /** Every room, in creation order. */
    List<Room> rooms();

    /** Removes the room; false when it was not in the registry. */
    boolean remove(Room room);

    int size();
}
