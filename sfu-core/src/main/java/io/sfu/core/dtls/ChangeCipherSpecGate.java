package io.sfu.core.dtls;

import java.util.BitSet;

/**
 * Keeps a DTLS 1.2 server from reading the client's ChangeCipherSpec before the client's CertificateVerify.
 *
 * <p>Why: the TLS stack switches its read epoch as soon as a ChangeCipherSpec arrives after the
 * ClientKeyExchange, and from then on discards epoch-0 records. The CertificateVerify (epoch 0) comes between
 * the two, so if it is lost, or reordered behind the ChangeCipherSpec, every retransmission of it is discarded
 * and the handshake stalls until its deadline. Peers that pack a flight into one datagram never hit this; peers
 * that send one record per datagram (as this package does) do, on any lossy link. The gate cuts a datagram short
 * at a ChangeCipherSpec record until a complete CertificateVerify has gone by; the client retransmits the
 * ChangeCipherSpec with its flight (RFC 6347 §4.2.4), by which time the gate is open.
 *
 * <p>Scans plaintext (epoch 0) records only, as laid out in RFC 6347 §4.1 and §4.2.2:
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ContentType  |    ProtocolVersion            |    epoch ...  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ... epoch    |          sequence_number (48 bits) ...        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ... sequence_number          |            length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  fragment: handshake messages (ContentType 22), each with     |
 * |  msg_type (8), length (24), message_seq (16),                 |
 * |  fragment_offset (24), fragment_length (24), body ...         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Malformed or truncated records end the scan and the datagram passes unchanged: the stack rejects it itself.
 * Single-threaded: used by the transport's consumer.
 */
final class ChangeCipherSpecGate {

    static final int RECORD_HEADER_LENGTH = 13;
    static final int HANDSHAKE_HEADER_LENGTH = 12;
    static final int CONTENT_CHANGE_CIPHER_SPEC = 20;
    static final int CONTENT_HANDSHAKE = 22;
    static final int CERTIFICATE_VERIFY = 15;
    /** A CertificateVerify longer than this is not tracked, and the gate opens rather than risk a stall. */
    static final int MAX_TRACKED_LENGTH = 1 << 14;

    private boolean open;
    private int certificateVerifyLength = -1;
    private BitSet certificateVerifyBytes;
    private long changeCipherSpecsHeld;

    /**
     * How much of a received datagram to hand to the stack: all of it, or the part before a ChangeCipherSpec
     * record that came too early (0: drop the datagram).
     */
    int admit(byte[] datagram, int off, int len) {
        if (open) {
            return len;
        }
        int end = off + len;
        int at = off;
        while (end - at >= RECORD_HEADER_LENGTH) {
            int contentType = datagram[at] & 0xFF;
            int epoch = uint16(datagram, at + 3);
            int length = uint16(datagram, at + 11);
            int body = at + RECORD_HEADER_LENGTH;
            if (length > end - body) {
                break;
            }
            if (epoch == 0) {
                if (contentType == CONTENT_CHANGE_CIPHER_SPEC && !open) {
                    changeCipherSpecsHeld++;
                    return at - off;
                }
                if (contentType == CONTENT_HANDSHAKE) {
                    scanHandshake(datagram, body, length);
                }
            }
            at = body + length;
        }
        return len;
    }

    /** Whether a complete CertificateVerify has gone by. */
    boolean isOpen() {
        return open;
    }

    /** ChangeCipherSpec records cut off so far. */
    long changeCipherSpecsHeld() {
        return changeCipherSpecsHeld;
    }

    private void scanHandshake(byte[] record, int off, int len) {
        int end = off + len;
        int at = off;
        while (end - at >= HANDSHAKE_HEADER_LENGTH) {
            int msgType = record[at] & 0xFF;
            int length = uint24(record, at + 1);
            int fragmentOffset = uint24(record, at + 6);
            int fragmentLength = uint24(record, at + 9);
            int body = at + HANDSHAKE_HEADER_LENGTH;
            if (fragmentLength > end - body || fragmentOffset + fragmentLength > length) {
                return;
            }
            if (msgType == CERTIFICATE_VERIFY) {
                noteCertificateVerify(length, fragmentOffset, fragmentLength);
            }
            at = body + fragmentLength;
        }
    }

    private void noteCertificateVerify(int length, int fragmentOffset, int fragmentLength) {
        if (length > MAX_TRACKED_LENGTH || (fragmentOffset == 0 && fragmentLength == length)) {
            open = true;
            return;
        }
        if (certificateVerifyBytes == null || certificateVerifyLength != length) {
            certificateVerifyBytes = new BitSet(length);
            certificateVerifyLength = length;
        }
        certificateVerifyBytes.set(fragmentOffset, fragmentOffset + fragmentLength);
        if (certificateVerifyBytes.nextClearBit(0) >= length) {
            open = true;
        }
    }

    private static int uint16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static int uint24(byte[] b, int at) {
        return ((b[at] & 0xFF) << 16) | ((b[at + 1] & 0xFF) << 8) | (b[at + 2] & 0xFF);
    }
}
