package io.sfu.core.sctp;

import java.util.SplittableRandom;

/**
 * One SCTP association (RFC 9260) as WebRTC runs it over a DTLS connection (RFC 8261): a single path, ports from
 * SDP, the four-way handshake with a signed state cookie (either side may start it, both at once included,
 * §5.2), DATA with SACK, retransmission and congestion control, heartbeats, partial reliability (RFC 3758) and
 * stream resets (RFC 6525), graceful shutdown and abort. No threads and no clock of its own: one thread calls it
 * and passes the time; {@link #poll} runs the timers and returns the next deadline.
 */
public final class SctpAssociation {
    /** RFC 9260 §4 states, with CLOSED both before the handshake and after the end. */
    public enum State { CLOSED, COOKIE_WAIT, COOKIE_ECHOED, ESTABLISHED, SHUTDOWN_PENDING, SHUTDOWN_SENT,
        SHUTDOWN_RECEIVED, SHUTDOWN_ACK_SENT }

    static final int HEARTBEAT_INFO = 1;
    /** A peer's cookie we echo; larger ones are refused (ours is {@link StateCookie#LENGTH}). */
    static final int MAX_PEER_COOKIE = 1024;
    /** ABORT and ERROR cause codes (§3.3.10). */
    static final int CAUSE_UNRECOGNIZED_CHUNK = 6;
    static final int CAUSE_PROTOCOL_VIOLATION = 13;
    static final int CAUSE_USER_INITIATED_ABORT = 12;
    private static final int T_BIT = 1;

    private final SctpConfig config;
    private final SctpListener listener;
    private final SctpCounters counters = new SctpCounters();
    private final SctpPacket packet = new SctpPacket();
    private final SctpPacketWriter writer;
    private final BlockPool pool = new BlockPool();
    private final RtoEstimator rto;
    private final SctpSender sender;
    private final SctpReceiver receiver;
    private final StreamResets resets;
    private final StateCookie cookie = new StateCookie();
    private final InitChunk initParameters = new InitChunk();
    private final SplittableRandom random;
    private final int localTag;
    private final int localInitialTsn;
    private final byte[] peerCookie = new byte[MAX_PEER_COOKIE];
    private int peerCookieLength;

    private State state = State.CLOSED;
    private boolean ended;
    private int peerTag;
    private boolean peerForwardTsn;
    private int errorCount;
    private long t1Deadline = SctpSender.NO_DEADLINE;
    private int t1Count;
    private long t2Deadline = SctpSender.NO_DEADLINE;
    private long heartbeatDeadline = SctpSender.NO_DEADLINE;
    private boolean heartbeatOutstanding;
    private long heartbeatNonce;
    private boolean processing;
    private boolean controlPending;

    public SctpAssociation(SctpConfig config, SctpOutput output, SctpListener listener, long randomSeed) {
        this.config = config;
        this.listener = listener;
        writer = new SctpPacketWriter(output);
        writer.ports(config.localPort(), config.remotePort());
        rto = new RtoEstimator(config.rtoInitialNanos(), config.rtoMinNanos(), config.rtoMaxNanos());
        sender = new SctpSender(pool, counters, rto, config.maxSendBufferBytes());
        receiver = new SctpReceiver(pool, counters, listener, config.maxReceiveBufferBytes(),
            config.maxMessageBytes());
        resets = new StreamResets(counters, listener);
        random = new SplittableRandom(randomSeed);
        int tag = 0;
        while (tag == 0) {
            tag = random.nextInt();
        }
        // one tag for every INIT and INIT ACK of this endpoint: a cookie from a crossed handshake matches (§5.2)
        localTag = tag;
        localInitialTsn = random.nextInt();
    }

    public State state() {
        return state;
    }

    public boolean isEstablished() {
        return state == State.ESTABLISHED;
    }

    public SctpCounters counters() {
        return counters;
    }

    /** Payload bytes queued or in flight. */
    public long bufferedBytes() {
        return sender.bufferedBytes();
    }

