package io.sfu.core.sctp;

/** Two associations joined by an {@link SctpLink}, for tests. */
final class SctpPair {
    static final long MS = 1_000_000L;

    final SctpLink link;
    final RecordingListener aEvents = new RecordingListener();
    final RecordingListener bEvents = new RecordingListener();
    final SctpAssociation a;
    final SctpAssociation b;

    SctpPair() {
        this(SctpConfig.defaults(), SctpConfig.defaults(), 10 * MS);
    }

    SctpPair(SctpConfig aConfig, SctpConfig bConfig, long delayNanos) {
        link = new SctpLink(delayNanos);
        a = new SctpAssociation(aConfig, link.output(0), aEvents, 1);
        b = new SctpAssociation(bConfig, link.output(1), bEvents, 2);
        link.attach(peer(a), peer(b));
    }

    static SctpLink.Peer peer(SctpAssociation association) {
        return SctpLink.Peer.of(association::receivePacket, association::poll);
    }

    long now() {
        return link.now();
    }

    /** a connects; runs until both sides are established. */
    SctpPair established() {
        a.connect(now());
        if (!link.runFor(() -> a.isEstablished() && b.isEstablished(), 5_000 * MS)) {
            throw new AssertionError("no association: " + a.state() + " " + b.state());
        }
        return this;
    }

    boolean send(SctpAssociation from, int stream, byte[] payload) {
        return from.send(stream, 53, false, payload, 0, payload.length, -1, -1, now());
    }
}
