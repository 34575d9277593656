package io.sfu.core.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** RFC 3711 §3.3.2 replay list behaviour of {@link ReplayWindow}. */
class ReplayWindowTest {

    @Test
    void acceptsEachIndexOnce() {
        ReplayWindow window = new ReplayWindow(64);
        assertThat(window.isFresh(5)).isTrue();
        window.accept(5);
        assertThat(window.isFresh(5)).isFalse();
        assertThat(window.isFresh(4)).isTrue();
        assertThat(window.isFresh(6)).isTrue();
    }

    @Test
    void indexesOneWindowBehindTheHighestAreTooOld() {
        ReplayWindow window = new ReplayWindow(128);
        window.accept(1000);
        assertThat(window.isFresh(1000 - 127)).isTrue();
        assertThat(window.isFresh(1000 - 128)).isFalse();
    }

    @Test
    void aJumpForwardForgetsWhatFellOutOfTheWindow() {
        ReplayWindow window = new ReplayWindow(64);
        for (long i = 0; i < 64; i++) {
            window.accept(i);
        }
        window.accept(10_000);
        // everything within 64 of the new highest is fresh again except the highest itself
        for (long i = 10_000 - 63; i < 10_000; i++) {
            assertThat(window.isFresh(i)).as("index %d", i).isTrue();
        }
        assertThat(window.isFresh(10_000)).isFalse();
    }

    @Test
    void agreesWithASetOfAcceptedIndexesUnderRandomArrivals() {
        long seed = 0x3711L;
        SplittableRandom random = new SplittableRandom(seed);
        int size = 256;
        ReplayWindow window = new ReplayWindow(size);
        Set<Long> accepted = new HashSet<>();
        long highest = -1;
        for (int step = 0; step < 100_000; step++) {
            long index = Math.max(0, highest + random.nextInt(-400, 40));
            boolean expected = index > highest || (highest - index < size && !accepted.contains(index));
            assertThat(window.isFresh(index)).as("seed %x step %d index %d", seed, step, index).isEqualTo(expected);
            if (expected) {
                window.accept(index);
                accepted.add(index);
                highest = Math.max(highest, index);
            }
        }
    }

    @Test
    void resetForgetsEverything() {
        ReplayWindow window = new ReplayWindow(64);
        window.accept(3);
        window.reset();
        assertThat(window.isFresh(3)).isTrue();
        assertThat(window.isFresh(0)).isTrue();
    }
}
