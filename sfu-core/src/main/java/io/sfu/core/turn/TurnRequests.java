package io.sfu.core.turn;

import io.sfu.core.buffer.PacketPool;
import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.logging.RateLimitedLog;
import io.sfu.core.net.Handoff;
import io.sfu.core.net.MediaSocket;
import io.sfu.core.stun.StunAddress;
import io.sfu.core.stun.StunAttributeType;
import io.sfu.core.stun.StunErrorCode;
import io.sfu.core.stun.StunIntegrity;
import io.sfu.core.stun.StunKey;
import io.sfu.core.stun.StunMessage;
import io.sfu.core.stun.StunMessageType;
import io.sfu.core.stun.StunMessageWriter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import static io.sfu.core.turn.TurnServer.CHANNEL_HEADER;
import static io.sfu.core.turn.TurnServer.CHANNEL_LIFETIME_NS;
import static io.sfu.core.turn.TurnServer.MAX_CHANNEL;
import static io.sfu.core.turn.TurnServer.MIN_CHANNEL;
import static io.sfu.core.turn.TurnServer.PERMISSION_LIFETIME_NS;
import static io.sfu.core.turn.TurnServer.TRANSPORT_UDP;

/**
 * What the TURN server does with each message a client sends (RFC 8656 §7 to §12): ChannelData and Send indications
 * handed to the media socket, requests checked with the long-term credentials and answered. Runs on the server's
 * thread only; answers go out through {@link TurnServer#reply}.
 */
final class TurnRequests {
    private static final ByteOrder BIG_ENDIAN = ByteOrder.BIG_ENDIAN;
    private static final Logger LOG = LoggerFactory.getLogger(TurnRequests.class);
    private static final RateLimitedLog ERRORS = new RateLimitedLog(LOG);
    private static final int RELAY_RECEIVE_BUFFER = 1024;
    private static final byte[] SOFTWARE = "sfu".getBytes(StandardCharsets.US_ASCII);

    private final TurnServer server;
    private final TurnAllocations allocations;
    private final TurnCounters counters;
    private final PacketPool pool;
    private final TurnServer.Settings settings;
    private final TurnAuthenticator auth;
    /** The clock of lifetimes: allocations, permissions, channels. */
    private final NanoClock nanoClock;
    private final InetAddress relayIp;
    private final List<InetSocketAddress> sfuAddresses;
    private MediaSocket media;

    private final UnsafeBuffer inBuffer = new UnsafeBuffer(new byte[0]);
    private final byte[] reply = new byte[1024];
    private final UnsafeBuffer replyBuffer = new UnsafeBuffer(reply);
    private final ByteBuffer replyView = ByteBuffer.wrap(reply);
    private final StunMessage message = new StunMessage();
    private final StunMessageWriter writer = new StunMessageWriter();
    private final StunIntegrity integrity = new StunIntegrity();
    private final StunAddress address = new StunAddress();
    /** The unknown comprehension-required attributes of the request at hand, for a 420. */
    private final int[] unknownTypes = new int[8];

    TurnRequests(TurnServer server, TurnAllocations allocations, TurnCounters counters, PacketPool pool,
                 TurnServer.Settings settings, Clock clock, NanoClock nanoClock, InetAddress relayIp,
                 List<InetSocketAddress> sfuAddresses) {
        this.server = server;
        this.allocations = allocations;
        this.counters = counters;
        this.pool = pool;
        this.settings = settings;
        this.auth = new TurnAuthenticator(settings, clock);
        this.nanoClock = nanoClock;
        this.relayIp = relayIp;
        this.sfuAddresses = List.copyOf(sfuAddresses);
    }

    /** Where data toward the SFU goes: set before the server's thread starts. */
    void start(MediaSocket mediaSocket) {
        this.media = mediaSocket;
    }

    TurnAuthenticator auth() {
        return auth;
    }

