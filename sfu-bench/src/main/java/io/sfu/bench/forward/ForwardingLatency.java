package io.sfu.bench.forward;

import io.sfu.bench.JvmFlags;
import io.sfu.core.buffer.PacketPool;
import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.forward.AgentThread;
import io.sfu.core.forward.ForwardingAgent;
import io.sfu.core.net.DatagramKind;
import io.sfu.core.net.DatagramOutput;
import io.sfu.core.rtp.RtpPacket;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long a packet spends inside the SFU at a steady load: a real {@code ForwardingAgent} on its own
 * {@link AgentThread}, as in production, fed SRTP packets (AES-128-GCM, a browser-like VP8 track) by this
 * thread standing in for the receive thread, with {@code --fanout} subscribers.
 *
 * <ol>
 *   <li>Capacity: after a warm-up, offers packets as fast as the agent takes them (the packet pool, smaller
 *       than the agent's queue, holds the sender back) and counts what the agent forwards per second.
 *   <li>Latency: offers {@code --load} × capacity packets per second at a steady pace for {@code --seconds},
 *       stamping each packet when it is enqueued; the output sink, on the agent's thread, records the time from
 *       that stamp to the send call of each subscriber's copy into an HdrHistogram.
 * </ol>
 * Prints p50/p99/p99.9/max in microseconds, the offered rate and the capacity; {@code --out FILE} also writes the
 * percentiles as JSON. Runs for about {@code warm-up + capacity + seconds} and stops by itself.
 *
 * <p>Run: {@code java -cp sfu-bench/target/benchmarks.jar io.sfu.bench.forward.ForwardingLatency --fanout 10
 * --seconds 20 --load 0.5 [--out latency.json]}
 */
public final class ForwardingLatency {
    static final int POOL_SLOTS = 4096;
    static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);
    /** How close to a packet's due time the pacing loop stops yielding its core and spins. */
    static final long SPIN_NS = TimeUnit.MICROSECONDS.toNanos(20);
    /** Below this share of a core for the agent thread during the capacity phase, the report warns. */
    static final double BUSY_MACHINE_CPU_SHARE = 0.9;
    static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99, 100};
    private static final String RELAUNCHED = "io.sfu.bench.forward.relaunched";

    private ForwardingLatency() {
    }

    /** The command line, validated: each setting has a default, and an invalid value names its setting. */
    record Options(int fanOut, double seconds, double load, double warmupSeconds, double capacitySeconds,
                   Path out) {
        static final String USAGE = "usage: ForwardingLatency [--fanout N (10)] [--seconds S (20)] [--load L (0.5)]"
            + " [--warmup S (3)] [--capacity-seconds S (4)] [--out FILE]";

        Options {
            if (fanOut < 1 || fanOut > 1000) {
                throw new IllegalArgumentException("--fanout must be 1..1000: " + fanOut);
            }
            if (!(seconds > 0 && seconds <= 3600)) {
                throw new IllegalArgumentException("--seconds must be in (0, 3600]: " + seconds);
            }
            if (!(load > 0 && load <= 1)) {
                throw new IllegalArgumentException("--load must be in (0, 1]: " + load);
            }
            if (!(warmupSeconds >= 0 && warmupSeconds <= 600)) {
                throw new IllegalArgumentException("--warmup must be in [0, 600]: " + warmupSeconds);
            }
            if (!(capacitySeconds > 0 && capacitySeconds <= 600)) {
                throw new IllegalArgumentException("--capacity-seconds must be in (0, 600]: " + capacitySeconds);
            }
        }

        static Options parse(String... args) {
            Arguments arguments = new Arguments();
            try {
                new CommandLine(arguments).parseArgs(args);
            } catch (CommandLine.ParameterException e) {
                throw new IllegalArgumentException(e.getMessage() + "; " + USAGE, e);
            }
            return new Options(arguments.fanOut, arguments.seconds, arguments.load, arguments.warmup,
                arguments.capacity, arguments.out);
        }
    }

    /** The command line as picocli reads it; {@link Options} checks the values. */
    @Command(name = "ForwardingLatency")
    static final class Arguments {
        @Option(names = "--fanout", defaultValue = "10")
        int fanOut;
        @Option(names = "--seconds", defaultValue = "20")
        double seconds;
        @Option(names = "--load", defaultValue = "0.5")
        double load;
        @Option(names = "--warmup", defaultValue = "3")
        double warmup;
        @Option(names = "--capacity-seconds", defaultValue = "4")
        double capacity;
        @Option(names = "--out")
        Path out;
    }

    /** What a run measured; latencies in nanoseconds, rates in packets in per second. */
    record Result(Options options, double capacityPps, double capacityPerCpuSecond, double capacityCpuShare,
                  long capacityDrops, double offeredPps, double pacedCpuShare, long packetsOffered, long samples,
                  long inboundDrops, long poolWaits, long maxSenderLagNs, double[] percentileNs, double meanNs,
                  String loadAverage) {

        String report() {
            StringBuilder text = new StringBuilder();
            text.append(String.format(Locale.ROOT, "fan-out %d, AEAD_AES_128_GCM, load average %s%n",
                options.fanOut(), loadAverage));
            text.append(String.format(Locale.ROOT, "capacity: %.0f packets/s in (%.0f forwarded/s), %d inbound drops;"
                    + " agent thread on CPU %.0f%% of the time: %.0f packets in per agent CPU-second%n",
                capacityPps, capacityPps * options.fanOut(), capacityDrops, 100 * capacityCpuShare,
                capacityPerCpuSecond));
            if (capacityCpuShare < BUSY_MACHINE_CPU_SHARE) {
                text.append(String.format(Locale.ROOT, "warning: the agent thread had %.0f%% of a core while its"
                    + " capacity was measured: this machine is busy, and the latencies below mostly measure the"
                    + " scheduler%n", 100 * capacityCpuShare));
            }
            text.append(String.format(Locale.ROOT,
                "offered:  %.0f packets/s in (%.0f%% of capacity) for %.1f s: %d packets, %d copies timed%n",
                offeredPps, 100 * options.load(), options.seconds(), packetsOffered, samples));
            text.append(String.format(Locale.ROOT, "enqueue -> send per subscriber copy (us): p50 %.1f  p90 %.1f  "
                    + "p99 %.1f  p99.9 %.1f  p99.99 %.1f  max %.1f  mean %.1f%n",
                percentileNs[0] / 1e3, percentileNs[1] / 1e3, percentileNs[2] / 1e3, percentileNs[3] / 1e3,
                percentileNs[4] / 1e3, percentileNs[5] / 1e3, meanNs / 1e3));
            text.append(String.format(Locale.ROOT,
                "at load: agent thread on CPU %.0f%% of the time, inbound drops %d, packets that waited for a pool"
                    + " slot %d, sender's largest lag behind its pace %.1f us%n", 100 * pacedCpuShare, inboundDrops,
                poolWaits, maxSenderLagNs / 1e3));
            return text.toString();
        }

        String json() {
            StringBuilder json = new StringBuilder("{\n");
            json.append("  \"benchmark\": \"io.sfu.bench.forward.ForwardingLatency\",\n");
            json.append("  \"crypto\": \"AEAD_AES_128_GCM\",\n");
            json.append(String.format(Locale.ROOT, "  \"fanOut\": %d,%n", options.fanOut()));
            json.append(String.format(Locale.ROOT, "  \"load\": %s,%n", options.load()));
            json.append(String.format(Locale.ROOT, "  \"seconds\": %s,%n", options.seconds()));
            json.append(String.format(Locale.ROOT, "  \"capacityPacketsPerSecond\": %.1f,%n", capacityPps));
            json.append(String.format(Locale.ROOT, "  \"capacityPacketsPerAgentCpuSecond\": %.1f,%n",
                capacityPerCpuSecond));
            json.append(String.format(Locale.ROOT, "  \"capacityAgentCpuShare\": %.3f,%n", capacityCpuShare));
            json.append(String.format(Locale.ROOT, "  \"capacityInboundDrops\": %d,%n", capacityDrops));
            json.append(String.format(Locale.ROOT, "  \"offeredPacketsPerSecond\": %.1f,%n", offeredPps));
            json.append(String.format(Locale.ROOT, "  \"agentCpuShareAtLoad\": %.3f,%n", pacedCpuShare));
            json.append(String.format(Locale.ROOT, "  \"packetsOffered\": %d,%n", packetsOffered));
            json.append(String.format(Locale.ROOT, "  \"samples\": %d,%n", samples));
            json.append(String.format(Locale.ROOT, "  \"inboundDrops\": %d,%n", inboundDrops));
            json.append(String.format(Locale.ROOT, "  \"poolWaits\": %d,%n", poolWaits));
            json.append(String.format(Locale.ROOT, "  \"maxSenderLagUs\": %.3f,%n", maxSenderLagNs / 1e3));
            json.append(String.format(Locale.ROOT, "  \"loadAverage\": \"%s\",%n", loadAverage));
            json.append(String.format(Locale.ROOT, "  \"meanUs\": %.3f,%n", meanNs / 1e3));
            json.append("  \"percentilesUs\": {");
            for (int i = 0; i < PERCENTILES.length; i++) {
                json.append(String.format(Locale.ROOT, "%s\"%s\": %.3f", i == 0 ? "" : ", ",
                    percentileName(PERCENTILES[i]), percentileNs[i] / 1e3));
            }
            json.append("}\n}\n");
            return json.toString();
        }

        private static String percentileName(double percentile) {
            return percentile == Math.rint(percentile) ? Long.toString((long) percentile)
                : Double.toString(percentile);
        }
    }

    /**
     * The agent's output: counts each subscriber copy and records the time since its packet was enqueued. The
     * outgoing sequence number identifies the packet: each consumer started at the first packet, so its
     * sequence offset is zero.
     */
    static final class TimingOutput implements DatagramOutput {
        /** Enqueue time by incoming sequence number; written before the enqueue that publishes it. */
        final long[] enqueuedNs = new long[1 << 16];
        final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NS, 3);
        final AtomicLong rtpPackets = new AtomicLong();

        @Override
        public boolean send(ByteBuffer datagram, InetSocketAddress target) {
            int position = datagram.position();
            int length = datagram.limit() - position;
            if (!CountingOutput.isRtcp(datagram, position, length) && length >= RtpPacket.FIXED_HEADER_LENGTH) {
                long now = System.nanoTime();
                int sequence = ((datagram.get(position + 2) & 0xFF) << 8) | (datagram.get(position + 3) & 0xFF);
                histogram.recordValue(Math.min(HIGHEST_TRACKABLE_NS, Math.max(0, now - enqueuedNs[sequence])));
                rtpPackets.lazySet(rtpPackets.get() + 1);
            }
            datagram.position(datagram.limit());
            return true;
        }
    }

    /** Stands in for the receive thread: protects the next packet into a pooled slot and hands it to the agent. */
    static final class Sender {
        final ForwardingRig rig;
        final TimingOutput output;
        final PacketPool pool = new PacketPool(POOL_SLOTS);
        final UnsafeBuffer template = new UnsafeBuffer(new byte[PacketSlot.CAPACITY]);
        final RtpPacket packet = new RtpPacket();
        final int length;
        long next;
        long drops;
        /** Packets of the paced phase that found every slot queued at the agent and waited for one. */
        long poolWaits;

        Sender(ForwardingRig rig, TimingOutput output) {
            this.rig = rig;
            this.output = output;
            this.length = rig.source.write(template, 0);
        }

        /** Sends the next packet; false when the pool had no slot (nothing sent). */
        boolean trySend() {
            PacketSlot slot = pool.acquire();
            if (slot == null) {
                return false;
            }
            long n = next++;
            UnsafeBuffer buffer = slot.buffer();
            buffer.putBytes(0, template, 0, length);
            if (n > 0 && packet.wrap(buffer, 0, length)) {
                rig.source.advance(packet, n);
            }
            int protectedLength = rig.publisherPeerSend.protectRtp(buffer, 0, length);
            slot.data(0, protectedLength).kind(DatagramKind.RTP.ordinal());
            long now = System.nanoTime();
            output.enqueuedNs[VideoPacketSource.sequenceOf(n)] = now;
            slot.receivedNs(now);
            if (!rig.publisher.onMedia(slot)) {
                slot.release();
                drops++;
            }
            return true;
        }

        /** Sends as fast as the pool lets it until {@code deadlineNs}. */
        void flood(long deadlineNs) {
            while (System.nanoTime() - deadlineNs < 0) {
                if (!trySend()) {
                    // the agent is behind: let it have this core if it shares it
                    Thread.yield();
                }
            }
        }

        /** Waits (bounded) until every packet sent so far reached every subscriber. */
        void awaitForwarded(long timeoutNs) {
            long expected = (next - drops) * rig.subscribers.length;
            long deadline = System.nanoTime() + timeoutNs;
            while (output.rtpPackets.get() < expected) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the agent forwarded " + output.rtpPackets.get() + " of "
                        + expected + " copies in time");
                }
                Thread.yield();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (!Object.class.getModule().isExported("jdk.internal.misc", ForwardingLatency.class.getModule())) {
            if (Boolean.getBoolean(RELAUNCHED)) {
                throw new IllegalStateException("start the JVM with " + JvmFlags.AGRONA);
            }
            System.exit(relaunch(args));
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        Result result = run(options);
        System.out.print(result.report());
        if (options.out() != null) {
            Files.writeString(options.out(), result.json(), StandardCharsets.UTF_8);
            System.out.println("percentiles written to " + options.out());
        }
    }

    /** Agrona needs jdk.internal.misc: starts this class again in a JVM that exports it, as JMH forks do. */
    private static int relaunch(String[] args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add(JvmFlags.AGRONA);
        command.add(JvmFlags.GHASH);
        command.add("-D" + RELAUNCHED + "=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ForwardingLatency.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    static Result run(Options options) throws InterruptedException {
        int fanOut = options.fanOut();
        TimingOutput output = new TimingOutput();
        ForwardingRig rig = new ForwardingRig(fanOut, Crypto.AEAD_AES_128_GCM, output, SystemNanoClock.INSTANCE,
            ForwardingAgent.DEFAULT_INBOUND_CAPACITY);
        AgentThread agentThread = rig.agent.start();
        try {
            Sender sender = new Sender(rig, output);

            // capacity: the pool (4,096 slots, half the agent's queue) holds the sender back, so nothing is dropped
            long start = System.nanoTime();
            sender.flood(start + seconds(options.warmupSeconds()));
            long windowStart = System.nanoTime();
            long agentCpuAtStart = cpuTime(agentThread);
            long forwardedAtStart = output.rtpPackets.get();
            sender.flood(windowStart + seconds(options.capacitySeconds()));
            long forwardedAtEnd = output.rtpPackets.get();
            long agentCpuAtEnd = cpuTime(agentThread);
            long windowEnd = System.nanoTime();
            double packetsIn = (forwardedAtEnd - forwardedAtStart) / (double) fanOut;
            double capacityPps = packetsIn / ((windowEnd - windowStart) / 1e9);
            double capacityPerCpuSecond = packetsIn / ((agentCpuAtEnd - agentCpuAtStart) / 1e9);
            double capacityCpuShare = (agentCpuAtEnd - agentCpuAtStart) / (double) (windowEnd - windowStart);
            sender.awaitForwarded(TimeUnit.SECONDS.toNanos(30));
            long floodDrops = sender.drops;
            rig.agent.query(() -> {
                output.histogram.reset();
                return null;
            }).get(10, TimeUnit.SECONDS);

            // latency at a steady pace; each packet is due at its own time, a late one goes as soon as it can
            double offeredPps = options.load() * capacityPps;
            double intervalNs = 1e9 / offeredPps;
            long packets = Math.max(1, (long) (options.seconds() * offeredPps));
            long firstPacket = sender.next;
            long maxLagNs = 0;
            long paceStart = System.nanoTime();
            long agentCpuAtPaceStart = cpuTime(agentThread);
            for (long i = 0; i < packets; i++) {
                long due = paceStart + (long) (i * intervalNs);
                long now;
                while ((now = System.nanoTime()) - due < 0) {
                    // on a small machine the agent may need this core: give it up while the packet is not due soon
                    if (due - now > SPIN_NS) {
                        Thread.yield();
                    } else {
                        Thread.onSpinWait();
                    }
                }
                maxLagNs = Math.max(maxLagNs, now - due);
                if (!sender.trySend()) {
                    // every slot is queued at the agent: it is behind, so let it have this core if it shares it
                    sender.poolWaits++;
                    do {
                        Thread.yield();
                    } while (!sender.trySend());
                }
            }
            long paceEnd = System.nanoTime();
            double pacedCpuShare = (cpuTime(agentThread) - agentCpuAtPaceStart) / (double) (paceEnd - paceStart);
            double actualPps = (sender.next - firstPacket) / ((paceEnd - paceStart) / 1e9);
            sender.awaitForwarded(TimeUnit.SECONDS.toNanos(30));
            Histogram histogram = rig.agent.query(output.histogram::copy).get(10, TimeUnit.SECONDS);
            double[] percentiles = new double[PERCENTILES.length];
            for (int i = 0; i < PERCENTILES.length; i++) {
                percentiles[i] = PERCENTILES[i] == 100 ? histogram.getMaxValue()
                    : histogram.getValueAtPercentile(PERCENTILES[i]);
            }
            return new Result(options, capacityPps, capacityPerCpuSecond, capacityCpuShare, floodDrops, actualPps,
                pacedCpuShare, sender.next - firstPacket, histogram.getTotalCount(), sender.drops - floodDrops,
                sender.poolWaits, maxLagNs, percentiles, histogram.getMean(), loadAverage());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the agent did not answer", e);
        } finally {
            agentThread.close();
        }
    }

    /** CPU time of the agent's thread so far (ns), or -1 where the JVM does not measure thread CPU time. */
    private static long cpuTime(AgentThread agentThread) {
        return ManagementFactory.getThreadMXBean().getThreadCpuTime(agentThread.thread().getId());
    }

    private static long seconds(double seconds) {
        return (long) (seconds * 1e9);
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
