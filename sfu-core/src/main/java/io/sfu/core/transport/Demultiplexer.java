package io.sfu.core.transport;

import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.ice.IceCheckResult;
import io.sfu.core.ice.IceCheckStatus;
import io.sfu.core.ice.IceLiteResponder;
import io.sfu.core.net.DatagramHandler;
import io.sfu.core.net.DatagramKind;
import io.sfu.core.net.DatagramOutput;
import io.sfu.core.net.PeerPathListener;
import io.sfu.core.stun.StunAddress;
import io.sfu.core.stun.StunMessage;
import org.agrona.concurrent.UnsafeBuffer;
import org.jctools.queues.MpscArrayQueue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The receive thread's view of the media port (RFC 7983): resolves each datagram's 5-tuple to its peer
 * connection, answers ICE checks (a 5-tuple becomes known only through a check whose USERNAME names a local
 * ufrag and whose MESSAGE-INTEGRITY holds), passes DTLS to the handshake, and hands SRTP and SRTCP to the
 * forwarding agent that owns the transport. Anything from an unknown 5-tuple that is not such a check is dropped
 * and counted, never answered. A 5-tuple belongs to one live transport: a check from an address another transport
 * holds is dropped unanswered and counted, whatever its credentials, so one participant cannot take over (or
 * redirect media to) another's address.
 */
public final class Demultiplexer implements DatagramHandler {
    private final DatagramOutput output;
    /** Local ufrag to transport; written by the control plane, read here. */
    private final ConcurrentHashMap<String, WebRtcTransport> byUfrag = new ConcurrentHashMap<>();
    /** 5-tuple to transport; only this thread reads or writes it. */
    private final Map<InetSocketAddress, WebRtcTransport> byAddress = new HashMap<>();
    private final MpscArrayQueue<Runnable> commands = new MpscArrayQueue<>(1024);
    private volatile PeerPathListener pathListener = NO_PATH_LISTENER;

    private static final PeerPathListener NO_PATH_LISTENER = new PeerPathListener() {
        @Override
        public void onPathValidated(InetSocketAddress path) {
        }

        @Override
        public void onPathForgotten(InetSocketAddress path) {
        }
    };

    private final StunMessage stun = new StunMessage();
    private final IceLiteResponder responder = new IceLiteResponder();
    private final IceCheckResult checkResult = new IceCheckResult();
    private final StunAddress stunSource = new StunAddress();
    private final byte[] responseArray = new byte[IceLiteResponder.MAX_RESPONSE_LENGTH];
    private final UnsafeBuffer response = new UnsafeBuffer(responseArray);
    private final ByteBuffer responseView = ByteBuffer.wrap(responseArray);

    private final AtomicLong droppedUnknown = new AtomicLong();
    private final AtomicLong droppedNotReady = new AtomicLong();
    private final AtomicLong iceUnauthorized = new AtomicLong();
    private final AtomicLong iceValid = new AtomicLong();
    private final AtomicLong pathTakeoversRefused = new AtomicLong();
    private final AtomicLong pathsEvicted = new AtomicLong();

    public Demultiplexer(DatagramOutput output) {
        this.output = output;
    }

    /** Tells {@code listener} of each path a valid check vouched for and of each path forgotten; set before start. */
    public void pathListener(PeerPathListener listener) {
        this.pathListener = listener;
    }

    /** Makes {@code transport} reachable by ICE checks naming the local {@code ufrag}. */
    public void register(String ufrag, WebRtcTransport transport) {
        byUfrag.put(ufrag, transport);
    }

    public void unregister(String ufrag, WebRtcTransport transport) {
        byUfrag.remove(ufrag, transport);
    }

    /** Forgets every 5-tuple of a closed transport, on the receive thread (its selected path's listener at once). */
    public void forget(WebRtcTransport transport) {
        // the selected path's listener hears at once, not at the next datagram: an ICE-TCP connection ends now
        InetSocketAddress selected = transport.selectedPath();
        if (selected != null) {
            pathListener.onPathForgotten(selected);
        }
        // when the queue is full the table is still cleaned, lazily, on the next lookup of each address
        commands.offer(() -> {
            for (var it = byAddress.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                if (entry.getValue() == transport) {
                    it.remove();
                    pathListener.onPathForgotten(entry.getKey());
                }
            }
        });
    }