    /** One message from a client: ChannelData, a Send indication or a request. */
    void onMessage(byte[] array, int length, InetSocketAddress from, TurnConnection tcp) {
        inBuffer.wrap(array, 0, length);
        int first = array[0] & 0xFF;
        if (first >= 0x40 && first < 0x50) {
            onChannelData(inBuffer, length, tcp != null ? tcp : from);
            return;
        }
        if (!message.wrap(inBuffer, 0, length)) {
            counters.malformed.incrementAndGet();
            return;
        }
        int method = message.method();
        int messageClass = message.messageClass();
        Object client = tcp != null ? tcp : from;
        if (messageClass == StunMessageType.CLASS_INDICATION && method == StunMessageType.METHOD_SEND) {
            onSend(allocations.get(client));
            return;
        }
        if (messageClass != StunMessageType.CLASS_REQUEST) {
            counters.malformed.incrementAndGet();
            return;
        }
        int unknown = unknownComprehensionRequired();
        if (unknown > 0) {
            // RFC 8489 §6.3.1.1: a request with a comprehension-required attribute not understood is answered 420
            counters.malformed.incrementAndGet();
            finish(response(method, StunMessageType.CLASS_ERROR_RESPONSE).errorCode(StunErrorCode.UNKNOWN_ATTRIBUTE)
                .unknownAttributes(unknownTypes, unknown), null, from, tcp);
            return;
        }
        switch (method) {
            case StunMessageType.METHOD_BINDING -> answerBinding(from, tcp);
            case StunMessageType.METHOD_ALLOCATE -> onAllocate(client, from, tcp);
            case StunMessageType.METHOD_REFRESH, StunMessageType.METHOD_CREATE_PERMISSION,
                StunMessageType.METHOD_CHANNEL_BIND -> onAllocationRequest(method, allocations.get(client), from, tcp);
            default -> {
                counters.malformed.incrementAndGet();
                answerError(StunErrorCode.BAD_REQUEST, from, tcp, null);
            }
        }
    }

    private void onChannelData(UnsafeBuffer in, int length, Object client) {
        TurnAllocation a = allocations.get(client);
        int number = in.getShort(0, BIG_ENDIAN) & 0xFFFF;
        int dataLength = in.getShort(2, BIG_ENDIAN) & 0xFFFF;
        int index = a == null ? -1 : a.channelIndex(number);
        if (index < 0 || dataLength > length - CHANNEL_HEADER) {
            counters.droppedToSfu.incrementAndGet();
            return;
        }
        InetSocketAddress peer = a.channelPeers[index];
        a.lastPeer = peer;
        a.lastChannel = number;
        handOver(a, in, CHANNEL_HEADER, dataLength);
    }

    private void onSend(TurnAllocation a) {
        int peerAt = message.findAttribute(StunAttributeType.XOR_PEER_ADDRESS);
        int dataAt = message.findAttribute(StunAttributeType.DATA);
        if (a == null || peerAt < 0 || dataAt < 0 || !message.address(peerAt, true, address)) {
            counters.droppedToSfu.incrementAndGet();
            return;
        }
        InetSocketAddress peer = sfuAddress(address);
        if (peer == null || a.permissionExpiresNs - nanoClock.nanoTime() < 0) {
            counters.forbiddenPeers.incrementAndGet();
            counters.droppedToSfu.incrementAndGet();
            return;
        }
        if (a.lastPeer != peer) {
            a.lastPeer = peer;
            int channel = a.channelFor(peer);
            a.lastChannel = channel < 0 ? 0 : a.channelNumbers[channel];
        }
        handOver(a, message.buffer(), message.attributeValueOffset(dataAt), message.attributeValueLength(dataAt));
    }

