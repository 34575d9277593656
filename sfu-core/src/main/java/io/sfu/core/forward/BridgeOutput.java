package io.sfu.core.forward;

import io.sfu.core.buffer.PacketPool;
import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.net.DatagramKind;
import io.sfu.core.net.DatagramOutput;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One direction of a bridge between two forwarding agents: what the sending agent's bridge leg sends is copied into
 * a packet slot and queued to the leg at the other end, as a datagram from the network would be. Called on the
 * sending agent's thread; allocates nothing. A datagram the pool or the other agent's queue cannot take is dropped
 * and counted, and the sending leg counts it as a failed send.
 */
public final class BridgeOutput implements DatagramOutput {
    private final PacketPool pool;
    private final AtomicLong dropped;
    /** The leg at the other end; set once, right after both legs exist, and null until then (datagrams dropped). */
    private volatile Leg target;

    /** Slots come from {@code pool}; what cannot cross is counted in {@code dropped}. */
    public BridgeOutput(PacketPool pool, AtomicLong dropped) {
        this.pool = pool;
        this.dropped = dropped;
    }

    /** The leg at the other end, on another agent. */
    public void target(Leg leg) {
        this.target = leg;
    }

    @Override
    public boolean send(ByteBuffer datagram, InetSocketAddress ignored) {
        Leg leg = target;
        int length = datagram.remaining();
        PacketSlot slot = leg == null || length > PacketSlot.CAPACITY ? null : pool.acquire();
        if (slot == null) {
            dropped.incrementAndGet();
            return false;
        }
        slot.buffer().putBytes(0, datagram, datagram.position(), length);
        slot.data(0, length);
        slot.kind(DatagramKind.of(slot.array(), 0, length).ordinal());
        if (!leg.onMedia(slot)) {
            slot.release();
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }
}
