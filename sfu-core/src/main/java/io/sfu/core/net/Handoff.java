package io.sfu.core.net;

import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.logging.RateLimitedLog;
import org.slf4j.Logger;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/** What the media port's receiving threads share: handing a slot on whatever the handler does, and shutting down. */
final class Handoff {
    private Handoff() {
    }

    /**
     * Hands the slot to the handler and takes it back unless the handler kept it. Whatever the handler throws,
     * {@link Error}s included, costs this packet only: counted in {@code failures}, logged rate-limited.
     */
    static void hand(DatagramHandler handler, PacketSlot slot, AtomicLong failures, RateLimitedLog errors,
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

    /** Waits a bounded time for a receiving thread that was told to stop (one never started is not waited for). */
    static void join(Thread thread) {
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
    static void closeQuietly(Closeable closeable, Logger log, String what) {
        try {
            closeable.close();
        } catch (IOException e) {
            log.debug("{} close: {}", what, e.toString());
        }
    }
}
