package io.sfu.core.datachannel;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sfu.core.sctp.SctpPacket;
import io.sfu.core.testing.FuzzInput;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Coverage-guided fuzzing (Jazzer) of the SCTP stack under data channels: any packets into an established endpoint
 * (with an open channel and a peer that keeps talking to it) and into a fresh one never make {@code receivePacket}
 * or {@code poll} throw, and what the endpoint keeps stays bounded: the reassembly bytes, the send buffer, the
 * channel count.
 *
 * <p>The input is a list of steps read by {@link FuzzInput}: a packet for the established endpoint (its tag,
 * ports and checksum fixed up or not, by a flag byte), a packet for the fresh endpoint, time passing, or the peer
 * sending a message. Seeds: the packets of a real conversation (handshake, messages, a partially reliable loss, a
 * channel closed).
 */
class SctpPacketFuzzTarget {
    private static final long MS = 1_000_000L;
    private static final DataChannelConfig CONFIG = new DataChannelConfig(5000, 16 * 1024, 64 * 1024, 32 * 1024, 16);
    private static final int TO_ESTABLISHED = 0;
    private static final int TO_FRESH = 1;
    private static final int TIME = 2;
    private static final int PEER_SENDS = 3;
    private static final int FIX_TAG = 1;
    private static final int FIX_CHECKSUM = 2;

    /** Packets sent by one endpoint, not yet delivered. */
    private static final class Outbox implements DataChannelEndpoint.PacketOutput {
        final List<byte[]> packets = new ArrayList<>();
        final List<byte[]> record;

        Outbox(List<byte[]> record) {
            this.record = record;
        }

        @Override
        public void sendPacket(byte[] buf, int off, int len) {
            byte[] copy = Arrays.copyOfRange(buf, off, off + len);
            packets.add(copy);
            if (record != null) {
                record.add(copy);
            }
        }

        void deliverTo(DataChannelEndpoint endpoint, long nowNanos) {
            for (int i = 0; i < packets.size() && i < 256; i++) {
                byte[] packet = packets.get(i);
                endpoint.receivePacket(packet, 0, packet.length, nowNanos);
            }
            packets.clear();
        }
    }

    private static final DataChannelEndpoint.Listener QUIET = new DataChannelEndpoint.Listener() {
        @Override
        public void onChannelOpen(DataChannel channel) {
        }

        @Override
        public void onMessage(DataChannel channel, boolean binary, byte[] buf, int off, int len) {
            check(len >= 0 && off >= 0 && off + len <= buf.length, "a message outside its array");
        }

        @Override
        public void onChannelClosed(DataChannel channel) {
        }

        @Override
        public void onClosed(String reason) {
        }
    };

    /** A client and an established server with one open channel, the client's packets optionally recorded. */
    private static final class Conversation {
        final Outbox toServer;
        final Outbox toClient = new Outbox(null);
        final DataChannelEndpoint client;
        final DataChannelEndpoint server;
        final DataChannel channel;
        final int serverTag;
        long now = 1_000_000_000L;

        Conversation(List<byte[]> record) {
            toServer = new Outbox(record);
            client = new DataChannelEndpoint(CONFIG, true, toServer, QUIET, 1);
            server = new DataChannelEndpoint(CONFIG, false, toClient, QUIET, 2);
            client.connect(now);
            exchange();
            channel = client.open("fuzz", "", new DataChannel.Reliability(true, 0, -1), now);
            exchange();
            serverTag = toServerTag(record);
        }

        private int toServerTag(List<byte[]> record) {
            byte[] probe = new byte[1];
            client.send(channel, true, probe, 0, 1, now);
            byte[] packet = toServer.packets.get(toServer.packets.size() - 1);
            exchange();
            return (packet[4] & 0xFF) << 24 | (packet[5] & 0xFF) << 16 | (packet[6] & 0xFF) << 8 | packet[7] & 0xFF;
        }

        void exchange() {
            for (int i = 0; i < 8 && (!toServer.packets.isEmpty() || !toClient.packets.isEmpty()); i++) {
                toServer.deliverTo(server, now);
                toClient.deliverTo(client, now);
            }
        }

        void advance(long nanos) {
            now += nanos;
            client.poll(now);
            server.poll(now);
            exchange();
        }
    }

