package io.sfu.core.datachannel;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static io.sfu.core.datachannel.EndpointPair.MS;
import static org.assertj.core.api.Assertions.assertThat;

class DataChannelEndpointTest {

    @Test
    void aChannelOpenedByEitherSideTakesItsParityAndCarriesTextAndBinaryBothWays() {
        EndpointPair pair = new EndpointPair().established();
        DataChannel fromClient = pair.open(pair.client, "chat", DataChannel.Reliability.RELIABLE);
        DataChannel fromServer = pair.open(pair.server, "state", DataChannel.Reliability.RELIABLE);
        assertThat(fromClient.streamId() % 2).isZero();
        assertThat(fromServer.streamId() % 2).isOne();
        DataChannel atServer = pair.server.channel(fromClient.streamId());
        assertThat(atServer.label()).isEqualTo("chat");
        assertThat(atServer.state()).isEqualTo(DataChannel.State.OPEN);

        byte[] text = "hello".getBytes(StandardCharsets.UTF_8);
        assertThat(pair.client.send(fromClient, false, text, 0, text.length, pair.now())).isEqualTo(SendResult.SENT);
        assertThat(pair.server.send(atServer, true, new byte[] {9, 8}, 0, 2, pair.now())).isEqualTo(SendResult.SENT);
        assertThat(pair.client.send(fromClient, true, new byte[0], 0, 0, pair.now())).isEqualTo(SendResult.SENT);
        pair.link.runFor(() -> pair.serverEvents.messages.size() == 2 && pair.clientEvents.messages.size() == 1,
            1000 * MS);

        assertThat(pair.serverEvents.messages.get(0).binary()).isFalse();
        assertThat(pair.serverEvents.messages.get(0).bytes()).isEqualTo(text);
        assertThat(pair.serverEvents.messages.get(1).binary()).isTrue();
        assertThat(pair.serverEvents.messages.get(1).bytes()).isEmpty();
        assertThat(pair.clientEvents.messages.get(0).bytes()).containsExactly(9, 8);
    }

    @Test
    void messagesOf256KibArriveIntactAndLargerOnesAreRefused() {
        EndpointPair pair = new EndpointPair().established();
        DataChannel channel = pair.open(pair.client, "big", DataChannel.Reliability.RELIABLE);
        Random random = new Random(3);
        byte[] big = new byte[256 * 1024];
        random.nextBytes(big);
        assertThat(pair.client.send(channel, true, big, 0, big.length, pair.now())).isEqualTo(SendResult.SENT);
        assertThat(pair.client.send(channel, true, new byte[big.length + 1], 0, big.length + 1, pair.now()))
            .isEqualTo(SendResult.TOO_LARGE);
        assertThat(pair.link.runFor(() -> pair.serverEvents.messages.size() == 1, 60_000 * MS)).isTrue();
        assertThat(pair.serverEvents.messages.get(0).bytes()).isEqualTo(big);
    }

    @Test
    void closingAChannelResetsItsStreamsAndClosesItOnBothSides() {
        EndpointPair pair = new EndpointPair().established();
        DataChannel channel = pair.open(pair.client, "c", DataChannel.Reliability.RELIABLE);
        DataChannel atServer = pair.server.channel(channel.streamId());
        pair.client.close(channel, pair.now());
        assertThat(channel.state()).isEqualTo(DataChannel.State.CLOSING);
        assertThat(pair.link.runFor(() -> channel.state() == DataChannel.State.CLOSED
            && atServer.state() == DataChannel.State.CLOSED, 5000 * MS)).isTrue();
        assertThat(pair.clientEvents.closedChannels).containsExactly(channel);
        assertThat(pair.serverEvents.closedChannels).containsExactly(atServer);
        assertThat(pair.client.send(channel, false, new byte[1], 0, 1, pair.now())).isEqualTo(SendResult.CLOSED);
        // the stream id is free again, and its sequence numbers start over
        DataChannel again = pair.open(pair.client, "again", DataChannel.Reliability.RELIABLE);
        assertThat(again.streamId()).isEqualTo(channel.streamId());
        pair.client.send(again, false, new byte[] {1}, 0, 1, pair.now());
        assertThat(pair.link.runFor(() -> pair.serverEvents.messages.size() == 1, 1000 * MS)).isTrue();
    }

