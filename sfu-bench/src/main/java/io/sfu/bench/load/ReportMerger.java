package io.sfu.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.HdrHistogram.Histogram;

/**
 * Combines the reports of the shards of one run (each drove a share of the clients against the same SFU) into the
 * report of the whole run, step by step: counts and rates add up, the latency histograms are added so the merged
 * percentiles are exact, loss is recomputed from the summed counts, the SFU's figures (the same SFU seen by every
 * shard) are averaged, the harnesses' CPU adds up, and every step is judged again against the objective. Only the
 * steps every shard reached are merged.
 */
public final class ReportMerger {
    private ReportMerger() {
    }

    /**
     * @throws IllegalArgumentException when there is no report, or they come from different runs
     */
    public static LoadReport merge(List<LoadReport> reports) {
        if (reports.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        LoadReport first = reports.get(0);
        Set<Integer> shards = new TreeSet<>();
        for (LoadReport r : reports) {
            if (!first.runId().equals(r.runId())) {
                throw new IllegalArgumentException("the reports come from different runs: " + first.runId() + " and "
                    + r.runId() + " (give every shard the same --run-id)");
            }
            for (int shard : r.shards()) {
                if (!shards.add(shard)) {
                    throw new IllegalArgumentException("shard " + shard + " appears in more than one report");
                }
            }
        }
        LoadReport.Objective objective = first.objective();
        List<LoadReport.Step> merged = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (LoadReport.Step step : first.steps()) {
            List<LoadReport.Step> parts = new ArrayList<>();
            for (LoadReport r : reports) {
                LoadReport.Step s = r.step(step.index());
                if (s != null) {
                    parts.add(s);
                }
            }
            if (parts.size() < reports.size()) {
                notes.add("step " + step.index() + " and later left out: not every shard reached it");
                break;
            }
            merged.add(mergeStep(parts, objective));
        }
        int maxIndex = -1;
        for (LoadReport r : reports) {
            for (LoadReport.Step s : r.steps()) {
                maxIndex = Math.max(maxIndex, s.index());
            }
        }
        if (notes.isEmpty() && merged.size() - 1 < maxIndex) {
            notes.add("steps after " + (merged.size() - 1) + " left out: not every shard reached them");
        }
        Integer lastPassing = LoadReport.lastPassing(merged);
        int shardCount = Math.max(first.shardCount(), shards.size());
        if (shards.size() < shardCount) {
            notes.add("only shards " + shards + " of " + shardCount + " were merged");
        }
        Map<String, Object> machine = new LinkedHashMap<>();
        for (LoadReport r : reports) {
            machine.put("shard " + r.shards(), r.machine());
        }
        return new LoadReport(LoadReport.FORMAT, first.runId(), first.createdAt(), List.copyOf(shards), shardCount,
            first.scenario(), machine, objective, lastPassing, summary(merged, lastPassing, notes), CpuFit.of(merged),
            merged, List.of());
    }

    static LoadReport.Step mergeStep(List<LoadReport.Step> parts, LoadReport.Objective objective) {
        LoadReport.Step a = parts.get(0);
        Histogram latency = LoopMetrics.newLatencyHistogram();
        int clients = 0;
        int publishers = 0;
        int subscribers = 0;
        int ready = 0;
        int failed = 0;
        long sent = 0;
        long expected = 0;
        long received = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        long recovered = 0;
        double jitterWeighted = 0;
        double pps = 0;
        double mbpsIn = 0;
        double mbpsOut = 0;
        double harness = 0;
        boolean harnessKnown = false;
        long nacks = 0;
        long retransmissions = 0;
        long plis = 0;
        long keyframes = 0;
        long impaired = 0;
        long silent = 0;
        long tracksExpected = 0;
        long forwardedStreams = 0;
        double durationSum = 0;
        double loadSum = 0;
        Double connectP50 = null;
        Double connectMax = null;
        Mean cpu = new Mean();
        Mean heap = new Mean();
        Mean forwardedPps = new Mean();
        Mean allocatedPerPacket = new Mean();
        Mean packetThreadsPerPacket = new Mean();
        Mean liveHeap = new Mean();
        Mean cpuPerPacket = new Mean();
        Set<String> warnings = new LinkedHashSet<>();
        Set<Integer> shards = new TreeSet<>();
        for (LoadReport.Step s : parts) {
            latency.add(Histograms.decode(s.latencyHistogram()));
            clients += s.clients();
            publishers += s.publishers();
            subscribers += s.subscribers();
            ready += s.clientsReady();
            failed += s.clientsFailed();
            sent += s.sentPackets();
            expected += s.expectedPackets();
            received += s.receivedPackets();
            duplicates += s.duplicates();
            outOfOrder += s.outOfOrder();
            recovered += s.recovered();
            jitterWeighted += s.jitterMs() * s.receivedPackets();
            pps += s.receivedPacketsPerSecond();
            mbpsIn += s.mbpsIn();
            mbpsOut += s.mbpsOut();
            if (s.harnessCpuPct() != null) {
                harness += s.harnessCpuPct();
                harnessKnown = true;
            }
            nacks += s.nacksSent();
            retransmissions += s.retransmissionsReceived();
            plis += s.plisSent();
            keyframes += s.keyframesSent();
            impaired += s.impairedDrops();
            silent += s.silentTracks();
            tracksExpected += s.subscribedTracks();
            forwardedStreams = Math.max(forwardedStreams, s.forwardedStreams());
            durationSum += s.durationSeconds();
            loadSum += s.loadAverage();
            cpu.add(s.cpuPct());
            heap.add(s.heapMb());
            forwardedPps.add(s.sfuPacketsForwardedPerSecond());
            cpuPerPacket.add(s.cpuUsPerForwardedPacket());
            allocatedPerPacket.add(s.sfuAllocatedBytesPerForwardedPacket());
            packetThreadsPerPacket.add(s.sfuPacketThreadsAllocatedBytesPerForwardedPacket());
            liveHeap.add(s.sfuLiveHeapAfterGcMb());
            if (s.connectP50Ms() != null) {
                connectP50 = connectP50 == null ? s.connectP50Ms() : Math.max(connectP50, s.connectP50Ms());
            }
            if (s.connectMaxMs() != null) {
                connectMax = connectMax == null ? s.connectMaxMs() : Math.max(connectMax, s.connectMaxMs());
            }
            warnings.addAll(s.warnings());
            shards.addAll(s.shards());
        }
        long lost = Math.max(0, expected - received);
        double lossPct = expected == 0 ? 0 : LoadRunner.round4(100.0 * lost / expected);
        LoadReport.Latency summary = Histograms.summaryMs(latency);
        Double cpuPct = cpu.value();
        Double perStream = cpuPct == null || forwardedStreams == 0 ? null
            : LoadRunner.round4(cpuPct / forwardedStreams);
        List<String> failures = new ArrayList<>(StepVerdict.failures(objective, clients, ready, failed,
            tracksExpected, received, lossPct, summary.p99(), silent));
        LoadReport.DataStep data = DataSteps.merge(parts);
        failures.addAll(DataSteps.failures(data, tracksExpected > 0));
        for (LoadReport.Step part : parts) {
            for (String failure : part.failures()) {
                if (failure.endsWith(LoadRunner.AUTH_FAILURE_TEXT)) {
                    failures.add(failure);
                }
            }
        }
        int n = parts.size();
        return new LoadReport.Step(a.index(), clients, a.rooms(), publishers, subscribers, ready, failed,
            LoadRunner.round3(durationSum / n), summary, Histograms.encode(latency), lossPct, sent, expected, received,
            lost, duplicates, outOfOrder, recovered, LoadRunner.round3(received == 0 ? 0 : jitterWeighted / received),
            LoadRunner.round2(pps), LoadRunner.round3(mbpsIn), LoadRunner.round3(mbpsOut), cpuPct, heap.value(),
            forwardedPps.value(), harnessKnown ? LoadRunner.round2(harness) : null, forwardedStreams, perStream,
            cpuPerPacket.value(), nacks, retransmissions, plis, keyframes, impaired, tracksExpected, silent, connectP50,
            connectMax, LoadRunner.round2(loadSum / n), failures.isEmpty(), failures, List.copyOf(warnings),
            List.copyOf(shards), allocatedPerPacket.value(), packetThreadsPerPacket.value(),
            liveHeap.value(), data, firstCluster(parts));
    }

    /** The nodes' figures are read from the nodes themselves, the same for every shard: the first shard's. */
    private static LoadReport.ClusterStep firstCluster(List<LoadReport.Step> parts) {
        for (LoadReport.Step part : parts) {
            if (part.cluster() != null) {
                return part.cluster();
            }
        }
        return null;
    }

    private static String summary(List<LoadReport.Step> steps, Integer lastPassing, List<String> notes) {
        StringBuilder sb = new StringBuilder("merged: ");
        if (steps.isEmpty()) {
            sb.append("no step every shard reached");
        } else if (lastPassing == null) {
            sb.append("the first step broke the objective: ").append(String.join("; ", steps.get(0).failures()));
        } else {
            LoadReport.Step held = steps.get(lastPassing);
            sb.append("held ").append(held.clients()).append(" clients (").append(held.forwardedStreams())
                .append(" forwarded streams) within the objective at step ").append(held.index());
            if (lastPassing + 1 < steps.size()) {
                sb.append("; step ").append(lastPassing + 1).append(" broke it: ")
                    .append(String.join("; ", steps.get(lastPassing + 1).failures()));
            }
        }
        for (String note : notes) {
            sb.append("; ").append(note);
        }
        return sb.toString();
    }

    /** The mean of the values that are known; null when none is. */
    private static final class Mean {
        private double sum;
        private int count;

        void add(Double value) {
            if (value != null && !value.isNaN()) {
                sum += value;
                count++;
            }
        }

        Double value() {
            return count == 0 ? null : LoadRunner.round4(sum / count);
        }
    }
}