    /** Copies the data into a pooled slot stamped with the relayed address and queues it for the media thread. */
    private void handOver(TurnAllocation a, DirectBuffer in, int offset, int length) {
        PacketSlot slot = length > 0 && length <= PacketSlot.CAPACITY ? pool.acquire() : null;
        if (slot == null) {
            counters.droppedToSfu.incrementAndGet();
            return;
        }
        in.getBytes(offset, slot.array(), 0, length);
        slot.data(0, length);
        slot.source(a.relayed);
        slot.receivedNs(System.nanoTime());
        // counted before the hand-over, which the media thread may see through at once
        counters.bytesToSfu.addAndGet(length);
        a.usage.bytesToSfu.addAndGet(length);
        a.usage.packetsToSfu.incrementAndGet();
        if (!media.handOver(slot)) {
            slot.release();
            counters.bytesToSfu.addAndGet(-length);
            a.usage.bytesToSfu.addAndGet(-length);
            a.usage.packetsToSfu.decrementAndGet();
            counters.droppedToSfu.incrementAndGet();
        }
    }

    /** Collects into {@link #unknownTypes} the comprehension-required attributes neither STUN's nor TURN's. */
    private int unknownComprehensionRequired() {
        int count = 0;
        int at = message.firstAttribute();
        for (; at >= 0 && count < unknownTypes.length; at = message.nextAttribute(at)) {
            int type = message.attributeType(at);
            if (StunAttributeType.isComprehensionRequired(type) && !StunAttributeType.isKnownComprehensionRequired(type)
                && !isTurnAttribute(type)) {
                unknownTypes[count++] = type;
            }
        }
        return count;
    }

    private static boolean isTurnAttribute(int type) {
        return switch (type) {
            case StunAttributeType.CHANNEL_NUMBER, StunAttributeType.LIFETIME, StunAttributeType.XOR_PEER_ADDRESS,
                StunAttributeType.DATA, StunAttributeType.XOR_RELAYED_ADDRESS,
                StunAttributeType.REQUESTED_ADDRESS_FAMILY, StunAttributeType.REQUESTED_TRANSPORT,
                StunAttributeType.DONT_FRAGMENT -> true;
            default -> false;
        };
    }

    /** The SFU media address equal to {@code candidate}, or null when it names anything else. */
    private InetSocketAddress sfuAddress(StunAddress candidate) {
        for (int i = 0; i < sfuAddresses.size(); i++) {
            InetSocketAddress sfu = sfuAddresses.get(i);
            byte[] ip = sfu.getAddress().getAddress();
            if (candidate.matches(ip, 0, ip.length, sfu.getPort())) {
                return sfu;
            }
        }
        return null;
    }

    private boolean sfuIp(StunAddress candidate) {
        for (int i = 0; i < sfuAddresses.size(); i++) {
            byte[] ip = sfuAddresses.get(i).getAddress().getAddress();
            if (candidate.matches(ip, 0, ip.length, candidate.port())) {
                return true;
            }
        }
        return false;
    }

    // Requests (RFC 8656 §7 to §12), authenticated as RFC 8489 §9.2.4 asks

