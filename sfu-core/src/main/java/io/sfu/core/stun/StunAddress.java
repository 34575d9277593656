package io.sfu.core.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A mutable transport address (IPv4 or IPv6 plus UDP port) that the codec decodes into and encodes from, so that
 * reading a mapped address or naming a packet's source allocates nothing. The {@code set} methods store an
 * IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}, as a dual-stack socket reports it) as IPv4, because that is
 * the address the peer sent from; decoding keeps whatever family the message carries.
 */
public final class StunAddress {
    /** Address family value of IPv4 in (XOR-)MAPPED-ADDRESS (RFC 8489 §14.1). */
    public static final int FAMILY_IPV4 = 0x01;
    /** Address family value of IPv6 in (XOR-)MAPPED-ADDRESS (RFC 8489 §14.1). */
    public static final int FAMILY_IPV6 = 0x02;
    /** Length in bytes of an IPv4 address. */
    public static final int IPV4_LENGTH = 4;
    /** Length in bytes of an IPv6 address. */
    public static final int IPV6_LENGTH = 16;

    private final byte[] address = new byte[IPV6_LENGTH];
    private int family;
    private int port;

    /** An empty address ({@link #isSet()} is false) to be filled by the codec or a {@code set} method. */
    public StunAddress() {
    }

    /** Whether an address has been set since construction or the last {@link #clear()}. */
    public boolean isSet() {
        return family != 0;
    }

    /** Forgets the address. */
    public void clear() {
        family = 0;
        port = 0;
        Arrays.fill(address, (byte) 0);
    }

    /** {@link #FAMILY_IPV4} or {@link #FAMILY_IPV6}, or 0 when nothing is set. */
    public int family() {
        return family;
    }

    /** Whether the address is IPv4. */
    public boolean isIpv4() {
        return family == FAMILY_IPV4;
    }

    /** The UDP port, 0 to 65535. */
    public int port() {
        return port;
    }

    /** 4 for IPv4, 16 for IPv6, 0 when nothing is set. */
    public int addressLength() {
        return family == FAMILY_IPV4 ? IPV4_LENGTH : family == FAMILY_IPV6 ? IPV6_LENGTH : 0;
    }

    /** Byte {@code index} (0-based, network order) of the IP address. */
    public byte addressByte(int index) {
        if (index < 0 || index >= addressLength()) {
            throw new IndexOutOfBoundsException("address byte " + index + " of " + addressLength());
        }
        return address[index];
    }

    /** Copies the IP address ({@link #addressLength()} bytes) into {@code dst} at {@code offset}. */
    public void copyAddress(byte[] dst, int offset) {
        System.arraycopy(address, 0, dst, offset, addressLength());
    }

    /**
     * Sets the address from {@code length} (4 or 16) bytes of {@code ip} at {@code offset} and a port.
     *
     * @throws IllegalArgumentException if the length is neither 4 nor 16 or the port is out of range
     */
    public StunAddress set(byte[] ip, int offset, int length, int port) {
        checkPort(port);
        if (length == IPV4_LENGTH) {
            System.arraycopy(ip, offset, address, 0, IPV4_LENGTH);
            Arrays.fill(address, IPV4_LENGTH, IPV6_LENGTH, (byte) 0);
            family = FAMILY_IPV4;
        } else if (length == IPV6_LENGTH) {
            if (isIpv4Mapped(ip, offset)) {
                System.arraycopy(ip, offset + 12, address, 0, IPV4_LENGTH);
                Arrays.fill(address, IPV4_LENGTH, IPV6_LENGTH, (byte) 0);
                family = FAMILY_IPV4;
            } else {
                System.arraycopy(ip, offset, address, 0, IPV6_LENGTH);
                family = FAMILY_IPV6;
            }
        } else {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + length);
        }
        this.port = port;
        return this;
    }

    /** Sets the address from a whole 4- or 16-byte array and a port. */
    public StunAddress set(byte[] ip, int port) {
        return set(ip, 0, ip.length, port);
    }

    /** Sets the address from a resolved socket address (cold path: {@code getAddress()} allocates). */
    public StunAddress set(InetSocketAddress socketAddress) {
        InetAddress inet = socketAddress.getAddress();
        if (inet == null) {
            throw new IllegalArgumentException("unresolved address " + socketAddress);
        }
        return set(inet.getAddress(), socketAddress.getPort());
    }

    /** Copies {@code other} into this. */
    public StunAddress set(StunAddress other) {
        System.arraycopy(other.address, 0, address, 0, IPV6_LENGTH);
        family = other.family;
        port = other.port;
        return this;
    }

    /** Sets the family and port once the decoder has written the IP bytes into {@link #addressArray()}. */
    void setDecoded(int family, int port) {
        this.family = family;
        this.port = port;
        if (family == FAMILY_IPV4) {
            Arrays.fill(address, IPV4_LENGTH, IPV6_LENGTH, (byte) 0);
        }
    }

    /** The backing array, for the codec only. */
    byte[] addressArray() {
        return address;
    }

    /** Whether this holds the same family, IP and port as {@code other}. */
    public boolean sameAs(StunAddress other) {
        return family == other.family && port == other.port
            && Arrays.equals(address, 0, IPV6_LENGTH, other.address, 0, IPV6_LENGTH);
    }

    /** Whether this holds {@code length} bytes of {@code ip} at {@code offset} and {@code port}. */
    public boolean matches(byte[] ip, int offset, int length, int port) {
        if (this.port != port) {
            return false;
        }
        if (length == IPV4_LENGTH) {
            return family == FAMILY_IPV4 && Arrays.equals(address, 0, IPV4_LENGTH, ip, offset, offset + IPV4_LENGTH);
        }
        if (length == IPV6_LENGTH) {
            if (isIpv4Mapped(ip, offset)) {
                return family == FAMILY_IPV4
                    && Arrays.equals(address, 0, IPV4_LENGTH, ip, offset + 12, offset + IPV6_LENGTH);
            }
            return family == FAMILY_IPV6 && Arrays.equals(address, 0, IPV6_LENGTH, ip, offset, offset + IPV6_LENGTH);
        }
        return false;
    }

    /** A new {@link InetSocketAddress} for this address (cold path). */
    public InetSocketAddress toInetSocketAddress() {
        if (!isSet()) {
            throw new IllegalStateException("no address set");
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOf(address, addressLength())), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StunAddress && sameAs((StunAddress) o);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * family + port) + Arrays.hashCode(address);
    }

    @Override
    public String toString() {
        if (!isSet()) {
            return "unset";
        }
        InetSocketAddress socketAddress = toInetSocketAddress();
        String host = socketAddress.getAddress().getHostAddress();
        return (isIpv4() ? host : "[" + host + "]") + ":" + port;
    }

    private static boolean isIpv4Mapped(byte[] ip, int offset) {
        for (int i = 0; i < 10; i++) {
            if (ip[offset + i] != 0) {
                return false;
            }
        }
        return ip[offset + 10] == (byte) 0xFF && ip[offset + 11] == (byte) 0xFF;
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }
}
