package io.sfu.core.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import org.agrona.DirectBuffer;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DTLS-SRTP endpoint of one peer connection (RFC 5764, RFC 8842): runs the DTLS 1.2 handshake as server or
 * client over a {@link QueuedDatagramTransport}, checks the peer certificate against the SDP fingerprint, and
 * yields the SRTP profile and keying material as a {@link DtlsResult}.
 *
 * <p>Threads. The handshake API of the TLS stack blocks, so {@link #start()} runs it as one task on the
 * caller's {@link Executor}; the task waits on the receive queue and ends when the handshake completes, fails,
 * passes its deadline or the endpoint is closed, whichever comes first. The deadline runs from the moment the task
 * starts, not while it waits for a thread, so a burst of handshakes queued behind others does not fail for it. The I/O thread only {@link #offer}s
 * datagrams, which copies and never blocks. After the handshake no thread stays attached: records that arrive
 * later (a retransmitted final flight of the peer, which we must answer with ours, RFC 6347 §4.2.4; a
 * close_notify or fatal alert) are processed by a short drain task submitted to the same executor when they are
 * offered; it reads the queue without waiting and returns. The forwarding path never touches this class.
 * Application data (one SCTP packet per record, RFC 8261) goes to the {@link ApplicationDataListener} the owner set,
 * on the drain's thread, and is dropped and counted while none is set; {@link #sendApplicationData} sends a record.
 *
 * <p>Executor policy: pass a bounded pool sized for the handshakes expected at once (each holds a thread for at
 * most the handshake timeout, mostly waiting, so a peer that starts a handshake and falls silent holds one thread
 * and nothing else), with a bounded queue; a handshake the executor rejects fails with
 * {@link DtlsHandshakeException.Reason#REJECTED}. One pool serves every endpoint of the process;
 * {@link #newHandshakeExecutor(int, int)} makes one whose threads come and go with the load.
 */
public final class DtlsEndpoint implements AutoCloseable {

    /** How long a thread of {@link #newHandshakeExecutor} waits for another handshake before it ends. */
    public static final long HANDSHAKE_THREAD_IDLE_SECONDS = 30;

    private static final Logger LOG = LoggerFactory.getLogger(DtlsEndpoint.class);
    private static final BcTlsCrypto CRYPTO = new BcTlsCrypto(new SecureRandom());
    private static final AtomicLong IDS = new AtomicLong();

    /** Life cycle of an endpoint. */
    public enum State {
        /** Constructed; datagrams offered now wait for the handshake. */
        NEW,
        /** {@link #start()} was called and the handshake runs. */
        HANDSHAKING,
        /** The handshake completed; SRTP keys are available. */
        CONNECTED,
        /** Closed by the owner or the peer, or the handshake failed. Final. */
        CLOSED
    }

    /** Told once when the endpoint closes, on the thread that closed it. */
    @FunctionalInterface
    public interface CloseListener {
        /**
         * @param endpoint the endpoint that closed
         * @param cause    null for an orderly close (by the owner, or the peer's close_notify); otherwise why
         */
        void onClose(DtlsEndpoint endpoint, Throwable cause);
    }

    /** Takes the plaintext of each application data record after the handshake (data channels: one SCTP packet). */
    @FunctionalInterface
    public interface ApplicationDataListener {
        /** The bytes are valid during the call only (a drain buffer reused for the next record); copy to keep. */
        void onApplicationData(byte[] buf, int off, int len);
    }

    private final long id = IDS.incrementAndGet();
    private final DtlsRole role;
    private final DtlsCertificate localCertificate;
    private final List<DtlsFingerprint> expectedRemoteFingerprints;
    private final Executor executor;
    private final DtlsConfig config;
    private final QueuedDatagramTransport transport;

    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final CompletableFuture<DtlsResult> handshake = new CompletableFuture<>();
    private final CopyOnWriteArrayList<CloseListener> closeListeners = new CopyOnWriteArrayList<>();

    /** Guards the DTLS transport after the handshake: drains and the close_notify on close. */
    private final ReentrantLock dtlsLock = new ReentrantLock();
    private DTLSTransport dtls;
    private byte[] drainBuffer;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final AtomicLong droppedApplicationData = new AtomicLong();
    private final AtomicLong receivedApplicationData = new AtomicLong();
    private final AtomicLong sentApplicationData = new AtomicLong();
    private volatile ApplicationDataListener applicationDataListener;
    private final AtomicLong rejectedDrains = new AtomicLong();

    /**
     * An endpoint that expects the peer's certificate to match one fingerprint.
     *
     * @see #DtlsEndpoint(DtlsRole, DtlsCertificate, List, DatagramSender, Executor, DtlsConfig)
     */
    public DtlsEndpoint(DtlsRole role, DtlsCertificate localCertificate, DtlsFingerprint expectedRemoteFingerprint,
                        DatagramSender sender, Executor executor, DtlsConfig config) {
        this(role, localCertificate, List.of(requireNonNull(expectedRemoteFingerprint, "expectedRemoteFingerprint")),
            sender, executor, config);
    }

    /**
     * @param role                       from the negotiated a=setup ({@link DtlsRole#ofLocalSetup(String)})
     * @param localCertificate           our certificate, whose fingerprint our SDP announces
     * @param expectedRemoteFingerprints every a=fingerprint of the peer's SDP; matched as RFC 8122 §5 says
     * @param sender                     where our datagrams go
     * @param executor                   runs the handshake and the post-handshake drains (see the class comment)
     * @param config                     settings
     */
    public DtlsEndpoint(DtlsRole role, DtlsCertificate localCertificate, List<DtlsFingerprint> expectedRemoteFingerprints,
                        DatagramSender sender, Executor executor, DtlsConfig config) {
        this.role = requireNonNull(role, "role");
        this.localCertificate = requireNonNull(localCertificate, "localCertificate");
        this.expectedRemoteFingerprints = List.copyOf(requireNonNull(expectedRemoteFingerprints,
            "expectedRemoteFingerprints"));
        if (this.expectedRemoteFingerprints.isEmpty()) {
            throw new IllegalArgumentException("expectedRemoteFingerprints must not be empty");
        }
        this.executor = requireNonNull(executor, "executor");
        this.config = requireNonNull(config, "config");
        this.transport = new QueuedDatagramTransport(requireNonNull(sender, "sender"), config.mtuBytes(),
            config.maxReceiveDatagramBytes(), config.receiveQueueCapacity(), config.clock());
        if (role == DtlsRole.SERVER) {
            transport.gateChangeCipherSpec();
        }
        if (executor instanceof HandshakeExecutor pool) {
            transport.takeTurnsAt(pool.gate());
        }
    }

    /**
     * Starts the handshake on the executor; the deadline ({@link DtlsConfig#handshakeTimeoutNs()}) runs from the
     * moment a thread takes it up. Call once; on a closed endpoint, returns the already failed future.
     *
     * @return completes with the result, or exceptionally with a {@link DtlsHandshakeException}
     * @throws IllegalStateException if already started
     */
    public CompletableFuture<DtlsResult> start() {
        if (!startIfNew() && state.get() != State.CLOSED) {
            throw new IllegalStateException("DTLS endpoint already started");
        }
        return handshake;
    }

    /**
     * Starts the handshake unless it was started (or the endpoint closed) already; safe from any thread, any number
     * of times, for owners that start it on an event (the peer's first record, ICE connectivity) that may happen more
     * than once or race. Returns whether this call started it; the outcome is {@link #handshakeFuture()}.
     */
    public boolean startIfNew() {
        if (!state.compareAndSet(State.NEW, State.HANDSHAKING)) {
            return false;
        }
        try {
            executor.execute(this::runHandshake);
        } catch (RejectedExecutionException e) {
            closeWith(new DtlsHandshakeException(DtlsHandshakeException.Reason.REJECTED,
                DtlsHandshakeException.NO_ALERT, "the handshake executor rejected the handshake", e));
        }
        return true;
    }

    /** The handshake's outcome, as returned by {@link #start()}. */
    public CompletableFuture<DtlsResult> handshakeFuture() {
        return handshake;
    }

    /**
     * Hands over one received DTLS datagram (RFC 7983: first byte 20 to 63). Copies it and returns at once; call
     * from the I/O thread.
     *
     * @return false if it was dropped (queue full, too large, or closed); drops are counted
     */
    public boolean offer(byte[] data, int off, int len) {
        return queued(transport.offer(data, off, len));
    }

    /** As {@link #offer(byte[], int, int)}, from an Agrona buffer. */
    public boolean offer(DirectBuffer buffer, int off, int len) {
        return queued(transport.offer(buffer, off, len));
    }

    /** After the handshake the stack reads only when told: a queued datagram schedules a drain. */
    private boolean queued(boolean queued) {
        if (queued && state.get() == State.CONNECTED) {
            scheduleDrain();
        }
        return queued;
    }

    /**
     * Closes the endpoint: after the handshake, sends close_notify; during it, wakes the handshake task, which
     * ends and fails the future with {@link DtlsHandshakeException.Reason#CLOSED}. Frees the queue. Idempotent;
     * safe from any thread.
     */
    @Override
    public void close() {
        closeWith(null);
    }

    /** Whether the endpoint is closed (by the owner, the peer, or a failed handshake). */
    public boolean isClosed() {
        return state.get() == State.CLOSED;
    }

    /** The current state. */
    public State state() {
        return state.get();
    }

    /** Our role. */
    public DtlsRole role() {
        return role;
    }

    /** Our certificate. */
    public DtlsCertificate localCertificate() {
        return localCertificate;
    }

    /**
     * Adds a listener told once when the endpoint closes; if it is already closed, tells it at once (cause null).
     */
    public void addCloseListener(CloseListener listener) {
        closeListeners.add(requireNonNull(listener, "listener"));
        if (isClosed() && closeListeners.remove(listener)) {
            notifyListener(listener, null);
        }
    }

    /** Datagrams accepted by {@link #offer}. */
    public long queuedDatagrams() {
        return transport.queuedDatagrams();
    }

    /** Datagrams {@link #offer} dropped: queue full, too large, or offered after close. */
    public long droppedDatagrams() {
        return transport.droppedQueueFull() + transport.droppedOversized() + transport.droppedClosed();
    }

    /** Datagrams sent. */
    public long sentDatagrams() {
        return transport.sentDatagrams();
    }

    /** Early ChangeCipherSpec records held back during the handshake (see {@link ChangeCipherSpecGate}). */
    public long heldBackChangeCipherSpecs() {
        return transport.changeCipherSpecsHeld();
    }

    /** Application data records received after the handshake and dropped: no listener was set. */
    public long droppedApplicationData() {
        return droppedApplicationData.get();
    }

    /** Application data records handed to the listener. */
    public long receivedApplicationData() {
        return receivedApplicationData.get();
    }

    /** Application data records sent. */
    public long sentApplicationData() {
        return sentApplicationData.get();
    }

    /**
     * Sets who takes the application data records from now on (null: they are dropped and counted). It is called on
     * the drain's thread, one record at a time.
     */
    public void setApplicationDataListener(ApplicationDataListener listener) {
        applicationDataListener = listener;
    }

    /**
     * Sends one application data record (the plaintext: one SCTP packet) once the handshake completed. Takes the
     * lock the drains hold, for as long as one record's encryption and send.
     *
     * @return false when not connected, or the record could not be sent (too large for the record limit, or the
     *     transport failed)
     */
    public boolean sendApplicationData(byte[] buf, int off, int len) {
        dtlsLock.lock();
        try {
            DTLSTransport connection = dtls;
            if (connection == null || state.get() != State.CONNECTED) {
                return false;
            }
            connection.send(buf, off, len);
            sentApplicationData.incrementAndGet();
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.debug("{} application data not sent: {}", this, e.toString());
            return false;
        } finally {
            dtlsLock.unlock();
        }
    }

    /** Post-handshake drains the executor rejected; the next offered datagram retries. */
    public long rejectedDrains() {
        return rejectedDrains.get();
    }

    @Override
    public String toString() {
        return "DtlsEndpoint#" + id + "{" + role + ", " + state.get() + "}";
    }

    /**
     * A pool that follows the executor policy: up to {@code threads} daemon threads named "dtls-handshake-N", made
     * as handshakes arrive and ended after {@link #HANDSHAKE_THREAD_IDLE_SECONDS} without work, so an idle server
     * holds none and a burst of joins gets one thread per handshake up to the bound; beyond it a queue of
     * {@code queueCapacity} waiting tasks, and rejection (not blocking the caller) when both are full. Endpoints on it
     * take turns to compute through its {@link HandshakeGate}. Shut it down when the SFU stops.
     */
    public static HandshakeExecutor newHandshakeExecutor(int threads, int queueCapacity) {
        if (threads < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("threads and queueCapacity must be positive: " + threads + ", "
                + queueCapacity);
        }
        return new HandshakeExecutor(threads, queueCapacity);
    }

    /**
     * The TLS stack's own handshake timeout, a backstop behind the deadline enforced by the transport. It counts wall
     * time, turns waited for included, so it leaves room for them: four times the deadline.
     */
    static int stackTimeoutMillis(DtlsConfig config) {
        long millis = 4 * TimeUnit.NANOSECONDS.toMillis(config.handshakeTimeoutNs()) + 1;
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }

    private void runHandshake() {
        if (state.get() != State.HANDSHAKING) {
            // closed while it waited for a thread
            return;
        }
        transport.setDeadline(config.clock().nanoTime() + config.handshakeTimeoutNs());
        HandshakeState handshakeState = new HandshakeState(role, config, CRYPTO, localCertificate,
            expectedRemoteFingerprints, toString());
        DTLSTransport established;
        DtlsResult result;
        try {
            if (role == DtlsRole.SERVER) {
                established = new DTLSServerProtocol().accept(new SrtpDtlsServer(handshakeState), transport);
            } else {
                established = new DTLSClientProtocol().connect(new SrtpDtlsClient(handshakeState), transport);
            }
            result = handshakeState.result();
        } catch (IOException | RuntimeException e) {
            transport.endTurn();
            DtlsHandshakeException failure = classify(handshakeState, e);
            LOG.debug("{} handshake failed: {}", this, failure.getMessage());
            closeWith(failure);
            return;
        } catch (Error e) {
            // what a hostile flight could provoke deep in the stack: this handshake fails, not the thread pool
            transport.endTurn();
            closeWith(new DtlsHandshakeException(DtlsHandshakeException.Reason.PROTOCOL_ERROR,
                DtlsHandshakeException.NO_ALERT, "the DTLS handshake failed: " + e, e));
            return;
        } finally {
            // whatever ended it, the turn goes to the next handshake
            transport.endTurn();
        }
        connected(established, result);
    }

    private void connected(DTLSTransport established, DtlsResult result) {
        int receiveLimit;
        try {
            receiveLimit = established.getReceiveLimit();
        } catch (IOException e) {
            // not expected once established (the limit is arithmetic); a broken connection all the same
            closeQuietly(established);
            closeWith(new DtlsHandshakeException(DtlsHandshakeException.Reason.PROTOCOL_ERROR,
                DtlsHandshakeException.NO_ALERT, "DTLS transport unusable after the handshake", e));
            return;
        }
        boolean open;
        dtlsLock.lock();
        try {
            open = state.compareAndSet(State.HANDSHAKING, State.CONNECTED);
            if (open) {
                dtls = established;
                drainBuffer = new byte[receiveLimit];
                transport.clearDeadline();
                transport.setNonBlocking(true);
            }
        } finally {
            dtlsLock.unlock();
        }
        if (!open) {
            // closed while our last flight was on its way
            closeQuietly(established);
            handshake.completeExceptionally(closedDuringHandshake(null));
            return;
        }
        LOG.debug("{} handshake completed: {}", this, result);
        handshake.complete(result);
        // records that arrived between the end of the handshake and now wait for a drain
        if (transport.size() > 0) {
            scheduleDrain();
        }
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                executor.execute(drainTask);
            } catch (RejectedExecutionException e) {
                // the next offer tries again; the peer retransmits what needed an answer
                drainScheduled.set(false);
                rejectedDrains.incrementAndGet();
            }
        }
    }

    /** Processes every queued record without waiting: retransmission requests, alerts, close_notify, data. */
    private void drain() {
        Throwable failure = null;
        boolean peerClosed = false;
        dtlsLock.lock();
        try {
            DTLSTransport connection = dtls;
            if (connection != null) {
                while (true) {
                    int received = connection.receive(drainBuffer, 0, drainBuffer.length, 1);
                    if (received >= 0) {
                        ApplicationDataListener listener = applicationDataListener;
                        if (listener == null) {
                            droppedApplicationData.incrementAndGet();
                        } else {
                            receivedApplicationData.incrementAndGet();
                            listener.onApplicationData(drainBuffer, 0, received);
                        }
                    }
                }
            }
        } catch (QueuedDatagramTransport.WouldBlockException e) {
            // queue drained
        } catch (QueuedDatagramTransport.TransportClosedException e) {
            // the stack closed the transport after the peer's close_notify (or we are closing)
            peerClosed = true;
        } catch (IOException | RuntimeException e) {
            failure = e;
        } finally {
            dtlsLock.unlock();
            drainScheduled.set(false);
        }
        if (failure != null) {
            LOG.debug("{} closed by a DTLS error after the handshake: {}", this, failure.toString());
            closeWith(failure);
        } else if (peerClosed) {
            closeWith(null);
        } else if (transport.size() > 0 && state.get() == State.CONNECTED) {
            scheduleDrain();
        }
    }

    /** Closes once: close_notify if connected, free the queue, fail a pending handshake, tell the listeners. */
    private void closeWith(Throwable cause) {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        dtlsLock.lock();
        try {
            if (dtls != null) {
                closeQuietly(dtls);
                dtls = null;
            }
            drainBuffer = null;
        } finally {
            dtlsLock.unlock();
        }
        transport.close();
        if (!handshake.isDone()) {
            handshake.completeExceptionally(cause instanceof DtlsHandshakeException ? cause : closedDuringHandshake(cause));
        }
        for (CloseListener listener : closeListeners) {
            if (closeListeners.remove(listener)) {
                notifyListener(listener, cause);
            }
        }
    }

    private DtlsHandshakeException closedDuringHandshake(Throwable cause) {
        return new DtlsHandshakeException(DtlsHandshakeException.Reason.CLOSED, DtlsHandshakeException.NO_ALERT,
            "the DTLS endpoint was closed before the handshake completed", cause);
    }

    private DtlsHandshakeException classify(HandshakeState handshakeState, Exception error) {
        DtlsHandshakeException.Reason reason;
        short alert = DtlsHandshakeException.NO_ALERT;
        String message;
        if (state.get() == State.CLOSED || error instanceof QueuedDatagramTransport.TransportClosedException) {
            return closedDuringHandshake(error);
        } else if (transport.deadlineExpired() || error instanceof TlsTimeoutException) {
            reason = DtlsHandshakeException.Reason.TIMEOUT;
            message = "the DTLS handshake did not complete within "
                + TimeUnit.NANOSECONDS.toMillis(config.handshakeTimeoutNs()) + " ms";
        } else if (handshakeState.failure() != null) {
            reason = handshakeState.failure();
            alert = handshakeState.alertSent();
            message = handshakeState.failureMessage();
        } else if (error instanceof TlsFatalAlertReceived || handshakeState.alertReceived() != DtlsHandshakeException.NO_ALERT) {
            reason = DtlsHandshakeException.Reason.ALERT_RECEIVED;
            alert = error instanceof TlsFatalAlertReceived
                ? ((TlsFatalAlertReceived) error).getAlertDescription() : handshakeState.alertReceived();
            message = "the peer sent the fatal alert " + AlertDescription.getText(alert);
        } else {
            reason = DtlsHandshakeException.Reason.PROTOCOL_ERROR;
            alert = error instanceof TlsFatalAlert
                ? ((TlsFatalAlert) error).getAlertDescription() : handshakeState.alertSent();
            message = "the DTLS handshake failed: " + error.getMessage();
        }
        if (alert != DtlsHandshakeException.NO_ALERT && reason != DtlsHandshakeException.Reason.ALERT_RECEIVED) {
            message = message + " (alert " + AlertDescription.getText(alert) + ")";
        }
        return new DtlsHandshakeException(reason, alert, message, error);
    }

    private void notifyListener(CloseListener listener, Throwable cause) {
        try {
            listener.onClose(this, cause);
        } catch (RuntimeException e) {
            LOG.warn("{} close listener failed", this, e);
        }
    }

    private static void closeQuietly(DTLSTransport connection) {
        try {
            connection.close();
        } catch (IOException | RuntimeException e) {
            // the transport is going away either way
        }
    }

    private static <T> T requireNonNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }
}