    private void onAllocate(Object client, InetSocketAddress from, TurnConnection tcp) {
        String username = authenticate(from, tcp);
        if (username == null) {
            return;
        }
        StunKey key = auth.keyOf(username);
        TurnAllocation existing = allocations.get(client);
        if (existing != null) {
            if (message.transactionIdEquals(existing.allocateTransaction)) {
                answerAllocated(existing, from, tcp);
            } else {
                answerError(StunErrorCode.ALLOCATION_MISMATCH, from, tcp, key);
            }
            return;
        }
        int transportAt = message.findAttribute(StunAttributeType.REQUESTED_TRANSPORT);
        if (transportAt < 0 || message.attributeValueLength(transportAt) != 4) {
            answerError(StunErrorCode.BAD_REQUEST, from, tcp, key);
            return;
        }
        if ((message.buffer().getByte(message.attributeValueOffset(transportAt)) & 0xFF) != TRANSPORT_UDP) {
            answerError(StunErrorCode.UNSUPPORTED_TRANSPORT_PROTOCOL, from, tcp, key);
            return;
        }
        int familyAt = message.findAttribute(StunAttributeType.REQUESTED_ADDRESS_FAMILY);
        int wantFamily = relayIp instanceof Inet4Address ? StunAddress.FAMILY_IPV4 : StunAddress.FAMILY_IPV6;
        if (familyAt >= 0 && (message.attributeValueLength(familyAt) != 4
            || (message.buffer().getByte(message.attributeValueOffset(familyAt)) & 0xFF) != wantFamily)) {
            answerError(StunErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED, from, tcp, key);
            return;
        }
        String participantId = TurnCredentials.participantId(username);
        TurnServer.Usage usage = allocations.usage(participantId);
        if (allocations.size() >= settings.maxAllocations()) {
            counters.quotaRefusals.incrementAndGet();
            answerError(StunErrorCode.INSUFFICIENT_CAPACITY, from, tcp, key);
            return;
        }
        if (usage != null && usage.allocations >= settings.maxAllocationsPerUser()) {
            counters.quotaRefusals.incrementAndGet();
            answerError(StunErrorCode.ALLOCATION_QUOTA_REACHED, from, tcp, key);
            return;
        }
        DatagramChannel relaySocket;
        try {
            relaySocket = relayIp instanceof Inet4Address ? DatagramChannel.open(StandardProtocolFamily.INET)
                : DatagramChannel.open(StandardProtocolFamily.INET6);
            relaySocket.setOption(StandardSocketOptions.SO_RCVBUF, RELAY_RECEIVE_BUFFER);
            relaySocket.bind(null);
        } catch (IOException e) {
            ERRORS.error("relay", "TURN could not bind a relay port", e);
            answerError(StunErrorCode.INSUFFICIENT_CAPACITY, from, tcp, key);
            return;
        }
        InetSocketAddress relayed;
        try {
            relayed = new InetSocketAddress(relayIp, ((InetSocketAddress) relaySocket.getLocalAddress()).getPort());
        } catch (IOException e) {
            Handoff.closeQuietly(relaySocket, LOG, "TURN relay port");
            answerError(StunErrorCode.INSUFFICIENT_CAPACITY, from, tcp, key);
            return;
        }
        TurnAllocation a = new TurnAllocation(client, from, tcp, username, key, relaySocket, relayed,
            allocations.takeUsage(participantId));
        message.copyTransactionId(a.allocateTransaction, 0);
        a.expiresNs = nanoClock.nanoTime() + lifetimeSeconds(settings.defaultLifetime().toSeconds()) * 1_000_000_000L;
        allocations.add(a);
        if (tcp != null) {
            tcp.allocation = a;
        }
        counters.allocationsCreated.incrementAndGet();
        answerAllocated(a, from, tcp);
    }

    private void answerAllocated(TurnAllocation a, InetSocketAddress from, TurnConnection tcp) {
        long lifetime = Math.max(0, (a.expiresNs - nanoClock.nanoTime()) / 1_000_000_000L);
        address.set(a.relayed);
        StunMessageWriter w = response(StunMessageType.METHOD_ALLOCATE, StunMessageType.CLASS_SUCCESS_RESPONSE)
            .xorAddress(StunAttributeType.XOR_RELAYED_ADDRESS, address)
            .uint32Attribute(StunAttributeType.LIFETIME, (int) lifetime);
        address.set(from);
        w.xorMappedAddress(address);
        finish(w, a.key, from, tcp);
    }

    /** The lifetime granted for what the request asks (RFC 8656 §7.2): the default when less, at most the cap. */
    private long lifetimeSeconds(long fallback) {
        int at = message.findAttribute(StunAttributeType.LIFETIME);
        long asked = at >= 0 && message.attributeValueLength(at) == 4
            ? message.buffer().getInt(message.attributeValueOffset(at), BIG_ENDIAN) & 0xFFFFFFFFL
            : fallback;
        return Math.min(Math.max(asked, settings.defaultLifetime().toSeconds()), settings.maxLifetime().toSeconds());
    }

