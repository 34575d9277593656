package io.sfu.core.sctp;

/**
 * Stream reconfiguration (RFC 6525) as data channels use it to close (RFC 8831 §6.7): our Outgoing SSN Reset
 * Requests, one outstanding at a time and sent again on a timer, and the peer's requests, performed once every
 * TSN before the peer's last assigned one has arrived, answered with a Re-configuration Response.
 */
final class StreamResets {
    static final int OUTGOING_REQUEST = 13;
    static final int INCOMING_REQUEST = 14;
    static final int RESPONSE = 16;
    static final int SUCCESS_NOTHING_TO_DO = 0;
    static final int SUCCESS_PERFORMED = 1;
    static final int DENIED = 2;
    static final int BAD_SEQUENCE_NUMBER = 5;
    static final int IN_PROGRESS = 6;
    /** Streams one request carries at most (it must fit a packet). */
    static final int MAX_STREAMS_PER_REQUEST = 256;
    private static final int MAX_RESPONSES = 8;

    private final SctpCounters counters;
    private final SctpListener listener;
    private boolean[] wanted = new boolean[0];
    private int wantedCount;
    private final int[] requestStreams = new int[MAX_STREAMS_PER_REQUEST];
    private int requestStreamCount;
    private boolean requestOutstanding;
    private int requestSeq;
    private int requestLastTsn;
    private long requestDeadline = SctpSender.NO_DEADLINE;
    private boolean requestDue;
    private int peerNextSeq;
    private int peerLastResult;
    private final int[] responseSeqs = new int[MAX_RESPONSES];
    private final int[] responseResults = new int[MAX_RESPONSES];
    private int responseCount;

    StreamResets(SctpCounters counters, SctpListener listener) {
        this.counters = counters;
        this.listener = listener;
    }

    void start(int localInitialTsn, int peerInitialTsn, int outboundStreams) {
        requestSeq = localInitialTsn;
        peerNextSeq = peerInitialTsn;
        wanted = new boolean[outboundStreams];
    }

    /** Asks for our outgoing stream to be reset once its queued data has been sent. */
    void requestReset(int streamId) {
        if (streamId < wanted.length && !wanted[streamId]) {
            wanted[streamId] = true;
            wantedCount++;
        }
    }

    long deadline() {
        return requestOutstanding ? requestDeadline : SctpSender.NO_DEADLINE;
    }

    boolean hasWork(SctpSender sender) {
        return responseCount > 0 || requestDue || !requestOutstanding && wantedCount > 0;
    }

    /** The request timer: send the outstanding request again. */
    void onTimer(long nowNanos) {
        if (requestOutstanding && nowNanos - requestDeadline >= 0) {
            requestDue = true;
        }
    }

    /** Writes pending responses and, when due, our request, in RE-CONFIG chunks. */
    void write(SctpPacketWriter writer, SctpSender sender, long rtoNanos, long nowNanos) {
        for (int i = 0; i < responseCount; i++) {
            int at = writer.chunk(SctpPacket.RE_CONFIG, 0, 12);
            byte[] out = writer.array();
            SctpBytes.put16(out, at, RESPONSE);
            SctpBytes.put16(out, at + 2, 12);
            SctpBytes.put32(out, at + 4, responseSeqs[i]);
            SctpBytes.put32(out, at + 8, responseResults[i]);
        }
        responseCount = 0;
        if (!requestOutstanding && wantedCount > 0) {
            requestStreamCount = 0;
            for (int s = 0; s < wanted.length && requestStreamCount < MAX_STREAMS_PER_REQUEST; s++) {
                if (wanted[s] && !sender.hasPending(s)) {
                    requestStreams[requestStreamCount++] = s;
                }
            }
            if (requestStreamCount > 0) {
                requestOutstanding = true;
                requestDue = true;
                requestLastTsn = sender.lastAssignedTsn();
            }
        }
        if (requestDue) {
            int length = 16 + 2 * requestStreamCount;
            int at = writer.chunk(SctpPacket.RE_CONFIG, 0, length);
            byte[] out = writer.array();
            SctpBytes.put16(out, at, OUTGOING_REQUEST);
            SctpBytes.put16(out, at + 2, length);
            SctpBytes.put32(out, at + 4, requestSeq);
            SctpBytes.put32(out, at + 8, peerNextSeq - 1);
            SctpBytes.put32(out, at + 12, requestLastTsn);
            for (int i = 0; i < requestStreamCount; i++) {
                SctpBytes.put16(out, at + 16 + 2 * i, requestStreams[i]);
            }
            requestDue = false;
            requestDeadline = nowNanos + rtoNanos;
        }
    }