    /** Bytes kept for reassembly and reordering (bounded by the receive buffer plus one message). */
    public long receiveBufferedBytes() {
        return receiver.storedBytes();
    }

    public long bufferedBytes(int streamId) {
        return sender.bufferedBytes(streamId);
    }

    /** Streams we may send on (the lesser of ours and the peer's inbound count), 0 before the handshake. */
    public int outboundStreams() {
        return sender.outboundStreams();
    }

    public int inboundStreams() {
        return receiver.inboundStreams();
    }

    public long rtoNanos() {
        return rto.rtoNanos();
    }

    public long congestionWindowBytes() {
        return sender.cwnd();
    }

    /** Starts the handshake (§5.1 A): sends INIT. A peer's INIT is answered whether or not this is called. */
    public void connect(long nowNanos) {
        if (state != State.CLOSED || ended) {
            return;
        }
        state = State.COOKIE_WAIT;
        t1Count = 0;
        sendInit(nowNanos);
    }

    private void sendInit(long nowNanos) {
        writer.tag(0);
        int at = writer.chunk(SctpPacket.INIT, 0, InitChunk.LENGTH);
        writeInitFields(writer.array(), at);
        writer.flush();
        t1Deadline = nowNanos + rto.rtoNanos();
    }

    private void writeInitFields(byte[] out, int at) {
        InitChunk.write(out, at, localTag, config.maxReceiveBufferBytes(), config.streams(), localInitialTsn);
    }

    /**
     * Queues one message on an outbound stream (copied); it goes out now or on a later {@link #poll}.
     *
     * @param maxRetransmits -1 for no limit
     * @param lifetimeNanos  -1 for no limit
     * @return {@code false} when the send buffer cannot take it, or the association does not carry data
     */
    public boolean send(int streamId, int ppid, boolean unordered, byte[] buf, int off, int len, int maxRetransmits,
                        long lifetimeNanos, long nowNanos) {
        if (state != State.ESTABLISHED || streamId < 0 || streamId >= sender.outboundStreams()) {
            return false;
        }
        boolean partial = peerForwardTsn;
        if (!sender.enqueue(streamId, ppid, unordered, buf, off, len, partial ? maxRetransmits : -1,
            partial ? lifetimeNanos : -1, nowNanos)) {
            return false;
        }
        if (!processing) {
            transmit(nowNanos);
        }
        return true;
    }

    /** Resets our outgoing stream once its queued messages are sent (RFC 6525 §5.1.2). */
    public void resetStream(int streamId, long nowNanos) {
        if (state != State.ESTABLISHED || streamId < 0 || streamId >= sender.outboundStreams()) {
            return;
        }
        resets.requestReset(streamId);
        if (!processing) {
            transmit(nowNanos);
        }
    }

    /** Graceful shutdown (§9.2): once everything queued is acknowledged. */
    public void shutdown(long nowNanos) {
        if (state == State.ESTABLISHED) {
            state = State.SHUTDOWN_PENDING;
            transmit(nowNanos);
        } else if (state == State.COOKIE_WAIT || state == State.COOKIE_ECHOED) {
            end("shutdown before the association was established");
        }
    }

    /** Ends the association at once with an ABORT (§9.1). */
    public void abort(String reason, long nowNanos) {
        if (ended) {
            return;
        }
        if (state != State.CLOSED && state != State.COOKIE_WAIT) {
            sendAbort(CAUSE_USER_INITIATED_ABORT);
        }
        end(reason);
    }

    private void sendAbort(int cause) {
        writer.tag(peerTag);
        int at = writer.chunk(SctpPacket.ABORT, 0, 4);
        SctpBytes.put16(writer.array(), at, cause);
        SctpBytes.put16(writer.array(), at + 2, 4);
        writer.flush();
    }

