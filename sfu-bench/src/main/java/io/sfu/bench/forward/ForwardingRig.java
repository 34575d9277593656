package io.sfu.bench.forward;

import io.sfu.core.forward.ConsumerSpec;
import io.sfu.core.forward.ForwardingAgent;
import io.sfu.core.forward.Leg;
import io.sfu.core.forward.ProducerSpec;
import io.sfu.core.forward.ReceiveExtensionIds;
import io.sfu.core.forward.TrackCounters;
import io.sfu.core.ice.IceCredentials;
import io.sfu.core.ice.IceLiteSession;
import io.sfu.core.net.DatagramOutput;
import io.sfu.core.srtp.SrtpContext;
import io.sfu.core.srtp.SrtpProfile;
import io.sfu.core.transport.WebRtcTransport;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;

/**
 * One room on one forwarding agent, set up through the agent's public commands as the media engine would: a
 * publisher transport with one video track (VP8, {@link VideoPacketSource}, unless told otherwise) and
 * {@code fanOut} subscriber transports with a consumer of it each, every transport with its own SRTP keys. The rig
 * also keeps the remote peers' halves of the publisher's keys, so callers can protect input as a browser would, and
 * of each subscriber's, so tests can open what the agent sent.
 */
final class ForwardingRig {
    static final int PUBLISHER_SSRC = 0x1A2B_3C4D;
    static final int SUBSCRIBER_PAYLOAD_TYPE = 100;
    static final int SUBSCRIBER_RTX_PAYLOAD_TYPE = 101;
    /** The subscriber's id for mid: a different number than the publisher's, so the remap does work. */
    static final int SUBSCRIBER_MID_ID = 1;
    static final long KEYFRAME_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(500);

    final ForwardingAgent agent;
    final Leg publisher;
    /** The publishing browser's sending context: protects what {@link #publisher} receives. */
    final SrtpContext publisherPeerSend;
    final Leg[] subscribers;
    /** Each subscribing browser's receiving context, for opening what the agent sent it. */
    final SrtpContext[] subscriberPeerReceive;
    final VideoPacketSource source = new VideoPacketSource(PUBLISHER_SSRC);

    ForwardingRig(int fanOut, Crypto crypto, DatagramOutput output, NanoClock clock, int inboundCapacity) {
        this(fanOut, crypto, output, clock, inboundCapacity, 0, subscriber -> ConsumerSpec.ALL_TEMPORAL_LAYERS);
    }

    /**
     * As {@link #ForwardingRig(int, Crypto, DatagramOutput, NanoClock, int)}, the publisher having negotiated the
     * dependency descriptor as {@code dependencyDescriptorId} (0: not), and subscriber {@code i} receiving the
     * temporal layers up to {@code maxTemporalLayer.applyAsInt(i)}.
     */
    ForwardingRig(int fanOut, Crypto crypto, DatagramOutput output, NanoClock clock, int inboundCapacity,
                  int dependencyDescriptorId, IntUnaryOperator maxTemporalLayer) {
        this(fanOut, crypto, output, clock, inboundCapacity, dependencyDescriptorId, maxTemporalLayer, "VP8",
            VideoPacketSource.VP8_PAYLOAD_TYPE, subscriber -> ConsumerSpec.ALL_SPATIAL_LAYERS);
    }

