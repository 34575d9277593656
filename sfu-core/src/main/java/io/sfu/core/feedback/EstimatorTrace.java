package io.sfu.core.feedback;

import io.sfu.core.rtcp.TransportCcFeedback;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ObjLongConsumer;

/**
 * Records every input of one {@link SendSideBandwidthEstimator} as text, one line per call, so that the feedback of
 * a real run can be replayed into an estimator ({@link #replay}): in tests, as recorded traces, and to study a
 * subscriber whose estimate went wrong. Off unless the system property {@value #DIRECTORY_PROPERTY} names a
 * directory; then each estimator made afterwards writes {@code estimator-<n>.trace} there. Diagnostic only: it
 * writes on the forwarding agent's thread and allocates per line.
 *
 * <p>Lines: {@code s NOW SEQUENCE BYTES} a packet sent, {@code p TARGET_BPS} a probe started, {@code e NOW} its
 * last packet sent, {@code t NOW} a tick, {@code f NOW HEX} a transport-wide feedback packet (its bytes),
 * {@code r BPS} a REMB; times in nanoseconds of the agent's clock.
 */
public final class EstimatorTrace {
    public static final String DIRECTORY_PROPERTY = "sfu.estimatorTraceDir";
    private static final AtomicInteger FILES = new AtomicInteger();
    private static final HexFormat HEX = HexFormat.of();

    private final Writer out;

    private EstimatorTrace(Writer out) {
        this.out = out;
    }

    /** A recorder for a new estimator, or null when tracing is off (or its file cannot be made: logged once). */
    static EstimatorTrace forNewEstimator() {
        String directory = System.getProperty(DIRECTORY_PROPERTY);
        if (directory == null || directory.isBlank()) {
            return null;
        }
        try {
            Path dir = Files.createDirectories(Path.of(directory));
            Path file = dir.resolve("estimator-" + FILES.incrementAndGet() + ".trace");
            return new EstimatorTrace(Files.newBufferedWriter(file, StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            System.err.println("estimator trace off: " + e);
            return null;
        }
    }

    void sent(long nowNs, int sequence, int bytes) {
        line("s " + nowNs + " " + sequence + " " + bytes);
    }

    void probeStarted(long targetBps) {
        line("p " + targetBps);
    }

    void probeEnded(long nowNs) {
        line("e " + nowNs);
    }

    void tick(long nowNs) {
        line("t " + nowNs);
    }

    void feedback(long nowNs, TransportCcFeedback feedback) {
        byte[] bytes = new byte[feedback.length()];
        feedback.buffer().getBytes(feedback.offset(), bytes);
        line("f " + nowNs + " " + HEX.formatHex(bytes));
        flush();
    }

    void receiverEstimate(long bps) {
        line("r " + bps);
    }

    private void line(String line) {
        try {
            out.write(line);
            out.write('\n');
        } catch (IOException e) {
            // a diagnostic: a full disk must not stop forwarding
        }
    }

    private void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            // as above
        }
    }

    /**
     * Feeds a recorded trace into {@code estimator}, call by call; after each feedback {@code afterFeedback} gets
     * the estimator and the instant.
     *
     * @throws IllegalArgumentException naming the first line it cannot read
     */
    public static void replay(BufferedReader trace, SendSideBandwidthEstimator estimator,
                              ObjLongConsumer<SendSideBandwidthEstimator> afterFeedback) {
        TransportCcFeedback feedback = new TransportCcFeedback();
        int number = 0;
        try {
            String line;
            while ((line = trace.readLine()) != null) {
                number++;
                try {
                    replayLine(line, estimator, feedback, afterFeedback);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("line " + number + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void replayLine(String line, SendSideBandwidthEstimator estimator, TransportCcFeedback feedback,
                                   ObjLongConsumer<SendSideBandwidthEstimator> afterFeedback) {
        String[] f = line.split(" ");
        switch (f[0]) {
            case "s" -> estimator.onPacketSent(Integer.parseInt(f[2]), Integer.parseInt(f[3]), Long.parseLong(f[1]));
            case "p" -> estimator.startProbe(Long.parseLong(f[1]));
            case "e" -> estimator.endProbe(Long.parseLong(f[1]));
            case "t" -> estimator.onTime(Long.parseLong(f[1]));
            case "r" -> estimator.onReceiverEstimate(Long.parseLong(f[1]));
            case "f" -> {
                byte[] bytes = HEX.parseHex(f[2]);
                if (!feedback.wrap(new UnsafeBuffer(bytes), 0, bytes.length)) {
                    throw new IllegalArgumentException("not transport-wide feedback");
                }
                long nowNs = Long.parseLong(f[1]);
                estimator.onFeedback(feedback, nowNs);
                afterFeedback.accept(estimator, nowNs);
            }
            default -> throw new IllegalArgumentException("unknown record " + f[0]);
        }
    }
}