    private void end(String reason) {
        if (ended) {
            return;
        }
        ended = true;
        state = State.CLOSED;
        sender.clear();
        receiver.clear();
        t1Deadline = SctpSender.NO_DEADLINE;
        t2Deadline = SctpSender.NO_DEADLINE;
        heartbeatDeadline = SctpSender.NO_DEADLINE;
        listener.onClosed(reason);
    }

    /** Whether the association has ended (closed after having started, or aborted); it does not restart. */
    public boolean isEnded() {
        return ended;
    }

    /** Reads one SCTP packet; malformed or foreign packets are dropped and counted, never thrown. */
    public void receivePacket(byte[] buf, int off, int len, long nowNanos) {
        if (ended) {
            return;
        }
        if (!packet.wrap(buf, off, len)) {
            counters.malformedPackets++;
            return;
        }
        if (packet.destinationPort() != config.localPort() || packet.sourcePort() != config.remotePort()) {
            counters.wrongTagPackets++;
            return;
        }
        processing = true;
        try {
            readChunks(nowNanos);
        } finally {
            processing = false;
        }
        if (!ended) {
            transmit(nowNanos);
        }
    }

    private void readChunks(long nowNanos) {
        int tag = packet.verificationTag();
        int first = packet.firstChunk();
        int firstType = packet.chunkType(first);
        if (firstType == SctpPacket.INIT) {
            // §8.5.1: INIT has tag 0 and is alone in its packet
            if (tag != 0 || packet.chunkCount() != 1) {
                counters.wrongTagPackets++;
                return;
            }
        } else if (tag != localTag && !((firstType == SctpPacket.ABORT || firstType == SctpPacket.SHUTDOWN_COMPLETE)
            && (packet.chunkFlags(first) & T_BIT) != 0 && tag == peerTag && peerTag != 0)) {
            counters.wrongTagPackets++;
            return;
        }
        boolean data = false;
        byte[] buf = packet.buffer();
        counters.packetsReceived++;
        for (int chunk = first; chunk >= 0 && !ended; chunk = packet.nextChunk(chunk)) {
            int type = packet.chunkType(chunk);
            int flags = packet.chunkFlags(chunk);
            int at = chunk + SctpPacket.CHUNK_HEADER_LENGTH;
            int length = packet.chunkLength(chunk) - SctpPacket.CHUNK_HEADER_LENGTH;
            switch (type) {
                case SctpPacket.DATA -> {
                    if (carriesData()) {
                        data = true;
                        if (receiver.onData(flags, buf, at, length) == SctpReceiver.OVERSIZED) {
                            sendAbort(CAUSE_PROTOCOL_VIOLATION);
                            end("a message exceeds " + config.maxMessageBytes() + " bytes");
                        }
                    } else {
                        counters.unexpectedChunks++;
                    }
                }
                case SctpPacket.SACK -> {
                    if (carriesData() || state == State.SHUTDOWN_RECEIVED) {
                        if (sender.onSack(buf, at, length, nowNanos)) {
                            errorCount = 0;
                        }
                    } else {
                        counters.unexpectedChunks++;
                    }
                }
                case SctpPacket.INIT -> onInit(buf, at, length, nowNanos);
                case SctpPacket.INIT_ACK -> onInitAck(buf, at, length, nowNanos);
                case SctpPacket.COOKIE_ECHO -> onCookieEcho(buf, at, length, nowNanos);
                case SctpPacket.COOKIE_ACK -> onCookieAck(nowNanos);
                case SctpPacket.HEARTBEAT -> onHeartbeat(buf, at, length);
                case SctpPacket.HEARTBEAT_ACK -> onHeartbeatAck(buf, at, length, nowNanos);
                case SctpPacket.ABORT -> end("aborted by the peer" + causeOf(buf, at, length));
                case SctpPacket.SHUTDOWN -> {
                    // §6.2: SHUTDOWN carries a cumulative TSN ack, read like a SACK's
                    if (length == 4 && (carriesData() || state == State.SHUTDOWN_RECEIVED)) {
                        sender.onCumulativeAck(SctpBytes.i32(buf, at), nowNanos);
                    }
                    onShutdown(nowNanos);
                }
                case SctpPacket.SHUTDOWN_ACK -> onShutdownAck();
                case SctpPacket.SHUTDOWN_COMPLETE -> {
                    if (state == State.SHUTDOWN_ACK_SENT) {
                        end("shut down");
                    }
                }
                case SctpPacket.ERROR -> counters.unexpectedChunks++;
                case SctpPacket.FORWARD_TSN -> {
                    if (carriesData()) {
                        receiver.onForwardTsn(buf, at, length);
                    }
                }
                case SctpPacket.RE_CONFIG -> {
                    if (state == State.ESTABLISHED) {
                        resets.onReconfig(buf, at, length, sender, receiver);
                    }
                }
                default -> {
                    counters.unknownChunks++;
                    if ((type & 0x40) != 0) {
                        reportUnrecognized(buf, chunk, length + SctpPacket.CHUNK_HEADER_LENGTH);
                    }
                    if ((type & 0x80) == 0) {
                        chunk = -2;
                    }
                }
            }
            if (chunk == -2) {
                break;
            }
        }
        if (data) {
            receiver.onPacketWithData(nowNanos, config.delayedAckNanos());
        }
    }

