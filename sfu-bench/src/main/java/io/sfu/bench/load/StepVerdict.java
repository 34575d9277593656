package io.sfu.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a step met the objective, and why not: every client connected and none failed, every subscribed track
 * delivered media in the window, some media received, loss at most {@code maxLossPct} and p99 latency at most
 * {@code maxP99Ms}. Used for a run's own steps and again for merged steps, from their counts.
 */
public final class StepVerdict {
    private StepVerdict() {
    }

    /** The reasons the step failed; empty when it passed. */
    public static List<String> failures(LoadReport.Objective objective, int clients, int clientsReady,
        int clientsFailed, long expectedTracks, long receivedPackets, double lossPct, double p99Ms,
        long silentTracks) {
        List<String> failures = new ArrayList<>();
        if (clientsFailed > 0) {
            failures.add(clientsFailed + " client(s) failed");
        }
        int notReady = clients - clientsReady - clientsFailed;
        if (notReady > 0) {
            failures.add(notReady + " client(s) not connected in time");
        }
        if (expectedTracks > 0 && receivedPackets == 0) {
            failures.add("no media received");
        }
        if (silentTracks > 0) {
            failures.add(silentTracks + " subscribed track(s) delivered nothing");
        }
        if (lossPct > objective.maxLossPct()) {
            failures.add(String.format(Locale.ROOT, "loss %.2f%% > %.2f%%", lossPct, objective.maxLossPct()));
        }
        if (p99Ms > objective.maxP99Ms()) {
            failures.add(String.format(Locale.ROOT, "p99 latency %.1f ms > %.1f ms", p99Ms, objective.maxP99Ms()));
        }
        return failures;
    }
}
