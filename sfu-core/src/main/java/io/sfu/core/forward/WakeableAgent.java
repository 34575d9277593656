package io.sfu.core.forward;

import org.agrona.concurrent.Agent;

/** An {@link Agent} that can tell its runner whether work is waiting and when its next timer is due. */
public interface WakeableAgent extends Agent {
    /** True when a queue this agent drains is non-empty; read by the runner just before it parks. */
    boolean hasPendingWork();

    /** The {@code System.nanoTime()} by which {@link #doWork()} must run again for timers, given {@code nowNs}. */
    long nextDeadlineNs(long nowNs);
}
