package io.sfu.core.forward;

import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.feedback.NtpTime;
import io.sfu.core.feedback.RetransmissionLimiter;
import io.sfu.core.feedback.RtcpFeedbackReader;
import io.sfu.core.net.DatagramKind;
import io.sfu.core.net.DatagramOutput;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.srtp.SrtpContext;
import io.sfu.core.transport.WebRtcTransport;
import org.agrona.collections.Object2ObjectHashMap;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.jctools.queues.MpscArrayQueue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The forwarding duty cycle of the rooms sharded to it: each cycle applies queued commands, takes the datagrams
 * its legs received (unprotects them, then hands RTP to the leg's producers and RTCP to the leg's terminator), and
 * runs the timers of the legs' feedback and of the rooms' layer choice and speaker election. The work itself is
 * done by its {@link Router}s, {@link Leg}s, producers and consumers, each through its own methods.
 *
 * <p>Only this agent's thread touches its state; other threads reach it through {@link #enqueue} (datagrams) and
 * the command methods, which queue onto bounded lock-free queues. Nothing on the per-packet path allocates, locks
 * or blocks.
 */
public final class ForwardingAgent implements WakeableAgent {
    public static final int DEFAULT_INBOUND_CAPACITY = 8192;
    public static final long DEFAULT_KEYFRAME_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(500);
    static final int COMMAND_CAPACITY = 4096;
    static final int MAX_PACKETS_PER_CYCLE = 512;
    static final int MAX_COMMANDS_PER_CYCLE = 64;
    static final long TICK_NS = TimeUnit.MILLISECONDS.toNanos(20);
    static final long REPORT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    static final long LAYER_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final int RTP = DatagramKind.RTP.ordinal();
    private static final int RTCP = DatagramKind.RTCP.ordinal();

    private final String name;
    private final MpscArrayQueue<PacketSlot> inbound;
    private final MpscArrayQueue<Runnable> commands = new MpscArrayQueue<>(COMMAND_CAPACITY);
    private final NanoClock clock;
    private final EpochNanoClock wallClock;
    private final ForwardingListener listener;
    private final long keyframeIntervalNs;
    private final int retransmitBudgetPercent;
    private final Egress egress;
    private final RtpPacket rtp = new RtpPacket();
    private final RtcpFeedbackReader rtcpReader = new RtcpFeedbackReader();
    private final List<Leg> legs = new ArrayList<>();
    /** The legs whose prober is sending a cluster: topped up every {@link Prober#PACING_NS}. */
    private final List<Leg> probingLegs = new ArrayList<>();
    private long nextProbeCycleNs;
    /** The legs whose pacer holds packets: sent every {@link Pacer#INTERVAL_NS}. */
    private final List<Leg> pacingLegs = new ArrayList<>();
    private long nextPacingCycleNs;
    private final Object2ObjectHashMap<String, Router> routers = new Object2ObjectHashMap<>();
    private final AtomicLong inboundDrops = new AtomicLong();
    /** How many legs and rooms this agent holds, for the gauges other threads read. */
    private volatile int legCount;
    private volatile int roomCount;
    private volatile AgentThread thread;

    private long nextTickNs;
    private long nextReportNs;
    private long nextLayerNs;
    private long packetsProcessed;

    /** An agent whose subscribers' retransmissions take the default share of their bitrate at most. */
    public ForwardingAgent(String name, DatagramOutput output, NanoClock clock, EpochNanoClock wallClock,
                           ForwardingListener listener, int inboundCapacity, long keyframeIntervalNs) {
        this(name, output, clock, wallClock, listener, inboundCapacity, keyframeIntervalNs,
            RetransmissionLimiter.DEFAULT_BUDGET_PERCENT);
    }