    private void onAllocationRequest(int method, TurnAllocation a, InetSocketAddress from, TurnConnection tcp) {
        String username = authenticate(from, tcp);
        if (username == null) {
            return;
        }
        if (a == null) {
            answerError(StunErrorCode.ALLOCATION_MISMATCH, from, tcp, auth.keyOf(username));
            return;
        }
        if (!a.username.equals(username)) {
            answerError(StunErrorCode.WRONG_CREDENTIALS, from, tcp, auth.keyOf(username));
            return;
        }
        switch (method) {
            case StunMessageType.METHOD_REFRESH -> onRefresh(a, from, tcp);
            case StunMessageType.METHOD_CREATE_PERMISSION -> onCreatePermission(a, from, tcp);
            default -> onChannelBind(a, from, tcp);
        }
    }

    private void onRefresh(TurnAllocation a, InetSocketAddress from, TurnConnection tcp) {
        int at = message.findAttribute(StunAttributeType.LIFETIME);
        boolean delete = at >= 0 && message.attributeValueLength(at) == 4
            && message.buffer().getInt(message.attributeValueOffset(at), BIG_ENDIAN) == 0;
        long lifetime = 0;
        if (delete) {
            allocations.delete(a);
        } else {
            lifetime = lifetimeSeconds(settings.defaultLifetime().toSeconds());
            a.expiresNs = nanoClock.nanoTime() + lifetime * 1_000_000_000L;
        }
        finish(response(StunMessageType.METHOD_REFRESH, StunMessageType.CLASS_SUCCESS_RESPONSE)
            .uint32Attribute(StunAttributeType.LIFETIME, (int) lifetime), a.key, from, tcp);
    }

    private void onCreatePermission(TurnAllocation a, InetSocketAddress from, TurnConnection tcp) {
        int peers = 0;
        for (int at = message.firstAttribute(); at >= 0; at = message.nextAttribute(at)) {
            if (message.attributeType(at) != StunAttributeType.XOR_PEER_ADDRESS) {
                continue;
            }
            if (!message.address(at, true, address)) {
                answerError(StunErrorCode.BAD_REQUEST, from, tcp, a.key);
                return;
            }
            if (!sfuIp(address)) {
                // relays only toward the SFU: anything else would make it an open relay
                counters.forbiddenPeers.incrementAndGet();
                answerError(StunErrorCode.FORBIDDEN, from, tcp, a.key);
                return;
            }
            peers++;
        }
        if (peers == 0) {
            answerError(StunErrorCode.BAD_REQUEST, from, tcp, a.key);
            return;
        }
        a.permissionExpiresNs = nanoClock.nanoTime() + PERMISSION_LIFETIME_NS;
        finish(response(StunMessageType.METHOD_CREATE_PERMISSION, StunMessageType.CLASS_SUCCESS_RESPONSE),
            a.key, from, tcp);
    }

