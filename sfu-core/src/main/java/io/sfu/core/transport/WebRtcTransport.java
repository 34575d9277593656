package io.sfu.core.transport;

import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.dtls.DtlsEndpoint;
import io.sfu.core.dtls.DtlsRole;
import io.sfu.core.ice.IceLiteSession;
import io.sfu.core.net.DatagramOutput;
import io.sfu.core.srtp.SrtpContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One peer connection's transport on the shared media port: ICE-lite, the DTLS handshake and SRTP. Each part has
 * one owner. The receive thread answers ICE checks and keeps the paths that passed one; the DTLS pool runs the
 * handshake; the forwarding agent that owns the transport holds the SRTP contexts and the path media is sent on,
 * both handed to it as commands, and counts every packet it could not use. The control plane creates and closes it.
 */
public final class WebRtcTransport {
    /**
     * Network paths (5-tuples) kept per transport; a peer cannot grow the table past this. A new path that passed an
     * ICE check takes the place of the least recently checked one (never the selected one).
     */
    public static final int MAX_PATHS = 8;
    private static final int MAX_EARLY_DTLS = 8;

    private final String id;

    // receive thread
    private final IceLiteSession ice;
    private final InetSocketAddress[] paths = new InetSocketAddress[MAX_PATHS];
    /** When each path last passed a check, in the order of {@link #pathUses} (a count, not a time). */
    private final long[] pathLastUse = new long[MAX_PATHS];
    private int pathCount;
    private long pathUses;
    private MediaReceiver receiver;
    /** The path ICE selected: written by the receive thread, read by the DTLS handshake's sender. */
    private volatile InetSocketAddress selectedPath;

    // DTLS: records that arrive before the remote fingerprint is known wait here (bounded)
    private final ArrayDeque<byte[]> earlyDtls = new ArrayDeque<>();
    private volatile DtlsEndpoint dtls;
    private volatile long dtlsInstalledNs;

    // forwarding agent
    private SrtpContext receiveContext;
    private SrtpContext sendContext;
    private InetSocketAddress remote;
    private boolean unprotectedOutput;
    /** A bridge between two agents of one process: no SRTP either way (see {@link #bridge}). */
    private final boolean bridge;
    private long srtpFailures;
    private long droppedBeforeKeys;
    /** Where this transport's packets go instead of the agent's output (a relay flow's socket); null: the agent's. */
    private final DatagramOutput output;
    /** Also counts the packets that failed authentication, read by other threads; null when none is wanted. */
    private final AtomicLong failureSink;

    // any thread
    /** Set by the forwarding agent once it holds the keys: the receive thread hands SRTP on only after that. */
    private volatile boolean srtpReady;
    private volatile boolean closed;
    private volatile long lastConsentNs;

    public WebRtcTransport(String id, IceLiteSession ice) {
        this.id = id;
        this.ice = ice;
        this.lastConsentNs = ice.lastConsentNs();
        this.output = null;
        this.failureSink = null;
        this.bridge = false;
    }

    private WebRtcTransport(String id, InetSocketAddress remote, DatagramOutput output, AtomicLong failureSink,
                            boolean bridge) {
        this.id = id;
        this.ice = null;
        this.remote = remote;
        this.selectedPath = remote;
        this.output = output;
        this.failureSink = failureSink;
        this.bridge = bridge;
        this.srtpReady = bridge;
    }

    /**
     * A transport with neither ICE nor DTLS, for the media relay between the nodes of a cluster: it sends to
     * {@code remote} through {@code output}, and its keys come from the cluster (installed on the agent as usual).
     * Packets that fail authentication are counted in {@code failureSink} too.
     */
    public static WebRtcTransport relay(String id, InetSocketAddress remote, DatagramOutput output,
                                        AtomicLong failureSink) {
        return new WebRtcTransport(id, remote, output, failureSink, false);
    }

    /**
     * A transport between two forwarding agents of this process, for a room spread over them: its packets never
     * leave the process, so they go in the clear (no ICE, DTLS or SRTP) through {@code output}, which hands them to
     * the other agent's leg; {@code remote} only names that leg in logs.
     */
    public static WebRtcTransport bridge(String id, InetSocketAddress remote, DatagramOutput output) {
        return new WebRtcTransport(id, remote, output, null, true);
    }

