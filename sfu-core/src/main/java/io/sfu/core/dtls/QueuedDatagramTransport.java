package io.sfu.core.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.bouncycastle.tls.DatagramTransport;

/**
 * The datagram side of one DTLS endpoint, without a socket of its own: the SFU's I/O thread demultiplexes the
 * shared UDP socket (RFC 7983) and {@link #offer offers} each DTLS datagram here, where it waits in a bounded
 * queue of preallocated slots; the DTLS stack {@link #receive receives} from that queue on the handshake thread
 * and sends through a {@link DatagramSender}.
 *
 * <p>Threads: any number of producers may offer; one consumer at a time receives. {@link #offer} copies and never
 * blocks; when the queue is full, when the datagram is larger than the slots, or after close, the datagram is
 * dropped and counted. {@link #receive} blocks for at most the wait the DTLS stack asks for, cut short by the
 * handshake deadline (measured on the injected clock) and by {@link #close()}; past the deadline it fails even
 * when datagrams keep coming.
 *
 * <p>Turns: with a {@link HandshakeGate}, a receive that returns a datagram first waits for a turn to compute, held
 * until the next receive (the handshake waits for the network again) or {@link #endTurn()}; the time waited for the
 * turn moves the deadline back by as much.
 *
 * <p>Memory: at most {@code capacity} slots of {@code maxReceiveDatagramBytes}, allocated on first use and
 * released on close.
 */
public final class QueuedDatagramTransport implements DatagramTransport {

    /**
     * Extra room in the receive limit announced to the DTLS stack, which subtracts the record cipher's expansion
     * from it (at most an explicit IV, a MAC and padding): every datagram the queue accepted then fits the
     * buffer the stack offers.
     */
    static final int CIPHER_HEADROOM_BYTES = 256;

    private final DatagramSender sender;
    private final int sendLimit;
    private final int maxDatagramBytes;
    private final int capacity;
    private final NanoClock clock;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final byte[][] slots;
    private final int[] lengths;
    private long head;
    private long tail;
    private boolean nonBlocking;
    private ChangeCipherSpecGate gate;
    private long heldBeforeGateRemoved;
    private boolean hasDeadline;
    private long deadlineNs;
    /** Turns to compute during the handshake; null without, and once the handshake is over. */
    private volatile HandshakeGate handshakeGate;
    /** The gate whose turn the receiving thread holds, or null. Touched by the receiving thread only. */
    private HandshakeGate turnHeld;
    /** This handshake's place among those taking turns, from when it started. */
    private long ticket;

    private volatile boolean closed;
    private volatile boolean deadlineExpired;
    private volatile long queuedDatagrams;
    private volatile long droppedQueueFull;
    private volatile long droppedOversized;
    private volatile long droppedClosed;
    private final AtomicLong sentDatagrams = new AtomicLong();
    private final AtomicLong failedSends = new AtomicLong();

    /**
     * @param sender                  where outgoing datagrams go
     * @param mtuBytes                largest datagram sent: the DTLS stack fragments flights to fit
     * @param maxReceiveDatagramBytes largest datagram accepted by {@link #offer}
     * @param capacity                datagrams held until received
     * @param clock                   clock of the deadline set with {@link #setDeadline(long)}
     */
    public QueuedDatagramTransport(DatagramSender sender, int mtuBytes, int maxReceiveDatagramBytes, int capacity,
                                   NanoClock clock) {
        if (sender == null || clock == null) {
            throw new IllegalArgumentException("sender and clock are required");
        }
        if (mtuBytes < 1 || maxReceiveDatagramBytes < 1 || capacity < 1) {
            throw new IllegalArgumentException("mtuBytes, maxReceiveDatagramBytes and capacity must be positive");
        }
        this.sender = sender;
        this.sendLimit = mtuBytes;
        this.maxDatagramBytes = maxReceiveDatagramBytes;
        this.capacity = capacity;
        this.clock = clock;
        this.slots = new byte[capacity][];
        this.lengths = new int[capacity];
    }

    /**
     * Queues a copy of one received datagram. Never blocks.
     *
     * @return false if it was dropped (queue full, datagram too large, or transport closed)
     */
    public boolean offer(byte[] src, int off, int len) {
        checkBounds(src.length, off, len);
        return enqueue(src, null, off, len);
    }

    /**
     * Queues a copy of one received datagram from an Agrona buffer, as {@link #offer(byte[], int, int)}.
     */
    public boolean offer(DirectBuffer src, int off, int len) {
        checkBounds(src.capacity(), off, len);
        return enqueue(null, src, off, len);
    }

