package io.sfu.core.forward;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one {@link WakeableAgent} on its own thread: spins briefly while work keeps coming, then parks until a
 * producer calls {@link #wake()} or the agent's next timer is due. Parking matters on small machines, where a
 * busy-spinning agent would take a core away from the socket and the crypto.
 */
public final class AgentThread implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentThread.class);
    private static final int SPINS = 50;
    private static final int YIELDS = 10;
    private static final long MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(20);

    private final WakeableAgent agent;
    private final Thread thread;
    private volatile boolean parked;
    private volatile boolean running = true;

    public AgentThread(WakeableAgent agent) {
        this.agent = agent;
        this.thread = new Thread(this::run, agent.roleName());
        this.thread.setDaemon(true);
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

    private void run() {
        try {
            agent.onStart();
        } catch (RuntimeException e) {
            LOG.error("{} failed to start", agent.roleName(), e);
            return;
        }
        int idle = 0;
        while (running) {
            int work;
            try {
                work = agent.doWork();
            } catch (Exception e) {
                LOG.error("{}: duty cycle failed; continuing", agent.roleName(), e);
                work = 0;
            }
            if (work > 0) {
                idle = 0;
                continue;
            }
            idle++;
            if (idle < SPINS) {
                Thread.onSpinWait();
            } else if (idle < SPINS + YIELDS) {
                Thread.yield();
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
            LOG.warn("{} failed to close cleanly", agent.roleName(), e);
        }
    }

    public Thread thread() {
        return thread;
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
