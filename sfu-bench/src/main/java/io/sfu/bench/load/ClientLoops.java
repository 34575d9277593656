package io.sfu.bench.load;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.sfu.client.ClientIoLoop;
import io.sfu.client.ClientIoLoopConfig;
import org.HdrHistogram.Histogram;

/**
 * The client loop threads of the harness, each with its {@link LoopMetrics}; clients are spread over them in turn.
 * The reporting thread sums their counters and drains their latency recorders.
 */
public final class ClientLoops implements AutoCloseable {
    /** SO_RCVBUF asked for each client socket, so a key frame burst fanned out to one client is not dropped. */
    static final int SOCKET_RECEIVE_BUFFER_BYTES = 1 << 20;
    /** Handshakes mostly wait for the network: enough threads that a handshake never waits for a thread. */
    static final int DTLS_THREADS = 16;

    /** One loop and its measurements. */
    public record Loop(ClientIoLoop io, LoopMetrics metrics) {
    }

    private final List<Loop> loops = new ArrayList<>();
    private int next;

    /** @param bindAddress the local address of every client socket */
    public ClientLoops(int threads, InetAddress bindAddress) {
        for (int i = 0; i < threads; i++) {
            ClientIoLoop io = ClientIoLoop.start(ClientIoLoopConfig.builder()
                .threadName("load-client-" + i)
                .bindAddress(bindAddress)
                .dtlsThreads(DTLS_THREADS)
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

    /**
     * Every counter summed over the loops, and the latencies recorded since the last call added to {@code into}
     * (data messages' to {@code dataInto}),
     * each loop's pair taken on that loop's thread so that the two agree exactly (every packet counted has its
     * latency in the same interval). A loop that does not answer within a second is read from this thread instead.
     * Reporting thread only.
     */
    public long[] snapshot(Histogram into, Histogram dataInto) {
        long[] sums = new long[LoopMetrics.counterCount()];
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Loop loop : loops) {
            CompletableFuture<Void> taken = new CompletableFuture<>();
            try {
                loop.io().execute(() -> {
                    synchronized (sums) {
                        if (taken.complete(null)) {
                            loop.metrics().addTo(sums);
                            loop.metrics().drainLatencyInto(into);
                            loop.metrics().drainDataLatencyInto(dataInto);
                        }
                    }
                });
            } catch (RejectedExecutionException e) {
                taken.completeExceptionally(e);
            }
            done.add(taken);
        }
        for (int i = 0; i < loops.size(); i++) {
            try {
                done.get(i).get(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return sums;
            } catch (ExecutionException | TimeoutException e) {
                synchronized (sums) {
                    // too late for the loop: read it from here; the task, should it still run, finds it cancelled
                    if (done.get(i).cancel(false)) {
                        loops.get(i).metrics().addTo(sums);
                        loops.get(i).metrics().drainLatencyInto(into);
                        loops.get(i).metrics().drainDataLatencyInto(dataInto);
                    }
                }
            }
        }
        synchronized (sums) {
            return sums;
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
