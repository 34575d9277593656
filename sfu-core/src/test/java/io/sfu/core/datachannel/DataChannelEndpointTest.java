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
}