    /** Runs {@code command} on the receive thread before the next datagram (ICE state belongs to it). */
    public void execute(Runnable command) {
        if (!commands.offer(command)) {
            throw new IllegalStateException("media receive thread command queue is full");
        }
    }

    /** Transports that ICE checks can currently reach by their ufrag. */
    public int registeredTransports() {
        return byUfrag.size();
    }

    /** Datagrams dropped because their 5-tuple was unknown or not yet authenticated, or they were not one of ours. */
    public long droppedUnknown() {
        return droppedUnknown.get();
    }

    /** SRTP and SRTCP from a known path that arrived before the forwarding agent held the transport's keys. */
    public long droppedNotReady() {
        return droppedNotReady.get();
    }

    public long iceChecksValid() {
        return iceValid.get();
    }

    public long iceChecksRefused() {
        return iceUnauthorized.get();
    }

    /** ICE checks dropped because their source address belongs to another live transport. */
    public long pathTakeoversRefused() {
        return pathTakeoversRefused.get();
    }

    /** Paths forgotten to make room for a newer one of the same transport (least recently used first). */
    public long pathsEvicted() {
        return pathsEvicted.get();
    }

    @Override
    public void onIdle() {
        runCommands();
    }

    /** Runs what other threads queued: ICE state changes, and closed transports to forget (so none is kept alive). */
    private void runCommands() {
        Runnable command;
        while ((command = commands.poll()) != null) {
            command.run();
        }
    }

    @Override
    public boolean onDatagram(PacketSlot slot) {
        runCommands();
        InetSocketAddress source = slot.source();
        DatagramKind kind = DatagramKind.of(slot.array(), slot.offset(), slot.length());
        slot.kind(kind.ordinal());
        WebRtcTransport transport = byAddress.get(source);
        if (transport != null && transport.closed()) {
            byAddress.remove(source);
            pathListener.onPathForgotten(source);
            transport = null;
        }
        switch (kind) {
            case STUN -> onStun(slot, source, transport);
            case DTLS -> {
                if (transport == null) {
                    droppedUnknown.incrementAndGet();
                } else {
                    transport.onDtls(slot.array(), slot.offset(), slot.length());
                }
            }
            case RTP, RTCP -> {
                if (transport == null) {
                    droppedUnknown.incrementAndGet();
                } else if (!transport.srtpReady()) {
                    droppedNotReady.incrementAndGet();
                } else {
                    // a full agent queue is counted by the agent
                    return transport.deliver(slot);
                }
            }
            default -> droppedUnknown.incrementAndGet();
        }
        return false;
    }

    /** A STUN datagram from {@code source}, which {@code owner} holds (null: no live transport). */
    private void onStun(PacketSlot slot, InetSocketAddress source, WebRtcTransport owner) {
        if (!stun.wrap(slot.buffer(), slot.offset(), slot.length()) || !stun.isBindingRequest()) {
            droppedUnknown.incrementAndGet();
            return;
        }
        String username = stun.username();
        int colon = username == null ? -1 : username.indexOf(':');
        WebRtcTransport transport = colon > 0 ? byUfrag.get(username.substring(0, colon)) : null;
        if (transport == null || transport.closed()) {
            droppedUnknown.incrementAndGet();
            return;
        }
        if (owner != null && owner != transport) {
            pathTakeoversRefused.incrementAndGet();
            return;
        }
        stunSource.set(source);
        IceCheckStatus status = transport.ice().handleBindingRequest(responder, stun, stunSource, response, 0,
            responseArray.length, checkResult);
        // counted before the answer goes out, so whoever reads the counters after the peer heard back sees it
        (status == IceCheckStatus.VALID ? iceValid : iceUnauthorized).incrementAndGet();
        if (status.hasResponse() && checkResult.responseLength() > 0) {
            responseView.limit(checkResult.responseLength()).position(0);
            output.send(responseView, source);
        }
        if (status != IceCheckStatus.VALID) {
            return;
        }
        transport.consentRefreshed();
        pathListener.onPathValidated(source);
        InetSocketAddress evicted = transport.rememberPath(source);
        if (evicted != null) {
            byAddress.remove(evicted, transport);
            pathsEvicted.incrementAndGet();
            pathListener.onPathForgotten(evicted);
        }
        byAddress.put(source, transport);
        if (checkResult.useCandidate() || transport.selectedPath() == null) {
            // follow the nominated pair, and send somewhere sensible before nomination
            transport.selectPath(source);
        }
    }
}
