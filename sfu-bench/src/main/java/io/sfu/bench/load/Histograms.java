package io.sfu.bench.load;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;

import org.HdrHistogram.Histogram;

/**
 * Latency histograms in the report: HdrHistogram's compressed encoding in Base64, so that shard reports merge into
 * exact percentiles, and the summary figures in milliseconds.
 */
public final class Histograms {
    private Histograms() {
    }

    /** The compressed, Base64-encoded form of {@code histogram}. */
    public static String encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity() + 64);
        int length = histogram.encodeIntoCompressedByteBuffer(buffer, Deflater.BEST_COMPRESSION);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * Decodes {@link #encode}'s output.
     *
     * @throws IllegalArgumentException when it is not an encoded histogram
     */
    public static Histogram decode(String encoded) {
        try {
            byte[] bytes = Base64.getDecoder().decode(encoded);
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
        } catch (DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("not an encoded HdrHistogram: " + e.getMessage(), e);
        }
    }

    /** Percentiles of a histogram of microseconds, in milliseconds; zeros when empty. */
    public static LoadReport.Latency summaryMs(Histogram us) {
        if (us.getTotalCount() == 0) {
            return new LoadReport.Latency(0, 0, 0, 0, 0, 0, 0);
        }
        return new LoadReport.Latency(ms(us.getValueAtPercentile(50)), ms(us.getValueAtPercentile(90)),
            ms(us.getValueAtPercentile(99)), ms(us.getValueAtPercentile(99.9)), ms(us.getMaxValue()),
            round3(us.getMean() / 1000.0), us.getTotalCount());
    }

    private static double ms(long us) {
        return round3(us / 1000.0);
    }

    static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
