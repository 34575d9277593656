package io.sfu.core.datachannel;

import io.sfu.core.sctp.SctpAssociation;
import io.sfu.core.sctp.SctpConfig;
import io.sfu.core.sctp.SctpCounters;
import io.sfu.core.sctp.SctpListener;

/**
 * The data channels of one peer connection over one SCTP association (RFC 8831/8832). One thread calls it.
 * Channels we open take stream ids of our parity (even as DTLS client, odd as server, RFC 8832 §6); the peer's
 * DATA_CHANNEL_OPEN on a free id of its parity is acknowledged and announced; a channel closes by resetting its
 * streams both ways (RFC 8831 §6.7).
 */
public final class DataChannelEndpoint {
    /** One SCTP packet to send over DTLS as application data; the bytes are valid during the call only. */
    public interface PacketOutput {
        void sendPacket(byte[] buf, int off, int len);
    }

    /** What the endpoint tells its owner, on the calling thread, during its calls. */
    public interface Listener {
        /** The peer's OPEN (we ACKed), or our OPEN acknowledged or first used by the peer. */
        void onChannelOpen(DataChannel channel);

        /** One message; the bytes are valid during the call only. */
        void onMessage(DataChannel channel, boolean binary, byte[] buf, int off, int len);

        /** Reset by either side; also called for each open channel when the association ends. */
        void onChannelClosed(DataChannel channel);

        /** The association is gone (ABORT, SHUTDOWN, too many failures). */
        void onClosed(String reason);
    }

    private static final byte[] DCEP_ACK = {Dcep.DATA_CHANNEL_ACK};
    private static final byte[] EMPTY_PAYLOAD = {0};
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final DataChannelConfig config;
    private final boolean dtlsClient;
    private final Listener listener;
    private final SctpAssociation association;
    private final DataChannel[] channels;
    private int channelCount;
    private long droppedBufferFull;
    private long droppedInvalidMessages;
    private long refusedOpens;
    private boolean closedReported;
    /** The time of the call in progress, for sends the association's callbacks cause. */
    private long nowNanos;

    public DataChannelEndpoint(DataChannelConfig config, boolean dtlsClient, PacketOutput output, Listener listener,
                               long randomSeed) {
        this.config = config;
        this.dtlsClient = dtlsClient;
        this.listener = listener;
        SctpConfig defaults = SctpConfig.defaults();
        SctpConfig sctp = new SctpConfig(config.port(), config.port(), config.maxChannels(),
            config.maxSendBufferBytes(), config.maxReceiveBufferBytes(), config.maxMessageBytes(),
            defaults.rtoInitialNanos(), defaults.rtoMinNanos(), defaults.rtoMaxNanos(), defaults.maxRetransmissions(),
            defaults.maxInitRetransmissions(), defaults.cookieLifetimeNanos(), defaults.heartbeatIntervalNanos(),
            defaults.delayedAckNanos());
        association = new SctpAssociation(sctp, output::sendPacket, new Events(), randomSeed);
        channels = new DataChannel[config.maxChannels()];
    }

    /** Sends INIT; a peer's INIT is answered whether or not this is called. */
    public void connect(long nowNanos) {
        this.nowNanos = nowNanos;
        association.connect(nowNanos);
    }

    /** One SCTP packet from DTLS; malformed packets are dropped and counted, never thrown. */
    public void receivePacket(byte[] buf, int off, int len, long nowNanos) {
        this.nowNanos = nowNanos;
        association.receivePacket(buf, off, len, nowNanos);
    }

    /** Timers and queued sends; returns the next deadline in nanos (Long.MAX_VALUE: none). */
    public long poll(long nowNanos) {
        this.nowNanos = nowNanos;
        return association.poll(nowNanos);
    }

    public boolean isEstablished() {
        return association.isEstablished();
    }

    /** Message bytes queued and in flight, all channels. */
    public long bufferedBytes() {
        return association.bufferedBytes();
    }

    public SctpCounters sctpCounters() {
        return association.counters();
    }

    /** Messages refused with {@link SendResult#DROPPED_BUFFER_FULL}. */
    public long droppedBufferFull() {
        return droppedBufferFull;
    }

