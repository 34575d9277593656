package io.sfu.core.sdp;

/** The direction of an RTP stream identifier, RFC 8851 §10 ({@code rid-dir}), and of a simulcast list. */
public enum RidDirection {
    SEND("send"),
    RECV("recv");

    private final String sdpValue;

    RidDirection(String sdpValue) {
        this.sdpValue = sdpValue;
    }

    public String sdpValue() {
        return sdpValue;
    }

    /** @return the opposite direction, as an answerer writes it */
    public RidDirection reverse() {
        return this == SEND ? RECV : SEND;
    }

    /** @throws SdpParseException unless the value is {@code send} or {@code recv} (read ignoring case) */
    public static RidDirection parse(String value) {
        SdpText.checkValue(value, "rid direction");
        if ("send".equalsIgnoreCase(value)) {
            return SEND;
        }
        if ("recv".equalsIgnoreCase(value)) {
            return RECV;
        }
        throw new SdpParseException("'" + SdpText.abbreviate(value) + "' is not send or recv");
    }
}
