package io.sfu.core.dtls;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * One direction of an in-memory link between two endpoints, standing in for the shared UDP socket: delivers
 * each datagram to the far endpoint's {@code offer}, optionally dropping a fraction and holding back a fraction
 * until after the next datagram (reordering), from a seeded random sequence.
 */
final class Wire implements DatagramSender {

    private final double lossRate;
    private final double reorderRate;
    private final SplittableRandom random;
    private volatile DtlsEndpoint far;
    private byte[] held;
    private boolean cut;
    private Predicate<byte[]> dropOnce;
    private Predicate<byte[]> delayOnce;
    private int delivered;
    private int dropped;
    private int reordered;
    private int largestDatagram;

    Wire() {
        this(0, 0, 0);
    }

    Wire(double lossRate, double reorderRate, long seed) {
        this.lossRate = lossRate;
        this.reorderRate = reorderRate;
        this.random = new SplittableRandom(seed);
    }

    void connect(DtlsEndpoint far) {
        this.far = far;
    }

    /** Drops the first datagram the predicate accepts, and only that one. */
    synchronized void dropOnce(Predicate<byte[]> predicate) {
        dropOnce = predicate;
    }

    /** Holds back the first datagram the predicate accepts until the next one has been delivered. */
    synchronized void delayOnce(Predicate<byte[]> predicate) {
        delayOnce = predicate;
    }

    /** From now on, drop everything. */
    synchronized void cut() {
        cut = true;
    }

    @Override
    public synchronized void send(byte[] data, int off, int len) {
        largestDatagram = Math.max(largestDatagram, len);
        if (cut || far == null || random.nextDouble() < lossRate) {
            dropped++;
            return;
        }
        byte[] copy = Arrays.copyOfRange(data, off, off + len);
        if (dropOnce != null && dropOnce.test(copy)) {
            dropOnce = null;
            dropped++;
            return;
        }
        if (held == null && delayOnce != null && delayOnce.test(copy)) {
            delayOnce = null;
            held = copy;
            reordered++;
            return;
        }
        if (held == null && random.nextDouble() < reorderRate) {
            held = copy;
            reordered++;
            return;
        }
        deliver(copy);
        if (held != null) {
            deliver(held);
            held = null;
        }
    }

    private void deliver(byte[] datagram) {
        delivered++;
        far.offer(datagram, 0, datagram.length);
    }

    synchronized int dropped() {
        return dropped;
    }

    synchronized int reordered() {
        return reordered;
    }

    synchronized int delivered() {
        return delivered;
    }

    synchronized int largestDatagram() {
        return largestDatagram;
    }
}