    static Stream<byte[]> conversations() {
        List<byte[]> record = new ArrayList<>();
        Conversation c = new Conversation(record);
        for (int size : new int[] {1, 100, 3000, 16 * 1024}) {
            c.client.send(c.channel, size % 2 == 0, new byte[size], 0, size, c.now);
            c.exchange();
        }
        // a loss on a channel without retransmissions: FORWARD TSN
        c.client.send(c.channel, true, new byte[10], 0, 10, c.now);
        c.toServer.packets.clear();
        c.client.send(c.channel, true, new byte[20], 0, 20, c.now);
        c.exchange();
        c.advance(3000 * MS);
        c.client.close(c.channel, c.now);
        c.advance(1000 * MS);
        c.advance(1000 * MS);
        FuzzInput.Writer all = new FuzzInput.Writer();
        List<byte[]> seeds = new ArrayList<>();
        for (byte[] packet : record) {
            all.u8(TO_ESTABLISHED).u8(0).chunk(packet);
            seeds.add(new FuzzInput.Writer().u8(TO_ESTABLISHED).u8(FIX_TAG).chunk(packet).u8(TIME).u16(500)
                .toByteArray());
            seeds.add(new FuzzInput.Writer().u8(TO_FRESH).u8(0).chunk(packet).toByteArray());
        }
        seeds.add(all.toByteArray());
        return seeds.stream();
    }

    @MethodSource("conversations")
    @FuzzTest
    void anyPacketsLeaveTheEndpointsStandingAndBounded(byte[] input) {
        FuzzInput in = new FuzzInput(input);
        Conversation c = new Conversation(null);
        DataChannelEndpoint fresh = new DataChannelEndpoint(CONFIG, false, new Outbox(null), QUIET, 3);
        int steps = 0;
        while (in.hasRemaining() && steps++ < 200) {
            switch (in.choice(4)) {
                case TO_ESTABLISHED -> {
                    int flags = in.u8();
                    byte[] packet = in.chunk();
                    fixUp(packet, flags, c.serverTag);
                    c.server.receivePacket(packet, 0, packet.length, c.now);
                    c.exchange();
                }
                case TO_FRESH -> {
                    int flags = in.u8();
                    byte[] packet = in.chunk();
                    fixUp(packet, flags & FIX_CHECKSUM, 0);
                    fresh.receivePacket(packet, 0, packet.length, c.now);
                    fresh.poll(c.now);
                }
                case TIME -> {
                    long nanos = in.u16() * MS;
                    c.advance(nanos);
                    fresh.poll(c.now);
                }
                default -> {
                    int size = Math.min(in.u16(), CONFIG.maxMessageBytes());
                    if (c.channel.state() == DataChannel.State.OPEN) {
                        c.client.send(c.channel, (size & 1) == 0, new byte[size], 0, size, c.now);
                    }
                    c.exchange();
                }
            }
            checkBounds(c.server);
            checkBounds(fresh);
        }
    }

    private static void fixUp(byte[] packet, int flags, int tag) {
        if (packet.length < SctpPacket.HEADER_LENGTH) {
            return;
        }
        if ((flags & FIX_TAG) != 0) {
            packet[0] = packet[2] = (byte) (5000 >>> 8);
            packet[1] = packet[3] = (byte) 5000;
            packet[4] = (byte) (tag >>> 24);
            packet[5] = (byte) (tag >>> 16);
            packet[6] = (byte) (tag >>> 8);
            packet[7] = (byte) tag;
        }
        if ((flags & (FIX_TAG | FIX_CHECKSUM)) != 0) {
            new SctpPacket().sign(packet, 0, packet.length);
        }
    }

    private static void checkBounds(DataChannelEndpoint endpoint) {
        check(endpoint.association().receiveBufferedBytes()
            <= CONFIG.maxReceiveBufferBytes() + CONFIG.maxMessageBytes() + 2 * 1188, "the reassembly bytes grew");
        check(endpoint.bufferedBytes() <= CONFIG.maxSendBufferBytes(), "the send buffer grew");
        check(endpoint.channelCount() <= CONFIG.maxChannels(), "too many channels");
    }

    private static void check(boolean holds, String what) {
        if (!holds) {
            throw new AssertionError(what);
        }
    }
}
