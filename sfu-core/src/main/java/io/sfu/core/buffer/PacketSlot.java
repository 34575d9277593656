package io.sfu.core.buffer;

import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One datagram's worth of memory from a {@link PacketPool}: a heap array with an Agrona view (for the protocol
 * flyweights) and a {@link ByteBuffer} view (for the socket), plus the little metadata a packet carries through
 * the pipeline. Exactly one owner at a time; the owner returns it with {@link #release()}.
 */
public final class PacketSlot {
    /** Room for a full Ethernet-MTU datagram plus an SRTP(C) tag and index written in place. */
    public static final int CAPACITY = 2048;

    private static final VarHandle IN_POOL;

    static {
        try {
            IN_POOL = MethodHandles.lookup().findVarHandle(PacketSlot.class, "inPool", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through IN_POOL
    private volatile boolean inPool = true;

    private final PacketPool pool;
    private final byte[] array = new byte[CAPACITY];
    private final UnsafeBuffer buffer = new UnsafeBuffer(array);
    private final ByteBuffer byteBuffer = ByteBuffer.wrap(array);

    /** Data region inside {@link #array()}. */
    private int offset;
    private int length;
    private InetSocketAddress source;
    private Object context;
    private int kind;
    private long receivedNs;

    PacketSlot(PacketPool pool) {
        this.pool = pool;
    }

    public byte[] array() {
        return array;
    }

    public UnsafeBuffer buffer() {
        return buffer;
    }

    /** The socket view; its position and limit belong to whoever is doing I/O with it at the moment. */
    public ByteBuffer byteBuffer() {
        return byteBuffer;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    public PacketSlot data(int offset, int length) {
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** The 5-tuple's remote side the datagram came from (the socket's own cached instance where possible). */
    public InetSocketAddress source() {
        return source;
    }

    public void source(InetSocketAddress source) {
        this.source = source;
    }

    /** Whatever the demultiplexer resolved the datagram to (the owning transport), for the next stage. */
    public Object context() {
        return context;
    }

    public void context(Object context) {
        this.context = context;
    }

    /** What the first stage classified the datagram as (a {@code DatagramKind} ordinal), so no later stage does again. */
    public int kind() {
        return kind;
    }

    public void kind(int kind) {
        this.kind = kind;
    }

    public long receivedNs() {
        return receivedNs;
    }

    public void receivedNs(long receivedNs) {
        this.receivedNs = receivedNs;
    }

    void markAcquired() {
        IN_POOL.setRelease(this, false);
    }

    /** True when this call took the slot from its owner back to the pool; false when it was already there. */
    boolean markReleased() {
        return IN_POOL.compareAndSet(this, false, true);
    }

    /** Gives the slot back to its pool; a second release of the same acquisition throws. */
    public void release() {
        source = null;
        context = null;
        receivedNs = 0;
        pool.release(this);
    }
}
