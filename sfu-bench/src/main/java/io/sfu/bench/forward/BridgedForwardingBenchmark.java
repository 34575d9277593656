package io.sfu.bench.forward;

import io.sfu.bench.JvmFlags;
import io.sfu.core.buffer.PacketPool;
import io.sfu.core.forward.BridgeOutput;
import io.sfu.core.forward.ConsumerSpec;
import io.sfu.core.forward.ForwardingAgent;
import io.sfu.core.forward.Leg;
import io.sfu.core.forward.ProducerSpec;
import io.sfu.core.forward.ReceiveExtensionIds;
import io.sfu.core.forward.TrackCounters;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.srtp.SrtpContext;
import io.sfu.core.transport.WebRtcTransport;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A room spread over two forwarding agents: the publisher on the home agent, {@code fanOut} subscribers on the
 * other, fed by a mirror of the track through a pair of bridge legs, as the media engine builds it. One operation is
 * one decrypted packet in at the home agent: its exporting consumer rewrites it and the bridge copies it into a
 * packet slot on the other agent's queue, whose duty cycle (run here on the same thread) hands it to the mirror and
 * on to every subscriber. Beside {@link ForwardingBenchmark#forward} at the same fan-out, the difference is what the
 * bridge adds per packet; {@code gc.alloc.rate.norm} should be about 0 B/op.
 *
 * <p>Run: {@code java -jar sfu-bench/target/benchmarks.jar 'BridgedForwardingBenchmark' -prof gc -wi 2 -i 3 -w 2s
 * -r 2s}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(java.util.concurrent.TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.AGRONA, JvmFlags.GHASH})
public class BridgedForwardingBenchmark {
    private static final int MIRROR_SSRC = 0x4D00_0001;
    private static final int MIRROR_RTX_SSRC = 0x4D00_0002;
    /** The relay's ids of the extensions the bridge carries (transport-wide sequence, audio level, DD). */
    private static final int BRIDGE_TRANSPORT_CC_ID = 2;
    private static final InetSocketAddress NOWHERE = new InetSocketAddress("127.0.0.1", 9);

    @State(Scope.Thread)
    public static class SpreadRoom {
        @Param({"1", "10", "100"})
        public int fanOut;

        @Param({"NONE", "AEAD_AES_128_GCM"})
        public Crypto crypto;

        final CountingOutput output = new CountingOutput();
        final AtomicLong bridgeDrops = new AtomicLong();
        final VideoPacketSource source = new VideoPacketSource(ForwardingRig.PUBLISHER_SSRC);
        final UnsafeBuffer input = new UnsafeBuffer(new byte[2048]);
        final RtpPacket packet = new RtpPacket();
        ForwardingAgent home;
        ForwardingAgent away;
        Leg publisher;
        int length;
        long nowNs;
        long packets;
        private long forwardedAtMark;
        private long packetsAtMark;

