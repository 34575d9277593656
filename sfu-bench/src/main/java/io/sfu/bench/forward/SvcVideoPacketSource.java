package io.sfu.bench.forward;

import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.rtp.RtpPacketWriter;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The RTP packets of a browser's video track with three spatial and three temporal layers on one SSRC (L3T3), as
 * they arrive decrypted at the forwarding agent, with the extensions and payload size of {@link VideoPacketSource}:
 * each picture in three layer frames (spatial layers 0, 1, 2) of {@value #PACKETS_PER_LAYER_FRAME} packets, pictures
 * in the temporal pattern 0, 2, 1, 2, the marker bit on the last packet of the top layer. Packet 0 starts a keyframe
 * picture. The layers are told by VP9's payload descriptor (RFC 9628 non-flexible mode), or with
 * {@link SvcLayerDescriptor#DEPENDENCY} by the dependency descriptor alone, as of AV1, over a payload never read.
 *
 * <p>{@link #write} lays out the keyframe's first packet, {@link #writeDelta} the packets after it, and
 * {@link #advance} turns a delta packet into packet {@code n} without allocating.
 */
final class SvcVideoPacketSource implements LayeredRoom.Source {
    static final int VP9_PAYLOAD_TYPE = 98;
    static final int AV1_PAYLOAD_TYPE = 45;
    static final int DEPENDENCY_DESCRIPTOR_ID = 5;
    /**
     * The dependency descriptor of the keyframe's first packet: an L3T3 structure of twelve templates (four per
     * spatial layer: a key picture's frame, then temporal layers 0, 1, 2), nine decode targets, three chains and the
     * resolutions 320x180, 640x360, 1280x720 (as sfu-core's tests write it).
     */
    private static final byte[] L3T3_KEYFRAME = HexFormat.of().parseHex("8000008008161617abffeafff28f3c10c302afc0abf00a"
        + "3c0043000a8002a0002800016d5490436855092086d0aa123157e246246246246046046046046006006006007013f00b3027f016704ff"
        + "02cf0");
    static final int SPATIAL_LAYERS = 3;
    static final int PACKETS_PER_LAYER_FRAME = 2;
    static final int PACKETS_PER_PICTURE = SPATIAL_LAYERS * PACKETS_PER_LAYER_FRAME;
    private static final int I_BIT = 0x80;
    private static final int P_BIT = 0x40;
    private static final int L_BIT = 0x20;
    private static final int B_BIT = 0x08;
    private static final int E_BIT = 0x04;

    private final int ssrc;
    private final SvcLayerDescriptor descriptor;
    private final byte[] payload = new byte[VideoPacketSource.PAYLOAD_BYTES];
    private final byte[] mid = VideoPacketSource.MID.getBytes(StandardCharsets.US_ASCII);
    private final RtpPacketWriter writer = new RtpPacketWriter();

    SvcVideoPacketSource(int ssrc, SvcLayerDescriptor descriptor) {
        this.ssrc = ssrc;
        this.descriptor = descriptor;
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31 + 7);
        }
        // the payload descriptor: I, P, L, B, E (F = 0); 15-bit picture id; TID, U, SID, D; TL0PICIDX
        payload[0] = (byte) (I_BIT | L_BIT | B_BIT);
        payload[1] = (byte) 0x80; // picture id 0, 15 bits
        payload[2] = 0;
        payload[3] = 0; // TID 0, SID 0
        payload[4] = 0; // TL0PICIDX
    }

    /** Writes packet 0, the first of the keyframe picture, at {@code offset}; returns its length. */
    @Override
    public int write(MutableDirectBuffer buffer, int offset) {
        return layOut(buffer, offset, true);
    }

    /** Writes the layout of the packets after the keyframe's first at {@code offset}; returns its length. */
    @Override
    public int writeDelta(MutableDirectBuffer buffer, int offset) {
        return layOut(buffer, offset, false);
    }

    private int layOut(MutableDirectBuffer buffer, int offset, boolean keyframe) {
        boolean dependencies = descriptor == SvcLayerDescriptor.DEPENDENCY;
        RtpPacketWriter packet = writer.wrap(buffer, offset, buffer.capacity() - offset)
            .payloadType(dependencies ? AV1_PAYLOAD_TYPE : VP9_PAYLOAD_TYPE)
            .sequenceNumber(VideoPacketSource.FIRST_SEQUENCE).timestamp(0).ssrc(ssrc);
        if (dependencies) {
            packet.twoByteExtensions().extension(DEPENDENCY_DESCRIPTOR_ID,
                keyframe ? L3T3_KEYFRAME : java.util.Arrays.copyOf(L3T3_KEYFRAME, 3));
        }
        return packet.extension(VideoPacketSource.ABS_SEND_TIME_ID, 0, 3)
            .extension(VideoPacketSource.TRANSPORT_CC_ID, VideoPacketSource.FIRST_SEQUENCE, 2)
            .extension(VideoPacketSource.MID_ID, mid)
            .payload(payload)
            .length();
    }

    /** The spatial layer of packet {@code n}. */
    static int spatialIdOf(long n) {
        return (int) (n % PACKETS_PER_PICTURE / PACKETS_PER_LAYER_FRAME);
    }

    /** The temporal layer of packet {@code n}. */
    static int temporalIdOf(long n) {
        return LayeredVideoPacketSource.TEMPORAL_PATTERN[(int) (n / PACKETS_PER_PICTURE
            % LayeredVideoPacketSource.TEMPORAL_PATTERN.length)];
    }

    /**
     * Turns the packet {@code packet} wraps (laid out by {@link #writeDelta}) into packet {@code n > 0}: sequence and
     * transport-wide sequence number, timestamp, marker, and the payload descriptor of its layer frame.
     */
    @Override
    public void advance(RtpPacket packet, long n) {
        long picture = n / PACKETS_PER_PICTURE;
        int inPicture = (int) (n % PACKETS_PER_PICTURE);
        int inLayerFrame = inPicture % PACKETS_PER_LAYER_FRAME;
        int spatialId = spatialIdOf(n);
        int temporalId = temporalIdOf(n);
        VideoPacketSource.stampHeader(packet, n, picture, inPicture == PACKETS_PER_PICTURE - 1);
        MutableDirectBuffer buffer = packet.buffer();
        if (descriptor == SvcLayerDescriptor.DEPENDENCY) {
            int value = RtpPacket.valueOffset(packet.findExtension(DEPENDENCY_DESCRIPTOR_ID));
            int template = spatialId * 4 + (picture > 0 ? 1 + temporalId : 0);
            long frameNumber = picture * SPATIAL_LAYERS + spatialId;
            buffer.putByte(value, (byte) ((inLayerFrame == 0 ? 0x80 : 0)
                | (inLayerFrame == PACKETS_PER_LAYER_FRAME - 1 ? 0x40 : 0) | template));
            buffer.putByte(value + 1, (byte) (frameNumber >>> 8));
            buffer.putByte(value + 2, (byte) frameNumber);
            return;
        }
        int at = packet.payloadOffset();
        // the keyframe picture's upper layers predict from the layer below alone, every later layer frame from
        // earlier pictures too
        boolean interPicture = picture > 0;
        boolean switchUp = picture % 8 == 1 || picture % 8 == 2;
        buffer.putByte(at, (byte) (I_BIT | (interPicture ? P_BIT : 0) | L_BIT | (inLayerFrame == 0 ? B_BIT : 0)
            | (inLayerFrame == PACKETS_PER_LAYER_FRAME - 1 ? E_BIT : 0)));
        buffer.putByte(at + 1, (byte) (0x80 | (picture >>> 8) & 0x7F));
        buffer.putByte(at + 2, (byte) picture);
        buffer.putByte(at + 3, (byte) (temporalId << 5 | (switchUp ? 0x10 : 0) | spatialId << 1
            | (!interPicture && spatialId > 0 ? 1 : 0)));
        buffer.putByte(at + 4, (byte) (picture / 4));
    }
}
