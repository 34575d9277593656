package io.sfu.signaling.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A cluster of 100 nodes given 10,000 rooms, simulated without a network on the classes a live node runs
 * ({@link Placement}, {@link ClusterDirectory}, {@link PublishedState}, {@link NodeStateCodec}): how evenly
 * placement spreads the load when every node places rooms on load reports up to a second old, and what the
 * directory protocol sends: full states, room-scoped updates and heartbeats. The figures it prints are in
 * docs/CLUSTER.md; it asserts the balance and the bookkeeping, not the time.
 */
class ClusterSimulationTest {
    private static final int NODES = 100;
    private static final int ROOMS = 10_000;
    /** Rooms created per simulated second, each through a node chosen at random (the one the API call reached). */
    private static final int ROOMS_PER_SECOND = 100;
    /** What one core forwards, and the cores of a node, to turn a packet rate into the CPU share a node reports. */
    private static final double PACKETS_PER_CORE = 150_000;
    private static final int CORES_PER_NODE = 8;
    private static final int AUDIO_PPS = 50;
    private static final int VIDEO_PPS = 250;
    /** About what the relay writes for a simulcast video track: codecs, extensions, three SSRCs and their RTX. */
    private static final String DESCRIPTION = "d".repeat(600);

    /** A room's size: most are meetings, some classes, a few webinars. */
    private record RoomShape(int publishers, int listeners) {
        int participants() {
            return publishers + listeners;
        }

        /** Packets the room's node forwards per second: every publisher's audio and video to everyone else. */
        long packetsPerSecond() {
            return (long) publishers * (AUDIO_PPS + VIDEO_PPS) * (participants() - 1);
        }
    }

    private static RoomShape shape(SplittableRandom random) {
        int kind = random.nextInt(100);
        if (kind < 80) {
            return new RoomShape(random.nextInt(2, 9), 0);
        }
        if (kind < 97) {
            return new RoomShape(random.nextInt(1, 4), random.nextInt(10, 31));
        }
        return new RoomShape(1, random.nextInt(50, 301));
    }

