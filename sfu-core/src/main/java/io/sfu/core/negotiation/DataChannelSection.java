package io.sfu.core.negotiation;

import io.sfu.core.sdp.AttributeNames;
import io.sfu.core.sdp.Connection;
import io.sfu.core.sdp.DataChannelLine;
import io.sfu.core.sdp.MediaDescription;
import io.sfu.core.sdp.Setup;

import java.util.Locale;

/**
 * The data channel m-line of a WebRTC session (RFC 8841, RFC 8831 §5): {@code m=application <port> UDP/DTLS/SCTP
 * webrtc-datachannel} with {@code a=sctp-port} and {@code a=max-message-size}, as the SFU answers it on a publisher
 * connection and offers it on a subscriber connection. The older form ({@code DTLS/SCTP} with {@code a=sctpmap},
 * draft-ietf-mmusic-sctp-sdp-05) is refused with port 0: no current browser writes it.
 */
public final class DataChannelSection {
    /** The SCTP port the SFU uses and assumes when the peer names none (RFC 8841 §5). */
    public static final int DEFAULT_SCTP_PORT = DataChannelLine.DEFAULT_SCTP_PORT;
    /** What the peer may send when it names no a=max-message-size (RFC 8841 §6). */
    public static final int DEFAULT_PEER_MAX_MESSAGE_SIZE = DataChannelLine.DEFAULT_PEER_MAX_MESSAGE_SIZE;
    /** The format of a data channel section. */
    public static final String FORMAT = DataChannelLine.FORMAT;

    private DataChannelSection() {
    }

    /** What the peer's data channel m-line says: its SCTP port and the largest message it takes (0: no limit). */
    public record PeerParams(String mid, int sctpPort, long maxMessageSize) {
    }

    /** Whether {@code m} is an {@code m=application} section of any form. */
    public static boolean isApplication(MediaDescription m) {
        return "application".equals(m.media());
    }

    /** Whether {@code m} is a data channel section of the current form (UDP/DTLS/SCTP or TCP/DTLS/SCTP). */
    public static boolean isCurrentForm(MediaDescription m) {
        String proto = m.proto().toUpperCase(Locale.ROOT);
        return isApplication(m) && (proto.equals("UDP/DTLS/SCTP") || proto.equals("TCP/DTLS/SCTP"))
            && m.formats().contains(FORMAT);
    }

    /**
     * The peer's parameters; a malformed or out-of-range value is read as absent (its default).
     */
    public static PeerParams read(MediaDescription m, String mid) {
        return new PeerParams(mid, DataChannelLine.sctpPort(m), DataChannelLine.maxMessageSize(m));
    }

    /**
     * The SFU's data channel m-line: the discard port, the SFU's transport, its SCTP port and the largest message it
     * takes, and its host candidates.
     */
    public static MediaDescription write(String mid, LocalTransportParams local, Setup setup, int maxMessageSize) {
        MediaDescription m = new MediaDescription("application", MediaDescription.DISCARD_PORT,
            MediaDescription.PROTO_SCTP).setConnection(Connection.IP4_ANY);
        m.addFormat(FORMAT);
        m.setIceUfrag(local.iceUfrag());
        m.setIcePwd(local.icePwd());
        m.setFingerprint(local.fingerprint());
        m.setSetup(setup);
        m.setMid(mid);
        m.addAttribute(AttributeNames.SCTP_PORT, Integer.toString(DEFAULT_SCTP_PORT));
        m.addAttribute(AttributeNames.MAX_MESSAGE_SIZE, Integer.toString(maxMessageSize));
        m.addAll(local.hostCandidates());
        m.setEndOfCandidates(true);
        return m;
    }
}