    private void onChannelBind(TurnAllocation a, InetSocketAddress from, TurnConnection tcp) {
        int numberAt = message.findAttribute(StunAttributeType.CHANNEL_NUMBER);
        int peerAt = message.findAttribute(StunAttributeType.XOR_PEER_ADDRESS);
        if (numberAt < 0 || message.attributeValueLength(numberAt) != 4 || peerAt < 0
            || !message.address(peerAt, true, address)) {
            answerError(StunErrorCode.BAD_REQUEST, from, tcp, a.key);
            return;
        }
        int number = message.buffer().getShort(message.attributeValueOffset(numberAt),
            BIG_ENDIAN) & 0xFFFF;
        InetSocketAddress peer = sfuAddress(address);
        if (peer == null) {
            counters.forbiddenPeers.incrementAndGet();
            answerError(StunErrorCode.FORBIDDEN, from, tcp, a.key);
            return;
        }
        int byNumber = a.channelIndex(number);
        int byPeer = a.channelFor(peer);
        int index = byNumber >= 0 ? byNumber : byPeer >= 0 ? byPeer : a.channelIndex(0);
        // RFC 8656 §12.2: a number bound to another peer, or a peer bound to another number, is a bad request
        if (number < MIN_CHANNEL || number > MAX_CHANNEL || byNumber != byPeer && byNumber >= 0 && byPeer >= 0
            || byNumber >= 0 && byPeer < 0 || byPeer >= 0 && byNumber < 0) {
            answerError(StunErrorCode.BAD_REQUEST, from, tcp, a.key);
            return;
        }
        if (index < 0) {
            counters.quotaRefusals.incrementAndGet();
            answerError(StunErrorCode.INSUFFICIENT_CAPACITY, from, tcp, a.key);
            return;
        }
        long now = nanoClock.nanoTime();
        a.channelPeers[index] = peer;
        a.channelExpiresNs[index] = now + CHANNEL_LIFETIME_NS;
        a.channelNumbers[index] = number;
        a.permissionExpiresNs = now + PERMISSION_LIFETIME_NS;
        if (peer.equals(a.lastPeer) || a.lastPeer == null) {
            a.lastPeer = peer;
            a.lastChannel = number;
        }
        finish(response(StunMessageType.METHOD_CHANNEL_BIND, StunMessageType.CLASS_SUCCESS_RESPONSE),
            a.key, from, tcp);
    }

    /**
     * Checks the long-term credentials of the request; answers and returns null when they do not hold: 401 with
     * REALM and NONCE when absent or wrong (or the username expired), 438 for a stale nonce, 400 when incomplete,
     * nothing beyond the rates answered ({@link TurnAuthenticator}).
     */
    private String authenticate(InetSocketAddress from, TurnConnection tcp) {
        switch (auth.check(message, tcp != null)) {
            case PASSED:
                return auth.username();
            case CHALLENGE:
                answerChallenge(StunErrorCode.UNAUTHORIZED, from, tcp);
                return null;
            case STALE_NONCE:
                answerChallenge(StunErrorCode.STALE_NONCE, from, tcp);
                return null;
            case BAD_REQUEST:
                answerError(StunErrorCode.BAD_REQUEST, from, tcp, null);
                return null;
            default:
                return null;
        }
    }

    // Answers

    private StunMessageWriter response(int method, int messageClass) {
        return writer.wrap(replyBuffer, 0, reply.length).header(StunMessageType.of(method, messageClass), message);
    }

    private void answerChallenge(int code, InetSocketAddress from, TurnConnection tcp) {
        StunMessageWriter w = response(message.method(), StunMessageType.CLASS_ERROR_RESPONSE)
            .errorCode(code)
            .attribute(StunAttributeType.REALM, settings.realm().getBytes(StandardCharsets.UTF_8))
            .attribute(StunAttributeType.NONCE, auth.newNonce().getBytes(StandardCharsets.US_ASCII));
        finish(w, null, from, tcp);
    }

    private void answerError(int code, InetSocketAddress from, TurnConnection tcp, StunKey key) {
        finish(response(message.method(), StunMessageType.CLASS_ERROR_RESPONSE).errorCode(code), key, from, tcp);
    }

    private void answerBinding(InetSocketAddress from, TurnConnection tcp) {
        address.set(from);
        finish(response(StunMessageType.METHOD_BINDING, StunMessageType.CLASS_SUCCESS_RESPONSE)
            .xorMappedAddress(address), null, from, tcp);
    }

    private void finish(StunMessageWriter w, StunKey key, InetSocketAddress to, TurnConnection tcp) {
        w.attribute(StunAttributeType.SOFTWARE, SOFTWARE);
        if (key != null) {
            w.messageIntegrity(integrity, key);
        }
        int length = w.fingerprint(integrity).length();
        server.reply(replyView.limit(length).position(0), to, tcp);
    }
}
