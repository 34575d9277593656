package io.sfu.core.forward;

import io.sfu.core.logging.RateLimitedLog;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one {@link WakeableAgent} on its own thread: spins briefly while work keeps coming, then parks until a
 * producer calls {@link #wake()} or the agent's next timer is due. Parking matters on small machines, where a
 * busy-spinning agent would take a core away from the socket and the crypto.
 *
 * <p>Failures: whatever a duty cycle throws, {@link Error}s included, is counted, logged (rate-limited) and the
 * next cycle runs, so one bad packet or command costs that cycle only. A thread that ends anyway (its agent's
 * {@code onStart} failed, or a {@link ThreadDeath}) is noticed by a supervisor calling {@link #restartIfStopped()},
 * which runs the same agent on a new thread: the agent's state belongs to the agent, not to the thread, and the
 * old thread is gone, so it keeps a single writer.
 */
public final class AgentThread implements AutoCloseable {
    private static final RateLimitedLog LOG = new RateLimitedLog(LoggerFactory.getLogger(AgentThread.class));
    /**
     * Idle duty cycles spun through before parking. No {@code Thread.yield} phase follows: on a virtual machine a
     * yield is a system call that cost about as much as a park and its wake-up, and a forwarding agent idles about
     * 80 times a second (once per video frame and per audio packet), so ten yields each time were a few percent of
     * its CPU.
     */
    private static final int SPINS = 50;
    private static final long MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(20);

    private final WakeableAgent agent;
    private final AtomicLong failedCycles = new AtomicLong();
    private final AtomicLong restarts = new AtomicLong();
    private volatile Thread thread;
    private volatile boolean started;
    private volatile boolean parked;
    private volatile boolean running = true;

    public AgentThread(WakeableAgent agent) {
        this.agent = agent;
        this.thread = newThread();
    }

    private Thread newThread() {
        Thread runner = new Thread(this::run, agent.roleName());
        runner.setDaemon(true);
        return runner;
    }

    public AgentThread start() {
        thread.start();
        return this;
    }

    /** Called by a producer after it enqueued work; cheap when the agent is awake. */
    public void wake() {
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Starts the agent on a new thread if its thread ended while the runner was not closed. Call it from one
     * supervising thread. Returns whether it restarted.
     */
    public boolean restartIfStopped() {
        Thread current = thread;
        if (!running || current.isAlive() || current.getState() == Thread.State.NEW) {
            return false;
        }
        Thread replacement = newThread();
        thread = replacement;
        restarts.incrementAndGet();
        LOG.error("restart", "{}: its thread had stopped; restarted", agent.roleName());
        replacement.start();
        return true;
    }

    private void run() {
        if (!started) {
            try {
                agent.onStart();
            } catch (RuntimeException e) {
                LOG.error("start", "{} failed to start", agent.roleName(), e);
                return;
            }
            started = true;
        }
        int idle = 0;
        while (running) {
            int work;
            try {
                work = agent.doWork();
            } catch (ThreadDeath death) {
                throw death;
            } catch (Throwable failure) {
                failedCycles.incrementAndGet();
                LOG.error("duty-cycle", "{}: duty cycle failed; continuing", agent.roleName(), failure);
                work = 0;
            }
            if (work > 0) {
                idle = 0;
                continue;
            }
            idle++;
            if (idle < SPINS) {
                Thread.onSpinWait();
            } else {
                parked = true;
                if (running && !agent.hasPendingWork()) {
                    long now = System.nanoTime();
                    long waitNs = Math.min(MAX_PARK_NS, agent.nextDeadlineNs(now) - now);
                    if (waitNs > 0) {
                        LockSupport.parkNanos(this, waitNs);
                    }
                }
                parked = false;
                idle = 0;
            }
        }
        try {
            agent.onClose();
        } catch (RuntimeException e) {
            LOG.warn("close", "{} failed to close cleanly", agent.roleName(), e);
        }
    }

    public Thread thread() {
        return thread;
    }

    /** Duty cycles that threw (each was logged, rate-limited, and the next cycle ran). */
    public long failedCycles() {
        return failedCycles.get();
    }

    /** Times {@link #restartIfStopped()} found the thread ended and started a new one. */
    public long restarts() {
        return restarts.get();
    }

    @Override
    public void close() {
        running = false;
        Thread current = thread;
        LockSupport.unpark(current);
        try {
            current.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
