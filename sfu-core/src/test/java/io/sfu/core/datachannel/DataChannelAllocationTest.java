package io.sfu.core.datachannel;

import io.sfu.core.testing.Allocations;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-packet SCTP path allocates nothing once warm: a 1 KiB message sent as one DATA packet, the packet
 * received and delivered, its SACK sent and read, on two endpoints joined back to back.
 */
class DataChannelAllocationTest {
    private static final long MS = 1_000_000L;

    /** Packets one side sent and the other has not read yet, in reused slots. */
    private static final class Queue implements DataChannelEndpoint.PacketOutput {
        final byte[][] slots = new byte[64][2048];
        final int[] lengths = new int[64];
        int count;

        @Override
        public void sendPacket(byte[] buf, int off, int len) {
            System.arraycopy(buf, off, slots[count], 0, len);
            lengths[count++] = len;
        }

        void deliverTo(DataChannelEndpoint endpoint, long nowNanos) {
            for (int i = 0; i < count; i++) {
                endpoint.receivePacket(slots[i], 0, lengths[i], nowNanos);
            }
            count = 0;
        }
    }

    private static final class Counting implements DataChannelEndpoint.Listener {
        long messages;
        long bytes;
        DataChannel opened;

        @Override
        public void onChannelOpen(DataChannel channel) {
            opened = channel;
        }

        @Override
        public void onMessage(DataChannel channel, boolean binary, byte[] buf, int off, int len) {
            messages++;
            bytes += len;
        }

        @Override
        public void onChannelClosed(DataChannel channel) {
        }

        @Override
        public void onClosed(String reason) {
        }
    }

    private final Queue toServer = new Queue();
    private final Queue toClient = new Queue();
    private final Counting clientEvents = new Counting();
    private final Counting serverEvents = new Counting();
    private final DataChannelEndpoint client =
        new DataChannelEndpoint(DataChannelConfig.defaults(), true, toServer, clientEvents, 1);
    private final DataChannelEndpoint server =
        new DataChannelEndpoint(DataChannelConfig.defaults(), false, toClient, serverEvents, 2);
    private final byte[] message = new byte[1024];
    private long now = 1_000_000_000L;

    private void exchange() {
        for (int i = 0; i < 4 && (toServer.count > 0 || toClient.count > 0); i++) {
            toServer.deliverTo(server, now);
            toClient.deliverTo(client, now);
        }
    }

    @Test
    void sendingReceivingAndAcknowledgingA1KibMessageAllocatesNothing() {
        client.connect(now);
        exchange();
        assertThat(client.isEstablished()).isTrue();
        DataChannel channel = client.open("bench", "", DataChannel.Reliability.RELIABLE, now);
        exchange();
        assertThat(clientEvents.opened).isSameAs(channel);

        double bytesPerRun = Allocations.bytesPerRun(() -> {
            now += MS;
            client.send(channel, true, message, 0, message.length, now);
            exchange();
            client.send(channel, true, message, 0, message.length, now);
            exchange();
            client.poll(now);
            server.poll(now);
            exchange();
        }, 20_000, 20_000);

        assertThat(bytesPerRun).isZero();
        assertThat(serverEvents.messages).isGreaterThanOrEqualTo(80_000);
        assertThat(serverEvents.bytes).isEqualTo(serverEvents.messages * 1024);
        assertThat(client.bufferedBytes()).isZero();
        assertThat(client.sctpCounters().dropped()).isZero();
    }
}
