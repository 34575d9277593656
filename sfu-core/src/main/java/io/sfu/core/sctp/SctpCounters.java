package io.sfu.core.sctp;

/** What one association counted: packets and chunks dropped by reason, retransmissions, abandonments. */
public final class SctpCounters {
    long packetsReceived;
    long malformedPackets;
    long wrongTagPackets;
    long malformedChunks;
    long unknownChunks;
    long unexpectedChunks;
    long badCookies;
    long staleCookies;
    long duplicateTsns;
    long droppedChunksOutsideWindow;
    long droppedChunksBufferFull;
    long droppedChunksInvalidStream;
    long droppedChunksSkipped;
    long oversizedMessages;
    long ignoredSacks;
    long ignoredGapBlocks;
    long retransmittedChunks;
    long fastRetransmits;
    long t3Expirations;
    long abandonedMessages;
    long forwardTsnsSent;
    long streamResetsRequested;

    /** Packets received and accepted. */
    public long packetsReceived() {
        return packetsReceived;
    }

    /** Packets dropped: too short, bad CRC32c, chunks not tiling the packet, too many chunks. */
    public long malformedPackets() {
        return malformedPackets;
    }

    /** Packets dropped: verification tag or ports not ours (RFC 9260 §8.5). */
    public long wrongTagPackets() {
        return wrongTagPackets;
    }

    /** Chunks ignored: a length or field that does not fit their type. */
    public long malformedChunks() {
        return malformedChunks;
    }

    /** Chunks of a type we do not know, skipped or stopping the packet by their upper bits (§3.2). */
    public long unknownChunks() {
        return unknownChunks;
    }

    /** Chunks that make no sense in the association's state, ignored. */
    public long unexpectedChunks() {
        return unexpectedChunks;
    }

    /** COOKIE ECHOs refused: a signature that does not verify, or tags not ours. */
    public long badCookies() {
        return badCookies;
    }

    /** COOKIE ECHOs refused: older than Valid.Cookie.Life. */
    public long staleCookies() {
        return staleCookies;
    }

    /** DATA chunks received again. */
    public long duplicateTsns() {
        return duplicateTsns;
    }

    /** DATA chunks dropped: too far ahead of the oldest kept chunk. */
    public long droppedChunksOutsideWindow() {
        return droppedChunksOutsideWindow;
    }

    /** DATA chunks dropped: the receive buffer is full. */
    public long droppedChunksBufferFull() {
        return droppedChunksBufferFull;
    }

    /** DATA chunks on a stream beyond the negotiated count, acknowledged and dropped. */
    public long droppedChunksInvalidStream() {
        return droppedChunksInvalidStream;
    }

    /** Kept DATA chunks a FORWARD TSN skipped that could not be delivered (parts of abandoned messages). */
    public long droppedChunksSkipped() {
        return droppedChunksSkipped;
    }

    /** Messages larger than the message bound: the association is aborted. */
    public long oversizedMessages() {
        return oversizedMessages;
    }

    /** SACKs ignored: older than one already read, or acknowledging what was never sent. */
    public long ignoredSacks() {
        return ignoredSacks;
    }

    /** Gap ack blocks ignored: malformed or beyond the number read per SACK. */
    public long ignoredGapBlocks() {
        return ignoredGapBlocks;
    }

    /** DATA chunks sent again. */
    public long retransmittedChunks() {
        return retransmittedChunks;
    }

    /** Chunks marked for fast retransmission after three miss indications. */
    public long fastRetransmits() {
        return fastRetransmits;
    }

    /** T3-rtx timer expiries with data in flight. */
    public long t3Expirations() {
        return t3Expirations;
    }

    /** Partially reliable messages abandoned (retransmission count or lifetime exceeded). */
    public long abandonedMessages() {
        return abandonedMessages;
    }

    /** FORWARD TSN chunks sent. */
    public long forwardTsnsSent() {
        return forwardTsnsSent;
    }

    /** Outgoing stream reset requests received. */
    public long streamResetsRequested() {
        return streamResetsRequested;
    }

    /** Every drop of peer input together: malformed, wrong tag, refused cookies, dropped chunks. */
    public long dropped() {
        return malformedPackets + wrongTagPackets + malformedChunks + unknownChunks + badCookies + staleCookies
            + droppedChunksOutsideWindow + droppedChunksBufferFull + droppedChunksInvalidStream + ignoredGapBlocks;
    }
}