    private boolean carriesData() {
        return state == State.ESTABLISHED || state == State.SHUTDOWN_PENDING || state == State.SHUTDOWN_SENT;
    }

    private static String causeOf(byte[] buf, int at, int length) {
        return length >= 4 ? " (cause " + SctpBytes.u16(buf, at) + ")" : "";
    }

    private void reportUnrecognized(byte[] buf, int chunk, int chunkLength) {
        if (peerTag == 0 || chunkLength + 8 > SctpPacketWriter.MAX_PACKET - SctpPacket.HEADER_LENGTH) {
            return;
        }
        writer.tag(peerTag);
        int at = writer.chunk(SctpPacket.ERROR, 0, 4 + chunkLength);
        SctpBytes.put16(writer.array(), at, CAUSE_UNRECOGNIZED_CHUNK);
        SctpBytes.put16(writer.array(), at + 2, 4 + chunkLength);
        System.arraycopy(buf, chunk, writer.array(), at + 4, chunkLength);
        controlPending = true;
    }

    /** §5.1 B and §5.2.1/§5.2.2: any INIT is answered with an INIT ACK carrying our cookie; no state is kept. */
    private void onInit(byte[] buf, int at, int length, long nowNanos) {
        if (length < 16) {
            counters.malformedChunks++;
            return;
        }
        int initiateTag = SctpBytes.i32(buf, at);
        int outbound = SctpBytes.u16(buf, at + 8);
        int inbound = SctpBytes.u16(buf, at + 10);
        if (initiateTag == 0 || outbound == 0 || inbound == 0) {
            counters.malformedChunks++;
            return;
        }
        if (state == State.SHUTDOWN_ACK_SENT) {
            return;
        }
        cookie.peerTag = initiateTag;
        cookie.peerRwnd = SctpBytes.u32(buf, at + 4);
        cookie.peerOutboundStreams = outbound;
        cookie.peerInboundStreams = inbound;
        cookie.peerInitialTsn = SctpBytes.i32(buf, at + 12);
        cookie.localTag = localTag;
        cookie.localInitialTsn = localInitialTsn;
        cookie.createdNanos = nowNanos;
        cookie.flags = initParameters.read(buf, at, length);
        writer.tag(initiateTag);
        int ack = writer.chunk(SctpPacket.INIT_ACK, 0, InitChunk.LENGTH + 4 + StateCookie.LENGTH);
        byte[] out = writer.array();
        writeInitFields(out, ack);
        SctpBytes.put16(out, ack + InitChunk.LENGTH, InitChunk.STATE_COOKIE);
        SctpBytes.put16(out, ack + InitChunk.LENGTH + 2, 4 + StateCookie.LENGTH);
        cookie.write(out, ack + InitChunk.LENGTH + 4);
        writer.flush();
    }

