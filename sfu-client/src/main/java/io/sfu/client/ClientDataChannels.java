package io.sfu.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import io.sfu.core.datachannel.DataChannel;
import io.sfu.core.datachannel.DataChannelConfig;
import io.sfu.core.datachannel.DataChannelEndpoint;
import io.sfu.core.datachannel.SendResult;
import io.sfu.core.dtls.DtlsEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data channels of one connection (RFC 8831): a {@link DataChannelEndpoint} over the DTLS association's
 * application data, created once both the descriptions agreed on an {@code m=application} section and DTLS is up.
 * Loop thread: SCTP packets the DTLS drain thread receives are copied and handed to the loop, and the endpoint's
 * timers run from the connection's {@link ConnectionTimer}. A publisher opens the channels it offered once the
 * association is established; channels either side opens are reported through the listener.
 */
final class ClientDataChannels implements DataChannelEndpoint.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ClientDataChannels.class);

    private final ClientPeerConnection pc;
    private final ClientIoLoop loop;
    /** Channels to open when the association is up; loop thread. */
    private final List<DataChannelSpec> toOpen = new ArrayList<>();
    private final List<DataChannel> open = new ArrayList<>();
    /** The remote SCTP port, or 0 while no description negotiated data channels. */
    private int remotePort;
    private int maxMessageBytes;
    private DtlsEndpoint dtls;
    private DataChannelEndpoint endpoint;
    private boolean opened;
    private long deadlineNs = ConnectionTimer.NO_DEADLINE;
    /** Written by the DTLS drain thread, published into the connection's stats by the loop thread. */
    private final AtomicLong packetsDropped = new AtomicLong();

    ClientDataChannels(ClientPeerConnection pc) {
        this.pc = pc;
        this.loop = pc.loop();
    }

    /** A description accepted a data channel section; the channels are opened once the association is up. */
    void negotiated(int sctpPort, long peerMaxMessageSize, List<DataChannelSpec> channels) {
        remotePort = sctpPort;
        long limit = peerMaxMessageSize == 0 ? DataChannelConfig.DEFAULT_MAX_MESSAGE_BYTES : peerMaxMessageSize;
        maxMessageBytes = (int) Math.min(limit, DataChannelConfig.DEFAULT_MAX_MESSAGE_BYTES);
        toOpen.addAll(channels);
        attachIfReady();
        openIfEstablished();
    }

    /** DTLS is up: its application data is SCTP. */
    void secured(DtlsEndpoint endpoint) {
        dtls = endpoint;
        attachIfReady();
    }

    private void attachIfReady() {
        if (endpoint != null || dtls == null || remotePort == 0 || pc.state().isTerminal()) {
            return;
        }
        DataChannelConfig defaults = DataChannelConfig.defaults();
        DataChannelConfig config = new DataChannelConfig(remotePort, Math.max(maxMessageBytes, 1),
            defaults.maxSendBufferBytes(), Math.max(defaults.maxReceiveBufferBytes(), maxMessageBytes),
            defaults.maxChannels());
        DtlsEndpoint transport = dtls;
        endpoint = new DataChannelEndpoint(config, true, (buf, off, len) -> {
            if (!transport.sendApplicationData(buf, off, len)) {
                pc.stats().increment(ClientStats.SCTP_PACKETS_NOT_SENT);
            }
        }, this, System.nanoTime());
        transport.setApplicationDataListener((buf, off, len) -> {
            byte[] packet = new byte[len];
            System.arraycopy(buf, off, packet, 0, len);
            try {
                loop.execute(() -> receive(packet));
            } catch (RejectedExecutionException e) {
                packetsDropped.incrementAndGet();
            }
        });
        endpoint.connect(loop.nanoTime());
        poll(loop.nanoTime());
    }

    private void receive(byte[] packet) {
        if (endpoint == null || pc.state().isTerminal()) {
            return;
        }
        pc.stats().set(ClientStats.SCTP_PACKETS_DROPPED, packetsDropped.get());
        try {
            long now = loop.nanoTime();
            endpoint.receivePacket(packet, 0, packet.length, now);
            openIfEstablished();
            poll(now);
        } catch (RuntimeException e) {
            pc.internalError(e);
        }
    }

    private void openIfEstablished() {
        if (opened || endpoint == null || !endpoint.isEstablished()) {
            return;
        }
        opened = true;
        long now = loop.nanoTime();
        for (DataChannelSpec spec : toOpen) {
            DataChannel channel = endpoint.open(spec.label(), spec.protocol(), spec.reliability(), now);
            if (channel == null) {
                LOG.warn("{}: data channel {} not opened", pc, spec.label());
            }
        }
        toOpen.clear();
    }

    /** Runs the endpoint's timers and sends what waits; moves the connection's timer to the next deadline. */
    void poll(long nowNs) {
        if (endpoint == null) {
            return;
        }
        deadlineNs = endpoint.poll(nowNs);
        pc.reschedule();
    }

    /** When the endpoint wants to be polled next, or {@link ConnectionTimer#NO_DEADLINE}. */
    long nextDeadlineNs() {
        return endpoint == null ? ConnectionTimer.NO_DEADLINE : deadlineNs;
    }

    /** See {@link ClientPeerConnection#sendData}. */
    SendResult send(DataChannel channel, boolean binary, byte[] buf, int off, int len, long nowNs) {
        if (endpoint == null) {
            return SendResult.CLOSED;
        }
        SendResult result = endpoint.send(channel, binary, buf, off, len, nowNs);
        if (result == SendResult.SENT) {
            deadlineNs = endpoint.poll(nowNs);
            pc.reschedule();
        }
        return result;
    }

    List<DataChannel> channels() {
        return List.copyOf(open);
    }

    DataChannelEndpoint endpoint() {
        return endpoint;
    }

    void close() {
        if (endpoint != null && endpoint.isEstablished()) {
            endpoint.shutdown(loop.nanoTime());
        }
    }

    @Override
    public void onChannelOpen(DataChannel channel) {
        open.add(channel);
        pc.notifyDataChannel(channel);
    }

    @Override
    public void onMessage(DataChannel channel, boolean binary, byte[] buf, int off, int len) {
        pc.notifyDataMessage(channel, binary, buf, off, len);
    }

    @Override
    public void onChannelClosed(DataChannel channel) {
        open.remove(channel);
        pc.notifyDataChannelClosed(channel);
    }

    @Override
    public void onClosed(String reason) {
        LOG.debug("{}: SCTP association closed: {}", pc, reason);
    }
}
