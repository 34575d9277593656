package io.sfu.client;

/**
 * The one place of a connection in the loop's timer queue, kept at the earliest of its deadlines: ICE
 * retransmissions and consent checks, delayed (impaired) datagrams due both ways, and, once connected, the NACK scan
 * and the next reports, and the data channels' SCTP timers. Loop thread.
 */
final class ConnectionTimer {
    /** A part with nothing to do at any time. */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    private final ClientPeerConnection pc;
    private final ClientIoLoop loop;
    private final ClientTransport transport;
    private final ClientSocket socket;
    private final ReceivePath receivePath;
    private final ClientRtcp rtcp;
    private final ClientDataChannels data;
    private final TimerQueue.Entry entry = new TimerQueue.Entry() {
        @Override
        void onTimer(long nowNs) {
            try {
                ConnectionTimer.this.onTimer(nowNs);
            } catch (RuntimeException e) {
                pc.internalError(e);
            }
        }
    };

    ConnectionTimer(ClientPeerConnection pc, ClientTransport transport, ClientSocket socket, ReceivePath receivePath,
        ClientRtcp rtcp, ClientDataChannels data) {
        this.pc = pc;
        this.data = data;
        this.loop = pc.loop();
        this.transport = transport;
        this.socket = socket;
        this.receivePath = receivePath;
        this.rtcp = rtcp;
    }

    private void onTimer(long nowNs) {
        if (pc.state().isTerminal() || !transport.pollIce(nowNs)) {
            return;
        }
        socket.releaseDue(nowNs);
        receivePath.releaseDue(nowNs);
        if (pc.state() == ClientState.CONNECTED) {
            rtcp.onTimer(nowNs);
            if (data.nextDeadlineNs() != NO_DEADLINE && data.nextDeadlineNs() - nowNs <= 0) {
                data.poll(nowNs);
            }
        }
        reschedule();
    }

    /** Moves the timer to the earliest deadline of the connection's parts, or cancels it when none has one. */
    void reschedule() {
        if (pc.state().isTerminal()) {
            cancel();
            return;
        }
        long next = earliest(transport.nextDeadlineNs(), earliest(socket.nextReleaseNs(), receivePath.nextReleaseNs()));
        if (pc.state() == ClientState.CONNECTED) {
            next = earliest(next, earliest(rtcp.nextDeadlineNs(), data.nextDeadlineNs()));
        }
        if (next == NO_DEADLINE) {
            cancel();
        } else if (!entry.isQueued() || entry.deadlineNs != next) {
            loop.timers().schedule(entry, next);
        }
    }

    void cancel() {
        loop.timers().cancel(entry);
    }

    /** The earlier of two deadlines ({@code nanoTime} readings, compared by subtraction), either maybe none. */
    static long earliest(long a, long b) {
        if (a == NO_DEADLINE) {
            return b;
        }
        if (b == NO_DEADLINE) {
            return a;
        }
        return a - b <= 0 ? a : b;
    }
}
