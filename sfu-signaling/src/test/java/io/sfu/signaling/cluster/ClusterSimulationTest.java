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
 * ({@link Placement}, {@link ClusterDirectory}, {@link NodeStateCodec}): how evenly placement spreads the load
 * when every node places rooms on load reports up to a second old, and what one directory update costs. The
 * figures it prints are in docs/CLUSTER.md; it asserts the balance and the bookkeeping, not the time.
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

    @Test
    void oneJoinIsOneStateOfItsNodeToEveryOtherNodeAndOneChangeInEachDirectory() {
        SplittableRandom random = new SplittableRandom(4);
        List<List<RoomShape>> roomsOf = new ArrayList<>();
        for (int n = 0; n < NODES; n++) {
            roomsOf.add(new ArrayList<>());
        }
        for (int r = 0; r < ROOMS; r++) {
            roomsOf.get(r % NODES).add(shape(random));
        }
        ClusterDirectory directory = new ClusterDirectory(node(0), TimeUnit.SECONDS.toNanos(5),
            TimeUnit.SECONDS.toNanos(30));
        long participants = 0;
        long joined = 0;
        int[] bytes = new int[NODES];
        for (int n = 1; n < NODES; n++) {
            String text = NodeStateCodec.write(state(n, roomsOf.get(n), 1));
            bytes[n] = text.length();
            NodeState read = NodeStateCodec.read(text).orElseThrow();
            participants += read.participantCount();
            joined += directory.apply(read, 0).joined().size();
        }
        assertThat(joined).isEqualTo(participants);
        assertThat(directory.size()).isEqualTo(NODES - 1);

        // one participant more in node 1's first room: node 1 sends its whole state again
        List<RoomShape> grown = new ArrayList<>(roomsOf.get(1));
        grown.set(0, new RoomShape(grown.get(0).publishers() + 1, grown.get(0).listeners()));
        String update = NodeStateCodec.write(state(1, grown, 2));
        long start = System.nanoTime();
        ClusterDirectory.Changes changes = directory.apply(NodeStateCodec.read(update).orElseThrow(), 1);
        long applyNs = System.nanoTime() - start;
        assertThat(changes.joined()).hasSize(1);
        assertThat(changes.left()).isEmpty();
        assertThat(changes.tracksChanged()).hasSize(1);

        // node 1 dies: each of its participants leaves, once
        ClusterDirectory.Changes dropped = directory.drop(node(1));
        assertThat(dropped.left()).hasSize(NodeStateCodec.read(update).orElseThrow().participantCount());
        assertThat(directory.drop(node(1)).isEmpty()).isTrue();

        IntSummary sizes = IntSummary.of(Arrays.copyOfRange(bytes, 1, NODES));
        System.out.printf(Locale.ROOT, "directory: %d rooms, %d participants on %d other nodes; a node's state %d / "
                + "%d / %d characters (min / mean / max); one join sends %d characters to each of %d nodes (%.1f MB "
                + "in all); reading and applying it took %.2f ms (one run, not a benchmark)%n", ROOMS, participants,
            NODES - 1, sizes.min, sizes.mean, sizes.max, update.length(), NODES - 1,
            update.length() * (NODES - 1) / 1e6, applyNs / 1e6);
        assertThat(sizes.max).isLessThan(NodeStateCodec.MAX_TEXT_CHARS);
    }

    private record IntSummary(int min, int mean, int max) {
        static IntSummary of(int[] values) {
            return new IntSummary(Arrays.stream(values).min().orElseThrow(),
                (int) Arrays.stream(values).average().orElseThrow(), Arrays.stream(values).max().orElseThrow());
        }
    }
}
