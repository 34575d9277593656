package io.sfu.bench.forward;

import io.sfu.core.forward.ForwardTransport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the layer-switch guard of each consumer of some subscriber transports next to the stream's current
 * sequence number, so that a stream longer than 32,768 packets keeps flowing in the benchmarks.
 *
 * <p>Why: a consumer drops a packet whose sequence number "precedes" the packet its current layer started at,
 * comparing 16-bit numbers by the sign of their difference. The start point is set only on a layer switch, so
 * 32,768 packets after it every packet looks older than it and is dropped, for the next 32,768 packets. Until
 * the forwarding core moves the start point along by itself, this moves it by hand, from the agent's thread, to
 * the sequence number of the packet about to be forwarded. It reaches the package-private field by reflection
 * and fails fast, naming it, if the field is gone.
 */
final class SwitchGuard {
    /** How often, in packets, to move the guard; well inside the 32,768-packet half window. */
    static final int INTERVAL_PACKETS = 1 << 14;

    private static final VarHandle SWITCH_IN_SEQUENCE;
    private static final VarHandle TRANSPORT_CONSUMERS;

    static {
        try {
            Class<?> consumer = Class.forName("io.sfu.core.forward.Consumer");
            SWITCH_IN_SEQUENCE = MethodHandles.privateLookupIn(consumer, MethodHandles.lookup())
                .findVarHandle(consumer, "switchInSequence", int.class);
            TRANSPORT_CONSUMERS = MethodHandles.privateLookupIn(ForwardTransport.class, MethodHandles.lookup())
                .findVarHandle(ForwardTransport.class, "consumers", List.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(new IllegalStateException(
                "Consumer.switchInSequence / ForwardTransport.consumers changed; update or remove SwitchGuard", e));
        }
    }

    private final Object[] consumers;

    private SwitchGuard(Object[] consumers) {
        this.consumers = consumers;
    }

    /** The guards of every consumer of {@code subscribers}; call on the agent's thread, after its commands ran. */
    static SwitchGuard of(ForwardTransport... subscribers) {
        List<Object> all = new ArrayList<>();
        for (ForwardTransport subscriber : subscribers) {
            all.addAll((List<?>) TRANSPORT_CONSUMERS.get(subscriber));
        }
        return new SwitchGuard(all.toArray());
    }

    /** Moves every guard to {@code inSequence}, the incoming sequence number about to be forwarded. */
    void moveTo(int inSequence) {
        Object[] all = consumers;
        for (int i = 0; i < all.length; i++) {
            SWITCH_IN_SEQUENCE.set(all[i], inSequence);
        }
    }

    int consumerCount() {
        return consumers.length;
    }
}
