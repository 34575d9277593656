package io.sfu.core.negotiation;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one forwarded track's RTP payload types are renumbered from the publisher's peer connection into a
 * subscriber's (each BUNDLE transport owns its payload type space, RFC 8843 §9.1): publisher payload type →
 * subscriber payload type, RTX included, -1 for a payload type that must not be forwarded. Immutable; the
 * forwarder copies it into its own {@code int[128]} with {@link #copyTo(int[])}.
 */
public final class PayloadTypeMapping {
    /** A mapping that forwards nothing. */
    public static final PayloadTypeMapping EMPTY = new PayloadTypeMapping(newTable());

    private final int[] table;

    private PayloadTypeMapping(int[] table) {
        this.table = table;
    }

    private static int[] newTable() {
        int[] t = new int[128];
        Arrays.fill(t, -1);
        return t;
    }

    /** @return the subscriber's payload type for that publisher payload type (0..127), or -1 when not forwarded */
    public int toSubscriber(int publisherPayloadType) {
        return publisherPayloadType < 0 || publisherPayloadType > 127 ? -1 : table[publisherPayloadType];
    }

    /** Copies the table (index: publisher payload type, value: subscriber payload type or -1) into 128 ints. */
    public void copyTo(int[] target) {
        if (target.length < 128) {
            throw new IllegalArgumentException("target needs 128 entries");
        }
        System.arraycopy(table, 0, target, 0, 128);
    }

    /** @return the mapped pairs, publisher payload type → subscriber payload type, in publisher order */
    public Map<Integer, Integer> asMap() {
        Map<Integer, Integer> out = new LinkedHashMap<>();
        for (int pt = 0; pt < 128; pt++) {
            if (table[pt] >= 0) {
                out.put(pt, table[pt]);
            }
        }
        return out;
    }

    /** @return this mapping restricted to the subscriber payload types the predicate keeps */
    PayloadTypeMapping retainSubscriber(java.util.function.IntPredicate keep) {
        int[] t = newTable();
        for (int pt = 0; pt < 128; pt++) {
            if (table[pt] >= 0 && keep.test(table[pt])) {
                t[pt] = table[pt];
            }
        }
        return new PayloadTypeMapping(t);
    }

    /** Builds a mapping. */
    static final class Builder {
        private final int[] table = newTable();

        Builder map(int publisherPayloadType, int subscriberPayloadType) {
            table[publisherPayloadType] = subscriberPayloadType;
            return this;
        }

        PayloadTypeMapping build() {
            return new PayloadTypeMapping(table.clone());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PayloadTypeMapping other && Arrays.equals(table, other.table);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(table);
    }

    @Override
    public String toString() {
        return "PayloadTypeMapping" + asMap();
    }
}
