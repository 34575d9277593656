package io.sfu.core.logging;

import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Error and warning logs that one bad input cannot flood: per cause, the first occurrences of each interval are
 * logged in full (stack trace included), later ones in the same interval only counted, and the count is logged
 * with the first occurrence of the next interval. A peer that makes a path fail on every datagram costs a few lines
 * a minute instead of a stack trace per packet. Safe from any thread; not for the per-packet path (it allocates).
 */
public final class RateLimitedLog {
    /** Occurrences of one cause logged in full per interval. */
    public static final int DEFAULT_BURST = 3;
    public static final long DEFAULT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(60);
    /** Distinct causes tracked; beyond it, every new cause shares one budget, so the table stays bounded. */
    static final int MAX_CAUSES = 1024;
    private static final String OTHER_CAUSES = "(other causes)";

    private final Logger logger;
    private final NanoClock clock;
    private final int burst;
    private final long intervalNs;
    private final ConcurrentHashMap<String, Cause> causes = new ConcurrentHashMap<>();

    /** The budget of one cause in its current interval. */
    private static final class Cause {
        long intervalStartNs;
        int logged;
        long suppressed;
    }

    /** A log over {@code logger} with {@link #DEFAULT_BURST} occurrences per cause per minute. */
    public RateLimitedLog(Logger logger) {
        this(logger, SystemNanoClock.INSTANCE, DEFAULT_BURST, DEFAULT_INTERVAL_NS);
    }

    /**
     * @param burst occurrences of one cause logged in full per interval, at least 1
     * @param intervalNs length of an interval
     */
    public RateLimitedLog(Logger logger, NanoClock clock, int burst, long intervalNs) {
        if (burst < 1 || intervalNs <= 0) {
            throw new IllegalArgumentException("burst and intervalNs must be positive: " + burst + ", " + intervalNs);
        }
        this.logger = logger;
        this.clock = clock;
        this.burst = burst;
        this.intervalNs = intervalNs;
    }

    /**
     * Logs an error unless {@code cause} used up its budget for this interval. {@code cause} is a fixed name of the
     * failure site (never text a peer chose); a {@link Throwable} as the last argument is logged with its stack
     * trace, and its class is part of the cause.
     *
     * @return whether the line was logged
     */
    public boolean error(String cause, String format, Object... arguments) {
        return log(true, cause, format, arguments);
    }

    /** As {@link #error}, at warning level. */
    public boolean warn(String cause, String format, Object... arguments) {
        return log(false, cause, format, arguments);
    }

    /** Occurrences of {@code cause} (with the class of a throwable argument, if any) not logged so far this interval. */
    long suppressed(String causeKey) {
        Cause cause = causes.get(causeKey);
        if (cause == null) {
            return 0;
        }
        synchronized (cause) {
            return cause.suppressed;
        }
    }

    private boolean log(boolean error, String cause, String format, Object[] arguments) {
        if (error ? !logger.isErrorEnabled() : !logger.isWarnEnabled()) {
            return false;
        }
        Cause state = causeOf(key(cause, arguments));
        long now = clock.nanoTime();
        long suppressed;
        synchronized (state) {
            if (now - state.intervalStartNs >= intervalNs || state.logged == 0 && state.suppressed == 0) {
                suppressed = state.suppressed;
                state.intervalStartNs = now;
                state.logged = 0;
                state.suppressed = 0;
            } else {
                suppressed = 0;
            }
            if (state.logged >= burst) {
                state.suppressed++;
                return false;
            }
            state.logged++;
        }
        String line = suppressed == 0 ? format
            : format + " [and " + suppressed + " more like this, not logged, since the last one logged]";
        if (error) {
            logger.error(line, arguments);
        } else {
            logger.warn(line, arguments);
        }
        return true;
    }

    private Cause causeOf(String key) {
        Cause cause = causes.get(key);
        if (cause != null) {
            return cause;
        }
        if (causes.size() >= MAX_CAUSES) {
            return causes.computeIfAbsent(OTHER_CAUSES, k -> new Cause());
        }
        return causes.computeIfAbsent(key, k -> new Cause());
    }

    static String key(String cause, Object[] arguments) {
        if (arguments.length > 0 && arguments[arguments.length - 1] instanceof Throwable failure) {
            return cause + ':' + failure.getClass().getName();
        }
        return cause;
    }
}
