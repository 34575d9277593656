package io.sfu.core.forward;

import io.sfu.core.forward.ForwardingFixture.Peer;
import io.sfu.core.rtp.RtpPacketWriter;
import io.sfu.core.rtp.codec.Vp8PayloadParser;

import java.util.function.UnaryOperator;

/**
 * One VP8 encoding with three temporal layers as a browser sends it (L1T3): frames in the temporal pattern 0, 2, 1,
 * 2; the first TL2 and TL1 frames of every eight are layer sync frames (Y = 1); a picture id per frame (7 or 15 bits
 * wide), TL0PICIDX counting the base layer frames, each frame in {@link #packetsPerFrame} packets of which the first
 * starts it. Payload sizes tell the layers apart: TL0 1000, TL1 500, TL2 250 octets.
 *
 * <p>With {@link #dependencyDescriptorId} set it sends as Chromium does when the dependency descriptor is
 * negotiated: a payload descriptor without picture id, TL0PICIDX or TID, and the layers in a dependency descriptor
 * naming the templates of Chromium's L1T3 structure (recorded from Chromium).
 */
final class LayeredVp8Source {
    static final int[] PATTERN = {0, 2, 1, 2};
    static final int[] SIZES = {1000, 500, 250};
    static final long TICKS_PER_FRAME = 3000;
    static final long FRAME_NS = 33_333_333L;

    final int ssrc;
    final int pictureIdBits;
    int packetsPerFrame = 2;
    int sequence;
    int pictureId;
    int tl0PicIdx;
    long timestamp = 90_000;
    /** Frames sent since the last keyframe; the next one's place in the pattern. */
    int frames;
    /** The dependency descriptor's number of the next frame. */
    int frameNumber = 1;
    /** Packets whose first sending is lost on the way, by sequence number; {@link #resendLost} sends them. */
    java.util.function.IntPredicate losing = sequence -> false;
    private final java.util.List<Runnable> lost = new java.util.ArrayList<>();
    /** Adds the header extensions of each packet sent. */
    UnaryOperator<RtpPacketWriter> extensions = writer -> writer;
    /** The extension id of the dependency descriptor; 0: the layers go in the payload descriptor. */
    int dependencyDescriptorId;
    /** Chromium's key frame dependency descriptor for L1T3, without its first three octets. */
    static final byte[] L1T3_STRUCTURE = java.util.HexFormat.of().parseHex("8002044eaaaf2860414d34538a0940409fc077c0");
    /** The template Chromium names for each frame of its eight-frame L1T3 pattern (0 for the key frame). */
    static final int[] L1T3_TEMPLATES = {1, 5, 3, 5, 2, 6, 4, 5};

    LayeredVp8Source(int ssrc, int firstSequence, int firstPictureId, int pictureIdBits, int firstTl0PicIdx) {
        this.ssrc = ssrc;
        this.sequence = firstSequence;
        this.pictureId = firstPictureId;
        this.pictureIdBits = pictureIdBits;
        this.tl0PicIdx = (firstTl0PicIdx - 1) & 0xFF;
    }

    /** The temporal layer of the next frame. */
    int nextTemporalId() {
        return PATTERN[frames % PATTERN.length];
    }

    /** Sends the next frame to the agent, advancing the clock by a frame interval; a keyframe restarts the pattern. */
    void frame(ForwardingFixture fixture, Peer publisher, boolean keyframe) {
        fixture.nowNs += FRAME_NS;
        int patternIndex = keyframe ? 0 : frames;
        int number = frameNumber++;
        byte[][] payloads = nextFrame(keyframe);
        for (int i = 0; i < payloads.length; i++) {
            UnaryOperator<RtpPacketWriter> added = extensions;
            if (dependencyDescriptorId > 0) {
                byte[] descriptor = dependencyDescriptor(keyframe, patternIndex, number, i == 0,
                    i == payloads.length - 1);
                added = writer -> extensions.apply(writer.twoByteExtensions()
                    .extension(dependencyDescriptorId, descriptor));
            }
            int packetSequence = sequence;
            long packetTimestamp = timestamp;
            byte[] payload = payloads[i];
            UnaryOperator<RtpPacketWriter> packetExtensions = added;
            Runnable send = () -> fixture.receiveRtp(publisher, ssrc, 96, packetSequence, packetTimestamp, payload,
                packetExtensions);
            if (losing.test(packetSequence)) {
                lost.add(send);
            } else {
                send.run();
            }
            sequence = (sequence + 1) & 0xFFFF;
        }
        timestamp += TICKS_PER_FRAME;
    }

