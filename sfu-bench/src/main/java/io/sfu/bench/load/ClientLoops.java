package io.sfu.bench.load;

import java.util.ArrayList;
import java.util.List;

import io.sfu.core.client.ClientIoLoop;
import io.sfu.core.client.ClientIoLoopConfig;
import org.HdrHistogram.Histogram;

/**
 * The client loop threads of the harness, each with its {@link LoopMetrics}; clients are spread over them in turn.
 * The reporting thread sums their counters and drains their latency recorders.
 */
public final class ClientLoops implements AutoCloseable {
    /** SO_RCVBUF asked for each client socket, so a key frame burst fanned out to one client is not dropped. */
    static final int SOCKET_RECEIVE_BUFFER_BYTES = 1 << 20;

    /** One loop and its measurements. */
    public record Loop(ClientIoLoop io, LoopMetrics metrics) {
    }

    private final List<Loop> loops = new ArrayList<>();
    private int next;

    public ClientLoops(int threads) {
        for (int i = 0; i < threads; i++) {
            ClientIoLoop io = ClientIoLoop.start(ClientIoLoopConfig.builder()
                .threadName("load-client-" + i)
                .socketReceiveBufferBytes(SOCKET_RECEIVE_BUFFER_BYTES)
                .build());
            loops.add(new Loop(io, new LoopMetrics()));
        }
    }

    /** The next loop in turn. */
    public synchronized Loop nextLoop() {
        Loop loop = loops.get(next);
        next = (next + 1) % loops.size();
        return loop;
    }

    /** Every counter summed over the loops, indexed by {@link LoopMetrics.Counter#ordinal()}. */
    public long[] counters() {
        long[] sums = new long[LoopMetrics.counterCount()];
        for (Loop loop : loops) {
            loop.metrics().addTo(sums);
        }
        return sums;
    }

    /** The latencies recorded since the last call, over every loop. Reporting thread only. */
    public void drainLatencyInto(Histogram into) {
        for (Loop loop : loops) {
            loop.metrics().drainLatencyInto(into);
        }
    }

    public List<Loop> loops() {
        return loops;
    }

    @Override
    public void close() {
        for (Loop loop : loops) {
            loop.io().close();
        }
    }
}
