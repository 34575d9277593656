package io.sfu.core.turn;

import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.stun.StunAddress;
import io.sfu.core.stun.StunKey;
import io.sfu.core.stun.StunMessage;
import io.sfu.core.stun.StunMessageWriter;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/** One allocation: state for the server thread; its output buffers under its monitor. */
final class TurnAllocation {
    final Object client;
    final InetSocketAddress clientAddress;
    final TurnConnection tcp;
    final String username;
    final String participantId;
    final StunKey key;
    final DatagramChannel relaySocket;
    final InetSocketAddress relayed;
    final TurnServer.Usage usage;
    final byte[] allocateTransaction = new byte[StunMessage.TRANSACTION_ID_LENGTH];
    long expiresNs;
    volatile long permissionExpiresNs;
    final int[] channelNumbers = new int[TurnServer.MAX_CHANNELS];
    final InetSocketAddress[] channelPeers = new InetSocketAddress[TurnServer.MAX_CHANNELS];
    final long[] channelExpiresNs = new long[TurnServer.MAX_CHANNELS];
    /** The SFU address the client last sent to, and its channel (0 for none): where replies claim to come from. */
    volatile InetSocketAddress lastPeer;
    volatile int lastChannel;
    boolean deleted;
    // guarded by this: the message toward the client is built here
    final byte[] out = new byte[TurnServer.MAX_MESSAGE];
    final UnsafeBuffer outBuffer = new UnsafeBuffer(out);
    final ByteBuffer outView = ByteBuffer.wrap(out);
    final byte[] data = new byte[PacketSlot.CAPACITY];
    final byte[] transactionId = new byte[StunMessage.TRANSACTION_ID_LENGTH];
    final StunMessageWriter writer = new StunMessageWriter();
    final StunAddress peer = new StunAddress();
    long sequence;

    TurnAllocation(Object client, InetSocketAddress clientAddress, TurnConnection tcp, String username, StunKey key,
                   DatagramChannel relaySocket, InetSocketAddress relayed, TurnServer.Usage usage) {
        this.client = client;
        this.clientAddress = clientAddress;
        this.tcp = tcp;
        this.username = username;
        this.participantId = TurnCredentials.participantId(username);
        this.key = key;
        this.relaySocket = relaySocket;
        this.relayed = relayed;
        this.usage = usage;
    }

    int channelFor(InetSocketAddress peerAddress) {
        for (int i = 0; i < TurnServer.MAX_CHANNELS; i++) {
            if (channelNumbers[i] != 0 && peerAddress.equals(channelPeers[i])) {
                return i;
            }
        }
        return -1;
    }

    int channelIndex(int number) {
        for (int i = 0; i < TurnServer.MAX_CHANNELS; i++) {
            if (channelNumbers[i] == number) {
                return i;
            }
        }
        return -1;
    }
}