        @Setup(Level.Trial)
        public void setUp() {
            SystemNanoClock clock = SystemNanoClock.INSTANCE;
            home = new ForwardingAgent("bench-home", output, clock, new OffsetEpochNanoClock(), null, 1024,
                ForwardingRig.KEYFRAME_INTERVAL_NS);
            away = new ForwardingAgent("bench-away", output, clock, new OffsetEpochNanoClock(), null, 1024,
                ForwardingRig.KEYFRAME_INTERVAL_NS);
            PacketPool pool = new PacketPool(4096);

            publisher = home.openLeg(ForwardingRig.transport("publisher", clock), "room", 11);
            publisher.onPathSelected(new InetSocketAddress("127.0.0.1", 50_000));
            home.installKeys(publisher, context(crypto, false, 1),
                context(crypto, true, 2));
            home.extensionIds(publisher, new ReceiveExtensionIds(VideoPacketSource.MID_ID, 0, 0,
                VideoPacketSource.TRANSPORT_CC_ID, 0, 0));
            List<ProducerSpec.Codec> codecs = List.of(new ProducerSpec.Codec(VideoPacketSource.VP8_PAYLOAD_TYPE, "VP8",
                VideoPacketSource.RTX_PAYLOAD_TYPE));
            home.addProducer(publisher, new ProducerSpec("video", "alice", "room", VideoPacketSource.MID, true,
                90_000, codecs, List.of(new ProducerSpec.Encoding(null, ForwardingRig.PUBLISHER_SSRC, 0)), true, true,
                true, false, new TrackCounters()));

            BridgeOutput toAway = new BridgeOutput(pool, bridgeDrops);
            BridgeOutput toHome = new BridgeOutput(pool, bridgeDrops);
            Leg export = home.openRelayLeg(WebRtcTransport.bridge("export", NOWHERE, toAway), "room", "away", 21);
            Leg mirror = away.openRelayLeg(WebRtcTransport.bridge("import", NOWHERE, toHome), "room", "home", 22);
            toAway.target(mirror);
            toHome.target(export);
            away.extensionIds(mirror, new ReceiveExtensionIds(0, 0, 0, BRIDGE_TRANSPORT_CC_ID, 0, 0));
            away.addProducer(mirror, new ProducerSpec("video", "alice", "room", VideoPacketSource.MID, true, 90_000,
                codecs, List.of(new ProducerSpec.Encoding(null, MIRROR_SSRC, MIRROR_RTX_SSRC)), true, true, true,
                false, new TrackCounters()));
            int[] extensions = new int[256];
            extensions[VideoPacketSource.TRANSPORT_CC_ID] = BRIDGE_TRANSPORT_CC_ID;
            home.addConsumer(export, new ConsumerSpec("bridge/away/video/0", "video", MIRROR_SSRC, MIRROR_RTX_SSRC,
                identity(), rtxMap(VideoPacketSource.VP8_PAYLOAD_TYPE, VideoPacketSource.RTX_PAYLOAD_TYPE), extensions,
                0, new TrackCounters(), ConsumerSpec.ALL_TEMPORAL_LAYERS, ConsumerSpec.ALL_SPATIAL_LAYERS, 0, 0));

            for (int i = 0; i < fanOut; i++) {
                WebRtcTransport transport = ForwardingRig.transport("subscriber-" + i, clock);
                transport.unprotectedOutputForBenchmarks(!crypto.protectsOutput());
                Leg subscriber = away.openLeg(transport, "room", 100 + i);
                subscriber.onPathSelected(new InetSocketAddress("127.0.0.1", 50_001 + i));
                away.installKeys(subscriber, context(crypto, false, 1000 + i),
                    context(crypto, true, 2000 + i));
                int[] subscriberExtensions = new int[256];
                subscriberExtensions[BRIDGE_TRANSPORT_CC_ID] = VideoPacketSource.TRANSPORT_CC_ID;
                int[] payloadTypes = identity();
                payloadTypes[VideoPacketSource.VP8_PAYLOAD_TYPE] = ForwardingRig.SUBSCRIBER_PAYLOAD_TYPE;
                payloadTypes[VideoPacketSource.RTX_PAYLOAD_TYPE] = ForwardingRig.SUBSCRIBER_RTX_PAYLOAD_TYPE;
                away.addConsumer(subscriber, new ConsumerSpec("consumer-" + i, "video",
                    ForwardingRig.subscriberSsrc(i), ForwardingRig.subscriberSsrc(i) + 1, payloadTypes,
                    rtxMap(ForwardingRig.SUBSCRIBER_PAYLOAD_TYPE, ForwardingRig.SUBSCRIBER_RTX_PAYLOAD_TYPE),
                    subscriberExtensions, Integer.MAX_VALUE, new TrackCounters()));
            }
            drain();
            length = source.write(input, 0);
            if (!packet.wrap(input, 0, length)) {
                throw new IllegalStateException("not RTP");
            }
            nowNs = System.nanoTime();
            home.onRtp(publisher, input, 0, length, nowNs);
            drain();
            output.requireKeyframeReachedAll(fanOut);
        }

        private void drain() {
            while (home.doWork() + away.doWork() > 0) {
                // the set-up commands, and what they made cross
            }
        }

        private static int[] identity() {
            int[] map = new int[128];
            for (int i = 0; i < map.length; i++) {
                map[i] = i;
            }
            return map;
        }

        private static int[] rtxMap(int payloadType, int rtxPayloadType) {
            int[] map = new int[128];
            Arrays.fill(map, -1);
            map[payloadType] = rtxPayloadType;
            return map;
        }

        /** A context with keys made from {@code seed}; the peer's half never matters here (no SRTP comes in). */
        private static SrtpContext context(Crypto crypto, boolean sending, int seed) {
            if (sending) {
                return ForwardingBenchmark.sendingContext(crypto, seed);
            }
            byte[] key = new byte[crypto.profile().masterKeyLength()];
            byte[] salt = new byte[crypto.profile().masterSaltLength()];
            Arrays.fill(key, (byte) seed);
            Arrays.fill(salt, (byte) (seed >>> 8));
            return SrtpContext.forReceiving(crypto.profile(), key, salt);
        }

        @Setup(Level.Iteration)
        public void markIteration() {
            forwardedAtMark = output.rtpPackets();
            packetsAtMark = packets;
        }

        /** Fails the run unless every packet of the iteration crossed the bridge and reached every subscriber. */
        @TearDown(Level.Iteration)
        public void checkEveryPacketForwarded() {
            drain();
            long expected = (packets - packetsAtMark) * fanOut;
            long forwarded = output.rtpPackets() - forwardedAtMark;
            if (forwarded != expected || bridgeDrops.get() != 0) {
                throw new IllegalStateException("forwarded " + forwarded + " packets, expected " + expected
                    + "; dropped on the bridge " + bridgeDrops.get());
            }
        }
    }

    @Benchmark
    public long forward(SpreadRoom room, CpuTime cpu) {
        cpu.op();
        long n = ++room.packets;
        if ((n & (ForwardingBenchmark.DUTY_CYCLE_PACKETS - 1)) == 0) {
            room.nowNs = System.nanoTime();
            room.home.doWork();
        }
        room.source.advance(room.packet, n);
        room.home.onRtp(room.publisher, room.input, 0, room.length, room.nowNs);
        // the other agent's duty cycle: takes the packet the bridge queued and fans it out
        room.away.doWork();
        return room.output.rtpBytes();
    }
}
