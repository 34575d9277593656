package io.sfu.core.sctp;

/**
 * The settings of one association: ports (from SDP), stream counts announced in INIT, buffer bounds, and the
 * RFC 9260 §16 protocol parameters with the values WebRTC stacks use.
 *
 * @param localPort            our SCTP port (a=sctp-port, 5000 by default)
 * @param remotePort           the peer's SCTP port
 * @param streams              inbound and outbound streams announced in INIT (1..65535); the association uses
 *                             the lesser of ours and the peer's in each direction
 * @param maxSendBufferBytes   payload bytes queued or in flight, all streams together
 * @param maxReceiveBufferBytes bytes kept for reassembly and reordering; also the a_rwnd we announce
 * @param maxMessageBytes      largest message we reassemble; a larger one aborts the association
 * @param rtoInitialNanos      RTO.Initial
 * @param rtoMinNanos          RTO.Min
 * @param rtoMaxNanos          RTO.Max
 * @param maxRetransmissions   Association.Max.Retrans: consecutive timeouts before the association fails
 * @param maxInitRetransmissions Max.Init.Retransmits
 * @param cookieLifetimeNanos  Valid.Cookie.Life
 * @param heartbeatIntervalNanos HB.interval, on an idle association
 * @param delayedAckNanos      longest a SACK waits for a second packet (RFC 9260 §6.2)
 */
public record SctpConfig(int localPort, int remotePort, int streams, long maxSendBufferBytes,
                         long maxReceiveBufferBytes, int maxMessageBytes, long rtoInitialNanos, long rtoMinNanos,
                         long rtoMaxNanos, int maxRetransmissions, int maxInitRetransmissions,
                         long cookieLifetimeNanos, long heartbeatIntervalNanos, long delayedAckNanos) {
    public static final int DEFAULT_PORT = 5000;
    private static final long MS = 1_000_000L;

    public SctpConfig {
        if (localPort < 0 || localPort > 0xFFFF || remotePort < 0 || remotePort > 0xFFFF) {
            throw new IllegalArgumentException("SCTP ports must be 0..65535");
        }
        if (streams < 1 || streams > 0xFFFF) {
            throw new IllegalArgumentException("streams must be 1..65535: " + streams);
        }
        if (maxSendBufferBytes < 1 || maxReceiveBufferBytes < 1 || maxMessageBytes < 1) {
            throw new IllegalArgumentException("buffer bounds must be positive");
        }
        if (rtoMinNanos <= 0 || rtoMinNanos > rtoInitialNanos || rtoInitialNanos > rtoMaxNanos) {
            throw new IllegalArgumentException("RTO bounds must satisfy 0 < min <= initial <= max");
        }
    }

    /** 5000/5000, 1024 streams, 4 MiB send and 1 MiB receive buffers, 256 KiB messages, RFC 9260 timers. */
    public static SctpConfig defaults() {
        return new SctpConfig(DEFAULT_PORT, DEFAULT_PORT, 1024, 4L << 20, 1L << 20, 256 << 10,
            1000 * MS, 200 * MS, 10_000 * MS, 10, 8, 60_000 * MS, 30_000 * MS, 200 * MS);
    }
}
