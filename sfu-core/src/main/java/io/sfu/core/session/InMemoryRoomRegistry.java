package io.sfu.core.session;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The rooms of a single server, in a map confined to the control thread. */
public final class InMemoryRoomRegistry implements RoomRegistry {
    private final Map<String, Room> rooms = new LinkedHashMap<>();

    @Override
    public Optional<Room> create(String name, int maxParticipants, boolean autoCreated) {
        if (rooms.containsKey(name)) {
            return Optional.empty();
        }
        Room room = new Room(name, maxParticipants, autoCreated);
        rooms.put(name, room);
        return Optional.of(room);
    }

    @Override
    public Optional<Room> find(String name) {
        return Optional.ofNullable(rooms.get(name));
    }

    @Override
    public List<Room> rooms() {
        return List.copyOf(rooms.values());
    }

    @Override
    public boolean remove(Room room) {
        return rooms.remove(room.name(), room);
    }

    @Override
    public int size() {
        return rooms.size();
    }
}
