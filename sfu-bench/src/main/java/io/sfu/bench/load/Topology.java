package io.sfu.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * Which clients exist at each step of a run, the same on every shard: step 0 is the scenario's rooms × publishers ×
 * subscribers, and each ramp step adds subscribers to every room or whole rooms. Clients are numbered in the order
 * they are added (room by room, publishers first); a shard drives the clients whose number modulo the shard count
 * is its index, so the shards of a run split every step evenly and together drive each client exactly once.
 */
public final class Topology {
    /** One participant: its room, whether it publishes, its index among the room's publishers or subscribers. */
    public record ClientSpec(int room, boolean publisher, int index, long ordinal) {
        /** The participant's identity, unique in the run. */
        public String identity(String runId) {
            return runId + "-r" + room + (publisher ? "-p" : "-s") + index;
        }
    }

    /** The size of the load at one step. */
    public record Shape(int rooms, int publishersPerRoom, int subscribersPerRoom) {
        public int clients() {
            return rooms * (publishersPerRoom + subscribersPerRoom);
        }

        public int publishers() {
            return rooms * publishersPerRoom;
        }

        public int subscribers() {
            return rooms * subscribersPerRoom;
        }
    }

    private final Scenario scenario;

    public Topology(Scenario scenario) {
        this.scenario = scenario;
    }

    /** The load at step {@code step} (0-based). */
    public Shape shape(int step) {
        if (!scenario.ramp() || step == 0) {
            return new Shape(scenario.rooms(), scenario.publishersPerRoom(), scenario.subscribersPerRoom());
        }
        int add = step * scenario.rampStep();
        return scenario.rampBy() == Scenario.RampBy.ROOMS
            ? new Shape(scenario.rooms() + add, scenario.publishersPerRoom(), scenario.subscribersPerRoom())
            : new Shape(scenario.rooms(), scenario.publishersPerRoom(), scenario.subscribersPerRoom() + add);
    }

    /** Whether step {@code step} exists: within the step count and the client limit of the ramp. */
    public boolean hasStep(int step) {
        if (step < 0 || step >= scenario.steps()) {
            return false;
        }
        return step == 0 || shape(step).clients() <= scenario.rampMaxClients();
    }

    /** The largest room of the run (for the room's {@code maxParticipants}). */
    public int largestRoom() {
        int last = 0;
        while (hasStep(last + 1)) {
            last++;
        }
        Shape s = shape(last);
        return s.publishersPerRoom() + s.subscribersPerRoom();
    }

    /** The rooms of the last step the run may reach. */
    public int maxRooms() {
        int last = 0;
        while (hasStep(last + 1)) {
            last++;
        }
        return shape(last).rooms();
    }

    /** Every client added at {@code step}, on every shard, in order. */
    public List<ClientSpec> added(int step) {
        List<ClientSpec> added = new ArrayList<>();
        long ordinal = step == 0 ? 0 : shape(step - 1).clients();
        Shape now = shape(step);
        Shape before = step == 0 ? new Shape(0, 0, 0) : shape(step - 1);
        for (int room = 0; room < now.rooms(); room++) {
            boolean newRoom = room >= before.rooms();
            int publishersBefore = newRoom ? 0 : before.publishersPerRoom();
            int subscribersBefore = newRoom ? 0 : before.subscribersPerRoom();
            for (int p = publishersBefore; p < now.publishersPerRoom(); p++) {
                added.add(new ClientSpec(room, true, p, ordinal++));
            }
            for (int s = subscribersBefore; s < now.subscribersPerRoom(); s++) {
                added.add(new ClientSpec(room, false, s, ordinal++));
            }
        }
        return added;
    }

    /** The clients of {@link #added} that shard {@code index} of {@code count} drives. */
    public List<ClientSpec> addedForShard(int step, int index, int count) {
        List<ClientSpec> mine = new ArrayList<>();
        for (ClientSpec c : added(step)) {
            if (c.ordinal() % count == index) {
                mine.add(c);
            }
        }
        return mine;
    }

    /** Remote tracks a client should receive at {@code step}: every other publisher's tracks in its room. */
    public int expectedTracks(ClientSpec client, int step) {
        int publishers = shape(step).publishersPerRoom() - (client.publisher() ? 1 : 0);
        return Math.max(0, publishers) * scenario.tracksPerPublisher();
    }

    /** Forwarded tracks at a step over all shards: every subscription the SFU serves. */
    public long forwardedTracks(int step) {
        Shape s = shape(step);
        long perRoom = (long) s.publishersPerRoom() * scenario.tracksPerPublisher()
            * (s.subscribersPerRoom() + Math.max(0, s.publishersPerRoom() - 1));
        return perRoom * s.rooms();
    }

    /** A room's name in this run. */
    public String roomName(int room) {
        return scenario.roomPrefix() + room;
    }
}
