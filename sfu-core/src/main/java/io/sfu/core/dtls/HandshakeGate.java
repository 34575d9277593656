package io.sfu.core.dtls;

import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets a few DTLS handshakes compute at once (one per core), the others waiting their turn, the handshake that
 * started first served first. A handshake holds a turn from the moment a flight of the peer reaches it until it
 * waits for the network again, so a burst of handshakes completes one after another in the order they started
 * instead of all of them late together, and a handshake that waits for a silent peer holds no turn. The time spent
 * waiting for a turn is the server's, not the peer's: it does not count toward the handshake's deadline
 * ({@link QueuedDatagramTransport}).
 */
public final class HandshakeGate {
    private final int concurrent;
    private final AtomicLong tickets = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    /** Handshakes waiting for a turn, the lowest ticket (the first started) at the head. */
    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>();
    private int free;

    /** A handshake waiting for its turn. */
    private static final class Waiter implements Comparable<Waiter> {
        final long ticket;
        final Condition granted;
        boolean hasTurn;

        Waiter(long ticket, Condition granted) {
            this.ticket = ticket;
            this.granted = granted;
        }

        @Override
        public int compareTo(Waiter other) {
            return Long.compare(ticket, other.ticket);
        }
    }

    /** A gate for {@code concurrent} handshakes computing at once. */
    public HandshakeGate(int concurrent) {
        if (concurrent < 1) {
            throw new IllegalArgumentException("concurrent must be positive: " + concurrent);
        }
        this.concurrent = concurrent;
        this.free = concurrent;
    }

    /** A gate for as many handshakes as there are processors, but at most {@code threads}. */
    public static HandshakeGate perProcessor(int threads) {
        return new HandshakeGate(Math.max(1, Math.min(threads, Runtime.getRuntime().availableProcessors())));
    }

    /** The ticket of a handshake that starts now: it comes before every ticket handed out later. */
    long ticket() {
        return tickets.incrementAndGet();
    }

    /** Waits for a turn; among those waiting, the lowest {@code ticket} gets the next one. */
    void enter(long ticket) throws InterruptedException {
        lock.lock();
        try {
            if (free > 0 && waiting.isEmpty()) {
                free--;
                return;
            }
            Waiter waiter = new Waiter(ticket, lock.newCondition());
            waiting.add(waiter);
            try {
                while (!waiter.hasTurn) {
                    waiter.granted.await();
                }
            } catch (InterruptedException e) {
                if (waiter.hasTurn) {
                    // granted as it was interrupted: pass the turn on
                    grantOrFree();
                } else {
                    waiting.remove(waiter);
                }
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Gives a turn back. */
    void leave() {
        lock.lock();
        try {
            grantOrFree();
        } finally {
            lock.unlock();
        }
    }

    private void grantOrFree() {
        Waiter next = waiting.poll();
        if (next == null) {
            free++;
        } else {
            next.hasTurn = true;
            next.granted.signal();
        }
    }

    /** Handshakes that may compute at once. */
    public int concurrent() {
        return concurrent;
    }

    /** Turns free now. */
    public int available() {
        lock.lock();
        try {
            return free;
        } finally {
            lock.unlock();
        }
    }

    /** Handshakes waiting for a turn now. */
    public int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }
}
