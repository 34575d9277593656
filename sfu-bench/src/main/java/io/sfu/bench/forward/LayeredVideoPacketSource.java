package io.sfu.bench.forward;

import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.rtp.RtpPacketWriter;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The RTP packets of a browser's VP8 video track in three temporal layers (L1T3: frames in the temporal pattern 0,
 * 2, 1, 2), as they arrive decrypted at the forwarding agent, with the extensions and payload size of
 * {@link VideoPacketSource}. The layers are told either in the VP8 payload descriptor (picture id, TL0PICIDX, TID and
 * Y, RFC 7741 §4.2), or as Chromium sends them when the dependency descriptor is negotiated: in that header extension
 * (two-byte form; its template structure, recorded from Chromium, with the keyframe) under a one-octet payload
 * descriptor. Packet 0 is a keyframe; after it come delta frames of {@value #PACKETS_PER_FRAME} packets.
 *
 * <p>{@link #write} lays out the keyframe, {@link #writeDelta} the packets after it, and {@link #advance} turns a
 * delta packet into packet {@code n} without allocating.
 */
final class LayeredVideoPacketSource implements LayeredRoom.Source {
    static final int PACKETS_PER_FRAME = VideoPacketSource.PACKETS_PER_FRAME;
    static final int DEPENDENCY_DESCRIPTOR_ID = 5;
    static final int[] TEMPORAL_PATTERN = {0, 2, 1, 2};
    /** Chromium's key frame dependency descriptor for L1T3, after its three mandatory octets. */
    private static final byte[] L1T3_STRUCTURE = HexFormat.of().parseHex("8002044eaaaf2860414d34538a0940409fc077c0");
    /** The template Chromium names for each frame of its eight-frame L1T3 pattern. */
    private static final int[] L1T3_TEMPLATES = {1, 5, 3, 5, 2, 6, 4, 5};

    private final int ssrc;
    private final Vp8LayerDescriptor descriptor;
    private final int descriptorBytes;
    private final byte[] payload = new byte[VideoPacketSource.PAYLOAD_BYTES];
    private final byte[] mid = VideoPacketSource.MID.getBytes(StandardCharsets.US_ASCII);
    private final RtpPacketWriter writer = new RtpPacketWriter();

    LayeredVideoPacketSource(int ssrc, Vp8LayerDescriptor descriptor) {
        this.ssrc = ssrc;
        this.descriptor = descriptor;
        this.descriptorBytes = descriptor == Vp8LayerDescriptor.PAYLOAD ? 6 : 1;
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31 + 7);
        }
        if (descriptor == Vp8LayerDescriptor.PAYLOAD) {
            payload[0] = (byte) 0x90; // X, S
            payload[1] = (byte) 0xE0; // I, L, T
            payload[2] = (byte) 0x80; // 15-bit picture id 0
            payload[3] = 0;
            payload[4] = 0; // TL0PICIDX
            payload[5] = 0; // TID 0
        } else {
            payload[0] = 0x10; // S
        }
        VideoPacketSource.putKeyframeStart(payload, descriptorBytes);
    }

    /** Writes packet 0, the keyframe, at {@code offset}; returns its length. */
    @Override
    public int write(MutableDirectBuffer buffer, int offset) {
        return layOut(buffer, offset, true);
    }

    /** Writes the layout of the packets after the keyframe at {@code offset} (as packet 1); returns its length. */
    @Override
    public int writeDelta(MutableDirectBuffer buffer, int offset) {
        return layOut(buffer, offset, false);
    }

    private int layOut(MutableDirectBuffer buffer, int offset, boolean keyframe) {
        RtpPacketWriter packet = writer.wrap(buffer, offset, buffer.capacity() - offset)
            .payloadType(VideoPacketSource.VP8_PAYLOAD_TYPE).sequenceNumber(VideoPacketSource.FIRST_SEQUENCE)
            .timestamp(0).ssrc(ssrc);
        if (descriptor == Vp8LayerDescriptor.DEPENDENCY) {
            byte[] dependencies = new byte[3 + (keyframe ? L1T3_STRUCTURE.length : 0)];
            dependencies[0] = (byte) 0xC0; // start and end of frame, template 0
            System.arraycopy(L1T3_STRUCTURE, 0, dependencies, 3, dependencies.length - 3);
            packet.twoByteExtensions().extension(DEPENDENCY_DESCRIPTOR_ID, dependencies);
        }
        int length = packet.extension(VideoPacketSource.ABS_SEND_TIME_ID, 0, 3)
            .extension(VideoPacketSource.TRANSPORT_CC_ID, VideoPacketSource.FIRST_SEQUENCE, 2)
            .extension(VideoPacketSource.MID_ID, mid)
            .payload(payload)
            .length();
        if (!keyframe) {
            buffer.putByte(offset + length - payload.length + descriptorBytes, (byte) (payload[descriptorBytes] | 1));
        }
        return length;
    }

    /** The temporal layer of packet {@code n}. */
    static int temporalIdOf(long n) {
        return TEMPORAL_PATTERN[(int) (n / PACKETS_PER_FRAME % TEMPORAL_PATTERN.length)];
    }

    /**
     * Turns the packet {@code packet} wraps (laid out by {@link #writeDelta}) into packet {@code n > 0}: sequence and
     * transport-wide sequence number, timestamp, marker, and the descriptors of its frame.
     */
    @Override
    public void advance(RtpPacket packet, long n) {
        long frame = n / PACKETS_PER_FRAME;
        int inFrame = (int) (n % PACKETS_PER_FRAME);
        int temporalId = temporalIdOf(n);
        VideoPacketSource.stampHeader(packet, n, frame, inFrame == PACKETS_PER_FRAME - 1);
        MutableDirectBuffer buffer = packet.buffer();
        int at = packet.payloadOffset();
        if (descriptor == Vp8LayerDescriptor.PAYLOAD) {
            boolean sync = frame % 8 == 1 || frame % 8 == 2;
            buffer.putByte(at, (byte) (inFrame == 0 ? 0x90 : 0x80));
            buffer.putByte(at + 2, (byte) (0x80 | (frame >>> 8) & 0x7F));
            buffer.putByte(at + 3, (byte) frame);
            buffer.putByte(at + 4, (byte) (frame / 4));
            buffer.putByte(at + 5, (byte) (temporalId << 6 | (sync ? 0x20 : 0)));
        } else {
            // S on a frame's first packet; N (not a reference) on the top layer's frames, as Chromium marks them
            buffer.putByte(at, (byte) ((inFrame == 0 ? 0x10 : 0) | (temporalId == 2 ? 0x20 : 0)));
            int value = RtpPacket.valueOffset(packet.findExtension(DEPENDENCY_DESCRIPTOR_ID));
            int template = L1T3_TEMPLATES[(int) (frame % L1T3_TEMPLATES.length)];
            buffer.putByte(value, (byte) ((inFrame == 0 ? 0x80 : 0) | (inFrame == PACKETS_PER_FRAME - 1 ? 0x40 : 0)
                | template));
            buffer.putByte(value + 1, (byte) (frame >>> 8));
            buffer.putByte(value + 2, (byte) frame);
        }
    }
}