    /** Whether this transport joins two agents of this process ({@link #bridge}). */
    public boolean isBridge() {
        return bridge;
    }

    /** Where this transport sends instead of its agent's output; null for a peer connection's transport. */
    public DatagramOutput output() {
        return output;
    }

    public String id() {
        return id;
    }

    /** Sets where media and path changes go; once, before the transport is reachable by the receive thread. */
    public void receiver(MediaReceiver receiver) {
        if (this.receiver != null) {
            throw new IllegalStateException(this + " already has a receiver");
        }
        this.receiver = receiver;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Receive thread

    /** The ICE-lite state; the receive thread's alone. */
    public IceLiteSession ice() {
        return ice;
    }

    /**
     * Remembers a path that passed an ICE check as the most recently used. When it is new and the table is full,
     * the least recently used path other than the selected one makes room: it is returned, for the caller to forget
     * its mapping; otherwise null.
     */
    InetSocketAddress rememberPath(InetSocketAddress path) {
        long use = ++pathUses;
        for (int i = 0; i < pathCount; i++) {
            if (paths[i].equals(path)) {
                pathLastUse[i] = use;
                return null;
            }
        }
        if (pathCount < MAX_PATHS) {
            paths[pathCount] = path;
            pathLastUse[pathCount++] = use;
            return null;
        }
        int oldest = -1;
        for (int i = 0; i < pathCount; i++) {
            if (!paths[i].equals(selectedPath) && (oldest < 0 || pathLastUse[i] < pathLastUse[oldest])) {
                oldest = i;
            }
        }
        InetSocketAddress evicted = paths[oldest];
        paths[oldest] = path;
        pathLastUse[oldest] = use;
        return evicted;
    }

    /**
     * Follows ICE's choice of path; the forwarding side hears of each change once it could take it. The first path
     * is ICE connectivity: where the SFU is the DTLS client, its handshake starts then.
     */
    void selectPath(InetSocketAddress path) {
        if (!path.equals(selectedPath) && receiver.onPathSelected(path)) {
            selectedPath = path;
            DtlsEndpoint endpoint = dtls;
            if (endpoint != null && endpoint.role() == DtlsRole.CLIENT) {
                endpoint.startIfNew();
            }
        }
    }

    boolean deliver(PacketSlot slot) {
        return receiver.onMedia(slot);
    }

    /** The path ICE selected, or null before the first valid check. */
    public InetSocketAddress selectedPath() {
        return selectedPath;
    }

    /**
     * Keeps or hands a DTLS record to the handshake; where the SFU is the DTLS server, the peer's first record
     * starts it.
     */
    void onDtls(byte[] data, int offset, int length) {
        DtlsEndpoint endpoint = dtls;
        if (endpoint == null) {
            synchronized (earlyDtls) {
                endpoint = dtls;
                if (endpoint == null) {
                    if (earlyDtls.size() < MAX_EARLY_DTLS) {
                        earlyDtls.add(Arrays.copyOfRange(data, offset, offset + length));
                    }
                    return;
                }
            }
        }
        if (endpoint.offer(data, offset, length) && endpoint.role() == DtlsRole.SERVER) {
            endpoint.startIfNew();
        }
    }

    void consentRefreshed() {
        this.lastConsentNs = ice.lastConsentNs();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Control plane and DTLS

    /**
     * Installs the handshake once the remote fingerprint is known and replays the records that came before it. The
     * handshake starts when there is someone to shake hands with: as DTLS server at the peer's first record (maybe
     * one of those replayed), as DTLS client once ICE found a path (maybe already).
     */
    public void dtls(DtlsEndpoint endpoint) {
        boolean replayed = false;
        synchronized (earlyDtls) {
            // the consent clock starts when there is someone to hear from
            long now = System.nanoTime();
            this.lastConsentNs = Math.max(lastConsentNs, now);
            this.dtlsInstalledNs = now;
            this.dtls = endpoint;
            byte[] early;
            while ((early = earlyDtls.poll()) != null) {
                replayed |= endpoint.offer(early, 0, early.length);
            }
        }
        if (endpoint.role() == DtlsRole.SERVER ? replayed : selectedPath != null) {
            endpoint.startIfNew();
        }
    }

    public DtlsEndpoint dtls() {
        return dtls;
    }

    /** When (nanoTime) the handshake was installed: a peer that has not started it long after is gone. */
    public long dtlsInstalledNs() {
        return dtlsInstalledNs;
    }

    /** When the last valid ICE check arrived (nanoTime): consent freshness, RFC 7675. */
    public long lastConsentNs() {
        return lastConsentNs;
    }

    public boolean srtpReady() {
        return srtpReady;
    }

    public boolean closed() {
        return closed;
    }

    /** Stops the transport: the receive thread forgets it, and the handshake ends. */
    public void close() {
        closed = true;
        DtlsEndpoint endpoint = dtls;
        if (endpoint != null) {
            endpoint.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Forwarding agent

    /** Takes the SRTP contexts a completed handshake produced; from now on the receive thread hands SRTP on. */
    public void installKeys(SrtpContext receive, SrtpContext send) {
        this.receiveContext = receive;
        this.sendContext = send;
        this.srtpReady = true;
    }

    /** Where media goes from now on: the path ICE selected, as handed to the agent. */
    public void remote(InetSocketAddress remote) {
        this.remote = remote;
    }

    public InetSocketAddress remote() {
        return remote;
    }

    /** Whether media can be sent: keys installed and a path known. */
    public boolean canSend() {
        return (bridge || sendContext != null) && remote != null;
    }

    /**
     * Unprotects an SRTP or, with {@code rtcp}, an SRTCP packet in place. Returns the plain length, or -1 (counted)
     * when it fails authentication or replay checks or arrived before the keys.
     */
    public int unprotect(UnsafeBuffer buffer, int offset, int length, boolean rtcp) {
        if (bridge) {
            return length;
        }
        SrtpContext context = receiveContext;
        if (context == null) {
            droppedBeforeKeys++;
            return -1;
        }
        int plain = rtcp ? context.unprotectRtcp(buffer, offset, length) : context.unprotectRtp(buffer, offset, length);
        if (plain < 0) {
            srtpFailures++;
            if (failureSink != null) {
                failureSink.incrementAndGet();
            }
        }
        return plain;
    }

    /** Protects an RTP or RTCP packet at the start of {@code buffer} in place; -1 when it cannot be sent. */
    public int protect(UnsafeBuffer buffer, int length, boolean rtcp) {
        if (bridge) {
            return length;
        }
        SrtpContext context = sendContext;
        if (context == null) {
            return -1;
        }
        if (rtcp) {
            return context.protectRtcp(buffer, 0, length);
        }
        return unprotectedOutput ? length : context.protectRtp(buffer, 0, length);
    }

    /**
     * The sequence number that continues what this transport's sending context protected for {@code ssrc}; -1 when
     * nothing (or no keys yet). A relay leg's contexts outlive the leg.
     */
    public int nextSendSequence(int ssrc) {
        SrtpContext context = sendContext;
        return context == null ? -1 : context.nextRtpSequence(ssrc);
    }

    /** How long an RTP packet of {@code length} octets is once {@link #protect} has protected it. */
    public int protectedRtpLength(int length) {
        SrtpContext context = sendContext;
        return context == null || unprotectedOutput || bridge ? length : length + context.rtpOverhead();
    }

    /**
     * Makes this transport send RTP in the clear. Benchmarks use it to measure routing and rewriting alone; the
     * media engine never sets it (WebRTC forbids unprotected media).
     */
    public void unprotectedOutputForBenchmarks(boolean unprotected) {
        this.unprotectedOutput = unprotected;
    }

    /** Packets that failed SRTP/SRTCP authentication or replay checks. Agent's counter: may be stale elsewhere. */
    public long srtpFailures() {
        return srtpFailures;
    }

    /** Packets that reached the agent before it held the keys. */
    public long droppedBeforeKeys() {
        return droppedBeforeKeys;
    }

    @Override
    public String toString() {
        return "WebRtcTransport[" + id + "]";
    }
}