    /** Received messages dropped: malformed DCEP, unknown PPID, or on a stream without an open channel. */
    public long droppedInvalidMessages() {
        return droppedInvalidMessages;
    }

    /** Peer OPENs refused: wrong parity, stream in use, or beyond the stream count. */
    public long refusedOpens() {
        return refusedOpens;
    }

    /** The association beneath, for tests that speak raw SCTP. */
    SctpAssociation association() {
        return association;
    }

    /** The channel on a stream id, or null. */
    public DataChannel channel(int streamId) {
        return streamId >= 0 && streamId < channels.length ? channels[streamId] : null;
    }

    public int channelCount() {
        return channelCount;
    }

    /**
     * Opens a channel on the lowest free stream id of our parity and sends DATA_CHANNEL_OPEN (RFC 8832 §6). It is
     * CONNECTING until the peer's ACK (or its first message); messages may be sent meanwhile, ordered.
     *
     * @return the channel, or {@code null} when the association is not established or no stream id is free
     */
    public DataChannel open(String label, String protocol, DataChannel.Reliability reliability, long nowNanos) {
        if (!association.isEstablished()) {
            return null;
        }
        int streams = Math.min(Math.min(association.outboundStreams(), association.inboundStreams()),
            channels.length);
        int streamId = dtlsClient ? 0 : 1;
        while (streamId < streams && channels[streamId] != null) {
            streamId += 2;
        }
        if (streamId >= streams) {
            return null;
        }
        byte[] open = Dcep.open(label, protocol, reliability);
        if (!association.send(streamId, Dcep.PPID_DCEP, false, open, 0, open.length, -1, -1, nowNanos)) {
            droppedBufferFull++;
            return null;
        }
        DataChannel channel = new DataChannel(streamId, label, protocol, reliability, association,
            DataChannel.State.CONNECTING);
        channels[streamId] = channel;
        channelCount++;
        return channel;
    }

    /** Queues one message (copied); see {@link SendResult}. */
    public SendResult send(DataChannel channel, boolean binary, byte[] buf, int off, int len, long nowNanos) {
        if (channel.state != DataChannel.State.OPEN && channel.state != DataChannel.State.CONNECTING
            || channels[channel.streamId()] != channel || !association.isEstablished()) {
            return SendResult.CLOSED;
        }
        if (len > config.maxMessageBytes()) {
            return SendResult.TOO_LARGE;
        }
        int ppid;
        if (len == 0) {
            // RFC 8831 §6.6: an empty message is one byte with its own PPID
            ppid = binary ? Dcep.PPID_BINARY_EMPTY : Dcep.PPID_STRING_EMPTY;
            buf = EMPTY_PAYLOAD;
            off = 0;
            len = 1;
        } else {
            ppid = binary ? Dcep.PPID_BINARY : Dcep.PPID_STRING;
        }
        DataChannel.Reliability reliability = channel.reliability();
        // RFC 8832 §6: ordered until the OPEN is acknowledged, so the message cannot overtake it
        boolean unordered = !reliability.ordered() && channel.acknowledged;
        long lifetimeNanos = reliability.maxLifetimeMillis() < 0 ? -1
            : reliability.maxLifetimeMillis() * NANOS_PER_MILLI;
        if (!association.send(channel.streamId(), ppid, unordered, buf, off, len, reliability.maxRetransmits(),
            lifetimeNanos, nowNanos)) {
            droppedBufferFull++;
            return SendResult.DROPPED_BUFFER_FULL;
        }
        return SendResult.SENT;
    }

    /** Closes a channel by resetting its outgoing stream; the peer resets its own, then it is CLOSED. */
    public void close(DataChannel channel, long nowNanos) {
        if (channels[channel.streamId()] != channel || channel.state == DataChannel.State.CLOSING
            || channel.state == DataChannel.State.CLOSED) {
            return;
        }
        channel.state = DataChannel.State.CLOSING;
        association.resetStream(channel.streamId(), nowNanos);
    }

    /** Graceful SHUTDOWN of the association once queued messages are acknowledged. */
    public void shutdown(long nowNanos) {
        association.shutdown(nowNanos);
    }

    private void closed(DataChannel channel) {
        channel.state = DataChannel.State.CLOSED;
        if (channels[channel.streamId()] == channel) {
            channels[channel.streamId()] = null;
            channelCount--;
        }
        listener.onChannelClosed(channel);
    }

