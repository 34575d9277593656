package io.sfu.client;

import java.net.InetSocketAddress;

import io.sfu.core.datachannel.DataChannelConfig;
import io.sfu.core.ice.IceCredentials;
import io.sfu.core.sdp.AttributeNames;
import io.sfu.core.sdp.Connection;
import io.sfu.core.sdp.DataChannelLine;
import io.sfu.core.sdp.Fingerprint;
import io.sfu.core.sdp.MediaDescription;
import io.sfu.core.sdp.SdpLimits;
import io.sfu.core.sdp.SdpParseException;
import io.sfu.core.sdp.SdpParser;
import io.sfu.core.sdp.SessionDescription;
import io.sfu.core.sdp.Setup;

/**
 * What the client's offer/answer (RFC 8829 §5, RFC 3264) shares between its two sides, {@link PublisherSdp} and
 * {@link SubscriberSdp}: the payload types and clock rates it offers, what it announces about its own transport,
 * and parsing. SDP it cannot use is reported with {@link IllegalArgumentException} (malformed text included, with
 * the {@link SdpParseException} as cause). Cold path: plain objects.
 */
final class ClientSdp {
    static final int OPUS_PT = 111;
    static final int VP8_PT = 96;
    static final int VP8_RTX_PT = 97;
    static final int OPUS_CLOCK_RATE = 48_000;
    static final int VIDEO_CLOCK_RATE = 90_000;

    private ClientSdp() {
    }

    /** What this side announces about its transport. */
    record LocalTransport(IceCredentials ice, Fingerprint fingerprint, String cname, String streamId,
                          InetSocketAddress candidate) {

        /** The same, announcing {@code hostCandidate}. */
        LocalTransport withCandidate(InetSocketAddress hostCandidate) {
            return new LocalTransport(ice, fingerprint, cname, streamId, hostCandidate);
        }
    }

    /**
     * What the client reads from the SFU: its subscriber offer grows with the room, two m-lines per other publisher,
     * so the bounds are those of a large room rather than the parser's defaults for one peer's offer.
     */
    static final SdpLimits LIMITS = new SdpLimits(4 * 1024 * 1024, 4096, 2048, 1024);

    static final int DEFAULT_SCTP_PORT = DataChannelLine.DEFAULT_SCTP_PORT;
    static final String DATA_CHANNEL_FORMAT = DataChannelLine.FORMAT;

    /** What the remote data channel section says: its SCTP port and the largest message it takes (0: no limit). */
    record DataParams(int sctpPort, long maxMessageSize) {
    }

    /** Whether {@code m} is a data channel section this client takes: UDP/DTLS/SCTP webrtc-datachannel, not rejected. */
    static boolean isDataSection(MediaDescription m) {
        return !m.isRejected() && "application".equals(m.media())
            && MediaDescription.PROTO_SCTP.equalsIgnoreCase(m.proto()) && m.formats().contains(DATA_CHANNEL_FORMAT);
    }

    /** The remote data channel parameters; a value that is malformed or out of range reads as absent. */
    static DataParams readDataSection(MediaDescription m) {
        return new DataParams(DataChannelLine.sctpPort(m), DataChannelLine.maxMessageSize(m));
    }

    /**
     * Our data channel section (RFC 8841): {@code m=application 9 UDP/DTLS/SCTP webrtc-datachannel}, our transport,
     * {@code a=sctp-port:5000} and the largest message we take.
     */
    static MediaDescription dataSection(LocalTransport local, String mid, Setup setup) {
        MediaDescription m = new MediaDescription("application", MediaDescription.DISCARD_PORT,
            MediaDescription.PROTO_SCTP).setConnection(Connection.IP4_ANY);
        return m.addFormat(DATA_CHANNEL_FORMAT)
            .setIceUfrag(local.ice().ufrag())
            .setIcePwd(local.ice().pwd())
            .setFingerprint(local.fingerprint())
            .setSetup(setup)
            .setMid(mid)
            .addAttribute(AttributeNames.SCTP_PORT, Integer.toString(DEFAULT_SCTP_PORT))
            .addAttribute(AttributeNames.MAX_MESSAGE_SIZE,
                Integer.toString(DataChannelConfig.DEFAULT_MAX_MESSAGE_BYTES));
    }

    static SessionDescription parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("SDP is missing");
        }
        try {
            SessionDescription sdp = SdpParser.parse(text, LIMITS);
            sdp.validateAttributes();
            return sdp;
        } catch (SdpParseException e) {
            throw new IllegalArgumentException("malformed SDP: " + e.getMessage(), e);
        }
    }
}
