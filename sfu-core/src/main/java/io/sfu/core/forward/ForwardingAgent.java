package io.sfu.core.forward;

import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.feedback.NtpTime;
import io.sfu.core.net.DatagramKind;
import io.sfu.core.net.DatagramOutput;
import io.sfu.core.rtcp.FullIntraRequest;
import io.sfu.core.rtcp.GenericNack;
import io.sfu.core.rtcp.PictureLossIndication;
import io.sfu.core.rtcp.ReceiverReport;
import io.sfu.core.rtcp.ReportBlock;
import io.sfu.core.rtcp.RtcpCompoundIterator;
import io.sfu.core.rtcp.RtcpHeader;
import io.sfu.core.rtcp.SenderReport;
import io.sfu.core.rtcp.TransportCcFeedbackBuilder;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.srtp.SrtpContext;
import org.agrona.collections.Object2ObjectHashMap;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.jctools.queues.MpscArrayQueue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The forwarding duty cycle for the rooms sharded to it: unprotects each SRTP/SRTCP packet its transports
 * receive, routes RTP from a producer to each of its consumers (rewritten and protected per subscriber, sent
 * before the next packet is looked at), and terminates RTCP on each leg: receiver reports, NACKs and
 * transport-wide feedback toward publishers; sender reports, retransmissions and keyframe requests for
 * subscribers.
 *
 * <p>Only this agent's thread touches its transports, producers and consumers; other threads reach it through
 * {@link #enqueue} (packets) and the command methods, which queue onto a bounded lock-free queue. Nothing on the
 * per-packet path allocates, locks or blocks.
 */
public final class ForwardingAgent implements WakeableAgent {
    public static final int DEFAULT_INBOUND_CAPACITY = 8192;
    static final int COMMAND_CAPACITY = 4096;
    static final int MAX_PACKETS_PER_CYCLE = 512;
    static final int MAX_COMMANDS_PER_CYCLE = 64;
    static final long TICK_NS = TimeUnit.MILLISECONDS.toNanos(20);
    static final long REPORT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    static final long LAYER_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(500);
    static final long ACTIVE_LAYER_WINDOW_NS = TimeUnit.MILLISECONDS.toNanos(1500);
    static final long TRANSPORT_CC_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    static final int TRANSPORT_CC_PACKET_THRESHOLD = 100;
    static final long DEFAULT_KEYFRAME_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final int MAX_NACK_WORDS = 64;
    private static final int MAX_REPORT_BLOCKS = 31;
    /** RFC 6464: levels above this (-dBov) are silence for dominant-speaker purposes. */
    private static final int SILENCE_LEVEL = 127;
    /** Average levels at or above this (quieter than -120 dBov) count as silence. */
    private static final int SILENCE_THRESHOLD = SILENCE_LEVEL - 7;
    private static final int DOMINANCE_MARGIN_DB = 6;

    private final String name;
    private final MpscArrayQueue<PacketSlot> inbound;
    private final MpscArrayQueue<Runnable> commands = new MpscArrayQueue<>(COMMAND_CAPACITY);
    private final DatagramOutput output;
    private final NanoClock clock;
    private final EpochNanoClock wallClock;
    private final ForwardingListener listener;
    private final long keyframeIntervalNs;
    private volatile AgentThread thread;

    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[PacketSlot.CAPACITY]);
    private final ByteBuffer scratchView = ByteBuffer.wrap(scratch.byteArray());
    private final RtpPacket rtp = new RtpPacket();
    private final RtpPacket out = new RtpPacket();
    private final RtcpCompoundIterator rtcp = new RtcpCompoundIterator();
    private final GenericNack nackReader = new GenericNack();
    private final SenderReport senderReport = new SenderReport();
    private final ReceiverReport receiverReport = new ReceiverReport();
    private final ReportBlock reportBlock = new ReportBlock();
    private final PictureLossIndication pli = new PictureLossIndication();
    private final FullIntraRequest fir = new FullIntraRequest();
    private final int[] nackWords = new int[MAX_NACK_WORDS];
    /** Where a NACKed packet is copied out of the history before it is rewritten into the scratch buffer. */
    private final UnsafeBuffer retransmitBuffer = new UnsafeBuffer(new byte[PacketSlot.CAPACITY]);
    private final IntConsumer retransmitter = this::retransmit;
    private Consumer retransmitFor;
    private long retransmitNowNs;

    private final List<ForwardTransport> transports = new ArrayList<>();
    private final Object2ObjectHashMap<String, Producer> producers = new Object2ObjectHashMap<>();
    private final Object2ObjectHashMap<String, Consumer> consumers = new Object2ObjectHashMap<>();
    private final Object2ObjectHashMap<String, String> dominantSpeakers = new Object2ObjectHashMap<>();

    private long nextTickNs;
    private long nextReportNs;
    private long nextLayerNs;

    private long inboundDrops;
    private long packetsForwarded;
    private long packetsProcessed;

    public ForwardingAgent(String name, DatagramOutput output, NanoClock clock, EpochNanoClock wallClock,
                           ForwardingListener listener, int inboundCapacity, long keyframeIntervalNs) {
        this.name = name;
        this.output = output;
        this.clock = clock;
        this.wallClock = wallClock;
        this.listener = listener;
        this.inbound = new MpscArrayQueue<>(inboundCapacity);
        this.keyframeIntervalNs = keyframeIntervalNs;
        long now = clock.nanoTime();
        this.nextTickNs = now + TICK_NS;
        this.nextReportNs = now + REPORT_INTERVAL_NS;
        this.nextLayerNs = now + LAYER_INTERVAL_NS;
    }

    /** Starts this agent on its own thread. */
    public AgentThread start() {
        AgentThread runner = new AgentThread(this);
        this.thread = runner;
        return runner.start();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Producers' side: the receive thread and the control plane

    /**
     * Hands a received SRTP or SRTCP datagram of {@code transport} (set as the slot's context) to this agent.
     * Returns false, counted, when the agent's queue is full: the caller keeps the slot.
     */
    public boolean enqueue(PacketSlot slot) {
        if (!inbound.offer(slot)) {
            inboundDrops++;
            return false;
        }
        AgentThread runner = thread;
        if (runner != null) {
            runner.wake();
        }
        return true;
    }

    private void command(Runnable command) {
        if (!commands.offer(command)) {
            throw new IllegalStateException(name + ": command queue full");
        }
        AgentThread runner = thread;
        if (runner != null) {
            runner.wake();
        }
    }

    /** Registers a transport with this agent; packets for it may be enqueued from now on. */
    public void addTransport(ForwardTransport transport) {
        command(() -> transports.add(transport));
    }

    /** Installs the SRTP contexts a completed DTLS handshake produced; packets before it are dropped. */
    public void installKeys(ForwardTransport transport, SrtpContext receive, SrtpContext send) {
        command(() -> {
            transport.receiveContext = receive;
            transport.sendContext = send;
            // consumers that waited for this transport start at the next keyframe: ask for one now
            long now = clock.nanoTime();
            for (int i = 0, n = transport.consumers.size(); i < n; i++) {
                Consumer consumer = transport.consumers.get(i);
                if (consumer.currentLayer < 0) {
                    requestKeyframe(consumer.producer, consumer.targetLayer, now);
                }
            }
        });
    }

    /** Sets the publisher-side header-extension ids of {@code transport}; 0 means not negotiated. */
    public void setExtensionIds(ForwardTransport transport, int mid, int rid, int repairedRid, int transportCc,
                                int audioLevel) {
        command(() -> {
            transport.midExtensionId = mid;
            transport.ridExtensionId = rid;
            transport.repairedRidExtensionId = repairedRid;
            transport.transportCcExtensionId = transportCc;
            transport.audioLevelExtensionId = audioLevel;
            if (transportCc > 0 && transport.transportCc == null) {
                transport.transportCc = new TransportCcFeedbackBuilder(1024, 1200);
            }
        });
    }

    /** Removes a transport with its producers (and their consumers) and its consumers; idempotent. */
    public void removeTransport(ForwardTransport transport) {
        command(() -> {
            for (Producer producer : new ArrayList<>(transport.producers)) {
                dropProducer(producer);
            }
            for (Consumer consumer : new ArrayList<>(transport.consumers)) {
                dropConsumer(consumer);
            }
            transport.closed = true;
            transports.remove(transport);
        });
    }

    /**
     * Adds a published track, or replaces the one with the same track id (a renegotiation changed its codecs or
     * encodings): the replaced track's subscribers are carried over and start again at the next keyframe.
     */
    public void addProducer(ForwardTransport transport, ProducerSpec spec) {
        command(() -> {
            Producer old = producers.get(spec.trackId());
            List<Consumer> carried = new ArrayList<>();
            if (old != null) {
                for (int i = 0; i < old.consumerCount; i++) {
                    carried.add(old.consumers[i]);
                }
                dropProducer(old);
            }
            Producer producer = new Producer(spec, transport, keyframeIntervalNs);
            producers.put(spec.trackId(), producer);
            transport.producers.add(producer);
            for (ProducerStream stream : producer.streams) {
                if (stream.ssrc != 0) {
                    transport.streamsBySsrc.put(stream.ssrc, stream);
                }
                if (stream.rtxSsrc != 0) {
                    transport.streamsBySsrc.put(stream.rtxSsrc, stream);
                }
            }
            for (Consumer consumer : carried) {
                attachConsumer(consumer.transport, consumer.spec, producer).continueFrom(consumer);
            }
        });
    }

    public void removeProducer(String trackId) {
        command(() -> {
            Producer producer = producers.get(trackId);
            if (producer != null) {
                dropProducer(producer);
            }
        });
    }

    public void setProducerMuted(String trackId, boolean muted) {
        command(() -> {
            Producer producer = producers.get(trackId);
            if (producer != null) {
                producer.muted = muted;
            }
        });
    }

    /**
     * Starts forwarding a producer of this agent to {@code transport} (a subscriber's). A producer that is not
     * (or no longer) here makes this a no-op; the control plane removes the subscription with the track.
     */
    public void addConsumer(ForwardTransport transport, ConsumerSpec spec) {
        command(() -> {
            Producer producer = producers.get(spec.producerTrackId());
            if (producer == null) {
                return;
            }
            Consumer old = consumers.get(spec.consumerId());
            if (old != null) {
                dropConsumer(old);
            }
            attachConsumer(transport, spec, producer);
        });
    }

    private Consumer attachConsumer(ForwardTransport transport, ConsumerSpec spec, Producer producer) {
        Consumer consumer = new Consumer(spec, transport, producer);
        consumers.put(spec.consumerId(), consumer);
        transport.consumers.add(consumer);
        transport.consumersBySsrc.put(consumer.ssrc, consumer);
        if (consumer.rtxSsrc != 0) {
            transport.consumersBySsrc.put(consumer.rtxSsrc, consumer);
        }
        producer.addConsumer(consumer);
        chooseLayer(consumer, clock.nanoTime());
        requestKeyframe(producer, consumer.targetLayer, clock.nanoTime());
        return consumer;
    }

    public void removeConsumer(String consumerId) {
        command(() -> {
            Consumer consumer = consumers.get(consumerId);
            if (consumer != null) {
                dropConsumer(consumer);
            }
        });
    }

    /** The subscriber's preferred simulcast layer (index into the producer's encodings, clamped). */
    public void setPreferredLayer(String consumerId, int layer) {
        command(() -> {
            Consumer consumer = consumers.get(consumerId);
            if (consumer != null) {
                consumer.preferredLayer = Math.max(0, Math.min(layer, consumer.producer.streams.length - 1));
                chooseLayer(consumer, clock.nanoTime());
            }
        });
    }

    /** Runs {@code reader} on the agent thread, for control-plane snapshots that must see consistent state. */
    public <T> CompletableFuture<T> query(java.util.function.Supplier<T> reader) {
        CompletableFuture<T> result = new CompletableFuture<>();
        command(() -> {
            try {
                result.complete(reader.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private void dropProducer(Producer producer) {
        for (int i = producer.consumerCount - 1; i >= 0; i--) {
            dropConsumer(producer.consumers[i]);
        }
        producers.remove(producer.trackId());
        ForwardTransport transport = producer.transport;
        transport.producers.remove(producer);
        for (ProducerStream stream : producer.streams) {
            if (stream.ssrc != 0 && transport.streamsBySsrc.get(stream.ssrc) == stream) {
                transport.streamsBySsrc.remove(stream.ssrc);
            }
            if (stream.rtxSsrc != 0 && transport.streamsBySsrc.get(stream.rtxSsrc) == stream) {
                transport.streamsBySsrc.remove(stream.rtxSsrc);
            }
        }
    }

    private void dropConsumer(Consumer consumer) {
        consumers.remove(consumer.id());
        consumer.producer.removeConsumer(consumer);
        ForwardTransport transport = consumer.transport;
        transport.consumers.remove(consumer);
        if (transport.consumersBySsrc.get(consumer.ssrc) == consumer) {
            transport.consumersBySsrc.remove(consumer.ssrc);
        }
        if (consumer.rtxSsrc != 0 && transport.consumersBySsrc.get(consumer.rtxSsrc) == consumer) {
            transport.consumersBySsrc.remove(consumer.rtxSsrc);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The duty cycle

    @Override
    public int doWork() {
        long now = clock.nanoTime();
        int work = 0;
        for (int i = 0; i < MAX_COMMANDS_PER_CYCLE; i++) {
            Runnable command = commands.poll();
            if (command == null) {
                break;
            }
            command.run();
            work++;
        }
        for (int i = 0; i < MAX_PACKETS_PER_CYCLE; i++) {
            PacketSlot slot = inbound.poll();
            if (slot == null) {
                break;
            }
            try {
                onDatagram(slot, now);
            } finally {
                slot.release();
            }
            work++;
        }
        if (now - nextTickNs >= 0) {
            work += onTick(now);
        }
        return work;
    }

    @Override
    public boolean hasPendingWork() {
        return !inbound.isEmpty() || !commands.isEmpty();
    }

    @Override
    public long nextDeadlineNs(long nowNs) {
        return nextTickNs;
    }

    @Override
    public void onClose() {
        PacketSlot slot;
        while ((slot = inbound.poll()) != null) {
            slot.release();
        }
    }

    @Override
    public String roleName() {
        return name;
    }

    /** Processes one datagram of a transport; the slot is released by the caller. Visible for benchmarks. */
    void onDatagram(PacketSlot slot, long now) {
        ForwardTransport transport = (ForwardTransport) slot.context();
        if (transport == null || transport.closed || transport.receiveContext == null) {
            return;
        }
        packetsProcessed++;
        DatagramKind kind = DatagramKind.of(slot.array(), slot.offset(), slot.length());
        if (kind == DatagramKind.RTP) {
            int length = transport.receiveContext.unprotectRtp(slot.buffer(), slot.offset(), slot.length());
            if (length < 0) {
                transport.srtpFailures++;
                return;
            }
            onRtp(transport, slot.buffer(), slot.offset(), length, now);
        } else if (kind == DatagramKind.RTCP) {
            int length = transport.receiveContext.unprotectRtcp(slot.buffer(), slot.offset(), slot.length());
            if (length < 0) {
                transport.srtpFailures++;
                return;
            }
            onRtcp(transport, slot.buffer(), slot.offset(), length, now);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // RTP from publishers

    /**
     * Routes one decrypted RTP packet of {@code transport} to the consumers of its producer. This is the step after
     * SRTP unprotect; benchmarks call it directly on the thread that runs this agent's duty cycle.
     */
    public void onRtp(ForwardTransport transport, UnsafeBuffer buffer, int offset, int length, long now) {
        if (!rtp.wrap(buffer, offset, length)) {
            transport.malformedPackets++;
            return;
        }
        transport.rtpPackets++;
        if (transport.transportCcExtensionId > 0 && transport.transportCc != null) {
            long sequence = rtp.extensionValue(transport.transportCcExtensionId);
            if (sequence >= 0) {
                transport.transportCc.addPacket((int) sequence, now / 1000);
            }
        }
        int ssrc = rtp.ssrc();
        ProducerStream stream = transport.streamsBySsrc.get(ssrc);
        if (stream == null) {
            stream = learnStream(transport, ssrc);
            if (stream == null) {
                transport.unknownSsrcPackets++;
                return;
            }
        }
        boolean retransmission = false;
        if (ssrc == stream.rtxSsrc && ssrc != stream.ssrc) {
            length = unwrapRtx(stream, buffer, offset, length);
            if (length < 0) {
                return;
            }
            retransmission = true;
        }
        Producer producer = stream.producer;
        int sequence = rtp.sequenceNumber();
        if (retransmission) {
            stream.statistics.onRetransmittedPacket(sequence, now, length);
        } else {
            stream.statistics.onPacket(sequence, (int) rtp.timestamp(), now, length);
        }
        if (stream.nack != null) {
            stream.nack.onPacket(sequence, now);
        }
        stream.history.store(sequence, buffer, offset, length, now);
        stream.packets++;
        stream.bytes += length;
        stream.bitrate.onBytes(length, now);
        stream.lastPacketNs = now;
        boolean keyframe = false;
        if (producer.video) {
            var detector = producer.detectors[rtp.payloadType()];
            keyframe = detector != null && detector.isKeyframe(buffer, rtp.payloadOffset(), rtp.payloadLength());
            if (keyframe) {
                stream.keyframes++;
            }
        } else if (transport.audioLevelExtensionId > 0) {
            long level = rtp.extensionValue(transport.audioLevelExtensionId);
            if (level >= 0) {
                producer.levelSum += level & 0x7F;
                producer.levelCount++;
            }
        }
        if (producer.muted) {
            return;
        }
        Consumer[] fanOut = producer.consumers;
        for (int i = 0, n = producer.consumerCount; i < n; i++) {
            forward(fanOut[i], stream, buffer, offset, length, sequence, keyframe, now);
        }
    }

    /** Maps an SSRC the SDP did not announce to its encoding through the mid and rid header extensions. */
    private ProducerStream learnStream(ForwardTransport transport, int ssrc) {
        if (transport.midExtensionId <= 0) {
            return transport.producers.size() == 1 && transport.producers.get(0).streams.length == 1
                ? bindFirstUnbound(transport, transport.producers.get(0).streams[0], ssrc) : null;
        }
        long mid = rtp.findExtension(transport.midExtensionId);
        if (mid == RtpPacket.NOT_FOUND) {
            return null;
        }
        Producer producer = null;
        for (int i = 0, n = transport.producers.size(); i < n; i++) {
            Producer candidate = transport.producers.get(i);
            if (candidate.midEquals(rtp.buffer(), RtpPacket.valueOffset(mid), RtpPacket.valueLength(mid))) {
                producer = candidate;
                break;
            }
        }
        if (producer == null) {
            return null;
        }
        if (producer.streams.length == 1 && producer.streams[0].rid == null) {
            return bindFirstUnbound(transport, producer.streams[0], ssrc);
        }
        long rid = transport.ridExtensionId > 0 ? rtp.findExtension(transport.ridExtensionId) : RtpPacket.NOT_FOUND;
        if (rid != RtpPacket.NOT_FOUND) {
            ProducerStream stream = producer.streamByRid(rtp.buffer(), RtpPacket.valueOffset(rid),
                RtpPacket.valueLength(rid));
            if (stream != null && stream.ssrc == 0) {
                stream.ssrc = ssrc;
                transport.streamsBySsrc.put(ssrc, stream);
            }
            return stream != null && stream.ssrc == ssrc ? stream : null;
        }
        long repaired = transport.repairedRidExtensionId > 0
            ? rtp.findExtension(transport.repairedRidExtensionId) : RtpPacket.NOT_FOUND;
        if (repaired != RtpPacket.NOT_FOUND) {
            ProducerStream stream = producer.streamByRid(rtp.buffer(), RtpPacket.valueOffset(repaired),
                RtpPacket.valueLength(repaired));
            if (stream != null && stream.rtxSsrc == 0) {
                stream.rtxSsrc = ssrc;
                transport.streamsBySsrc.put(ssrc, stream);
            }
            return stream != null && stream.rtxSsrc == ssrc ? stream : null;
        }
        return null;
    }

    /** A single-encoding track whose SSRCs were not announced: the first SSRC is the media, an RTX PT the RTX. */
    private ProducerStream bindFirstUnbound(ForwardTransport transport, ProducerStream stream, int ssrc) {
        boolean rtxPayload = stream.producer.primaryByRtx[rtp.payloadType()] >= 0;
        if (rtxPayload && stream.rtxSsrc == 0) {
            stream.rtxSsrc = ssrc;
        } else if (!rtxPayload && stream.ssrc == 0) {
            stream.ssrc = ssrc;
        } else {
            return null;
        }
        transport.streamsBySsrc.put(ssrc, stream);
        return stream;
    }

    /**
     * Turns an RTX packet (RFC 4588 §4: original sequence number in the first two payload octets) back into the
     * original packet in place, and re-wraps the flyweight on it. Returns the new length, or -1 for a packet
     * that carries no original (a padding-only bandwidth probe).
     */
    private int unwrapRtx(ProducerStream stream, UnsafeBuffer buffer, int offset, int length) {
        int payloadLength = rtp.payloadLength();
        int primary = stream.producer.primaryByRtx[rtp.payloadType()];
        if (payloadLength < 2 || primary < 0 || stream.ssrc == 0) {
            return -1;
        }
        int payloadOffset = rtp.payloadOffset();
        int originalSequence = buffer.getShort(payloadOffset, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
        byte[] array = buffer.byteArray();
        int base = (int) buffer.wrapAdjustment();
        System.arraycopy(array, base + payloadOffset + 2, array, base + payloadOffset, payloadLength - 2);
        int newLength = payloadOffset - offset + payloadLength - 2;
        buffer.putByte(offset, (byte) (buffer.getByte(offset) & ~0x20));
        if (!rtp.wrap(buffer, offset, newLength)) {
            return -1;
        }
        rtp.ssrc(stream.ssrc).sequenceNumber(originalSequence).payloadType(primary);
        return newLength;
    }

    private void forward(Consumer consumer, ProducerStream stream, UnsafeBuffer buffer, int offset, int length,
                         int sequence, boolean keyframe, long now) {
        if (consumer.paused) {
            return;
        }
        int layer = stream.index;
        if (layer != consumer.currentLayer) {
            if (layer != consumer.targetLayer || (!keyframe && consumer.producer.video)
                || consumer.transport.sendContext == null || consumer.transport.remote() == null) {
                return;
            }
            consumer.switchTo(layer, sequence, rtp.timestamp(), now);
        } else if (consumer.precedesSwitch(sequence)) {
            return;
        }
        int outSequence = (sequence + consumer.sequenceDelta) & 0xFFFF;
        long outTimestamp = (rtp.timestamp() + consumer.timestampDelta) & 0xFFFF_FFFFL;
        int sent = send(consumer, buffer, offset, length, outSequence, outTimestamp, false);
        if (sent > 0) {
            consumer.onSent(outSequence, outTimestamp, sent, now);
            packetsForwarded++;
        }
    }

    /**
     * Copies the packet into the scratch buffer, rewrites it for {@code consumer} (as RTX when {@code asRtx}),
     * protects and sends it. Returns the bytes sent, or -1 when dropped (counted on the consumer).
     */
    private int send(Consumer consumer, UnsafeBuffer buffer, int offset, int length, int outSequence,
                     long outTimestamp, boolean asRtx) {
        ForwardTransport target = consumer.transport;
        SrtpContext context = target.sendContext;
        InetSocketAddress remote = target.remote();
        if (context == null || remote == null) {
            consumer.dropped++;
            return -1;
        }
        scratch.putBytes(0, buffer, offset, length);
        if (!out.wrap(scratch, 0, length)) {
            consumer.dropped++;
            return -1;
        }
        int payloadType = consumer.payloadTypeMap[out.payloadType()];
        if (payloadType < 0) {
            consumer.dropped++;
            return -1;
        }
        out.payloadType(payloadType).ssrc(consumer.ssrc).sequenceNumber(outSequence).timestamp(outTimestamp);
        out.remapExtensionIds(consumer.extensionIdMap);
        if (asRtx) {
            int rtxPayloadType = consumer.rtxPayloadTypeMap[payloadType];
            length = toRtx(length, outSequence, rtxPayloadType, consumer.rtxSsrc,
                consumer.rtxSequence = (consumer.rtxSequence + 1) & 0xFFFF);
        }
        int protectedLength = target.unprotectedOutput ? length : context.protectRtp(scratch, 0, length);
        if (protectedLength < 0) {
            consumer.dropped++;
            return -1;
        }
        scratchView.limit(protectedLength).position(0);
        if (!output.send(scratchView, remote)) {
            consumer.dropped++;
            target.sendFailures++;
            return -1;
        }
        return protectedLength;
    }

    /** Rewrites the packet in the scratch buffer (wrapped by {@link #out}) as RTX (RFC 4588 §4), dropping padding. */
    private int toRtx(int length, int originalSequence, int rtxPayloadType, int rtxSsrc, int rtxSequence) {
        int payloadOffset = out.payloadOffset();
        int payloadLength = out.payloadLength();
        byte[] array = scratch.byteArray();
        System.arraycopy(array, payloadOffset, array, payloadOffset + 2, payloadLength);
        scratch.putShort(payloadOffset, (short) originalSequence, java.nio.ByteOrder.BIG_ENDIAN);
        scratch.putByte(0, (byte) (scratch.getByte(0) & ~0x20));
        int newLength = payloadOffset + payloadLength + 2;
        out.wrap(scratch, 0, newLength);
        out.payloadType(rtxPayloadType).ssrc(rtxSsrc).sequenceNumber(rtxSequence);
        return newLength;
    }

    // ---------------------------------------------------------------------------------------------------------
    // RTCP from either side

    void onRtcp(ForwardTransport transport, UnsafeBuffer buffer, int offset, int length, long now) {
        if (!rtcp.wrap(buffer, offset, length)) {
            transport.malformedPackets++;
            return;
        }
        transport.rtcpPackets++;
        while (rtcp.next()) {
            int packetOffset = rtcp.packetOffset();
            int packetLength = rtcp.packetLength();
            switch (rtcp.packetType()) {
                case RtcpHeader.SENDER_REPORT -> onSenderReport(transport, buffer, packetOffset, packetLength, now);
                case RtcpHeader.RECEIVER_REPORT -> {
                    if (receiverReport.wrap(buffer, packetOffset, packetLength)) {
                        for (int i = 0; i < receiverReport.reportCount(); i++) {
                            onReportBlock(transport, receiverReport.reportBlock(i, reportBlock));
                        }
                    }
                }
                case RtcpHeader.TRANSPORT_FEEDBACK -> {
                    if (rtcp.count() == GenericNack.FORMAT && nackReader.wrap(buffer, packetOffset, packetLength)) {
                        onNack(transport, now);
                    }
                }
                case RtcpHeader.PAYLOAD_FEEDBACK -> onPayloadFeedback(transport, buffer, packetOffset, packetLength,
                    now);
                default -> {
                    // SDES, BYE, APP, XR: nothing the forwarding path needs
                }
            }
        }
    }

    private void onSenderReport(ForwardTransport transport, UnsafeBuffer buffer, int offset, int length, long now) {
        if (!senderReport.wrap(buffer, offset, length)) {
            return;
        }
        ProducerStream stream = transport.streamsBySsrc.get(senderReport.ssrc());
        if (stream != null && stream.ssrc == senderReport.ssrc()) {
            stream.statistics.onSenderReport(senderReport.ntpTimestamp(), now);
        }
        for (int i = 0; i < senderReport.reportCount(); i++) {
            onReportBlock(transport, senderReport.reportBlock(i, reportBlock));
        }
    }

    private void onReportBlock(ForwardTransport transport, ReportBlock block) {
        Consumer consumer = transport.consumersBySsrc.get(block.ssrc());
        if (consumer == null || block.ssrc() != consumer.ssrc) {
            return;
        }
        consumer.reportedLost = Math.max(0, block.cumulativeLost());
        if (block.lastSenderReport() != 0) {
            int nowMiddle = NtpTime.middle32(NtpTime.fromUnixNanos(wallClock.nanoTime()));
            transport.rtt.onReportBlock((int) block.lastSenderReport(), block.delaySinceLastSenderReport(),
                nowMiddle);
        }
    }

    private void onNack(ForwardTransport transport, long now) {
        Consumer consumer = transport.consumersBySsrc.get(nackReader.mediaSsrc());
        if (consumer == null || consumer.currentLayer < 0) {
            return;
        }
        consumer.nacksReceived++;
        retransmitFor = consumer;
        retransmitNowNs = now;
        nackReader.forEachLost(retransmitter);
        retransmitFor = null;
    }

    /** Sends the packet a subscriber reported lost again, as RTX where it negotiated RTX. */
    private void retransmit(int outSequence) {
        Consumer consumer = retransmitFor;
        int inSequence = (outSequence - consumer.sequenceDelta) & 0xFFFF;
        if (consumer.precedesSwitch(inSequence)) {
            return;
        }
        ProducerStream stream = consumer.producer.streams[consumer.currentLayer];
        int length = stream.history.copyOut(inSequence, retransmitNowNs, retransmitBuffer, 0);
        if (length <= 0) {
            return;
        }
        if (!rtp.wrap(retransmitBuffer, 0, length)) {
            return;
        }
        long outTimestamp = (rtp.timestamp() + consumer.timestampDelta) & 0xFFFF_FFFFL;
        boolean asRtx = consumer.rtxSsrc != 0 && consumer.rtxPayloadTypeMap[
            Math.max(0, consumer.payloadTypeMap[rtp.payloadType()])] >= 0;
        if (send(consumer, retransmitBuffer, 0, length, outSequence, outTimestamp, asRtx) > 0) {
            consumer.retransmitted++;
        }
    }

    private void onPayloadFeedback(ForwardTransport transport, UnsafeBuffer buffer, int offset, int length,
                                   long now) {
        int format = rtcp.count();
        if (format == 1 && pli.wrap(buffer, offset, length)) {
            onKeyframeRequest(transport.consumersBySsrc.get(pli.mediaSsrc()), now);
        } else if (format == 4 && fir.wrap(buffer, offset, length)) {
            for (int i = 0; i < fir.entryCount(); i++) {
                onKeyframeRequest(transport.consumersBySsrc.get(fir.entrySsrc(i)), now);
            }
        }
    }

    private void onKeyframeRequest(Consumer consumer, long now) {
        if (consumer == null) {
            return;
        }
        consumer.keyframeRequestsReceived++;
        requestKeyframe(consumer.producer, consumer.currentLayer >= 0 ? consumer.currentLayer
            : consumer.targetLayer, now);
    }

    /** Asks the publisher for a keyframe on one encoding, at most once per throttle interval. */
    private void requestKeyframe(Producer producer, int layer, long now) {
        if (layer < 0 || layer >= producer.streams.length) {
            return;
        }
        ProducerStream stream = producer.streams[layer];
        ForwardTransport transport = producer.transport;
        if (stream.ssrc == 0 || transport.sendContext == null || !stream.keyframeThrottle.tryPli(now)) {
            return;
        }
        int length;
        if (producer.spec.pli() || !producer.spec.fir()) {
            length = PictureLossIndication.write(scratch, 0, transport.rtcpSsrc(), stream.ssrc);
        } else {
            length = FullIntraRequest.write(scratch, 0, transport.rtcpSsrc(), stream.ssrc,
                stream.keyframeThrottle.nextFirSequenceNumber());
        }
        stream.keyframeRequests++;
        sendRtcp(transport, length);
    }

    private void sendRtcp(ForwardTransport transport, int length) {
        InetSocketAddress remote = transport.remote();
        if (remote == null || transport.sendContext == null) {
            return;
        }
        int protectedLength = transport.sendContext.protectRtcp(scratch, 0, length);
        if (protectedLength < 0) {
            return;
        }
        scratchView.limit(protectedLength).position(0);
        if (!output.send(scratchView, remote)) {
            transport.sendFailures++;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Timers

    private int onTick(long now) {
        nextTickNs = now + TICK_NS;
        int work = 0;
        for (int i = 0, n = transports.size(); i < n; i++) {
            ForwardTransport transport = transports.get(i);
            if (transport.sendContext == null) {
                continue;
            }
            work += sendNacks(transport, now);
            work += sendTransportCc(transport, now);
        }
        if (now - nextLayerNs >= 0) {
            nextLayerNs = now + LAYER_INTERVAL_NS;
            for (Consumer consumer : consumers.values()) {
                chooseLayer(consumer, now);
            }
            electDominantSpeakers();
        }
        if (now - nextReportNs >= 0) {
            nextReportNs = now + REPORT_INTERVAL_NS;
            for (int i = 0, n = transports.size(); i < n; i++) {
                sendReports(transports.get(i), now);
            }
            publishCounters(now);
            work++;
        }
        return work;
    }

    private int sendNacks(ForwardTransport transport, long now) {
        int sent = 0;
        for (int p = 0, n = transport.producers.size(); p < n; p++) {
            Producer producer = transport.producers.get(p);
            for (ProducerStream stream : producer.streams) {
                if (stream.nack == null || stream.ssrc == 0) {
                    continue;
                }
                int words = stream.nack.collectRequests(now, transport.rtt.smoothedRttNs(), nackWords);
                if (words > 0) {
                    int length = GenericNack.writeEntries(scratch, 0, transport.rtcpSsrc(), stream.ssrc, nackWords,
                        words);
                    stream.nacksSent++;
                    sendRtcp(transport, length);
                    sent++;
                }
            }
        }
        return sent;
    }

    private int sendTransportCc(ForwardTransport transport, long now) {
        TransportCcFeedbackBuilder builder = transport.transportCc;
        if (builder == null || builder.pendingPackets() == 0) {
            return 0;
        }
        if (now - transport.lastTransportCcNs < TRANSPORT_CC_INTERVAL_NS
            && builder.pendingPackets() < TRANSPORT_CC_PACKET_THRESHOLD) {
            return 0;
        }
        transport.lastTransportCcNs = now;
        int mediaSsrc = transport.producers.isEmpty() ? 0 : transport.producers.get(0).streams[0].ssrc;
        int sent = 0;
        while (builder.pendingPackets() > 0 && sent < 8) {
            int length = builder.build(scratch, 0, 1200, transport.rtcpSsrc(), mediaSsrc,
                transport.transportCcFeedbackCount);
            if (length <= 0) {
                break;
            }
            transport.transportCcFeedbackCount = (transport.transportCcFeedbackCount + 1) & 0xFF;
            sendRtcp(transport, length);
            sent++;
        }
        return sent;
    }

    /** Receiver reports toward the publisher and sender reports toward each subscriber, once a second. */
    private void sendReports(ForwardTransport transport, long now) {
        if (transport.sendContext == null) {
            return;
        }
        int blocks = 0;
        int offset = ReceiverReport.length(0);
        for (int p = 0, n = transport.producers.size(); p < n && blocks < MAX_REPORT_BLOCKS; p++) {
            for (ProducerStream stream : transport.producers.get(p).streams) {
                if (stream.ssrc == 0 || !stream.statistics.hasReceived() || blocks == MAX_REPORT_BLOCKS) {
                    continue;
                }
                var statistics = stream.statistics;
                ReportBlock.write(scratch, offset + blocks * ReportBlock.LENGTH, stream.ssrc,
                    statistics.fractionLost(), statistics.cumulativeLost(), statistics.extendedHighestSequence(),
                    statistics.jitter(), statistics.lastSenderReport() & 0xFFFF_FFFFL,
                    statistics.delaySinceLastSenderReport(now));
                statistics.onReportSent();
                blocks++;
            }
        }
        if (blocks > 0) {
            int length = ReceiverReport.write(scratch, 0, transport.rtcpSsrc(), blocks);
            sendRtcp(transport, length);
        }
        long ntp = NtpTime.fromUnixNanos(wallClock.nanoTime());
        for (int c = 0, n = transport.consumers.size(); c < n; c++) {
            Consumer consumer = transport.consumers.get(c);
            if (!consumer.started || consumer.packets == 0) {
                continue;
            }
            long elapsedTicks = (now - consumer.lastOutNs) * consumer.producer.clockRateHz / 1_000_000_000L;
            long rtpTimestamp = (consumer.highestOutTimestamp + elapsedTicks) & 0xFFFF_FFFFL;
            int length = SenderReport.write(scratch, 0, consumer.ssrc, ntp, rtpTimestamp, consumer.packets,
                consumer.bytes, 0);
            sendRtcp(transport, length);
        }
    }

    /**
     * Picks the layer a consumer should receive: its preference, or the highest layer below it that is actually
     * arriving (a publisher drops its top layers when its uplink is short). A change asks for a keyframe.
     */
    private void chooseLayer(Consumer consumer, long now) {
        Producer producer = consumer.producer;
        int target = consumer.preferredLayer;
        if (producer.streams.length > 1) {
            int active = producer.highestActiveIndex(now, ACTIVE_LAYER_WINDOW_NS);
            if (active >= 0 && active < target) {
                target = active;
            }
        }
        consumer.targetLayer = target;
        if (consumer.currentLayer != target) {
            requestKeyframe(producer, target, now);
        }
    }

    /**
     * Per room, the publisher whose audio was loudest over the last interval (lowest average RFC 6464 level, in
     * -dBov) becomes dominant; a challenger must beat the current speaker by {@value #DOMINANCE_MARGIN_DB} dB, or
     * the current speaker must have gone silent, so that two equally loud voices do not flap.
     */
    private void electDominantSpeakers() {
        Object2ObjectHashMap<String, Producer> loudest = null;
        for (Producer producer : producers.values()) {
            if (producer.video) {
                continue;
            }
            long average = producer.levelCount == 0 ? SILENCE_LEVEL : producer.levelSum / producer.levelCount;
            producer.levelSum = 0;
            producer.levelCount = 0;
            producer.lastAverageLevel = producer.muted ? SILENCE_LEVEL : average;
            if (producer.lastAverageLevel >= SILENCE_THRESHOLD) {
                continue;
            }
            if (loudest == null) {
                loudest = new Object2ObjectHashMap<>();
            }
            Producer best = loudest.get(producer.spec.roomKey());
            if (best == null || producer.lastAverageLevel < best.lastAverageLevel) {
                loudest.put(producer.spec.roomKey(), producer);
            }
        }
        if (loudest == null || listener == null) {
            return;
        }
        for (var entry : loudest.entrySet()) {
            Producer challenger = entry.getValue();
            String participant = challenger.spec.participantId();
            String current = dominantSpeakers.get(entry.getKey());
            if (participant.equals(current)) {
                continue;
            }
            long currentLevel = SILENCE_LEVEL;
            for (Producer producer : producers.values()) {
                if (!producer.video && producer.spec.participantId().equals(current)) {
                    currentLevel = Math.min(currentLevel, producer.lastAverageLevel);
                }
            }
            if (currentLevel < SILENCE_THRESHOLD && currentLevel - challenger.lastAverageLevel < DOMINANCE_MARGIN_DB) {
                continue;
            }
            dominantSpeakers.put(entry.getKey(), participant);
            listener.onDominantSpeaker(entry.getKey(), participant);
        }
    }

    private void publishCounters(long now) {
        for (Producer producer : producers.values()) {
            long packets = 0;
            long bytes = 0;
            long lost = 0;
            long nacks = 0;
            long plis = 0;
            long bitrate = 0;
            for (ProducerStream stream : producer.streams) {
                packets += stream.packets;
                bytes += stream.bytes;
                lost += Math.max(0, stream.statistics.cumulativeLost());
                nacks += stream.nacksSent;
                plis += stream.keyframeRequests;
                bitrate += stream.bitrate.bitrateBps(now);
            }
            producer.spec.counters().publish(packets, bytes, lost, nacks, plis, bitrate, 0, 0,
                producer.highestActiveIndex(now, ACTIVE_LAYER_WINDOW_NS));
        }
        for (Consumer consumer : consumers.values()) {
            consumer.spec.counters().publish(consumer.packets, consumer.bytes, consumer.reportedLost,
                consumer.nacksReceived, consumer.keyframeRequestsReceived, consumer.bitrate.bitrateBps(now),
                consumer.dropped, consumer.retransmitted, consumer.currentLayer);
        }
    }

    /** Datagrams dropped because this agent's inbound queue was full. */
    public long inboundDrops() {
        return inboundDrops;
    }

    public long packetsForwarded() {
        return packetsForwarded;
    }

    public long packetsProcessed() {
        return packetsProcessed;
    }

    public String name() {
        return name;
    }
}