    private void onDcep(int streamId, byte[] buf, int off, int len) {
        if (len < 1) {
            droppedInvalidMessages++;
            return;
        }
        int type = buf[off] & 0xFF;
        DataChannel existing = channel(streamId);
        if (type == Dcep.DATA_CHANNEL_ACK && len == 1) {
            if (existing != null && existing.state == DataChannel.State.CONNECTING) {
                existing.acknowledged = true;
                existing.state = DataChannel.State.OPEN;
                listener.onChannelOpen(existing);
            } else {
                droppedInvalidMessages++;
            }
            return;
        }
        Dcep.Open open = type == Dcep.DATA_CHANNEL_OPEN ? Dcep.readOpen(buf, off, len) : null;
        if (open == null) {
            droppedInvalidMessages++;
            return;
        }
        boolean peerParity = (streamId & 1) == (dtlsClient ? 1 : 0);
        if (!peerParity || existing != null || streamId >= channels.length
            || streamId >= association.outboundStreams()) {
            // RFC 8832 §6: an id of our parity or in use is a collision the peer must not cause
            refusedOpens++;
            return;
        }
        DataChannel channel = new DataChannel(streamId, open.label(), open.protocol(), open.reliability(),
            association, DataChannel.State.OPEN);
        channel.acknowledged = true;
        channels[streamId] = channel;
        channelCount++;
        association.send(streamId, Dcep.PPID_DCEP, false, DCEP_ACK, 0, 1, -1, -1, nowNanos);
        listener.onChannelOpen(channel);
    }

    private void onData(int streamId, int ppid, byte[] buf, int off, int len) {
        DataChannel channel = channel(streamId);
        if (channel == null || channel.state == DataChannel.State.CLOSED) {
            droppedInvalidMessages++;
            return;
        }
        boolean binary;
        switch (ppid) {
            case Dcep.PPID_STRING, Dcep.PPID_STRING_PARTIAL -> binary = false;
            case Dcep.PPID_BINARY, Dcep.PPID_BINARY_PARTIAL -> binary = true;
            case Dcep.PPID_STRING_EMPTY -> {
                binary = false;
                len = 0;
            }
            case Dcep.PPID_BINARY_EMPTY -> {
                binary = true;
                len = 0;
            }
            default -> {
                droppedInvalidMessages++;
                return;
            }
        }
        if (channel.state == DataChannel.State.CONNECTING) {
            // RFC 8832 §6: a message from the peer on the channel means it received our OPEN
            channel.acknowledged = true;
            channel.state = DataChannel.State.OPEN;
            listener.onChannelOpen(channel);
        }
        listener.onMessage(channel, binary, buf, off, len);
    }

    /** The association's events, turned into channel events. */
    private final class Events implements SctpListener {
        @Override
        public void onEstablished() {
        }

        @Override
        public void onMessage(int streamId, int ppid, boolean unordered, byte[] buf, int off, int len) {
            if (ppid == Dcep.PPID_DCEP) {
                onDcep(streamId, buf, off, len);
            } else {
                onData(streamId, ppid, buf, off, len);
            }
        }

        @Override
        public void onIncomingStreamReset(int streamId) {
            DataChannel channel = channel(streamId);
            if (channel == null) {
                return;
            }
            channel.incomingReset = true;
            if (channel.outgoingReset) {
                closed(channel);
            } else if (channel.state != DataChannel.State.CLOSING) {
                // the peer closed: reset our side too (RFC 8831 §6.7)
                channel.state = DataChannel.State.CLOSING;
                association.resetStream(streamId, nowNanos);
            }
        }

        @Override
        public void onOutgoingStreamReset(int streamId) {
            DataChannel channel = channel(streamId);
            if (channel == null) {
                return;
            }
            channel.outgoingReset = true;
            if (channel.incomingReset) {
                closed(channel);
            }
        }

        @Override
        public void onClosed(String reason) {
            for (DataChannel channel : channels) {
                if (channel != null) {
                    closed(channel);
                }
            }
            if (!closedReported) {
                closedReported = true;
                listener.onClosed(reason);
            }
        }
    }
}
