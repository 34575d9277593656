package io.sfu.core.sctp;

/** Where an association sends its packets: one SCTP packet per call, valid during the call only (RFC 8261). */
@FunctionalInterface
public interface SctpOutput {
    void sendPacket(byte[] buf, int off, int len);
}