    /** Copies the datagram from {@code array} or, when that is null, from {@code buffer} into the next slot. */
    private boolean enqueue(byte[] array, DirectBuffer buffer, int off, int len) {
        if (len > maxDatagramBytes) {
            return dropOversized();
        }
        lock.lock();
        try {
            byte[] slot = claimSlot();
            if (slot == null) {
                return false;
            }
            if (array != null) {
                System.arraycopy(array, off, slot, 0, len);
            } else {
                buffer.getBytes(off, slot, 0, len);
            }
            commitSlot(len);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the oldest queued datagram, waiting up to {@code waitMillis} (0: no limit) but never past the deadline.
     *
     * @return its length, or -1 if none arrived in time
     * @throws IOException if the transport is closed or the deadline passed (checked before every wait); in
     *                     non-blocking mode, an {@link InterruptedIOException} when the queue is empty
     */
    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        endTurn();
        int length = receiveQueued(buf, off, len, waitMillis);
        if (length >= 0) {
            takeTurn();
        }
        return length;
    }

    private int receiveQueued(byte[] buf, int off, int len, int waitMillis) throws IOException {
        final long waitEndNs = waitMillis > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis) : 0;
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new TransportClosedException();
                }
                if (hasDeadline && deadlineNs - clock.nanoTime() <= 0) {
                    deadlineExpired = true;
                    throw new DeadlineExpiredException();
                }
                if (head != tail) {
                    int index = (int) (head % capacity);
                    int length = lengths[index];
                    head++;
                    if (length > len) {
                        droppedOversized++;
                        continue;
                    }
                    if (gate != null) {
                        length = gate.admit(slots[index], 0, length);
                        if (length == 0) {
                            continue;
                        }
                    }
                    System.arraycopy(slots[index], 0, buf, off, length);
                    return length;
                }
                if (nonBlocking) {
                    throw new WouldBlockException();
                }
                long waitNs = Long.MAX_VALUE;
                if (waitMillis > 0) {
                    waitNs = waitEndNs - System.nanoTime();
                    if (waitNs <= 0) {
                        return -1;
                    }
                }
                if (hasDeadline) {
                    long remainingNs = deadlineNs - clock.nanoTime();
                    if (remainingNs <= 0) {
                        deadlineExpired = true;
                        throw new DeadlineExpiredException();
                    }
                    waitNs = Math.min(waitNs, remainingNs);
                }
                try {
                    notEmpty.awaitNanos(waitNs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TransportClosedException();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits for a turn to compute, if the handshake takes turns; the wait moves the deadline back. */
    private void takeTurn() throws IOException {
        HandshakeGate turns = handshakeGate;
        if (turns == null || turnHeld != null) {
            return;
        }
        long startNs = clock.nanoTime();
        try {
            turns.enter(ticket);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportClosedException();
        }
        turnHeld = turns;
        long waitedNs = clock.nanoTime() - startNs;
        if (waitedNs > 0) {
            lock.lock();
            try {
                deadlineNs += waitedNs;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Gives the turn to compute back, if the receiving thread holds one; the handshake ended or waits. */
    void endTurn() {
        HandshakeGate held = turnHeld;
        if (held != null) {
            turnHeld = null;
            held.leave();
        }
    }

    /** Makes the handshake take turns to compute at {@code turns}; set before the handshake starts. */
    void takeTurnsAt(HandshakeGate turns) {
        this.handshakeGate = turns;
    }

    /** Sends one datagram through the {@link DatagramSender}; after close, drops it. */
    @Override
    public void send(byte[] buf, int off, int len) {
        if (closed) {
            return;
        }
        try {
            sender.send(buf, off, len);
            sentDatagrams.incrementAndGet();
        } catch (RuntimeException e) {
            // a send failure is a loss: the DTLS stack retransmits
            failedSends.incrementAndGet();
        }
    }

    /** Largest datagram the stack may ask for, with headroom (see {@link #CIPHER_HEADROOM_BYTES}). */
    @Override
    public int getReceiveLimit() {
        return maxDatagramBytes + CIPHER_HEADROOM_BYTES;
    }

    /** The configured MTU: the DTLS stack fragments handshake messages so that no datagram is larger. */
    @Override
    public int getSendLimit() {
        return sendLimit;
    }

    /**
     * Closes the transport: wakes a waiting receiver (which then fails), drops queued and later datagrams, releases
     * the slots. Idempotent; safe from any thread.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            head = tail;
            for (int i = 0; i < capacity; i++) {
                slots[i] = null;
            }
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #close()} has run. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Sets the instant, on the injected clock, after which {@link #receive} fails instead of waiting.
     */
    public void setDeadline(long deadlineNs) {
        lock.lock();
        try {
            this.deadlineNs = deadlineNs;
            this.hasDeadline = true;
        } finally {
            lock.unlock();
        }
        HandshakeGate turns = handshakeGate;
        if (turns != null) {
            // the handshake starts now: it is served after those that started before it
            ticket = turns.ticket();
        }
    }

    /** Removes the deadline (once the handshake is over). */
    public void clearDeadline() {
        lock.lock();
        try {
            this.hasDeadline = false;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a {@link #receive} failed because the deadline had passed. */
    public boolean deadlineExpired() {
        return deadlineExpired;
    }

    /** Datagrams waiting to be received. */
    public int size() {
        lock.lock();
        try {
            return (int) (tail - head);
        } finally {
            lock.unlock();
        }
    }

    /** Datagrams accepted by {@link #offer}. */
    public long queuedDatagrams() {
        return queuedDatagrams;
    }

    /** Datagrams dropped because the queue was full. */
    public long droppedQueueFull() {
        return droppedQueueFull;
    }

    /** Datagrams dropped because they were larger than the receive slots. */
    public long droppedOversized() {
        return droppedOversized;
    }

    /** Datagrams offered after close. */
    public long droppedClosed() {
        return droppedClosed;
    }

    /** Datagrams handed to the sender. */
    public long sentDatagrams() {
        return sentDatagrams.get();
    }

    /** Sends that threw; counted as losses. */
    public long failedSends() {
        return failedSends.get();
    }

    /**
     * Server side, during the handshake: holds back the client's ChangeCipherSpec until its CertificateVerify has
     * arrived (see {@link ChangeCipherSpecGate}).
     */
    void gateChangeCipherSpec() {
        lock.lock();
        try {
            gate = new ChangeCipherSpecGate();
        } finally {
            lock.unlock();
        }
    }

    /** ChangeCipherSpec records the gate cut off. */
    long changeCipherSpecsHeld() {
        lock.lock();
        try {
            return gate == null ? heldBeforeGateRemoved : gate.changeCipherSpecsHeld();
        } finally {
            lock.unlock();
        }
    }

    /**
     * After the handshake, {@link #receive} no longer waits: on an empty queue it throws an
     * {@link InterruptedIOException}, which the DTLS stack passes up without failing the connection, so a caller
     * can drain the queue without blocking.
     */
    void setNonBlocking(boolean nonBlocking) {
        lock.lock();
        try {
            this.nonBlocking = nonBlocking;
            if (nonBlocking) {
                // the handshake is over: no more turns
                this.handshakeGate = null;
            }
            if (nonBlocking && gate != null) {
                // the handshake is over: nothing left to protect
                heldBeforeGateRemoved = gate.changeCipherSpecsHeld();
                gate = null;
            }
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private boolean dropOversized() {
        lock.lock();
        try {
            droppedOversized++;
        } finally {
            lock.unlock();
        }
        return false;
    }

    /** Under the lock: the slot for the next datagram, or null (counted) if it must be dropped. */
    private byte[] claimSlot() {
        if (closed) {
            droppedClosed++;
            return null;
        }
        if (tail - head == capacity) {
            droppedQueueFull++;
            return null;
        }
        int index = (int) (tail % capacity);
        byte[] slot = slots[index];
        if (slot == null) {
            slot = new byte[maxDatagramBytes];
            slots[index] = slot;
        }
        return slot;
    }

    private void commitSlot(int len) {
        lengths[(int) (tail % capacity)] = len;
        tail++;
        queuedDatagrams++;
        notEmpty.signal();
    }

    private static void checkBounds(int capacity, int off, int len) {
        if (off < 0 || len < 0 || off > capacity - len) {
            throw new IndexOutOfBoundsException("offset " + off + " length " + len + " capacity " + capacity);
        }
    }

    /** The transport was closed (or its thread interrupted) while the DTLS stack used it. */
    static final class TransportClosedException extends IOException {
        private static final long serialVersionUID = 1L;

        TransportClosedException() {
            super("DTLS transport closed");
        }
    }

    /** The handshake deadline passed. */
    static final class DeadlineExpiredException extends IOException {
        private static final long serialVersionUID = 1L;

        DeadlineExpiredException() {
            super("DTLS handshake deadline passed");
        }
    }

    /** Non-blocking mode found the queue empty. */
    static final class WouldBlockException extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        WouldBlockException() {
            super("no queued datagram");
        }
    }
}
