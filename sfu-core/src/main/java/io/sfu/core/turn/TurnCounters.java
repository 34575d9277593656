package io.sfu.core.turn;

import java.util.concurrent.atomic.AtomicLong;

/** The TURN server's counters, shared by its loop, its request handlers and the senders toward clients. */
final class TurnCounters {
    final AtomicLong allocationsCreated = new AtomicLong();
    final AtomicLong allocationsExpired = new AtomicLong();
    final AtomicLong quotaRefusals = new AtomicLong();
    final AtomicLong forbiddenPeers = new AtomicLong();
    final AtomicLong malformed = new AtomicLong();
    final AtomicLong droppedToSfu = new AtomicLong();
    final AtomicLong droppedToClient = new AtomicLong();
    final AtomicLong bytesToSfu = new AtomicLong();
    final AtomicLong bytesToClient = new AtomicLong();
    final AtomicLong tcpRefused = new AtomicLong();
    final AtomicLong tlsFailures = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
}