    /** Sends the packets lost so far, as the publisher's retransmissions bring them late. */
    void resendLost() {
        lost.forEach(Runnable::run);
        lost.clear();
    }

    /** The dependency descriptor of a packet of frame {@code number}, at {@code patternIndex} of the pattern. */
    private static byte[] dependencyDescriptor(boolean keyframe, int patternIndex, int number, boolean start,
                                               boolean end) {
        int template = keyframe ? 0 : L1T3_TEMPLATES[patternIndex % 8];
        int extra = keyframe && start ? L1T3_STRUCTURE.length : 0;
        byte[] descriptor = new byte[3 + extra];
        descriptor[0] = (byte) ((start ? 0x80 : 0) | (end ? 0x40 : 0) | template);
        descriptor[1] = (byte) (number >>> 8);
        descriptor[2] = (byte) number;
        System.arraycopy(L1T3_STRUCTURE, 0, descriptor, 3, extra);
        return descriptor;
    }

    /** Sends a keyframe and then {@code count - 1} delta frames. */
    void startWithKeyframe(ForwardingFixture fixture, Peer publisher, int count) {
        frame(fixture, publisher, true);
        for (int i = 1; i < count; i++) {
            frame(fixture, publisher, false);
        }
    }

    /** The payloads of the next frame (numbers and pattern advanced), without sending them. */
    byte[][] nextFrame(boolean keyframe) {
        if (keyframe) {
            frames = 0;
        }
        int temporalId = nextTemporalId();
        boolean sync = frames % 8 == 1 || frames % 8 == 2;
        if (temporalId == 0) {
            tl0PicIdx = (tl0PicIdx + 1) & 0xFF;
        }
        byte[][] payloads = new byte[packetsPerFrame][];
        for (int i = 0; i < packetsPerFrame; i++) {
            payloads[i] = dependencyDescriptorId > 0
                ? ForwardingFixture.vp8Payload(keyframe && i == 0, SIZES[temporalId], sequence + i)
                : payload(keyframe, i == 0, pictureId, pictureIdBits, tl0PicIdx, temporalId, sync, SIZES[temporalId],
                    sequence + i);
            if (dependencyDescriptorId > 0 && i > 0) {
                payloads[i][0] = 0x00; // S = 0: not the frame's first packet
            }
        }
        pictureId = (pictureId + 1) & (pictureIdBits == 7 ? 0x7F : 0x7FFF);
        frames++;
        return payloads;
    }

    /**
     * A VP8 payload with an extended descriptor (RFC 7741 §4.2: I, L, T) of {@code size} octets in all: the first
     * packet of a frame when {@code start}, a keyframe's (frame tag and start code) when also {@code keyframe}.
     */
    static byte[] payload(boolean keyframe, boolean start, int pictureId, int pictureIdBits, int tl0PicIdx,
                          int temporalId, boolean sync, int size, int seed) {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (seed * 31 + i);
        }
        int at = 0;
        payload[at++] = (byte) (0x80 | (start ? 0x10 : 0)); // X, S, PID 0
        payload[at++] = (byte) 0xE0; // I, L, T
        if (pictureIdBits == 15) {
            payload[at++] = (byte) (0x80 | pictureId >>> 8);
            payload[at++] = (byte) pictureId;
        } else {
            payload[at++] = (byte) (pictureId & 0x7F);
        }
        payload[at++] = (byte) tl0PicIdx;
        payload[at++] = (byte) (temporalId << 6 | (sync ? 0x20 : 0));
        payload[at] = (byte) (keyframe && start ? 0x00 : 0x01); // frame tag, P bit: 0 = key frame
        payload[at + 3] = (byte) 0x9d;
        payload[at + 4] = 0x01;
        payload[at + 5] = 0x2a;
        return payload;
    }

    /** The payload descriptor of a packet the SFU sent, read as a subscriber's depacketizer would. */
    static Vp8PayloadParser descriptorOf(byte[] packet) {
        byte[] payload = ForwardingFixture.payloadOf(packet);
        Vp8PayloadParser parser = new Vp8PayloadParser();
        if (!parser.parse(payload, 0, payload.length)) {
            throw new AssertionError("not a VP8 payload");
        }
        return parser;
    }

    /** The temporal layer of a packet the SFU sent, from its size (the descriptor may have been rewritten). */
    static int layerOf(byte[] packet) {
        int size = ForwardingFixture.payloadOf(packet).length;
        for (int i = 0; i < SIZES.length; i++) {
            if (SIZES[i] == size) {
                return i;
            }
        }
        return -1;
    }
}
