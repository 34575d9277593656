package io.sfu.core.forward;

import io.sfu.core.forward.ForwardingFixture.Peer;
import io.sfu.core.rtp.L3T3Descriptors;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One AV1 stream in three spatial and three temporal layers (L3T3) on one SSRC, described by the dependency
 * descriptor alone ({@link L3T3Descriptors}): each picture in three layer frames of {@link #packetsPerLayerFrame}
 * packets, lowest first, under one RTP timestamp, each layer frame with a frame number of its own; temporal pattern 0,
 * 2, 1, 2; the structure on the first packet of a key picture; the marker bit on the last packet of the top layer.
 * The payloads are random bytes, as an end-to-end encrypted payload reads; their sizes tell the layers apart (as
 * {@link Vp9SvcSource#sizeOf}).
 */
final class Av1SvcSource implements SvcSource<Av1SvcSource.Packet> {
    static final int PAYLOAD_TYPE = 45;
    static final int LAYERS = 3;
    /** The extension id the publisher negotiated for the dependency descriptor. */
    static final int DESCRIPTOR_ID = 7;

    final int ssrc;
    int packetsPerLayerFrame = 2;
    int sequence;
    int frameNumber;
    long timestamp = 90_000;
    int pictures;
    private final Random random = new Random(11);

    Av1SvcSource(int ssrc, int firstSequence, int firstFrameNumber) {
        this.ssrc = ssrc;
        this.sequence = firstSequence;
        this.frameNumber = firstFrameNumber;
    }

    /** A publisher of the AV1 track "v1" (RTX negotiated, the dependency descriptor too), on the fixture's agent. */
    static Peer publisher(ForwardingFixture fixture) {
        Peer publisher = fixture.peer("publisher");
        fixture.agent.extensionIds(publisher.leg, new ReceiveExtensionIds(0, 0, 0, 0, 0, DESCRIPTOR_ID));
        fixture.agent.addProducer(publisher.leg, new ProducerSpec("v1", "pub-v1", "room", "1", true, 90_000,
            List.of(new ProducerSpec.Codec(PAYLOAD_TYPE, "AV1", PAYLOAD_TYPE + 1)),
            List.of(new ProducerSpec.Encoding(null, ForwardingFixture.PUBLISHER_SSRC,
                ForwardingFixture.PUBLISHER_RTX_SSRC)), true, true, true, false, new TrackCounters()));
        fixture.run();
        return publisher;
    }

    /** A packet of the next picture as it goes to the agent, with its dependency descriptor. */
    record Packet(int sequence, long timestamp, byte[] payload, byte[] descriptor, boolean marker) {
    }

    @Override
    public List<Packet> nextPicture(boolean keyframe) {
        if (keyframe) {
            pictures = 0;
        }
        int temporalId = Vp9SvcSource.PATTERN[pictures % Vp9SvcSource.PATTERN.length];
        List<Packet> packets = new ArrayList<>();
        for (int spatialId = 0; spatialId < LAYERS; spatialId++) {
            int template = L3T3Descriptors.template(spatialId, temporalId, keyframe);
            for (int i = 0; i < packetsPerLayerFrame; i++) {
                boolean start = i == 0;
                boolean end = i == packetsPerLayerFrame - 1;
                byte[] descriptor = L3T3Descriptors.descriptor(start, end, template, frameNumber,
                    keyframe && start && spatialId == 0);
                byte[] payload = new byte[Vp9SvcSource.sizeOf(spatialId, temporalId)];
                random.nextBytes(payload);
                packets.add(new Packet(sequence, timestamp, payload, descriptor, end && spatialId == LAYERS - 1));
                sequence = (sequence + 1) & 0xFFFF;
            }
            frameNumber = (frameNumber + 1) & 0xFFFF;
        }
        timestamp += Vp9SvcSource.TICKS_PER_PICTURE;
        pictures++;
        return packets;
    }

    @Override
    public void send(ForwardingFixture fixture, Peer publisher, Packet packet) {
        fixture.receiveRtp(publisher, ssrc, PAYLOAD_TYPE, packet.sequence(), packet.timestamp(), packet.payload(),
            writer -> writer.marker(packet.marker()).twoByteExtensions().extension(DESCRIPTOR_ID, packet.descriptor()));
    }
}
