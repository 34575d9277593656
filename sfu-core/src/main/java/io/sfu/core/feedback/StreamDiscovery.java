package io.sfu.core.feedback;

import io.sfu.core.rtp.RtpPacket;
import org.agrona.DirectBuffer;

/**
 * Tells which announced stream a packet with an unannounced SSRC belongs to, from its identification header
 * extensions: the BUNDLE mid (RFC 8843 §15) names the m-line, the rid (RFC 8852 §3.1) the encoding, and the
 * repaired rid (RFC 8852 §3.2) marks a retransmission of that encoding. Browsers send simulcast this way, with no
 * SSRC in the SDP. The ids come from one transport's negotiation (BUNDLE: one id space per transport).
 *
 * <p>Use: {@link #read} a packet, then ask whether its values equal a candidate's. Nothing is allocated.
 */
public final class StreamDiscovery {
    private int midId;
    private int ridId;
    private int repairedRidId;
    private DirectBuffer buffer;
    private long mid = RtpPacket.NOT_FOUND;
    private long rid = RtpPacket.NOT_FOUND;
    private long repairedRid = RtpPacket.NOT_FOUND;

    /** The negotiated extension ids; 0 where one was not negotiated. */
    public void extensionIds(int mid, int rid, int repairedRid) {
        this.midId = mid;
        this.ridId = rid;
        this.repairedRidId = repairedRid;
    }

    /** Whether the mid extension was negotiated: without it a packet can only be attributed by elimination. */
    public boolean negotiatesMid() {
        return midId > 0;
    }

    /** Finds the identification extensions of {@code rtp}; valid until {@code rtp}'s buffer changes. */
    public void read(RtpPacket rtp) {
        buffer = rtp.buffer();
        mid = midId > 0 ? rtp.findExtension(midId) : RtpPacket.NOT_FOUND;
        rid = ridId > 0 ? rtp.findExtension(ridId) : RtpPacket.NOT_FOUND;
        repairedRid = repairedRidId > 0 ? rtp.findExtension(repairedRidId) : RtpPacket.NOT_FOUND;
    }

    public boolean hasMid() {
        return mid != RtpPacket.NOT_FOUND;
    }

    public boolean hasRid() {
        return rid != RtpPacket.NOT_FOUND;
    }

    /** Whether the packet carries a repaired rid (and no rid): it retransmits the encoding it names. */
    public boolean isRepair() {
        return rid == RtpPacket.NOT_FOUND && repairedRid != RtpPacket.NOT_FOUND;
    }

    public boolean midEquals(byte[] value) {
        return equal(mid, value);
    }

    /** Whether the encoding the packet names (its rid, or for a repair its repaired rid) is {@code value}. */
    public boolean encodingEquals(byte[] value) {
        return equal(rid != RtpPacket.NOT_FOUND ? rid : repairedRid, value);
    }

    private boolean equal(long found, byte[] value) {
        if (found == RtpPacket.NOT_FOUND || value == null) {
            return false;
        }
        int offset = RtpPacket.valueOffset(found);
        int length = RtpPacket.valueLength(found);
        if (length != value.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (buffer.getByte(offset + i) != value[i]) {
                return false;
            }
        }
        return true;
    }
}
