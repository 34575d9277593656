package io.sfu.core.datachannel;

import io.sfu.core.sctp.SctpLink;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Two data channel endpoints, a DTLS client and a server, joined by an {@link SctpLink}. */
final class EndpointPair {
    static final long MS = 1_000_000L;

    /** Records one endpoint's events. */
    static final class Events implements DataChannelEndpoint.Listener {
        record Message(DataChannel channel, boolean binary, byte[] bytes) {
        }

        final List<DataChannel> opened = new ArrayList<>();
        final List<Message> messages = new ArrayList<>();
        final List<DataChannel> closedChannels = new ArrayList<>();
        String closedReason;

        @Override
        public void onChannelOpen(DataChannel channel) {
            opened.add(channel);
        }

        @Override
        public void onMessage(DataChannel channel, boolean binary, byte[] buf, int off, int len) {
            messages.add(new Message(channel, binary, Arrays.copyOfRange(buf, off, off + len)));
        }

        @Override
        public void onChannelClosed(DataChannel channel) {
            closedChannels.add(channel);
        }

        @Override
        public void onClosed(String reason) {
            closedReason = reason;
        }
    }

    final SctpLink link;
    final Events clientEvents = new Events();
    final Events serverEvents = new Events();
    final DataChannelEndpoint client;
    final DataChannelEndpoint server;

    EndpointPair() {
        this(DataChannelConfig.defaults(), 10 * MS);
    }

    EndpointPair(DataChannelConfig config, long delayNanos) {
        link = new SctpLink(delayNanos);
        client = new DataChannelEndpoint(config, true, link.output(0)::sendPacket, clientEvents, 11);
        server = new DataChannelEndpoint(config, false, link.output(1)::sendPacket, serverEvents, 12);
        link.attach(peer(client), peer(server));
    }

    private static SctpLink.Peer peer(DataChannelEndpoint endpoint) {
        return SctpLink.Peer.of(endpoint::receivePacket, endpoint::poll);
    }

    long now() {
        return link.now();
    }

    /** Both sides connect, as browsers do whatever their DTLS role; runs until established. */
    EndpointPair established() {
        client.connect(now());
        server.connect(now());
        if (!link.runFor(() -> client.isEstablished() && server.isEstablished(), 5_000 * MS)) {
            throw new AssertionError("no association");
        }
        return this;
    }

    /** Opens a channel from {@code from} and runs until both sides see it open. */
    DataChannel open(DataChannelEndpoint from, String label, DataChannel.Reliability reliability) {
        Events fromEvents = from == client ? clientEvents : serverEvents;
        Events toEvents = from == client ? serverEvents : clientEvents;
        int before = toEvents.opened.size();
        DataChannel channel = from.open(label, "", reliability, now());
        if (channel == null || !link.runFor(() -> fromEvents.opened.contains(channel)
            && toEvents.opened.size() > before, 5_000 * MS)) {
            throw new AssertionError("channel not opened");
        }
        return channel;
    }

    DataChannel peerChannel(DataChannelEndpoint of, DataChannel channel) {
        return (of == client ? client : server).channel(channel.streamId());
    }
}
