package io.sfu.core.sctp;

/** One DATA chunk received and kept until its message is complete and deliverable (RFC 9260 §6.9). */
final class InboundChunk {
    byte[] data;
    int length;
    int streamId;
    int ssn;
    int ppid;
    boolean unordered;
    boolean beginning;
    boolean end;
}