    /** §5.1 C: the peer's INIT ACK; we echo its cookie. */
    private void onInitAck(byte[] buf, int at, int length, long nowNanos) {
        if (state != State.COOKIE_WAIT) {
            counters.unexpectedChunks++;
            return;
        }
        if (length < 16 || SctpBytes.i32(buf, at) == 0 || SctpBytes.u16(buf, at + 8) == 0
            || SctpBytes.u16(buf, at + 10) == 0) {
            counters.malformedChunks++;
            return;
        }
        int flags = initParameters.read(buf, at, length);
        int cookieLength = initParameters.cookieLength;
        if (cookieLength < 0 || cookieLength > MAX_PEER_COOKIE) {
            counters.malformedChunks++;
            return;
        }
        System.arraycopy(buf, initParameters.cookieAt, peerCookie, 0, cookieLength);
        peerCookieLength = cookieLength;
        prepare(SctpBytes.i32(buf, at), SctpBytes.i32(buf, at + 12), SctpBytes.u32(buf, at + 4),
            SctpBytes.u16(buf, at + 8), SctpBytes.u16(buf, at + 10), flags);
        state = State.COOKIE_ECHOED;
        t1Count = 0;
        sendCookieEcho(nowNanos);
    }

    private void sendCookieEcho(long nowNanos) {
        writer.tag(peerTag);
        int at = writer.chunk(SctpPacket.COOKIE_ECHO, 0, peerCookieLength);
        System.arraycopy(peerCookie, 0, writer.array(), at, peerCookieLength);
        writer.flush();
        t1Deadline = nowNanos + rto.rtoNanos();
    }

    /** Sets up both halves from the peer's parameters (from its INIT ACK, or from our cookie). */
    private void prepare(int tag, int peerInitialTsn, long peerRwnd, int peerOutbound, int peerInbound, int flags) {
        peerTag = tag;
        peerForwardTsn = (flags & StateCookie.FORWARD_TSN) != 0;
        int outbound = Math.min(config.streams(), peerInbound);
        sender.start(localInitialTsn, peerRwnd, outbound);
        receiver.start(peerInitialTsn, Math.min(config.streams(), peerOutbound));
        resets.start(localInitialTsn, peerInitialTsn, outbound);
    }

    /** §5.1 D and the §5.2.4 table, for the cases a single path without restarts meets. */
    private void onCookieEcho(byte[] buf, int at, int length, long nowNanos) {
        if (!cookie.read(buf, at, length) || cookie.localTag != localTag
            || cookie.localInitialTsn != localInitialTsn) {
            counters.badCookies++;
            return;
        }
        long age = nowNanos - cookie.createdNanos;
        if (age < 0 || age > config.cookieLifetimeNanos()) {
            counters.staleCookies++;
            return;
        }
        switch (state) {
            case CLOSED, COOKIE_WAIT, COOKIE_ECHOED -> {
                if (ended) {
                    return;
                }
                prepare(cookie.peerTag, cookie.peerInitialTsn, cookie.peerRwnd, cookie.peerOutboundStreams,
                    cookie.peerInboundStreams, cookie.flags);
                writer.tag(peerTag);
                writer.chunk(SctpPacket.COOKIE_ACK, 0, 0);
                established(nowNanos);
            }
            default -> {
                if (cookie.peerTag == peerTag) {
                    // §5.2.4 D: our COOKIE ACK was lost
                    writer.tag(peerTag);
                    writer.chunk(SctpPacket.COOKIE_ACK, 0, 0);
                    controlPending = true;
                } else {
                    // a restarted peer (§5.2.4 A): not supported on a DTLS connection that does not restart
                    counters.unexpectedChunks++;
                }
            }
        }
    }

    private void onCookieAck(long nowNanos) {
        if (state == State.COOKIE_ECHOED) {
            established(nowNanos);
        } else {
            counters.unexpectedChunks++;
        }
    }

