package io.sfu.signaling.metrics;

import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.Map;

/**
 * Heap bytes allocated by the threads that carry packets (forwarding agents, the media, relay, ICE-TCP and TURN
 * receivers, the data plane), so that the allocation per forwarded packet can be told apart from what a scrape, the
 * signaling or a DTLS handshake allocates beside it. Stays monotonic when a supervised thread is replaced: a thread
 * that is gone keeps counting with what it had allocated when last seen.
 */
final class MediaThreadAllocation {
    /** Name prefixes of the packet threads (see the thread table in docs/ARCHITECTURE.md). */
    private static final String[] PREFIXES = {"sfu-forward-", "sfu-media-rx", "sfu-media-tcp", "sfu-relay-rx",
        "sfu-turn", "sfu-data"};

    private final com.sun.management.ThreadMXBean threads;
    /** Thread id to the bytes it had allocated at the last reading. */
    private Map<Long, Long> seen = new HashMap<>();
    private long retired;

    MediaThreadAllocation(com.sun.management.ThreadMXBean threads) {
        this.threads = threads;
    }

    static boolean isPacketThread(String name) {
        for (String prefix : PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The bytes allocated so far by every packet thread, live or gone. Called on the scrape's thread. */
    synchronized long allocatedBytes() {
        Map<Long, Long> now = new HashMap<>();
        long live = 0;
        // names without stacks: no safepoint for stack walks on every scrape
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
            if (info == null || !isPacketThread(info.getThreadName())) {
                continue;
            }
            long bytes = threads.getThreadAllocatedBytes(info.getThreadId());
            if (bytes >= 0) {
                now.put(info.getThreadId(), bytes);
                live += bytes;
            }
        }
        for (Map.Entry<Long, Long> previous : seen.entrySet()) {
            if (!now.containsKey(previous.getKey())) {
                retired += previous.getValue();
            }
        }
        seen = now;
        return retired + live;
    }
}
