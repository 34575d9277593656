package io.sfu.core.media;

import io.sfu.core.dtls.DtlsEndpoint;
import io.sfu.core.forward.ForwardTransport;
import io.sfu.core.forward.ForwardingAgent;
import io.sfu.core.ice.IceLiteSession;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One peer connection's transport on the shared media port: its ICE-lite state (owned by the receive thread), its
 * DTLS endpoint, and its forwarding-side state (owned by its room's forwarding agent). The control plane creates
 * and closes it; the receive thread resolves datagrams to it.
 */
final class PeerTransport {
    private static final int MAX_EARLY_DTLS = 8;

    final String id;
    final IceLiteSession ice;
    final ForwardTransport forward;
    final ForwardingAgent agent;
    /** Addresses that passed an ICE check for this transport; bounded so a peer cannot grow the table. */
    final java.util.List<InetSocketAddress> validatedAddresses = new java.util.ArrayList<>(4);
    /** DTLS records that arrived before the remote fingerprint was known (the subscriber answer in flight). */
    private final ArrayDeque<byte[]> earlyDtls = new ArrayDeque<>();

    private volatile DtlsEndpoint dtls;
    private volatile boolean srtpReady;
    private volatile boolean closed;
    private volatile long lastConsentNs;

    PeerTransport(String id, IceLiteSession ice, ForwardTransport forward, ForwardingAgent agent) {
        this.id = id;
        this.ice = ice;
        this.forward = forward;
        this.agent = agent;
        this.lastConsentNs = ice.lastConsentNs();
    }

    DtlsEndpoint dtls() {
        return dtls;
    }

    /** Called on the receive thread: keeps or hands a DTLS datagram to the endpoint. */
    void onDtls(byte[] data, int offset, int length) {
        DtlsEndpoint endpoint = dtls;
        if (endpoint != null) {
            endpoint.offer(data, offset, length);
            return;
        }
        synchronized (earlyDtls) {
            endpoint = dtls;
            if (endpoint != null) {
                endpoint.offer(data, offset, length);
            } else if (earlyDtls.size() < MAX_EARLY_DTLS) {
                earlyDtls.add(java.util.Arrays.copyOfRange(data, offset, offset + length));
            }
        }
    }

    /** Installs the endpoint once the remote fingerprint is known and replays what arrived before it. */
    void dtls(DtlsEndpoint endpoint) {
        synchronized (earlyDtls) {
            // the consent clock starts when there is someone to hear from
            this.lastConsentNs = Math.max(lastConsentNs, System.nanoTime());
            this.dtls = endpoint;
            byte[] early;
            while ((early = earlyDtls.poll()) != null) {
                endpoint.offer(early, 0, early.length);
            }
        }
    }

    boolean srtpReady() {
        return srtpReady;
    }

    void srtpReady(boolean ready) {
        this.srtpReady = ready;
    }

    boolean closed() {
        return closed;
    }

    void markClosed() {
        this.closed = true;
    }

    long lastConsentNs() {
        return lastConsentNs;
    }

    void consentRefreshed() {
        this.lastConsentNs = ice.lastConsentNs();
    }

    @Override
    public String toString() {
        return "PeerTransport[" + id + "]";
    }
}
