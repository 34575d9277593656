package io.sfu.core.stun;

/**
 * STUN message types: the 14-bit type interleaves a 12-bit method with a 2-bit class (RFC 8489 §5, Figure 3).
 *
 * <pre>
 *   0                 1
 *   2  3  4 5 6 7 8 9 0 1 2 3 4 5
 *  +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |M |M |M|M|M|C|M|M|M|C|M|M|M|M|
 *  |11|10|9|8|7|1|6|5|4|0|3|2|1|0|
 *  +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class StunMessageType {
    /** Class bits C1C0 = 0b00. */
    public static final int CLASS_REQUEST = 0;
    /** Class bits C1C0 = 0b01. */
    public static final int CLASS_INDICATION = 1;
    /** Class bits C1C0 = 0b10. */
    public static final int CLASS_SUCCESS_RESPONSE = 2;
    /** Class bits C1C0 = 0b11. */
    public static final int CLASS_ERROR_RESPONSE = 3;

    /** The Binding method (RFC 8489 §18.2), the only one ICE uses. */
    public static final int METHOD_BINDING = 0x001;

    /** RFC 8656 §7: creates an allocation. */
    public static final int METHOD_ALLOCATE = 0x003;
    /** RFC 8656 §8: refreshes or (lifetime 0) deletes an allocation. */
    public static final int METHOD_REFRESH = 0x004;
    /** RFC 8656 §11.3: data from the client toward a peer (indication only). */
    public static final int METHOD_SEND = 0x006;
    /** RFC 8656 §11.4: data from a peer toward the client (indication only). */
    public static final int METHOD_DATA = 0x007;
    /** RFC 8656 §10: installs permissions toward peer addresses. */
    public static final int METHOD_CREATE_PERMISSION = 0x008;
    /** RFC 8656 §12: binds a channel number to a peer address. */
    public static final int METHOD_CHANNEL_BIND = 0x009;

    /** 0x0001. */
    public static final int BINDING_REQUEST = of(METHOD_BINDING, CLASS_REQUEST);
    /** 0x0011: keepalives that need no answer (RFC 8445 §11). */
    public static final int BINDING_INDICATION = of(METHOD_BINDING, CLASS_INDICATION);
    /** 0x0101. */
    public static final int BINDING_SUCCESS_RESPONSE = of(METHOD_BINDING, CLASS_SUCCESS_RESPONSE);
    /** 0x0111. */
    public static final int BINDING_ERROR_RESPONSE = of(METHOD_BINDING, CLASS_ERROR_RESPONSE);

    private StunMessageType() {
    }

    /** The message type for a 12-bit {@code method} and a 2-bit {@code messageClass}. */
    public static int of(int method, int messageClass) {
        return (method & 0x000F)
            | ((method & 0x0070) << 1)
            | ((method & 0x0F80) << 2)
            | ((messageClass & 0b01) << 4)
            | ((messageClass & 0b10) << 7);
    }

    /** The class (one of the {@code CLASS_} constants) of a message type. */
    public static int messageClass(int messageType) {
        return ((messageType >> 7) & 0b10) | ((messageType >> 4) & 0b01);
    }

    /** The 12-bit method of a message type. */
    public static int method(int messageType) {
        return (messageType & 0x000F) | ((messageType & 0x00E0) >> 1) | ((messageType & 0x3E00) >> 2);
    }
}
