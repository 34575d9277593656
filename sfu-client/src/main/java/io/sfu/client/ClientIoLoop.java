package io.sfu.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.sfu.core.dtls.DtlsEndpoint;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread serving many {@link ClientPeerConnection}s: a {@link Selector} over their non-blocking UDP sockets
 * (one each), a timer queue for ICE retransmissions and consent, RTCP reports, NACK scans and delayed (impaired)
 * datagrams, and a bounded queue of tasks from other threads. Datagrams are read into one reusable buffer and
 * handled in place; nothing is allocated per datagram once the loop is warm. DTLS handshakes block, so they run on
 * a bounded executor ({@link DtlsEndpoint#newHandshakeExecutor}), never on this thread.
 *
 * <p>The loop runs on its own thread after {@link #start()}; a test may instead drive it by calling
 * {@link #doWork()} from one thread of its own, which then is "the loop thread". Every peer connection's state,
 * every listener callback and every {@link LoopTimer} belong to the loop thread; other threads hand work over with
 * {@link #execute(Runnable)}.
 */
public final class ClientIoLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientIoLoop.class);
    private static final int TASKS_PER_CYCLE = 256;
    private static final int TIMERS_PER_CYCLE = 1024;

    private final ClientIoLoopConfig config;
    private final NanoClock clock;
    private final long unixOffsetNs;
    private final Selector selector;
    private final ManyToOneConcurrentArrayQueue<Runnable> tasks;
    private final TimerQueue timers = new TimerQueue();
    private final Executor dtlsExecutor;
    private final ExecutorService ownedDtlsExecutor;
    private final UnsafeBuffer receiveBuffer;
    private final ByteBuffer receiveByteBuffer;
    private final Consumer<SelectionKey> onReady = this::onReady;
    private final Consumer<Runnable> runTask = this::runTask;
    private final List<ClientPeerConnection> peers = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private volatile Thread loopThread;
    private volatile boolean running;
    private volatile boolean asleep;
    private volatile int channelCount;
    private long nowNs;
    private long taskFailures;

    private ClientIoLoop(ClientIoLoopConfig config) {
        this.config = config;
        this.clock = config.clock();
        this.nowNs = clock.nanoTime();
        // SR timestamps need wall-clock time; derive it from the monotonic clock so both move together
        this.unixOffsetNs = System.currentTimeMillis() * 1_000_000L - nowNs;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.tasks = new ManyToOneConcurrentArrayQueue<>(config.taskQueueCapacity());
        if (config.dtlsExecutor() != null) {
            this.dtlsExecutor = config.dtlsExecutor();
            this.ownedDtlsExecutor = null;
        } else {
            this.ownedDtlsExecutor = DtlsEndpoint.newHandshakeExecutor(config.dtlsThreads(),
                config.dtlsQueueCapacity());
            this.dtlsExecutor = ownedDtlsExecutor;
        }
        byte[] receiveArray = new byte[config.maxDatagramBytes()];
        this.receiveBuffer = new UnsafeBuffer(receiveArray);
        this.receiveByteBuffer = ByteBuffer.wrap(receiveArray);
    }

    /** A loop with its own thread, already running. */
    public static ClientIoLoop start(ClientIoLoopConfig config) {
        ClientIoLoop loop = new ClientIoLoop(config);
        loop.start();
        return loop;
    }

    /** A loop that is not running yet: call {@link #start()}, or drive it with {@link #doWork()}. */
    public static ClientIoLoop create(ClientIoLoopConfig config) {
        return new ClientIoLoop(config);
    }

    /**
     * Starts the loop thread.
     *
     * @throws IllegalStateException if it was started, driven by {@link #doWork()} or closed already
     */
    public synchronized void start() {
        if (loopThread != null || closed.get()) {
            throw new IllegalStateException("the loop is already running or closed");
        }
        Thread thread = new Thread(this::run, config.threadName());
        thread.setDaemon(true);
        running = true;
        loopThread = thread;
        thread.start();
    }

    /**
     * One duty cycle without blocking, on the calling thread: runs queued tasks, due timers and ready sockets.
     * For tests that drive the loop themselves (never together with {@link #start()}).
     *
     * @return the amount of work done (0 when there was nothing to do)
     */
    public int doWork() {
        if (loopThread == null) {
            synchronized (this) {
                if (loopThread == null) {
                    loopThread = Thread.currentThread();
                }
            }
        }
        if (closed.get()) {
            return 0;
        }
        int work = runTasksAndTimers();
        try {
            work += selector.selectNow(onReady);
        } catch (IOException e) {
            LOG.warn("select failed", e);
        }
        return work;
    }

    private void run() {
        try {
            while (running) {
                runTasksAndTimers();
                long timeoutMs = selectTimeoutMs();
                if (timeoutMs == 0) {
                    selector.selectNow(onReady);
                } else {
                    asleep = true;
                    if (tasks.isEmpty()) {
                        selector.select(onReady, timeoutMs);
                    } else {
                        selector.selectNow(onReady);
                    }
                    asleep = false;
                }
            }
        } catch (ClosedSelectorException e) {
            // closed from a callback on this thread
        } catch (IOException | RuntimeException e) {
            LOG.error("client loop stopped", e);
        } finally {
            running = false;
        }
    }

    private int runTasksAndTimers() {
        nowNs = clock.nanoTime();
        int work = tasks.drain(runTask, TASKS_PER_CYCLE);
        nowNs = clock.nanoTime();
        work += timers.poll(nowNs, TIMERS_PER_CYCLE);
        return work;
    }

    /** 0 to poll, else the milliseconds until the next timer (at least 1), at most 1 s. */
    private long selectTimeoutMs() {
        if (!tasks.isEmpty()) {
            return 0;
        }
        if (timers.isEmpty()) {
            return 1000;
        }
        long untilNs = timers.earliestDeadlineNs() - clock.nanoTime();
        if (untilNs <= 0) {
            return 0;
        }
        return Math.min(1000, Math.max(1, (untilNs + 999_999) / 1_000_000));
    }

    private void onReady(SelectionKey key) {
        Object attachment = key.attachment();
        if (attachment instanceof ClientPeerConnection && key.isValid()) {
            nowNs = clock.nanoTime();
            ClientPeerConnection pc = (ClientPeerConnection) attachment;
            try {
                pc.onReadable(nowNs);
            } catch (RuntimeException e) {
                pc.internalError(e);
            }
        }
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            taskFailed(e);
        }
    }

    void taskFailed(RuntimeException e) {
        taskFailures++;
        LOG.warn("client loop task failed", e);
    }

    /**
     * Runs {@code task} on the loop thread, after the tasks queued before it. Never blocks.
     *
     * @throws RejectedExecutionException when the loop is closed or its task queue is full
     */
    public void execute(Runnable task) {
        if (closed.get()) {
            throw new RejectedExecutionException("the client loop is closed");
        }
        if (!tasks.offer(task)) {
            throw new RejectedExecutionException("the client loop task queue is full ("
                + config.taskQueueCapacity() + ")");
        }
        if (asleep) {
            selector.wakeup();
        }
    }

    /** Runs {@code task} now when called on the loop thread, else hands it over with {@link #execute}. */
    void runOnLoop(Runnable task) {
        if (inLoopThread()) {
            task.run();
        } else {
            execute(task);
        }
    }

    /** Whether the calling thread is the loop thread. */
    public boolean inLoopThread() {
        return Thread.currentThread() == loopThread;
    }

    /** The loop clock's time, as read at the start of the current piece of work (loop thread), or now. */
    public long nanoTime() {
        return inLoopThread() ? nowNs : clock.nanoTime();
    }

    /** Wall-clock time in Unix nanoseconds for a loop clock reading (sender report NTP timestamps). */
    long unixNanos(long loopNs) {
        return loopNs + unixOffsetNs;
    }

    /** A reusable timer whose action runs on the loop thread; schedule it from the loop thread. */
    public LoopTimer newTimer(Runnable action) {
        if (action == null) {
            throw new IllegalArgumentException("timer action is required");
        }
        return new LoopTimer(this, action);
    }

    /** A peer connection with the default settings and no listener. */
    public ClientPeerConnection newPeerConnection() {
        return newPeerConnection(ClientPeerConnectionConfig.defaults(), null);
    }

    /**
     * A new peer connection with its own UDP socket, bound now on the calling thread (so a bind failure throws
     * here) and registered with the loop.
     *
     * @param listener told on the loop thread about state, tracks, media and keyframe requests; null for none
     * @throws UncheckedIOException if the socket cannot be opened or bound
     * @throws RejectedExecutionException if the loop is closed
     */
    public ClientPeerConnection newPeerConnection(ClientPeerConnectionConfig pcConfig,
        ClientPeerConnection.Listener listener) {
        if (closed.get()) {
            throw new RejectedExecutionException("the client loop is closed");
        }
        ClientPeerConnection pc = new ClientPeerConnection(this, pcConfig, listener);
        try {
            runOnLoop(() -> register(pc));
        } catch (RejectedExecutionException e) {
            pc.closeChannelQuietly();
            throw e;
        }
        return pc;
    }

    private void register(ClientPeerConnection pc) {
        if (closed.get()) {
            pc.closeChannelQuietly();
            return;
        }
        try {
            pc.register(selector);
        } catch (IOException e) {
            LOG.warn("cannot register a client socket", e);
            pc.closeChannelQuietly();
            return;
        }
        peers.add(pc);
        channelCount = channelCount + 1;
    }

    /** Called by a peer connection on the loop thread when it has closed its socket. */
    void deregister(ClientPeerConnection pc) {
        if (peers.remove(pc)) {
            channelCount = channelCount - 1;
        }
    }

    /** Open sockets registered with the loop. Readable from any thread. */
    public int channelCount() {
        return channelCount;
    }

    /**
     * The selector's registered keys, counted on the loop thread after a select has flushed cancelled keys: a
     * leak check for tests.
     */
    public CompletableFuture<Integer> registeredKeyCount() {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        execute(() -> {
            try {
                // a select flushes cancelled keys; ready sockets are served as usual
                selector.selectNow(onReady);
                result.complete(selector.keys().size());
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Tasks and timer actions that threw; the loop logs and survives them. Loop thread. */
    public long taskFailures() {
        return taskFailures;
    }

    TimerQueue timers() {
        return timers;
    }

    Executor dtlsExecutor() {
        return dtlsExecutor;
    }

    ClientIoLoopConfig config() {
        return config;
    }

    NanoClock clock() {
        return clock;
    }

    UnsafeBuffer receiveBuffer() {
        return receiveBuffer;
    }

    ByteBuffer receiveByteBuffer() {
        return receiveByteBuffer;
    }

    /**
     * Stops the loop: closes every peer connection and its socket, the selector, and the loop's own DTLS executor.
     * Idempotent; waits up to 5 s for the loop thread unless called on it.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Thread thread = loopThread;
        running = false;
        if (thread != null && thread != Thread.currentThread() && thread.isAlive()) {
            selector.wakeup();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        tasks.drain(runTask, Integer.MAX_VALUE);
        for (ClientPeerConnection pc : new ArrayList<>(peers)) {
            pc.closeNow();
        }
        peers.clear();
        channelCount = 0;
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("selector close: {}", e.toString());
        }
        if (ownedDtlsExecutor != null) {
            ownedDtlsExecutor.shutdownNow();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }
}
