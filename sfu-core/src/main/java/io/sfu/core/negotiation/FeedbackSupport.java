package io.sfu.core.negotiation;

/**
 * Which RTCP feedback a negotiated track supports (RFC 4585 §4.2 {@code a=rtcp-fb}, RFC 5104): the stream-bound
 * feedback units register themselves from these flags.
 *
 * @param nack        generic NACK ({@code nack}), RFC 4585 §6.2.1
 * @param pli         picture loss indication ({@code nack pli}), RFC 4585 §6.3.1
 * @param fir         full intra request ({@code ccm fir}), RFC 5104 §4.3.1
 * @param transportCc transport-wide congestion control feedback ({@code transport-cc}) with its header extension
 * @param remb        receiver estimated maximum bitrate ({@code goog-remb})
 */
public record FeedbackSupport(boolean nack, boolean pli, boolean fir, boolean transportCc, boolean remb) {

    /** No feedback at all. */
    public static final FeedbackSupport NONE = new FeedbackSupport(false, false, false, false, false);
}