    private void established(long nowNanos) {
        state = State.ESTABLISHED;
        controlPending = true;
        t1Deadline = SctpSender.NO_DEADLINE;
        errorCount = 0;
        heartbeatDeadline = nowNanos + config.heartbeatIntervalNanos() + rto.rtoNanos();
        listener.onEstablished();
    }

    private void onHeartbeat(byte[] buf, int at, int length) {
        if (peerTag == 0 || length < 4 || length + 4 > SctpPacketWriter.MAX_PACKET - SctpPacket.HEADER_LENGTH) {
            counters.malformedChunks++;
            return;
        }
        writer.tag(peerTag);
        int ack = writer.chunk(SctpPacket.HEARTBEAT_ACK, 0, length);
        System.arraycopy(buf, at, writer.array(), ack, length);
        controlPending = true;
    }

    private void onHeartbeatAck(byte[] buf, int at, int length, long nowNanos) {
        if (length != 20 || SctpBytes.u16(buf, at) != HEARTBEAT_INFO || !heartbeatOutstanding
            || SctpBytes.i64(buf, at + 12) != heartbeatNonce) {
            counters.unexpectedChunks++;
            return;
        }
        heartbeatOutstanding = false;
        errorCount = 0;
        rto.sample(nowNanos - SctpBytes.i64(buf, at + 4));
    }

    private void onShutdown(long nowNanos) {
        switch (state) {
            case ESTABLISHED, SHUTDOWN_PENDING -> state = State.SHUTDOWN_RECEIVED;
            case SHUTDOWN_SENT -> {
                sendShutdownAck(nowNanos);
            }
            default -> counters.unexpectedChunks++;
        }
    }

    private void sendShutdownAck(long nowNanos) {
        state = State.SHUTDOWN_ACK_SENT;
        writer.tag(peerTag);
        writer.chunk(SctpPacket.SHUTDOWN_ACK, 0, 0);
        writer.flush();
        t2Deadline = nowNanos + rto.rtoNanos();
    }

    private void onShutdownAck() {
        if (state == State.SHUTDOWN_SENT || state == State.SHUTDOWN_ACK_SENT) {
            writer.tag(peerTag);
            writer.chunk(SctpPacket.SHUTDOWN_COMPLETE, 0, 0);
            writer.flush();
            end("shut down");
        } else {
            counters.unexpectedChunks++;
        }
    }

    /**
     * Runs the timers that are due and sends what is waiting.
     *
     * @return the next deadline in nanoseconds, {@link Long#MAX_VALUE} when there is none
     */
    public long poll(long nowNanos) {
        if (ended) {
            return Long.MAX_VALUE;
        }
        if (t1Deadline != SctpSender.NO_DEADLINE && nowNanos - t1Deadline >= 0) {
            onT1Expired(nowNanos);
        }
        if (sender.onT3Expired(nowNanos) && countError("DATA not acknowledged")) {
            return Long.MAX_VALUE;
        }
        if (t2Deadline != SctpSender.NO_DEADLINE && nowNanos - t2Deadline >= 0) {
            rto.backOff();
            t2Deadline = SctpSender.NO_DEADLINE;
            if (countError("SHUTDOWN not acknowledged")) {
                return Long.MAX_VALUE;
            }
            if (state == State.SHUTDOWN_SENT) {
                sendShutdown(nowNanos);
            } else if (state == State.SHUTDOWN_ACK_SENT) {
                sendShutdownAck(nowNanos);
            }
        }
        if (heartbeatDeadline != SctpSender.NO_DEADLINE && nowNanos - heartbeatDeadline >= 0) {
            // §8.3: heartbeats probe an idle path; T3 already watches one with data in flight
            if (sender.t3Deadline() != SctpSender.NO_DEADLINE) {
                heartbeatDeadline = nowNanos + config.heartbeatIntervalNanos() + rto.rtoNanos();
            } else if (heartbeatOutstanding && countError("HEARTBEAT not acknowledged")) {
                return Long.MAX_VALUE;
            } else {
                sendHeartbeat(nowNanos);
            }
        }
        resets.onTimer(nowNanos);
        if (!ended) {
            transmit(nowNanos);
        }
        return nextDeadline(nowNanos);
    }

