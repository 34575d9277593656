package io.sfu.core.sctp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * An in-memory link between two SCTP endpoints on a test-driven clock: a fixed one-way delay, and per-packet
 * decisions the test makes (drop, duplicate, delay more to reorder). Deterministic: time moves only to the next
 * packet arrival or endpoint deadline, never by sleeping.
 */
public final class SctpLink {
    /** One side of the link: an association or a data channel endpoint. */
    public interface Peer {
        void receive(byte[] buf, int off, int len, long nowNanos);

        long poll(long nowNanos);

        /** A peer from its two methods, e.g. {@code Peer.of(association::receivePacket, association::poll)}. */
        static Peer of(Receiver receiver, java.util.function.LongUnaryOperator poller) {
            return new Peer() {
                @Override
                public void receive(byte[] buf, int off, int len, long nowNanos) {
                    receiver.receive(buf, off, len, nowNanos);
                }

                @Override
                public long poll(long nowNanos) {
                    return poller.applyAsLong(nowNanos);
                }
            };
        }
    }

    /** What receives a packet: an association's or an endpoint's {@code receivePacket}. */
    @FunctionalInterface
    public interface Receiver {
        void receive(byte[] buf, int off, int len, long nowNanos);
    }

    /** What happens to one packet: its sender (0 = a, 1 = b), index on that direction, and its bytes. */
    public interface Fate {
        /** Extra delay in nanos, or -1 to drop it. */
        long delay(int from, int index, byte[] packet);
    }

    private record InFlight(long arrivalNanos, long order, int to, byte[] bytes) {
    }

    public static final long START_NANOS = 1_000_000_000L;

    private final PriorityQueue<InFlight> inFlight = new PriorityQueue<>(
        (x, y) -> x.arrivalNanos != y.arrivalNanos ? Long.compare(x.arrivalNanos, y.arrivalNanos)
            : Long.compare(x.order, y.order));
    private final long delayNanos;
    private final Peer[] peers = new Peer[2];
    private final int[] sentCount = new int[2];
    private final List<byte[]>[] sent;
    private Fate fate = (from, index, packet) -> 0;
    private long now = START_NANOS;
    private long order;
    private final long[] deadlines = {Long.MAX_VALUE, Long.MAX_VALUE};
    private boolean duplicateAll;

    @SuppressWarnings("unchecked")
    public SctpLink(long delayNanos) {
        this.delayNanos = delayNanos;
        sent = new List[] {new ArrayList<byte[]>(), new ArrayList<byte[]>()};
    }

    public void attach(Peer a, Peer b) {
        peers[0] = a;
        peers[1] = b;
    }

    /** The output for side {@code from} (0 or 1). */
    public SctpOutput output(int from) {
        return (buf, off, len) -> {
            byte[] copy = Arrays.copyOfRange(buf, off, off + len);
            sent[from].add(copy);
            int index = sentCount[from]++;
            long extra = fate.delay(from, index, copy);
            if (extra < 0) {
                return;
            }
            inFlight.add(new InFlight(now + delayNanos + extra, order++, 1 - from, copy));
            if (duplicateAll) {
                inFlight.add(new InFlight(now + delayNanos + extra + 1, order++, 1 - from, copy.clone()));
            }
        };
    }

    public void fate(Fate fate) {
        this.fate = fate;
    }

    public void duplicateAll(boolean duplicate) {
        duplicateAll = duplicate;
    }

    public long now() {
        return now;
    }

    /** Packets side {@code from} has sent so far (dropped ones included). */
    public List<byte[]> sent(int from) {
        return sent[from];
    }

    /** Moves the clock forward without delivering anything first (then runs what is due). */
    public void advance(long nanos) {
        runUntil(() -> false, now + nanos);
    }

    /**
     * Delivers packets and runs timers, in time order, until {@code done} holds or the clock passes
     * {@code untilNanos}.
     *
     * @return whether {@code done} held
     */
    public boolean runUntil(BooleanSupplier done, long untilNanos) {
        pollBoth();
        for (int steps = 0; steps < 10_000_000; steps++) {
            if (done.getAsBoolean()) {
                return true;
            }
            long next = Math.min(Math.min(deadlines[0], deadlines[1]),
                inFlight.isEmpty() ? Long.MAX_VALUE : inFlight.peek().arrivalNanos);
            if (next > untilNanos) {
                now = Math.max(now, untilNanos);
                pollBoth();
                return done.getAsBoolean();
            }
            now = Math.max(now, next);
            while (!inFlight.isEmpty() && inFlight.peek().arrivalNanos <= now) {
                InFlight packet = inFlight.poll();
                peers[packet.to].receive(packet.bytes, 0, packet.bytes.length, now);
            }
            pollBoth();
        }
        throw new AssertionError("the link did not settle");
    }

    /** Runs until {@code done} holds, at most {@code maxNanos} of link time from now. */
    public boolean runFor(BooleanSupplier done, long maxNanos) {
        return runUntil(done, now + maxNanos);
    }

    private void pollBoth() {
        for (int i = 0; i < 2; i++) {
            deadlines[i] = peers[i].poll(now);
            if (deadlines[i] <= now) {
                // a deadline already due (a SACK owed now) is served on the next step
                deadlines[i] = now + 1;
            }
        }
    }
}
