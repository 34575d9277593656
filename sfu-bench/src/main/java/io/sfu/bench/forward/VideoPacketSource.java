package io.sfu.bench.forward;

import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.rtp.RtpPacketWriter;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * The RTP packets of a browser's VP8 video track, as they arrive decrypted at the forwarding agent: a one-byte
 * header-extension block (RFC 8285 §4.2) with abs-send-time, transport-wide sequence number and mid, a VP8
 * payload descriptor with a 15-bit picture id (RFC 7741 §4.2) and {@value #PAYLOAD_BYTES} payload octets in all.
 * Packet 0 is a keyframe; after it come delta frames of {@value #PACKETS_PER_FRAME} packets at 30 frames/s.
 *
 * <p>{@link #write} lays out a whole packet; {@link #advance} turns a packet already laid out into packet
 * {@code n} by changing only what a sender changes from one packet to the next, without allocating.
 */
final class VideoPacketSource {
    static final int PAYLOAD_BYTES = 1100;
    static final int PACKETS_PER_FRAME = 4;
    static final long TICKS_PER_FRAME = 3000;
    static final int VP8_PAYLOAD_TYPE = 96;
    static final int RTX_PAYLOAD_TYPE = 97;
    static final int ABS_SEND_TIME_ID = 2;
    static final int TRANSPORT_CC_ID = 3;
    static final int MID_ID = 4;
    static final String MID = "0";
    /** First sequence number; packet {@code n} carries {@code (FIRST_SEQUENCE + n) & 0xFFFF}. */
    static final int FIRST_SEQUENCE = 0xF000;
    /** Octets of a packet: 12 fixed, 4 + 12 extension block, the payload. */
    static final int PACKET_BYTES = 12 + 4 + 12 + PAYLOAD_BYTES;

    private static final int DESCRIPTOR_START = 0x90;
    private static final int DESCRIPTOR_CONTINUATION = 0x80;
    private static final int PICTURE_ID_PRESENT = 0x80;
    private static final int DELTA_FRAME = 0x01;
    /** Octets of the payload descriptor: first octet, X octet, two picture id octets. */
    private static final int DESCRIPTOR_BYTES = 4;

    private final int ssrc;
    private final byte[] payload = new byte[PAYLOAD_BYTES];
    private final byte[] mid = MID.getBytes(StandardCharsets.US_ASCII);
    private final RtpPacketWriter writer = new RtpPacketWriter();

    VideoPacketSource(int ssrc) {
        this.ssrc = ssrc;
        for (int i = 0; i < PAYLOAD_BYTES; i++) {
            payload[i] = (byte) (i * 31 + 7);
        }
        payload[0] = (byte) DESCRIPTOR_START;
        payload[1] = (byte) PICTURE_ID_PRESENT;
        payload[2] = (byte) 0x80;
        payload[3] = 0;
        putKeyframeStart(payload, DESCRIPTOR_BYTES);
    }

    /** Writes a VP8 keyframe's frame tag (P = 0) and start code (RFC 6386 §9.1) at {@code at} of {@code payload}. */
    static void putKeyframeStart(byte[] payload, int at) {
        payload[at] = 0x10;
        payload[at + 1] = 0x02;
        payload[at + 2] = 0x00;
        payload[at + 3] = (byte) 0x9d;
        payload[at + 4] = 0x01;
        payload[at + 5] = 0x2a;
    }

    int ssrc() {
        return ssrc;
    }

    /** Writes packet 0, the keyframe, at {@code offset}; returns its length, {@value #PACKET_BYTES}. */
    int write(MutableDirectBuffer buffer, int offset) {
        int length = writer.wrap(buffer, offset, buffer.capacity() - offset)
            .payloadType(VP8_PAYLOAD_TYPE).sequenceNumber(FIRST_SEQUENCE).timestamp(0).ssrc(ssrc)
            .extension(ABS_SEND_TIME_ID, 0, 3)
            .extension(TRANSPORT_CC_ID, FIRST_SEQUENCE, 2)
            .extension(MID_ID, mid)
            .payload(payload)
            .length();
        if (length != PACKET_BYTES) {
            throw new IllegalStateException("video packet is " + length + " octets, expected " + PACKET_BYTES);
        }
        return length;
    }

    /**
     * Turns the packet {@code packet} wraps (laid out by {@link #write}) into packet {@code n}: sequence and
     * transport-wide sequence number, timestamp, marker on a frame's last packet, the descriptor's start bit and
     * picture id, and a delta-frame tag for every {@code n > 0}.
     */
    void advance(RtpPacket packet, long n) {
        long frame = n / PACKETS_PER_FRAME;
        int inFrame = (int) (n % PACKETS_PER_FRAME);
        stampHeader(packet, n, frame, inFrame == PACKETS_PER_FRAME - 1);
        MutableDirectBuffer buffer = packet.buffer();
        int at = packet.payloadOffset();
        buffer.putByte(at, (byte) (inFrame == 0 ? DESCRIPTOR_START : DESCRIPTOR_CONTINUATION));
        buffer.putByte(at + 2, (byte) (0x80 | (frame >>> 8) & 0x7F));
        buffer.putByte(at + 3, (byte) frame);
        if (n > 0) {
            buffer.putByte(at + DESCRIPTOR_BYTES, (byte) (payload[DESCRIPTOR_BYTES] | DELTA_FRAME));
        }
    }

    /**
     * Writes the header fields of packet {@code n} of frame {@code frame} (or picture) into {@code packet}: sequence
     * and transport-wide sequence number, timestamp, abs-send-time and {@code marker}.
     */
    static void stampHeader(RtpPacket packet, long n, long frame, boolean marker) {
        int sequence = sequenceOf(n);
        packet.sequenceNumber(sequence).timestamp((frame * TICKS_PER_FRAME) & 0xFFFF_FFFFL).marker(marker);
        packet.putExtensionValue(TRANSPORT_CC_ID, sequence);
        // abs-send-time: 6.18 fixed-point seconds, one frame interval per frame
        packet.putExtensionValue(ABS_SEND_TIME_ID, (frame * (1 << 18) / 30) & 0xFF_FFFF);
    }

    /** The sequence number of packet {@code n}. */
    static int sequenceOf(long n) {
        return (int) ((FIRST_SEQUENCE + n) & 0xFFFF);
    }
}
