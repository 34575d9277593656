package io.sfu.core.net;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A relay whose addresses stand for peers that are reached another way (the TURN server's relayed addresses): the
 * media output asks it first, so what the SFU sends to such an address goes back through the relay.
 */
public interface RelayOutput {
    /** {@link #sendIfRelayed}: the address is none of the relay's; send it another way. */
    int NOT_RELAYED = -1;
    /** {@link #sendIfRelayed}: dropped (counted by the relay). */
    int DROPPED = 0;
    /** {@link #sendIfRelayed}: sent or queued toward the peer. */
    int SENT = 1;

    /** True while any relayed address exists: lets the media output skip the lookup when nobody relays. */
    boolean relaying();

    /**
     * Sends {@code datagram}'s remaining bytes to the peer behind {@code target}: {@link #SENT}, {@link #DROPPED} or
     * {@link #NOT_RELAYED}. Any thread; never waits.
     */
    int sendIfRelayed(ByteBuffer datagram, InetSocketAddress target);
}