    /** @return {@code true} when the error count passed Association.Max.Retrans and the association ended */
    private boolean countError(String what) {
        if (++errorCount > config.maxRetransmissions()) {
            sendAbort(CAUSE_PROTOCOL_VIOLATION);
            end(what + " after " + config.maxRetransmissions() + " retransmissions");
            return true;
        }
        return false;
    }

    private void onT1Expired(long nowNanos) {
        t1Deadline = SctpSender.NO_DEADLINE;
        if (++t1Count > config.maxInitRetransmissions()) {
            end(state == State.COOKIE_WAIT ? "INIT not answered" : "COOKIE ECHO not answered");
            return;
        }
        rto.backOff();
        if (state == State.COOKIE_WAIT) {
            sendInit(nowNanos);
        } else if (state == State.COOKIE_ECHOED) {
            sendCookieEcho(nowNanos);
        }
    }

    private void sendHeartbeat(long nowNanos) {
        heartbeatNonce = random.nextLong();
        heartbeatOutstanding = true;
        writer.tag(peerTag);
        int at = writer.chunk(SctpPacket.HEARTBEAT, 0, 20);
        byte[] out = writer.array();
        SctpBytes.put16(out, at, HEARTBEAT_INFO);
        SctpBytes.put16(out, at + 2, 20);
        SctpBytes.put64(out, at + 4, nowNanos);
        SctpBytes.put64(out, at + 12, heartbeatNonce);
        writer.flush();
        heartbeatDeadline = nowNanos + config.heartbeatIntervalNanos() + rto.rtoNanos();
    }

    private void sendShutdown(long nowNanos) {
        state = State.SHUTDOWN_SENT;
        writer.tag(peerTag);
        int at = writer.chunk(SctpPacket.SHUTDOWN, 0, 4);
        SctpBytes.put32(writer.array(), at, receiver.cumulativeTsn());
        writer.flush();
        t2Deadline = nowNanos + rto.rtoNanos();
    }

    private long nextDeadline(long nowNanos) {
        long next = Long.MAX_VALUE;
        next = Math.min(next, t1Deadline);
        next = Math.min(next, t2Deadline);
        next = Math.min(next, sender.t3Deadline());
        next = Math.min(next, heartbeatDeadline);
        next = Math.min(next, resets.deadline());
        long sack = receiver.sackDeadline();
        if (sack != SctpSender.NO_DEADLINE && carriesData()) {
            next = Math.min(next, sack == Long.MIN_VALUE ? nowNanos : sack);
        }
        return next;
    }

    /** Sends what is due: control chunks, a SACK, FORWARD TSN, stream resets, then DATA within the windows. */
    private void transmit(long nowNanos) {
        if (!carriesData() && state != State.SHUTDOWN_RECEIVED) {
            if (controlPending || !writer.isEmpty()) {
                writer.flush();
            }
            controlPending = false;
            return;
        }
        writer.tag(peerTag);
        if (receiver.sackDue(nowNanos) || receiver.sackPending() && sender.canSend()) {
            receiver.writeSack(writer);
        }
        if (sender.forwardTsnDue()) {
            sender.writeForwardTsn(writer, nowNanos);
        }
        if (state == State.ESTABLISHED && resets.hasWork(sender)) {
            resets.write(writer, sender, rto.rtoNanos(), nowNanos);
        }
        if (state != State.SHUTDOWN_SENT) {
            sender.writeData(writer, nowNanos);
        }
        writer.flush();
        controlPending = false;
        if (!sender.hasQueuedOrInFlight()) {
            if (state == State.SHUTDOWN_PENDING) {
                sendShutdown(nowNanos);
            } else if (state == State.SHUTDOWN_RECEIVED) {
                sendShutdownAck(nowNanos);
            }
        }
    }
}