    @Test
    void aMessageThatDoesNotFitTheSendBufferIsRefusedAndCounted() {
        DataChannelConfig small = new DataChannelConfig(5000, 64 * 1024, 100 * 1024, 1 << 20, 64);
        EndpointPair pair = new EndpointPair(small, 10 * MS).established();
        DataChannel channel = pair.open(pair.client, "c", DataChannel.Reliability.RELIABLE);
        byte[] message = new byte[40 * 1024];
        assertThat(pair.client.send(channel, true, message, 0, message.length, pair.now())).isEqualTo(SendResult.SENT);
        assertThat(pair.client.send(channel, true, message, 0, message.length, pair.now())).isEqualTo(SendResult.SENT);
        assertThat(pair.client.bufferedBytes()).isGreaterThan(60 * 1024);
        assertThat(channel.bufferedBytes()).isEqualTo(pair.client.bufferedBytes());
        assertThat(pair.client.send(channel, true, message, 0, message.length, pair.now()))
            .isEqualTo(SendResult.DROPPED_BUFFER_FULL);
        assertThat(pair.client.droppedBufferFull()).isEqualTo(1);
        assertThat(pair.link.runFor(() -> pair.serverEvents.messages.size() == 2 && pair.client.bufferedBytes() == 0,
            10_000 * MS)).isTrue();
        assertThat(pair.client.send(channel, true, message, 0, message.length, pair.now())).isEqualTo(SendResult.SENT);
    }

    @Test
    void anOpenOnAStreamIdOfTheReceiversParityIsRefused() {
        EndpointPair pair = new EndpointPair().established();
        // the client (even ids) sends an OPEN on odd stream 1 by hand, as a confused peer would
        DataChannel own = pair.open(pair.client, "first", DataChannel.Reliability.RELIABLE);
        assertThat(own.streamId()).isZero();
        io.sfu.core.sctp.SctpAssociation raw = rawAssociationOf(pair.client);
        byte[] open = Dcep.open("wrong", "", DataChannel.Reliability.RELIABLE);
        raw.send(1, Dcep.PPID_DCEP, false, open, 0, open.length, -1, -1, pair.now());
        pair.link.advance(1000 * MS);
        assertThat(pair.server.refusedOpens()).isEqualTo(1);
        assertThat(pair.server.channel(1)).isNull();
        assertThat(pair.serverEvents.opened).hasSize(1);
    }

    @Test
    void unorderedPartiallyReliableChannelsSendOrderedUntilTheOpenIsAcknowledged() {
        EndpointPair pair = new EndpointPair().established();
        DataChannel channel = pair.client.open("u", "", new DataChannel.Reliability(false, 0, -1), pair.now());
        // sent before the ACK: ordered, so it cannot overtake the OPEN
        pair.client.send(channel, false, new byte[] {1}, 0, 1, pair.now());
        assertThat(pair.link.runFor(() -> pair.serverEvents.messages.size() == 1
            && channel.state() == DataChannel.State.OPEN, 1000 * MS)).isTrue();
        DataChannel atServer = pair.server.channel(channel.streamId());
        assertThat(atServer.reliability()).isEqualTo(new DataChannel.Reliability(false, 0, -1));
        pair.client.send(channel, true, new byte[] {2}, 0, 1, pair.now());
        assertThat(pair.link.runFor(() -> pair.serverEvents.messages.size() == 2, 1000 * MS)).isTrue();
    }

    @Test
    void theAssociationEndingClosesEveryChannel() {
        EndpointPair pair = new EndpointPair().established();
        DataChannel one = pair.open(pair.client, "1", DataChannel.Reliability.RELIABLE);
        DataChannel two = pair.open(pair.server, "2", DataChannel.Reliability.RELIABLE);
        pair.client.shutdown(pair.now());
        assertThat(pair.link.runFor(() -> pair.serverEvents.closedReason != null
            && pair.clientEvents.closedReason != null, 5000 * MS)).isTrue();
        assertThat(one.state()).isEqualTo(DataChannel.State.CLOSED);
        assertThat(two.state()).isEqualTo(DataChannel.State.CLOSED);
        assertThat(pair.serverEvents.closedChannels).hasSize(2);
        assertThat(pair.client.send(one, false, new byte[1], 0, 1, pair.now())).isEqualTo(SendResult.CLOSED);
        assertThat(pair.client.open("late", "", DataChannel.Reliability.RELIABLE, pair.now())).isNull();
    }

    private static io.sfu.core.sctp.SctpAssociation rawAssociationOf(DataChannelEndpoint endpoint) {
        return endpoint.association();
    }
}
