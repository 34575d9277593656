package io.sfu.core.turn;

import io.sfu.core.net.Handoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The TURN server's allocations by client (a UDP source address or a TCP connection) and by relayed address, with
 * each participant's relayed traffic; expiry of allocations and channels. Changed on the server's thread only; the
 * relayed-address lookup, the count and the usage may be read from any thread.
 */
final class TurnAllocations {
    private static final Logger LOG = LoggerFactory.getLogger(TurnAllocations.class);

    private final TurnCounters counters;
    private final Map<Object, TurnAllocation> byClient = new HashMap<>();
    /** Relayed address to allocation; read by senders toward clients. */
    private final ConcurrentHashMap<InetSocketAddress, TurnAllocation> byRelayed = new ConcurrentHashMap<>();
    /** Kept from a participant's first allocation until it has none left and has left (any thread may look). */
    private final Map<String, TurnServer.Usage> usageByParticipant = new ConcurrentHashMap<>();
    /** Participants in a room now: their usage outlives their allocations, so their series never restart. */
    private final Set<String> present = ConcurrentHashMap.newKeySet();
    private volatile int count;

    TurnAllocations(TurnCounters counters) {
        this.counters = counters;
    }

    /** The allocation of a client: its UDP source address or its {@link TurnConnection}; null when none. */
    TurnAllocation get(Object client) {
        return byClient.get(client);
    }

    /** The allocation whose relayed address is {@code relayed}, or null; any thread. */
    TurnAllocation relayedTo(InetSocketAddress relayed) {
        return byRelayed.get(relayed);
    }

    /** Allocations now; any thread. */
    int size() {
        return count;
    }

    /** The relayed traffic of a participant since its first allocation, or null; any thread. */
    TurnServer.Usage usage(String participantId) {
        return usageByParticipant.get(participantId);
    }

    /** The usage a new allocation of {@code participantId} counts into, with the allocation counted. */
    TurnServer.Usage takeUsage(String participantId) {
        // every change of a usage is one compute on its key: the server thread and the control thread both make them
        return usageByParticipant.compute(participantId, (id, usage) -> {
            TurnServer.Usage taken = usage == null ? new TurnServer.Usage() : usage;
            taken.allocations++;
            return taken;
        });
    }

    /** The participant is in a room: its usage, once it has one, stays until it leaves; any thread. */
    void joined(String participantId) {
        present.add(participantId);
    }

    /** The participant left: its usage goes with its last allocation, or now when it has none; any thread. */
    void left(String participantId) {
        present.remove(participantId);
        usageByParticipant.computeIfPresent(participantId, (id, usage) -> usage.allocations == 0 ? null : usage);
    }

    void add(TurnAllocation a) {
        byClient.put(a.client, a);
        byRelayed.put(a.relayed, a);
        count = byClient.size();
    }

    /** Deletes the allocation and closes its relay port (once). */
    void delete(TurnAllocation a) {
        if (a.deleted) {
            return;
        }
        synchronized (a) {
            a.deleted = true;
        }
        byClient.remove(a.client, a);
        byRelayed.remove(a.relayed, a);
        count = byClient.size();
        Handoff.closeQuietly(a.relaySocket, LOG, "TURN relay port");
        usageByParticipant.computeIfPresent(a.participantId,
            (id, usage) -> --usage.allocations == 0 && !present.contains(id) ? null : usage);
        if (a.tcp != null) {
            a.tcp.allocation = null;
        }
    }

    /** Deletes the allocations whose lifetime ran out (counted) and forgets the channels whose lifetime did. */
    void sweep(long now) {
        List<TurnAllocation> expired = null;
        for (TurnAllocation a : byClient.values()) {
            if (a.expiresNs - now < 0) {
                if (expired == null) {
                    expired = new ArrayList<>();
                }
                expired.add(a);
                continue;
            }
            for (int i = 0; i < TurnServer.MAX_CHANNELS; i++) {
                if (a.channelNumbers[i] != 0 && a.channelExpiresNs[i] - now < 0) {
                    if (a.lastChannel == a.channelNumbers[i]) {
                        a.lastChannel = 0;
                    }
                    a.channelNumbers[i] = 0;
                    a.channelPeers[i] = null;
                }
            }
        }
        if (expired != null) {
            for (TurnAllocation a : expired) {
                counters.allocationsExpired.incrementAndGet();
                delete(a);
            }
        }
    }

    void deleteAll() {
        for (TurnAllocation a : new ArrayList<>(byClient.values())) {
            delete(a);
        }
    }
}
