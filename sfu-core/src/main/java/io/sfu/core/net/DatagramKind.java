package io.sfu.core.net;

/**
 * What a datagram on the shared media port carries, told by its first byte (RFC 7983 §7, which extends RFC 5764
 * §5.1.2) and, for RTP versus RTCP, by the second byte (RFC 5761 §4: RTCP packet types 192–223).
 * <pre>
 *                  +----------------+
 *                  |        [0..3] -+--> STUN
 *                  |      [16..19] -+--> ZRTP
 *                  |      [20..63] -+--> DTLS
 *                  |      [64..79] -+--> TURN channel
 *                  |    [128..191] -+--> RTP/RTCP
 *                  +----------------+
 * </pre>
 */
public enum DatagramKind {
    STUN, DTLS, RTP, RTCP, OTHER;

    /** Classifies a datagram from its first two bytes; anything too short or outside the ranges is OTHER. */
    public static DatagramKind of(byte[] data, int offset, int length) {
        if (length < 1) {
            return OTHER;
        }
        int first = data[offset] & 0xFF;
        if (first <= 3) {
            return STUN;
        }
        if (first >= 20 && first <= 63) {
            return DTLS;
        }
        if (first >= 128 && first <= 191) {
            if (length < 2) {
                return OTHER;
            }
            int packetType = data[offset + 1] & 0xFF;
            return packetType >= 192 && packetType <= 223 ? RTCP : RTP;
        }
        return OTHER;
    }
}
