package io.sfu.core.datachannel;

/**
 * Placeholder of the data channels of one peer connection (RFC 8831/8832), with the API of the SCTP stack; replaced
 * by the stack itself. It never establishes an association. One thread calls it.
 */
public final class DataChannelEndpoint {
    private final Listener listener;

    public DataChannelEndpoint(DataChannelConfig config, boolean dtlsClient, PacketOutput output, Listener listener,
                               long randomSeed) {
        this.listener = listener;
    }

    /** Where one SCTP packet goes, for DTLS. */
    public interface PacketOutput {
        void sendPacket(byte[] buf, int off, int len);
    }

    /** What the endpoint reports. */
    public interface Listener {
        void onChannelOpen(DataChannel channel);

        void onMessage(DataChannel channel, boolean binary, byte[] buf, int off, int len);

        void onChannelClosed(DataChannel channel);

        void onClosed(String reason);
    }

    public void connect(long nowNanos) {
    }

    public void receivePacket(byte[] buf, int off, int len, long nowNanos) {
    }

    public long poll(long nowNanos) {
        return Long.MAX_VALUE;
    }

    public DataChannel open(String label, String protocol, DataChannel.Reliability reliability, long nowNanos) {
        return new DataChannel(0, label, protocol, reliability);
    }

    public SendResult send(DataChannel channel, boolean binary, byte[] buf, int off, int len, long nowNanos) {
        return SendResult.CLOSED;
    }

    public void close(DataChannel channel, long nowNanos) {
    }

    public void shutdown(long nowNanos) {
        listener.onClosed("shutdown");
    }

    public boolean isEstablished() {
        return false;
    }

    public long bufferedBytes() {
        return 0;
    }
}
