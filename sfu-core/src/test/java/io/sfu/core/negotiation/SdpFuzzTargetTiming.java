package io.sfu.core.negotiation;

import io.sfu.core.sdp.SdpFuzzTest;
import io.sfu.core.sdp.SessionDescription;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What one input of {@link SdpFuzzTarget} costs without the fuzzer's instrumentation: replays a corpus (the
 * directories given, each file an input) through the target for a number of rounds and prints the mean per input
 * of each round. Run it under a profiler to see where the time goes:
 * {@code java -cp <test class path> io.sfu.core.negotiation.SdpFuzzTargetTiming ROUNDS DIR...}.
 */
final class SdpFuzzTargetTiming {
    private SdpFuzzTargetTiming() {
    }

    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        List<byte[]> inputs = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            inputs.addAll(read(Path.of(args[i])));
        }
        SdpFuzzTarget target = new SdpFuzzTarget();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf("%d inputs%n", inputs.size());
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            long cpuStart = threads.getCurrentThreadCpuTime();
            for (byte[] input : inputs) {
                target.anyDescriptionParsesAndIsAnsweredOrIsRefusedWithItsOwnException(input);
            }
            long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
            long elapsed = System.nanoTime() - start;
            // the thread's CPU time as well: the machine may be shared, and waiting for a core is no cost of the input
            System.out.printf("round %d: %.1f µs per input, %.1f µs of CPU%n", round,
                elapsed / 1000.0 / inputs.size(), cpu / 1000.0 / inputs.size());
        }
        phases(inputs, threads);
    }

    /** The CPU time per input of each check the target makes, measured apart (after the rounds warmed them up). */
    private static void phases(List<byte[]> inputs, ThreadMXBean threads) {
        List<String> texts = new ArrayList<>();
        List<SessionDescription> offers = new ArrayList<>();
        long start = threads.getCurrentThreadCpuTime();
        for (byte[] input : inputs) {
            String text = new String(input, StandardCharsets.UTF_8);
            texts.add(text);
            offers.add(SdpFuzzTest.checkedDescription(text, -1));
        }
        long checked = threads.getCurrentThreadCpuTime();
        for (SessionDescription offer : offers) {
            if (offer != null) {
                SdpFuzzTarget.answer(offer, null);
            }
        }
        long first = threads.getCurrentThreadCpuTime();
        for (SessionDescription offer : offers) {
            if (offer != null) {
                SdpFuzzTarget.answer(offer, SdpFuzzTarget.PREVIOUS);
            }
        }
        long renegotiated = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < texts.size(); i++) {
            if (offers.get(i) != null) {
                NegotiationFuzzTest.applySubscriberAnswer(texts.get(i), SdpFuzzTarget.TRACKS, 1);
            }
        }
        long subscribed = threads.getCurrentThreadCpuTime();
        double n = inputs.size() * 1000.0;
        System.out.printf("CPU per input: parse, accessors and write-back %.1f µs; first answer %.1f µs; "
                + "renegotiation answer %.1f µs; subscriber answer %.1f µs (%d of %d inputs parsed)%n",
            (checked - start) / n, (first - checked) / n, (renegotiated - first) / n, (subscribed - renegotiated) / n,
            offers.stream().filter(o -> o != null).count(), inputs.size());
    }

    private static List<byte[]> read(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            List<byte[]> inputs = new ArrayList<>();
            for (Path file : files.sorted().toList()) {
                inputs.add(Files.readAllBytes(file));
            }
            return inputs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