    /** Reads one RE-CONFIG chunk's parameters (RFC 6525 §3.1). */
    void onReconfig(byte[] buf, int at, int valueLength, SctpSender sender, SctpReceiver receiver) {
        int end = at + valueLength;
        int p = at;
        int parameters = 0;
        while (end - p >= 4 && parameters++ < 2) {
            int type = SctpBytes.u16(buf, p);
            int length = SctpBytes.u16(buf, p + 2);
            if (length < 4 || length > end - p) {
                counters.malformedChunks++;
                return;
            }
            switch (type) {
                case OUTGOING_REQUEST -> onOutgoingRequest(buf, p, length, receiver);
                case INCOMING_REQUEST -> onIncomingRequest(buf, p, length);
                case RESPONSE -> onResponse(buf, p, length, sender);
                default -> counters.unknownChunks++;
            }
            p += SctpBytes.padded(length);
        }
    }

    private void onOutgoingRequest(byte[] buf, int p, int length, SctpReceiver receiver) {
        if (length < 16 || (length & 1) != 0) {
            counters.malformedChunks++;
            return;
        }
        counters.streamResetsRequested++;
        int seq = SctpBytes.i32(buf, p + 4);
        int lastTsn = SctpBytes.i32(buf, p + 12);
        if (!inSequence(seq)) {
            return;
        }
        if (SctpBytes.tsnBefore(receiver.cumulativeTsn(), lastTsn)) {
            // §5.2.2 deferred: the peer asks again on its timer and gets the result then
            respond(seq, IN_PROGRESS);
            return;
        }
        for (int s = p + 16; s + 2 <= p + length; s += 2) {
            int streamId = SctpBytes.u16(buf, s);
            if (streamId < receiver.inboundStreams()) {
                receiver.resetStream(streamId);
                listener.onIncomingStreamReset(streamId);
            }
        }
        peerNextSeq++;
        peerLastResult = SUCCESS_PERFORMED;
        respond(seq, SUCCESS_PERFORMED);
    }

    private void onIncomingRequest(byte[] buf, int p, int length) {
        if (length < 8 || (length & 1) != 0) {
            counters.malformedChunks++;
            return;
        }
        int seq = SctpBytes.i32(buf, p + 4);
        if (!inSequence(seq)) {
            return;
        }
        for (int s = p + 8; s + 2 <= p + length; s += 2) {
            requestReset(SctpBytes.u16(buf, s));
        }
        peerNextSeq++;
        peerLastResult = SUCCESS_PERFORMED;
        respond(seq, SUCCESS_PERFORMED);
    }

    private void onResponse(byte[] buf, int p, int length, SctpSender sender) {
        if (length < 12) {
            counters.malformedChunks++;
            return;
        }
        int seq = SctpBytes.i32(buf, p + 4);
        int result = SctpBytes.i32(buf, p + 8);
        if (!requestOutstanding || seq != requestSeq) {
            counters.unexpectedChunks++;
            return;
        }
        if (result == IN_PROGRESS) {
            return;
        }
        requestOutstanding = false;
        requestDeadline = SctpSender.NO_DEADLINE;
        requestSeq++;
        for (int i = 0; i < requestStreamCount; i++) {
            int streamId = requestStreams[i];
            if (wanted[streamId]) {
                wanted[streamId] = false;
                wantedCount--;
            }
            if (result == SUCCESS_PERFORMED || result == SUCCESS_NOTHING_TO_DO) {
                sender.resetStream(streamId);
            }
            // a denied reset still ends the stream's use: the channel closes either way
            listener.onOutgoingStreamReset(streamId);
        }
        requestStreamCount = 0;
    }

    /**
     * RFC 6525 §5.2.1: a request is performed once, in sequence; the previous one again gets its result again, any
     * other a Bad Sequence Number.
     */
    private boolean inSequence(int seq) {
        if (seq == peerNextSeq) {
            return true;
        }
        respond(seq, seq == peerNextSeq - 1 ? peerLastResult : BAD_SEQUENCE_NUMBER);
        return false;
    }

    private void respond(int seq, int result) {
        if (responseCount < MAX_RESPONSES) {
            responseSeqs[responseCount] = seq;
            responseResults[responseCount++] = result;
        }
    }
}