    /**
     * As {@link #ForwardingRig(int, Crypto, DatagramOutput, NanoClock, int, int, IntUnaryOperator)}, the track's
     * codec {@code codec} under {@code payloadType}, and subscriber {@code i} receiving the spatial layers (VP9 SVC)
     * up to {@code maxSpatialLayer.applyAsInt(i)}.
     */
    ForwardingRig(int fanOut, Crypto crypto, DatagramOutput output, NanoClock clock, int inboundCapacity,
                  int dependencyDescriptorId, IntUnaryOperator maxTemporalLayer, String codec, int payloadType,
                  IntUnaryOperator maxSpatialLayer) {
        if (fanOut < 1) {
            throw new IllegalArgumentException("fanOut must be at least 1: " + fanOut);
        }
        SplittableRandom random = new SplittableRandom(fanOut * 31L + crypto.ordinal());
        SrtpProfile profile = crypto.profile();
        // the wall clock stamps sender and receiver reports; Agrona's SystemEpochNanoClock goes through
        // Instant.now(), 24 bytes per report, so the offset clock keeps the timers allocation-free
        agent = new ForwardingAgent("bench-forward", output, clock, new OffsetEpochNanoClock(), null,
            inboundCapacity, KEYFRAME_INTERVAL_NS);

        publisher = agent.openLeg(transport("publisher", clock), "room", random.nextInt());
        publisher.onPathSelected(new InetSocketAddress("127.0.0.1", 50_000));
        byte[][] up = keys(random, profile);
        byte[][] down = keys(random, profile);
        agent.installKeys(publisher, SrtpContext.forReceiving(profile, up[0], up[1]),
            SrtpContext.forSending(profile, down[0], down[1]));
        publisherPeerSend = SrtpContext.forSending(profile, up[0], up[1]);
        agent.extensionIds(publisher, new ReceiveExtensionIds(VideoPacketSource.MID_ID, 0, 0,
            VideoPacketSource.TRANSPORT_CC_ID, 0, dependencyDescriptorId));
        agent.addProducer(publisher, new ProducerSpec("video", "alice", "room", VideoPacketSource.MID, true, 90_000,
            List.of(new ProducerSpec.Codec(payloadType, codec, VideoPacketSource.RTX_PAYLOAD_TYPE)),
            List.of(new ProducerSpec.Encoding(null, PUBLISHER_SSRC, 0)), true, true, true, false, new TrackCounters()));

        subscribers = new Leg[fanOut];
        subscriberPeerReceive = new SrtpContext[fanOut];
        for (int i = 0; i < fanOut; i++) {
            WebRtcTransport transport = transport("subscriber-" + i, clock);
            transport.unprotectedOutputForBenchmarks(!crypto.protectsOutput());
            Leg subscriber = agent.openLeg(transport, "room", random.nextInt());
            subscriber.onPathSelected(new InetSocketAddress("127.0.0.1", 50_001 + i));
            byte[][] in = keys(random, profile);
            byte[][] out = keys(random, profile);
            agent.installKeys(subscriber, SrtpContext.forReceiving(profile, in[0], in[1]),
                SrtpContext.forSending(profile, out[0], out[1]));
            subscriberPeerReceive[i] = SrtpContext.forReceiving(profile, out[0], out[1]);
            agent.addConsumer(subscriber, consumerSpec("consumer-" + i, subscriberSsrc(i), payloadType,
                maxTemporalLayer.applyAsInt(i), maxSpatialLayer.applyAsInt(i)));
            subscribers[i] = subscriber;
        }
    }

    /** A transport as the media engine opens one; ICE is not exercised here. */
    static WebRtcTransport transport(String id, NanoClock clock) {
        return new WebRtcTransport(id, new IceLiteSession(IceCredentials.of(id.replace("-", ""), "p".repeat(22)), clock));
    }

    /** The SSRC subscriber {@code index} receives the track under. */
    static int subscriberSsrc(int index) {
        return 0x5000_0000 + 2 * index;
    }

    private static ConsumerSpec consumerSpec(String id, int ssrc, int payloadType, int maxTemporalLayer,
                                             int maxSpatialLayer) {
        int[] payloadTypes = new int[128];
        Arrays.fill(payloadTypes, -1);
        payloadTypes[payloadType] = SUBSCRIBER_PAYLOAD_TYPE;
        payloadTypes[VideoPacketSource.RTX_PAYLOAD_TYPE] = SUBSCRIBER_RTX_PAYLOAD_TYPE;
        int[] rtxPayloadTypes = new int[128];
        Arrays.fill(rtxPayloadTypes, -1);
        rtxPayloadTypes[SUBSCRIBER_PAYLOAD_TYPE] = SUBSCRIBER_RTX_PAYLOAD_TYPE;
        int[] extensionIds = new int[256];
        extensionIds[VideoPacketSource.ABS_SEND_TIME_ID] = VideoPacketSource.ABS_SEND_TIME_ID;
        extensionIds[VideoPacketSource.TRANSPORT_CC_ID] = VideoPacketSource.TRANSPORT_CC_ID;
        extensionIds[VideoPacketSource.MID_ID] = SUBSCRIBER_MID_ID;
        return new ConsumerSpec(id, "video", ssrc, ssrc + 1, payloadTypes, rtxPayloadTypes, extensionIds,
            Integer.MAX_VALUE, new TrackCounters(), maxTemporalLayer, maxSpatialLayer, 0);
    }

    private static byte[][] keys(SplittableRandom random, SrtpProfile profile) {
        byte[] key = new byte[profile.masterKeyLength()];
        byte[] salt = new byte[profile.masterSaltLength()];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) random.nextInt(256);
        }
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) random.nextInt(256);
        }
        return new byte[][] {key, salt};
    }

    /** Applies the queued set-up commands; only for an agent driven by hand (not started on its own thread). */
    void applyCommands() {
        while (agent.doWork() > 0) {
            // drain
        }
    }

}
