package io.sfu.bench.load;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.sfu.client.ClientIoLoop;
import io.sfu.client.ClientPeerConnection;
import io.sfu.client.DataChannelSpec;
import io.sfu.client.LoopTimer;
import io.sfu.core.datachannel.DataChannel;
import io.sfu.core.datachannel.SendResult;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The data tracks of one load client: as a publisher, the channels it offers and a sender per open channel that
 * sends {@link Scenario.DataTraffic#messagesPerSecond()} messages of {@link Scenario.DataTraffic#messageBytes()}, each
 * ending with a {@link Probe} (channel index, sequence number, send time); as a subscriber, a
 * {@link StreamTracker} per channel the SFU opened, which counts messages, gaps, reordering and latency into the
 * loop's {@link LoopMetrics}. Loop thread, except {@link #channelSpecs}.
 */
final class DataLoad {
    /** A sender that fell this far behind its schedule starts again from now rather than sending a burst. */
    private static final long MAX_BEHIND_NS = 1_000_000_000L;

    private final Scenario.DataTraffic traffic;
    private final LoopMetrics metrics;
    private final TimeSource clock;
    private final ClientIoLoop loop;
    private final Map<DataChannel, StreamTracker> received = new IdentityHashMap<>();
    private final List<LoopTimer> timers = new ArrayList<>();
    /** Wraps each received message in turn. */
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private int channelsSending;

    DataLoad(Scenario.DataTraffic traffic, LoopMetrics metrics, TimeSource clock, ClientIoLoop loop) {
        this.traffic = traffic;
        this.metrics = metrics;
        this.clock = clock;
        this.loop = loop;
    }

    /** The channels a publisher offers: {@code data0}, {@code data1}, ... with the run's ordering and reliability. */
    List<DataChannelSpec> channelSpecs() {
        List<DataChannelSpec> specs = new ArrayList<>();
        DataChannel.Reliability reliability = new DataChannel.Reliability(traffic.ordered(),
            traffic.maxRetransmits(), -1);
        for (int i = 0; i < traffic.tracks(); i++) {
            specs.add(new DataChannelSpec("data" + i, "", reliability));
        }
        return specs;
    }

    /** A publisher's channel opened: it starts sending, spread over the interval by its index. */
    void startSending(ClientPeerConnection pc, DataChannel channel) {
        Sender sender = new Sender(pc, channel, channelsSending++);
        LoopTimer timer = loop.newTimer(sender);
        sender.timer = timer;
        timers.add(timer);
        timer.scheduleIn(sender.intervalNs * (sender.index % traffic.tracks()) / traffic.tracks());
    }

    /** A subscriber's channel opened (a data track the SFU relays). */
    void track(DataChannel channel) {
        received.computeIfAbsent(channel, c -> StreamTracker.forDataChannel(c.streamId(), metrics));
    }

    /** One message on a subscriber's channel. */
    void onMessage(DataChannel channel, byte[] buf, int off, int len) {
        long arrival = clock.epochNanos();
        view.wrap(buf, off, len);
        if (!Probe.present(view, 0, len)) {
            metrics.increment(LoopMetrics.Counter.DATA_FOREIGN);
            return;
        }
        StreamTracker tracker = received.get(channel);
        if (tracker == null) {
            tracker = StreamTracker.forDataChannel(channel.streamId(), metrics);
            received.put(channel, tracker);
        }
        tracker.onPacket(Probe.sequence(view, len), Probe.sendEpochNs(view, len), arrival, len, false);
    }

    /** A subscriber's channel closed: it leaves the count of open channels. */
    void closed(DataChannel channel) {
        StreamTracker tracker = received.remove(channel);
        if (tracker != null) {
            tracker.dataChannelClosed();
        }
    }

    /** Stops the senders and forgets the received channels. */
    void stop() {
        for (LoopTimer timer : timers) {
            timer.cancel();
        }
        timers.clear();
        for (StreamTracker tracker : received.values()) {
            tracker.dataChannelClosed();
        }
        received.clear();
    }

    /** Sends one channel's messages on schedule; the message buffer is reused. */
    private final class Sender implements Runnable {
        final ClientPeerConnection pc;
        final DataChannel channel;
        final int index;
        final long intervalNs;
        final byte[] message;
        final UnsafeBuffer view;
        LoopTimer timer;
        long nextNs;
        int sequence;

        Sender(ClientPeerConnection pc, DataChannel channel, int index) {
            this.pc = pc;
            this.channel = channel;
            this.index = index;
            this.intervalNs = 1_000_000_000L / traffic.messagesPerSecond();
            this.message = new byte[traffic.messageBytes()];
            this.view = new UnsafeBuffer(message);
        }

        @Override
        public void run() {
            if (channel.state() != DataChannel.State.OPEN) {
                return;
            }
            long now = System.nanoTime();
            if (nextNs == 0 || now - nextNs > MAX_BEHIND_NS) {
                nextNs = now;
            }
            // every message due by now goes out: a late tick does not lower the rate
            while (nextNs - now <= 0) {
                Probe.write(view, message.length, index, sequence, clock.epochNanos());
                SendResult result = pc.sendData(channel, true, message, 0, message.length);
                if (result == SendResult.SENT) {
                    sequence++;
                    metrics.increment(LoopMetrics.Counter.DATA_SENT);
                } else {
                    metrics.increment(LoopMetrics.Counter.DATA_SEND_REFUSED);
                }
                nextNs += intervalNs;
            }
            timer.scheduleAt(nextNs);
        }
    }
}
