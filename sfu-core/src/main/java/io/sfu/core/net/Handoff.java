package io.sfu.core.net;

import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.logging.RateLimitedLog;
import org.slf4j.Logger;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * What the media port's receiving threads share (the socket's, the ICE-TCP and TURN listeners'): handing a slot on
 * whatever the handler does, the selector loop of a listener, and shutting down.
 */
public final class Handoff {
    /** How long a listener waits for ready keys before it looks at its timers and whether it was closed. */
    public static final long SELECT_WAIT_MS = 100;

    private Handoff() {
    }

    /**
     * Hands the slot to the handler and takes it back unless the handler kept it. Whatever the handler throws,
     * {@link Error}s included, costs this packet only: counted in {@code failures}, logged rate-limited.
     */
    public static void hand(DatagramHandler handler, PacketSlot slot, AtomicLong failures, RateLimitedLog errors,
                     String failureMessage) {
        try {
            if (handler.onDatagram(slot)) {
                return;
            }
        } catch (ThreadDeath death) {
            throw death;
        } catch (Throwable failure) {
            failures.incrementAndGet();
            errors.error("handler", failureMessage, failure);
        }
        slot.release();
    }

    /**
     * The loop of a listener thread that serves many connections, until {@code open} turns false or the selector
     * closes: waits for ready keys, closes the connections other threads asked to close, and every
     * {@code sweepIntervalNs} sweeps (timeouts, expiry). Any failure is counted and logged, and the loop goes on:
     * the thread serves every connection.
     */
    public static <C> void selectLoop(Selector selector, BooleanSupplier open, Consumer<SelectionKey> onReady,
                                      Queue<C> closeRequests, Consumer<C> close, long sweepIntervalNs,
                                      LongConsumer sweep, AtomicLong failures, RateLimitedLog errors,
                                      String failureMessage) {
        long lastSweepNs = System.nanoTime();
        while (open.getAsBoolean()) {
            try {
                selector.select(onReady, SELECT_WAIT_MS);
                C c;
                while ((c = closeRequests.poll()) != null) {
                    close.accept(c);
                }
                long now = System.nanoTime();
                if (now - lastSweepNs >= sweepIntervalNs) {
                    lastSweepNs = now;
                    sweep.accept(now);
                }
            } catch (ClosedSelectorException e) {
                return;
            } catch (ThreadDeath death) {
                throw death;
            } catch (Throwable failure) {
                failures.incrementAndGet();
                errors.error("loop", failureMessage, failure);
            }
        }
    }

    /** Waits a bounded time for a receiving thread that was told to stop (one never started is not waited for). */
    public static void join(Thread thread) {
        if (thread.getState() == Thread.State.NEW) {
            return;
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes a channel or selector at shutdown, where a failure changes nothing but is worth a debug line. */
    public static void closeQuietly(Closeable closeable, Logger log, String what) {
        try {
            closeable.close();
        } catch (IOException e) {
            log.debug("{} close: {}", what, e.toString());
        }
    }
}
