package io.sfu.core.stun;

/**
 * STUN attribute types used by the SFU (RFC 8489 §18.3, RFC 8445 §16.1). Types below 0x8000 are
 * comprehension-required: a request carrying one the receiver does not know is answered with 420.
 */
public final class StunAttributeType {
    /** RFC 8489 §14.1. */
    public static final int MAPPED_ADDRESS = 0x0001;
    /** RFC 8489 §14.3. */
    public static final int USERNAME = 0x0006;
    /** RFC 8489 §14.5: HMAC-SHA1, 20 bytes. */
    public static final int MESSAGE_INTEGRITY = 0x0008;
    /** RFC 8489 §14.8. */
    public static final int ERROR_CODE = 0x0009;
    /** RFC 8489 §14.13. */
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    /** RFC 8489 §14.9. */
    public static final int REALM = 0x0014;
    /** RFC 8489 §14.10. */
    public static final int NONCE = 0x0015;
    /** RFC 8489 §14.6: HMAC-SHA256, 16 to 32 bytes. */
    public static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
    /** RFC 8489 §14.12. */
    public static final int PASSWORD_ALGORITHM = 0x001D;
    /** RFC 8489 §14.4. */
    public static final int USERHASH = 0x001E;
    /** RFC 8489 §14.2. */
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    /** RFC 8445 §7.1.1. */
    public static final int PRIORITY = 0x0024;
    /** RFC 8445 §7.1.2. */
    public static final int USE_CANDIDATE = 0x0025;
    /** RFC 8656 §18.1: a channel number (0x4000 to 0x4FFF) in the first two bytes, two reserved. */
    public static final int CHANNEL_NUMBER = 0x000C;
    /** RFC 8656 §18.2: seconds until the allocation expires, 32 bits. */
    public static final int LIFETIME = 0x000D;
    /** RFC 8656 §18.3: a peer's address, encoded as XOR-MAPPED-ADDRESS. */
    public static final int XOR_PEER_ADDRESS = 0x0012;
    /** RFC 8656 §18.4: the application data of a Send or Data indication. */
    public static final int DATA = 0x0013;
    /** RFC 8656 §18.5: the allocation's relayed transport address, encoded as XOR-MAPPED-ADDRESS. */
    public static final int XOR_RELAYED_ADDRESS = 0x0016;
    /** RFC 8656 §18.6: the address family asked of the relayed address. */
    public static final int REQUESTED_ADDRESS_FAMILY = 0x0017;
    /** RFC 8656 §18.7: the transport asked of the relay, its protocol number in the first byte. */
    public static final int REQUESTED_TRANSPORT = 0x0019;
    /** RFC 8656 §18.8: the client asks for the DF bit toward the peer; empty. */
    public static final int DONT_FRAGMENT = 0x001A;
    /** RFC 8489 §14.11. */
    public static final int PASSWORD_ALGORITHMS = 0x8002;
    /** RFC 8489 §14.16. */
    public static final int ALTERNATE_DOMAIN = 0x8003;
    /** RFC 8489 §14.14. */
    public static final int SOFTWARE = 0x8022;
    /** RFC 8489 §14.15. */
    public static final int ALTERNATE_SERVER = 0x8023;
    /** RFC 8489 §14.7: CRC-32 of the message XOR 0x5354554e. */
    public static final int FINGERPRINT = 0x8028;
    /** RFC 8445 §7.1.3: the sender believes it is controlled; 64-bit tie-breaker. */
    public static final int ICE_CONTROLLED = 0x8029;
    /** RFC 8445 §7.1.3: the sender believes it is controlling; 64-bit tie-breaker. */
    public static final int ICE_CONTROLLING = 0x802A;

    private StunAttributeType() {
    }

    /** Whether a receiver must understand {@code type} to process the message (RFC 8489 §15). */
    public static boolean isComprehensionRequired(int type) {
        return type < 0x8000;
    }

    /** Whether this codec knows the comprehension-required {@code type} (so it never triggers a 420). */
    public static boolean isKnownComprehensionRequired(int type) {
        switch (type) {
            case MAPPED_ADDRESS:
            case USERNAME:
            case MESSAGE_INTEGRITY:
            case ERROR_CODE:
            case UNKNOWN_ATTRIBUTES:
            case REALM:
            case NONCE:
            case MESSAGE_INTEGRITY_SHA256:
            case PASSWORD_ALGORITHM:
            case USERHASH:
            case XOR_MAPPED_ADDRESS:
            case PRIORITY:
            case USE_CANDIDATE:
                return true;
            default:
                return false;
        }
    }
}
