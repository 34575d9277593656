package io.sfu.core.dtls;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pool {@link DtlsEndpoint#newHandshakeExecutor} makes: up to {@code threads} daemon threads named
 * "dtls-handshake-N", made as handshakes arrive and ended after {@link DtlsEndpoint#HANDSHAKE_THREAD_IDLE_SECONDS}
 * without work; a bounded queue beyond them, then rejection. Its endpoints share a {@link HandshakeGate}: every
 * waiting handshake holds a thread, but only one per core computes at a time.
 */
public final class HandshakeExecutor extends ThreadPoolExecutor {
    private final HandshakeGate gate;

    HandshakeExecutor(int threads, int queueCapacity) {
        super(threads, threads, DtlsEndpoint.HANDSHAKE_THREAD_IDLE_SECONDS, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queueCapacity), threadFactory(), new ThreadPoolExecutor.AbortPolicy());
        allowCoreThreadTimeOut(true);
        this.gate = HandshakeGate.perProcessor(threads);
    }

    private static java.util.concurrent.ThreadFactory threadFactory() {
        AtomicLong names = new AtomicLong();
        return task -> {
            Thread thread = new Thread(task, "dtls-handshake-" + names.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The turns to compute that the handshakes on this pool share. */
    public HandshakeGate gate() {
        return gate;
    }
}