    /**
     * @param inboundCapacity datagrams queued toward the agent at most (rounded up to a power of two); keep it well
     *     below the packet pool, so that an agent that stops draining holds only part of it
     * @param retransmitBudgetPercent what each subscriber's retransmissions may take, as a percentage of what it is
     *     forwarded ({@link RetransmissionLimiter})
     */
    public ForwardingAgent(String name, DatagramOutput output, NanoClock clock, EpochNanoClock wallClock,
                           ForwardingListener listener, int inboundCapacity, long keyframeIntervalNs,
                           int retransmitBudgetPercent) {
        this.name = name;
        this.egress = new Egress(output);
        this.clock = clock;
        this.wallClock = wallClock;
        this.listener = listener;
        this.inbound = new MpscArrayQueue<>(inboundCapacity);
        this.keyframeIntervalNs = keyframeIntervalNs;
        this.retransmitBudgetPercent = retransmitBudgetPercent;
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
    // Other threads: datagrams and commands

    /**
     * Hands over a received SRTP or SRTCP datagram of a leg (the slot's context, its kind set). Returns false,
     * counted, when the queue is full: the caller keeps the slot.
     */
    public boolean enqueue(PacketSlot slot) {
        if (!inbound.offer(slot)) {
            inboundDrops.incrementAndGet();
            return false;
        }
        wake();
        return true;
    }

    private boolean offer(Runnable command) {
        if (!commands.offer(command)) {
            return false;
        }
        wake();
        return true;
    }

    private void command(Runnable command) {
        if (!offer(command)) {
            throw new IllegalStateException(name + ": command queue full");
        }
    }

    private void wake() {
        AgentThread runner = thread;
        if (runner != null) {
            runner.wake();
        }
    }

    /**
     * Opens the forwarding side of {@code transport} in the room {@code roomKey}; the transport hands it its
     * datagrams from now on. {@code rtcpSsrc} is the SSRC this side sends its RTCP under.
     */
    public Leg openLeg(WebRtcTransport transport, String roomKey, int rtcpSsrc) {
        return openLeg(transport, roomKey, transport.id(), rtcpSsrc);
    }

    /** As {@link #openLeg(WebRtcTransport, String, int)}, for a leg of the participant {@code participantId}. */
    public Leg openLeg(WebRtcTransport transport, String roomKey, String participantId, int rtcpSsrc) {
        return open(new Leg(transport, roomKey, participantId, rtcpSsrc, false, this, egress));
    }

    /**
     * Opens a leg of the media relay to another node of a cluster ({@link WebRtcTransport#relay}), in the room
     * {@code roomKey}: its producers are tracks imported from the peer, its consumers send tracks to the peer, every
     * encoding (see {@link ConsumerSpec#relayedEncoding()}), whatever the room's last-N.
     */
    public Leg openRelayLeg(WebRtcTransport transport, String roomKey, String peerId, int rtcpSsrc) {
        return open(new Leg(transport, roomKey, peerId, rtcpSsrc, true, this, egress));
    }

    private Leg open(Leg leg) {
        String roomKey = leg.roomKey;
        WebRtcTransport transport = leg.transport;
        transport.receiver(leg);
        command(() -> {
            Router router = routers.get(roomKey);
            if (router == null) {
                router = new Router(roomKey, egress, listener, keyframeIntervalNs, retransmitBudgetPercent);
                routers.put(roomKey, router);
            }
            leg.opened(router);
            legs.add(leg);
            legCount = legs.size();
            roomCount = routers.size();
        });
        return leg;
    }

    /** Closes a leg with its producers (and their consumers) and its consumers; idempotent. */
    public void closeLeg(Leg leg) {
        command(() -> {
            legs.remove(leg);
            probingLegs.remove(leg);
            if (leg.close()) {
                routers.remove(leg.roomKey);
            }
            legCount = legs.size();
            roomCount = routers.size();
        });
    }

    /** Installs the SRTP contexts a completed DTLS handshake produced; packets before it are dropped (counted). */
    public void installKeys(Leg leg, SrtpContext receive, SrtpContext send) {
        installKeys(leg, receive, send, null);
    }

    /**
     * As {@link #installKeys(Leg, SrtpContext, SrtpContext)}, then runs {@code installed} (when not null) on the
     * agent's thread: from then on the leg's SRTP is accepted, so it may say the peer connection is up.
     */
    public void installKeys(Leg leg, SrtpContext receive, SrtpContext send, Runnable installed) {
        command(() -> {
            leg.transport.installKeys(receive, send);
            leg.onKeysInstalled(clock.nanoTime());
            if (installed != null) {
                installed.run();
            }
        });
    }

    /** The receive thread's news that ICE selected a new path; false when the queue is full. */
    boolean pathSelected(Leg leg, InetSocketAddress path) {
        return offer(() -> leg.transport.remote(path));
    }

    /** Sets the header-extension ids the publisher's packets on {@code leg} carry. */
    public void extensionIds(Leg leg, ReceiveExtensionIds ids) {
        command(() -> leg.extensionIds(ids));
    }

    /**
     * Adds a published track on {@code leg}, or replaces the one with the same track id (a renegotiation): the
     * replaced track's subscribers are carried over and start again at the next keyframe.
     */
    public void addProducer(Leg leg, ProducerSpec spec) {
        command(() -> leg.router().addProducer(leg, spec, clock.nanoTime()));
    }

    public void removeProducer(Leg leg, String trackId) {
        command(() -> leg.router().removeProducer(trackId));
    }

    public void setProducerMuted(Leg leg, String trackId, boolean muted) {
        command(() -> leg.router().setProducerMuted(trackId, muted, clock.nanoTime()));
    }

    /** Starts forwarding a producer of the leg's room to the leg (a subscriber's); a no-op if it is gone. */
    public void addConsumer(Leg leg, ConsumerSpec spec) {
        command(() -> leg.router().addConsumer(leg, spec, clock.nanoTime()));
    }

    public void removeConsumer(Leg leg, String consumerId) {
        command(() -> leg.router().removeConsumer(consumerId));
    }

    /** The subscriber's preferred simulcast layer (index into the producer's encodings, clamped). */
    public void setPreferredLayer(Leg leg, String consumerId, int layer) {
        command(() -> leg.router().preferLayer(consumerId, layer, clock.nanoTime()));
    }

    /**
     * The subscriber's highest temporal layer of a VP8 track (0 to 2; {@link ConsumerSpec#ALL_TEMPORAL_LAYERS}:
     * every one); it applies from the next frame, and going up from the next frame the decoder can start the layer at.
     */
    public void setMaxTemporalLayer(Leg leg, String consumerId, int maxTemporalLayer) {
        command(() -> leg.router().preferTemporalLayer(consumerId, maxTemporalLayer));
    }

    /**
     * The subscriber's highest spatial layer of an SVC track: {@code maxSpatialLayer}
     * ({@link ConsumerSpec#ALL_SPATIAL_LAYERS}: every one), or with a positive {@code maxHeight} the highest layer no
     * taller; it applies from the next picture going down, from the next keyframe (asked for) going up.
     */
    public void setMaxSpatialLayer(Leg leg, String consumerId, int maxSpatialLayer, int maxHeight) {
        command(() -> leg.router().preferSpatialLayer(consumerId, maxSpatialLayer, maxHeight, clock.nanoTime()));
    }

    /** Pauses (the subscriber turned the track off) or resumes a subscription; resuming starts at a keyframe. */
    public void setConsumerPaused(Leg leg, String consumerId, boolean paused) {
        command(() -> leg.router().pauseConsumer(consumerId, paused, clock.nanoTime()));
    }

    /**
     * Forwards the video of only the {@code lastN} most recent speakers of the leg's room to each of its subscribers
     * (0: every video); the others' video is paused and resumes at a keyframe when they speak.
     */
    public void setLastN(Leg leg, int lastN) {
        command(() -> leg.router().lastN(lastN, clock.nanoTime()));
    }

    /** Runs {@code reader} on the agent thread, for tools that must read state the agent owns. */
    public <T> CompletableFuture<T> query(Supplier<T> reader) {
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
        if (!probingLegs.isEmpty() && now - nextProbeCycleNs >= 0) {
            nextProbeCycleNs = now + Prober.PACING_NS;
            work += onProbeCycle(now);
        }
        if (!pacingLegs.isEmpty() && now - nextPacingCycleNs >= 0) {
            nextPacingCycleNs = now + Pacer.INTERVAL_NS;
            work += onPacingCycle(now);
        }
        return work;
    }

    @Override
    public boolean hasPendingWork() {
        return !inbound.isEmpty() || !commands.isEmpty();
    }

    @Override
    public long nextDeadlineNs(long nowNs) {
        long deadline = probingLegs.isEmpty() || nextTickNs - nextProbeCycleNs < 0 ? nextTickNs : nextProbeCycleNs;
        return pacingLegs.isEmpty() || deadline - nextPacingCycleNs < 0 ? deadline : nextPacingCycleNs;
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

    /** Processes one datagram of a leg; the slot is released by the caller. Visible for benchmarks. */
    void onDatagram(PacketSlot slot, long now) {
        Leg leg = (Leg) slot.context();
        int kind = slot.kind();
        if (leg == null || leg.isClosed() || (kind != RTP && kind != RTCP)) {
            return;
        }
        packetsProcessed++;
        boolean rtcp = kind == RTCP;
        int length = leg.transport.unprotect(slot.buffer(), slot.offset(), slot.length(), rtcp);
        if (length < 0) {
            return;
        }
        if (rtcp) {
            onRtcp(leg, slot.buffer(), slot.offset(), length, now);
        } else {
            // the socket stamped each datagram as it came in: jitter and transport-wide feedback need that instant,
            // not this duty cycle's, which a whole batch shares
            long arrivalNs = slot.receivedNs() != 0 ? slot.receivedNs() : now;
            onRtp(leg, slot.buffer(), slot.offset(), length, now, arrivalNs);
        }
    }

    /**
     * Routes one decrypted RTP packet of {@code leg} to the consumers of its producer. The step after SRTP
     * unprotect; benchmarks call it directly on the thread that runs this agent's duty cycle.
     */
    public void onRtp(Leg leg, UnsafeBuffer buffer, int offset, int length, long now) {
        onRtp(leg, buffer, offset, length, now, now);
    }

    private void onRtp(Leg leg, UnsafeBuffer buffer, int offset, int length, long now, long arrivalNs) {
        if (rtp.wrap(buffer, offset, length)) {
            leg.onRtp(rtp, now, arrivalNs);
        } else {
            leg.onMalformed();
        }
    }

    /**
     * Reads one decrypted RTCP compound packet of {@code leg}. The step after SRTCP unprotect; benchmarks call it
     * directly on the thread that runs this agent's duty cycle.
     */
    public void onRtcp(Leg leg, UnsafeBuffer buffer, int offset, int length, long now) {
        if (rtcpReader.read(buffer, offset, length, now, leg.rtcp)) {
            leg.onRtcpPacket();
        } else {
            leg.onMalformed();
        }
    }

    private int onTick(long now) {
        nextTickNs = now + TICK_NS;
        int work = 0;
        for (int i = 0, n = legs.size(); i < n; i++) {
            Leg leg = legs.get(i);
            if (leg.transport.canSend()) {
                work += leg.feedback.onTick(now);
                leg.prober.onTick(now);
                for (int p = 0, m = leg.producers.size(); p < m; p++) {
                    leg.producers.get(p).onTick(now);
                }
            }
        }
        if (now - nextLayerNs >= 0) {
            nextLayerNs = now + LAYER_INTERVAL_NS;
            for (Router router : routers.values()) {
                router.onLayerTick(now);
            }
            for (int i = 0, n = legs.size(); i < n; i++) {
                Leg leg = legs.get(i);
                if (leg.transport.canSend()) {
                    leg.prober.consider(now);
                }
            }
        }
        if (now - nextReportNs >= 0) {
            nextReportNs = now + REPORT_INTERVAL_NS;
            long ntp = NtpTime.fromUnixNanos(wallClock.nanoTime());
            for (int i = 0, n = legs.size(); i < n; i++) {
                Leg leg = legs.get(i);
                if (leg.transport.canSend()) {
                    leg.feedback.sendReports(now, ntp);
                }
            }
            for (Router router : routers.values()) {
                router.publishCounters(now);
            }
            work++;
        }
        return work;
    }

    /** A leg's prober started a cluster: topped up every {@link Prober#PACING_NS} from now until it ends. */
    void onProbeStarted(Leg leg) {
        if (!probingLegs.contains(leg)) {
            probingLegs.add(leg);
        }
        nextProbeCycleNs = clock.nanoTime();
    }

    private int onProbeCycle(long now) {
        int work = 0;
        for (int i = probingLegs.size() - 1; i >= 0; i--) {
            Leg leg = probingLegs.get(i);
            work += leg.isClosed() ? 0 : leg.prober.onCycle(now);
            if (leg.isClosed() || !leg.prober.sending()) {
                probingLegs.remove(i);
            }
        }
        return work;
    }

    /** A leg's pacer has packets waiting: drained every {@link Pacer#INTERVAL_NS} until none is left. */
    void onPacing(Leg leg) {
        if (pacingLegs.isEmpty()) {
            nextPacingCycleNs = clock.nanoTime() + Pacer.INTERVAL_NS;
        }
        pacingLegs.add(leg);
    }

    private int onPacingCycle(long now) {
        int work = 0;
        for (int i = pacingLegs.size() - 1; i >= 0; i--) {
            Leg leg = pacingLegs.get(i);
            work += leg.isClosed() ? 0 : egress.drainPacer(leg, now);
            if (leg.isClosed() || leg.pacer.queued() == 0) {
                leg.pacer.scheduled = false;
                pacingLegs.remove(i);
            }
        }
        return work;
    }

    /** Datagrams dropped because this agent's inbound queue was full. */
    public long inboundDrops() {
        return inboundDrops.get();
    }

    public long packetsForwarded() {
        return egress.packetsForwarded();
    }

    /** Legs open on this agent (peer connections' and the relay's), as of the last command it ran. */
    public int legs() {
        return legCount;
    }

    /** Rooms (routers) on this agent, as of the last command it ran. */
    public int rooms() {
        return roomCount;
    }

    public long packetsProcessed() {
        return packetsProcessed;
    }

    public String name() {
        return name;
    }
}
