package io.sfu.core.forward;

/**
 * The header-extension ids a publisher's packets carry on one transport (BUNDLE gives one id space per transport,
 * RFC 8843 §9.2), each 0 where it was not negotiated: what the forwarding path reads on the way in.
 *
 * @param mid RFC 8843 §15 mid, names the m-line of a packet whose SSRC was not announced
 * @param rid RFC 8852 §3.1 rid, names its simulcast encoding
 * @param repairedRid RFC 8852 §3.2 repaired rid, names the encoding an RTX packet repairs
 * @param transportCc draft-holmer-rmcat-transport-wide-cc-extensions-01 transport-wide sequence number
 * @param audioLevel RFC 6464 client-to-mixer audio level
 * @param dependencyDescriptor the dependency descriptor (AV1 RTP specification, appendix A), which marks key frames
 *     where the payload cannot be read
 */
public record ReceiveExtensionIds(int mid, int rid, int repairedRid, int transportCc, int audioLevel,
                                  int dependencyDescriptor) {
    /** Nothing negotiated. */
    public static final ReceiveExtensionIds NONE = new ReceiveExtensionIds(0, 0, 0, 0, 0, 0);

    /** Ids without a dependency descriptor. */
    public ReceiveExtensionIds(int mid, int rid, int repairedRid, int transportCc, int audioLevel) {
        this(mid, rid, repairedRid, transportCc, audioLevel, 0);
    }
}