    /** The rooms' load per node after every room was placed by {@code policy}. */
    private static long[] place(String policy, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Placement> views = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            views.add(new Placement(0.01));
        }
        long[] packets = new long[NODES];
        long[] reported = new long[NODES];
        report(views, packets, reported);
        for (int created = 0; created < ROOMS; created++) {
            if (created > 0 && created % ROOMS_PER_SECOND == 0) {
                report(views, packets, reported);
            }
            RoomShape room = shape(random);
            int reached = random.nextInt(NODES);
            int chosen = switch (policy) {
                case "least-loaded", "least-loaded-unshared" ->
                    Integer.parseInt(views.get(reached).place().orElseThrow().substring(1));
                case "random" -> random.nextInt(NODES);
                default -> throw new IllegalArgumentException(policy);
            };
            if (policy.equals("least-loaded")) {
                // the node that placed the room tells the others at once
                for (int n = 0; n < NODES; n++) {
                    if (n != reached) {
                        views.get(n).placedElsewhere(node(chosen));
                    }
                }
            }
            packets[chosen] += room.packetsPerSecond();
        }
        return packets;
    }

    /** Once a second every node sends its load to every other node. */
    private static void report(List<Placement> views, long[] packets, long[] reported) {
        System.arraycopy(packets, 0, reported, 0, NODES);
        for (Placement view : views) {
            for (int n = 0; n < NODES; n++) {
                view.report(node(n), new NodeState.Load(reported[n] / PACKETS_PER_CORE / CORES_PER_NODE, reported[n]));
            }
        }
    }

    private static String node(int n) {
        return "n" + n;
    }

    private static double maxOverMean(long[] load) {
        return Arrays.stream(load).max().orElseThrow() / Arrays.stream(load).average().orElseThrow();
    }

    private static double coefficientOfVariation(long[] load) {
        double mean = Arrays.stream(load).average().orElseThrow();
        double variance = Arrays.stream(load).mapToDouble(l -> (l - mean) * (l - mean)).average().orElseThrow();
        return Math.sqrt(variance) / mean;
    }

    @Test
    void leastLoadedPlacementOnReportsASecondOldKeepsEveryNodeNearTheMean() {
        for (long seed = 1; seed <= 3; seed++) {
            long[] placed = place("least-loaded", seed);
            long[] random = place("random", seed);
            long[] unshared = place("least-loaded-unshared", seed);
            System.out.printf(Locale.ROOT, "placement seed %d: least-loaded max/mean %.3f cv %.3f; without sharing "
                + "placements %.3f cv %.3f; random max/mean %.3f cv %.3f%n", seed, maxOverMean(placed),
                coefficientOfVariation(placed), maxOverMean(unshared), coefficientOfVariation(unshared),
                maxOverMean(random), coefficientOfVariation(random));
            assertThat(maxOverMean(placed)).isLessThan(1.15);
            assertThat(coefficientOfVariation(placed)).isLessThan(coefficientOfVariation(random) / 2);
        }
    }

    @Test
    void aNodeThatLeftIsNoLongerChosenAndTheOthersShareItsRooms() {
        Placement placement = new Placement(0.01);
        for (int n = 0; n < NODES; n++) {
            placement.report(node(n), new NodeState.Load(0.5, 1000));
        }
        placement.remove(node(7));
        int[] rooms = new int[NODES];
        for (int i = 0; i < 990; i++) {
            rooms[Integer.parseInt(placement.place().orElseThrow().substring(1))]++;
        }
        assertThat(rooms[7]).isZero();
        assertThat(Arrays.stream(rooms).filter(r -> r == 10).count()).isEqualTo(NODES - 1);
    }

    /** The state node {@code n} publishes for its share of the rooms (every participant publishing audio and video). */
    private static NodeState state(int n, List<RoomShape> rooms, long sequence) {
        List<NodeState.RoomEntry> entries = new ArrayList<>();
        for (int r = 0; r < rooms.size(); r++) {
            RoomShape room = rooms.get(r);
            List<NodeState.ParticipantEntry> participants = new ArrayList<>();
            for (int p = 0; p < room.participants(); p++) {
                List<NodeState.TrackEntry> tracks = p < room.publishers()
                    ? List.of(new NodeState.TrackEntry("a" + n + "-" + r + "-" + p, "AUDIO", "0", List.of(), false,
                        "MICROPHONE", DESCRIPTION), new NodeState.TrackEntry("v" + n + "-" + r + "-" + p, "VIDEO",
                        "1", List.of("q", "h", "f"), false, "CAMERA", DESCRIPTION))
                    : List.of();
                participants.add(new NodeState.ParticipantEntry("p" + n + "-" + r + "-" + p, "user-" + p, tracks));
            }
            entries.add(new NodeState.RoomEntry("room-" + n + "-" + r, room.participants() + 10, 0, false,
                participants));
        }
        return new NodeState(node(n), "http://10.0.0." + n + ":8080", "10.0.0." + n, 5000,
            new NodeState.Load(0.5, 1000), sequence, entries);
    }

    /** Each node's share of the rooms, as they are before the joins. */
    private static List<List<RoomShape>> roomsPerNode() {
        SplittableRandom random = new SplittableRandom(4);
        List<List<RoomShape>> roomsOf = new ArrayList<>();
        for (int n = 0; n < NODES; n++) {
            roomsOf.add(new ArrayList<>());
        }
        for (int r = 0; r < ROOMS; r++) {
            roomsOf.get(r % NODES).add(shape(random));
        }
        return roomsOf;
    }

    /**
     * Every node starts with a full state, then 1,000 joins spread over the rooms each send an update. Two more
     * nodes, with no rooms of their own, follow: x hears everything, y misses one update and resyncs.
     */
    @Test
    void oneJoinSendsOneRoomEntryNotItsNodesStateAndTwoDirectoriesConvergeAfterAGap() {
        List<List<RoomShape>> roomsOf = roomsPerNode();
        long second = TimeUnit.SECONDS.toNanos(1);
        ClusterDirectory x = new ClusterDirectory("x", 30 * second, 30 * second);
        ClusterDirectory y = new ClusterDirectory("y", 30 * second, 30 * second);
        List<PublishedState> senders = new ArrayList<>();
        int[] stateChars = new int[NODES];
        long participants = 0;
        long joinedAtStart = 0;
        for (int n = 0; n < NODES; n++) {
            senders.add(new PublishedState(1_000L * n));
            String text = NodeStateCodec.write(senders.get(n).full(state(n, roomsOf.get(n), 0)));
            stateChars[n] = text.length();
            NodeState read = NodeStateCodec.read(text).orElseThrow();
            participants += read.participantCount();
            joinedAtStart += x.apply(read, 0).joined().size();
            y.apply(read, 0);
        }
        assertThat(joinedAtStart).isEqualTo(participants);
        IntSummary sizes = IntSummary.of(stateChars);
        String heartbeat = NodeStateCodec.write(new NodeStateCodec.Heartbeat(node(57), 0.4321, 123_456,
            senders.get(57).sequence()));

        SplittableRandom random = new SplittableRandom(5);
        int joins = 1000;
        int missedByY = 100;
        long beforeChars = 0;
        long afterChars = 0;
        int maxUpdateChars = 0;
        int resyncs = 0;
        long resyncChars = 0;
        for (int j = 0; j < joins; j++) {
            long now = second + j * 1_000_000L;
            int n = random.nextInt(NODES);
            List<RoomShape> rooms = roomsOf.get(n);
            int r = random.nextInt(rooms.size());
            RoomShape was = rooms.get(r);
            rooms.set(r, new RoomShape(was.publishers(), was.listeners() + 1));
            NodeState current = state(n, rooms, 0);
            NodeUpdate update = senders.get(n).update(current).orElseThrow();
            assertThat(update.rooms()).hasSize(1);
            assertThat(update.removed()).isEmpty();
            String text = NodeStateCodec.write(update);
            // the previous protocol sent the node's whole state: its size grows by the room's growth
            String previousRoom = NodeStateCodec.write(new NodeUpdate(node(n), update.sequence(),
                List.of(state(n, List.of(was), 0).rooms().get(0)), List.of()));
            stateChars[n] += text.length() - previousRoom.length();
            beforeChars += stateChars[n];
            afterChars += text.length();
            maxUpdateChars = Math.max(maxUpdateChars, text.length());

            NodeUpdate read = NodeStateCodec.readUpdate(text).orElseThrow();
            ClusterDirectory.Changes changes = x.update(read, now);
            assertThat(changes.joined()).hasSize(1);
            assertThat(changes.left()).isEmpty();
            if (j != missedByY) {
                y.update(read, now);
            }
            if (y.stateWanted(node(n), now)) {
                // asked on the node's own address; answered at its latest sequence
                String full = NodeStateCodec.write(senders.get(n).snapshot(current));
                resyncs++;
                resyncChars += full.length();
                y.apply(NodeStateCodec.read(full).orElseThrow(), now);
            }
        }
        assertThat(x.gaps()).isZero();
        assertThat(y.gaps()).isEqualTo(1);
        // a gap that no later update revealed shows in the heartbeats
        for (int n = 0; n < NODES; n++) {
            long now = 2 * second;
            if (y.heartbeat(node(n), NodeState.Load.IDLE, senders.get(n).sequence(), now)) {
                String full = NodeStateCodec.write(senders.get(n).snapshot(state(n, roomsOf.get(n), 0)));
                resyncs++;
                resyncChars += full.length();
                y.apply(NodeStateCodec.read(full).orElseThrow(), now);
            }
            x.heartbeat(node(n), NodeState.Load.IDLE, senders.get(n).sequence(), now);
        }
        assertThat(resyncs).isEqualTo(1);
        for (int n = 0; n < NODES; n++) {
            List<NodeState.RoomEntry> truth = state(n, roomsOf.get(n), 0).rooms();
            assertThat(x.node(node(n)).orElseThrow().rooms()).isEqualTo(truth);
            assertThat(y.node(node(n))).isEqualTo(x.node(node(n)));
        }

        // node 1 dies: each of its participants leaves, once
        int ofNode1 = state(1, roomsOf.get(1), 0).participantCount();
        ClusterDirectory.Changes dropped = x.drop(node(1));
        assertThat(dropped.left()).hasSize(ofNode1).doesNotHaveDuplicates();
        assertThat(x.drop(node(1)).isEmpty()).isTrue();

        long perSecondBefore = Arrays.stream(stateChars).asLongStream().sum() * (NODES - 1) / 10;
        long heartbeatsPerSecond = (long) heartbeat.length() * NODES * (NODES - 1);
        System.out.printf(Locale.ROOT, "directory: %d rooms, %d participants on %d nodes; a full state %d / %d / %d "
                + "characters (min / mean / max), sent at start and to a node that asks%n", ROOMS, participants,
            NODES, sizes.min, sizes.mean, sizes.max);
        System.out.printf(Locale.ROOT, "directory: one join sent the node's whole state, %d characters on average to "
                + "each of %d nodes (%.1f MB in all); now one room entry, %d characters on average (%d at most, "
                + "%.3f MB in all)%n", beforeChars / joins, NODES - 1, beforeChars / 1e6 * (NODES - 1) / joins,
            afterChars / joins, maxUpdateChars, afterChars / 1e6 * (NODES - 1) / joins);
        System.out.printf(Locale.ROOT, "directory: %d joins spread over the rooms: %.1f GB before, %.0f MB now (%.0f "
                + "times less); one missed update cost one full state of %d characters to resync%n", joins,
            beforeChars * (NODES - 1) / 1e9, afterChars * (NODES - 1) / 1e6, (double) beforeChars / afterChars,
            resyncChars);
        System.out.printf(Locale.ROOT, "directory: a heartbeat is %d characters (load and sequence only): %.2f MB a "
                + "second over the cluster; the 10-second republication of every state it replaces sent %.0f MB a "
                + "second%n", heartbeat.length(), heartbeatsPerSecond / 1e6, perSecondBefore / 1e6);
        assertThat(sizes.max).isLessThan(NodeStateCodec.MAX_TEXT_CHARS);
        assertThat(afterChars * 50).isLessThan(beforeChars);
        assertThat(heartbeat.length()).isLessThan(100);
    }

    private record IntSummary(int min, int mean, int max) {
        static IntSummary of(int[] values) {
            return new IntSummary(Arrays.stream(values).min().orElseThrow(),
                (int) Arrays.stream(values).average().orElseThrow(), Arrays.stream(values).max().orElseThrow());
        }
    }
}
