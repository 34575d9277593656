package io.sfu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TopologyTest {
    static Scenario scenario(int rooms, int publishers, int subscribers, boolean ramp, Scenario.RampBy by, int step,
        int maxSteps) {
        return new Scenario("http://127.0.0.1:1", null, rooms, publishers, subscribers, 5, 1, true, true, 1000, false,
            true, 3, ramp, by, step, maxSteps, 2000, 1, 1, 50, Scenario.Impairments.NONE, 0, 1, "t1", "load-t1-", 1,
            null, 50, 12, 30, 0, 600, 1, false, 0);
    }

    @Test
    void aFanOutRampAddsSubscribersToTheRoomStepByStep() {
        Topology t = new Topology(scenario(1, 1, 5, true, Scenario.RampBy.SUBSCRIBERS, 5, 4));

        assertThat(t.added(0)).hasSize(6);
        assertThat(t.added(0).get(0).publisher()).isTrue();
        assertThat(t.added(1)).hasSize(5).allSatisfy(c -> assertThat(c.publisher()).isFalse());
        assertThat(t.added(1).get(0).index()).isEqualTo(5);
        assertThat(t.added(1).get(0).ordinal()).isEqualTo(6);
        assertThat(t.shape(3).clients()).isEqualTo(21);
        assertThat(t.largestRoom()).isEqualTo(21);
        assertThat(t.hasStep(4)).isFalse();
        // 1 publisher of audio and video to 20 subscribers
        assertThat(t.forwardedTracks(3)).isEqualTo(40);
        assertThat(t.expectedTracks(t.added(0).get(0), 0)).isZero();
        assertThat(t.expectedTracks(t.added(0).get(1), 0)).isEqualTo(2);
    }

    @Test
    void aMeetingRampAddsWholeRoomsWhereEveryoneReceivesTheOthers() {
        Topology t = new Topology(scenario(1, 5, 0, true, Scenario.RampBy.ROOMS, 1, 10));

        assertThat(t.added(1)).hasSize(5).allSatisfy(c -> {
            assertThat(c.room()).isEqualTo(1);
            assertThat(c.publisher()).isTrue();
        });
        assertThat(t.expectedTracks(t.added(1).get(0), 1)).isEqualTo(8);
        // five people, each receiving four others' audio and video
        assertThat(t.forwardedTracks(2)).isEqualTo(3 * 5 * 4 * 2);
        assertThat(t.roomName(2)).isEqualTo("load-t1-2");
        assertThat(t.added(2).get(0).identity("t1")).isEqualTo("t1-r2-p0");
    }

    @Test
    void shardsSplitEveryStepIntoDisjointSharesThatTogetherAreEveryClient() {
        Topology t = new Topology(scenario(3, 2, 7, true, Scenario.RampBy.SUBSCRIBERS, 4, 6));
        for (int shards = 1; shards <= 5; shards++) {
            for (int step = 0; step < 6; step++) {
                Set<Long> union = new HashSet<>();
                List<Integer> sizes = new ArrayList<>();
                for (int i = 0; i < shards; i++) {
                    List<Topology.ClientSpec> mine = t.addedForShard(step, i, shards);
                    sizes.add(mine.size());
                    for (Topology.ClientSpec c : mine) {
                        assertThat(union.add(c.ordinal())).as("client %s in two shards", c).isTrue();
                    }
                }
                assertThat(union).hasSize(t.added(step).size());
                assertThat(sizes.stream().mapToInt(Integer::intValue).max().orElse(0)
                    - sizes.stream().mapToInt(Integer::intValue).min().orElse(0)).isLessThanOrEqualTo(1);
            }
        }
        // ordinals run on over the steps, so every client has one ordinal for the whole run
        Set<Long> all = new HashSet<>();
        for (int step = 0; step < 6; step++) {
            t.added(step).forEach(c -> assertThat(all.add(c.ordinal())).isTrue());
        }
        assertThat(all).hasSize(t.shape(5).clients());
    }

    @Test
    void theRampStopsAtTheClientLimit() {
        Scenario s = new Scenario("http://127.0.0.1:1", null, 1, 1, 5, 5, 1, true, true, 1000, false, true, 3, true,
            Scenario.RampBy.SUBSCRIBERS, 10, 50, 30, 1, 1, 50, Scenario.Impairments.NONE, 0, 1, "t1", "p-", 1, null,
            50, 12, 30, 0, 600, 1, false, 0);
        Topology t = new Topology(s);
        assertThat(t.hasStep(2)).isTrue();
        assertThat(t.hasStep(3)).isFalse();
    }
}
