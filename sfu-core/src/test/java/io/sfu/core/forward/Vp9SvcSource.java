package io.sfu.core.forward;

import io.sfu.core.forward.ForwardingFixture.Peer;
import io.sfu.core.rtp.codec.Vp9PayloadParser;

import java.util.ArrayList;
import java.util.List;

/**
 * One VP9 stream with spatial and temporal layers on one SSRC as Chromium sends L3T3 (RFC 9628, non-flexible mode):
 * each picture in {@link #spatialLayers} layer frames of {@link #packetsPerLayerFrame} packets each, lowest first,
 * under one RTP timestamp and one 15-bit picture id; temporal pattern 0, 2, 1, 2 with TL0PICIDX counting the TL0
 * pictures; a keyframe picture carries the scalability structure (320x180, 640x360, 1280x720) on its first packet;
 * the marker bit on the last packet of the top layer. With {@link #spatialLayers} 0 it sends VP9 without layer
 * indices (one frame per picture). Payload sizes tell the layers apart: see {@link #sizeOf}.
 */
final class Vp9SvcSource implements SvcSource<Vp9SvcSource.Packet> {
    static final int PAYLOAD_TYPE = 98;
    static final int[] PATTERN = {0, 2, 1, 2};
    static final long TICKS_PER_PICTURE = 3000;
    static final int[] WIDTHS = {320, 640, 1280};
    static final int[] HEIGHTS = {180, 360, 720};

    final int ssrc;
    int spatialLayers = 3;
    int packetsPerLayerFrame = 2;
    int sequence;
    int pictureId;
    int tl0PicIdx = -1;
    long timestamp = 90_000;
    int pictures;

    Vp9SvcSource(int ssrc, int firstSequence, int firstPictureId) {
        this.ssrc = ssrc;
        this.sequence = firstSequence;
        this.pictureId = firstPictureId;
    }

    /** A publisher of the VP9 track "v1" (RTX negotiated), connected to the fixture's agent. */
    static Peer publisher(ForwardingFixture fixture) {
        Peer publisher = fixture.peer("publisher");
        fixture.agent.addProducer(publisher.leg, new ProducerSpec("v1", "pub-v1", "room", "1", true, 90_000,
            List.of(new ProducerSpec.Codec(PAYLOAD_TYPE, "VP9", PAYLOAD_TYPE + 1)),
            List.of(new ProducerSpec.Encoding(null, ForwardingFixture.PUBLISHER_SSRC,
                ForwardingFixture.PUBLISHER_RTX_SSRC)), true, true, true, false, new TrackCounters()));
        fixture.run();
        return publisher;
    }

    /** The payload size of a packet of spatial layer {@code spatialId} and temporal layer {@code temporalId}. */
    static int sizeOf(int spatialId, int temporalId) {
        return 300 + 100 * Math.max(0, spatialId) + 10 * temporalId;
    }

    /** The spatial layer of a packet the SFU sent, from its size. */
    static int spatialLayerOf(byte[] packet) {
        return (ForwardingFixture.payloadOf(packet).length - 300) / 100;
    }

    /** The temporal layer of a packet the SFU sent, from its size. */
    static int temporalLayerOf(byte[] packet) {
        return (ForwardingFixture.payloadOf(packet).length - 300) % 100 / 10;
    }

    /** The payload descriptor of a packet the SFU sent, as a subscriber's depacketizer reads it. */
    static Vp9PayloadParser descriptorOf(byte[] packet) {
        byte[] payload = ForwardingFixture.payloadOf(packet);
        Vp9PayloadParser parser = new Vp9PayloadParser();
        if (!parser.parse(payload, 0, payload.length)) {
            throw new AssertionError("not a VP9 payload");
        }
        return parser;
    }

    /** A packet of the next picture as it goes to the agent. */
    record Packet(int sequence, long timestamp, byte[] payload, boolean marker) {
    }

    @Override
    public List<Packet> nextPicture(boolean keyframe) {
        if (keyframe) {
            pictures = 0;
        }
        int temporalId = PATTERN[pictures % PATTERN.length];
        // the first TL1 and TL2 pictures after each TL0 picture of every eight are switching-up points
        boolean switchUp = pictures % 8 == 1 || pictures % 8 == 2;
        if (temporalId == 0) {
            tl0PicIdx = (tl0PicIdx + 1) & 0xFF;
        }
        List<Packet> packets = new ArrayList<>();
        int layers = Math.max(1, spatialLayers);
        for (int spatialId = 0; spatialId < layers; spatialId++) {
            for (int i = 0; i < packetsPerLayerFrame; i++) {
                boolean start = i == 0;
                boolean end = i == packetsPerLayerFrame - 1;
                byte[] payload = payload(keyframe, spatialId, temporalId, switchUp, start, end);
                packets.add(new Packet(sequence, timestamp, payload, end && spatialId == layers - 1));
                sequence = (sequence + 1) & 0xFFFF;
            }
        }
        timestamp += TICKS_PER_PICTURE;
        pictureId = (pictureId + 1) & 0x7FFF;
        pictures++;
        return packets;
    }

    @Override
    public void send(ForwardingFixture fixture, Peer publisher, Packet packet) {
        fixture.receiveRtp(publisher, ssrc, PAYLOAD_TYPE, packet.sequence(), packet.timestamp(), packet.payload(),
            writer -> writer.marker(packet.marker()));
    }

    private byte[] payload(boolean keyframe, int spatialId, int temporalId, boolean switchUp, boolean start,
                           boolean end) {
        boolean layered = spatialLayers > 0;
        byte[] payload = new byte[sizeOf(layered ? spatialId : -1, layered ? temporalId : 0)];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (sequence * 31 + i);
        }
        boolean structure = keyframe && start && spatialId == 0 && layered;
        int at = 0;
        // I, P (not for a keyframe picture: its upper layers predict from the layer below alone), L, B, E, V
        payload[at++] = (byte) (0x80 | (keyframe ? 0 : 0x40) | (layered ? 0x20 : 0) | (start ? 0x08 : 0)
            | (end ? 0x04 : 0) | (structure ? 0x02 : 0));
        payload[at++] = (byte) (0x80 | pictureId >>> 8);
        payload[at++] = (byte) pictureId;
        if (layered) {
            boolean interLayer = keyframe && spatialId > 0;
            payload[at++] = (byte) (temporalId << 5 | (switchUp ? 0x10 : 0) | spatialId << 1 | (interLayer ? 1 : 0));
            payload[at++] = (byte) tl0PicIdx;
        }
        if (structure) {
            payload[at++] = (byte) ((spatialLayers - 1) << 5 | 0x10); // N_S, Y, no group of pictures
            for (int layer = 0; layer < spatialLayers; layer++) {
                payload[at++] = (byte) (WIDTHS[layer] >>> 8);
                payload[at++] = (byte) WIDTHS[layer];
                payload[at++] = (byte) (HEIGHTS[layer] >>> 8);
                payload[at++] = (byte) HEIGHTS[layer];
            }
        }
        return payload;
    }
}
