package io.sfu.client;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

import io.sfu.core.dtls.DtlsCertificate;
import io.sfu.core.dtls.DtlsEndpoint;
import io.sfu.core.dtls.DtlsFingerprint;
import io.sfu.core.dtls.DtlsResult;
import io.sfu.core.dtls.DtlsRole;
import io.sfu.core.ice.IceClient;
import io.sfu.core.ice.IceCredentials;
import io.sfu.core.srtp.SrtpContext;
import io.sfu.core.srtp.SrtpKeyingMaterial;
import io.sfu.core.srtp.SrtpProfile;
import io.sfu.core.stun.StunMessage;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secure transport of one connection: the controlling {@link IceClient} that checks the remote candidate
 * (nominating with USE-CANDIDATE) and then keeps consent, the {@link DtlsEndpoint} in the client role that follows
 * ({@code a=setup:active}, on the loop's handshake executor), and the SRTP contexts keyed from its exporter
 * (RFC 5764 §4.2). It moves the connection through CHECKING and DTLS to CONNECTED, or fails it. Loop thread; DTLS
 * events are handed back to it.
 */
final class ClientTransport {
    private static final Logger LOG = LoggerFactory.getLogger(ClientTransport.class);
    private static final long ICE_PRIORITY = IceClient.priority(IceClient.PEER_REFLEXIVE_TYPE_PREFERENCE, 65535, 1);
    /** A binding request with the longest ufrags SDP allows (RFC 8839 §5.4: 256 characters) fits well inside. */
    private static final int STUN_BUFFER_BYTES = 1024;

    private final ClientPeerConnection pc;
    private final ClientIoLoop loop;
    private final ClientPeerConnectionConfig config;
    private final ClientSocket socket;
    private final DtlsCertificate certificate;
    private final IceCredentials localIce;
    private final SplittableRandom random;
    private final StunMessage stun = new StunMessage();
    private final UnsafeBuffer stunBuffer;
    private final ByteBuffer stunByteBuffer;
    private IceClient ice;
    /** Written on the loop thread, read by {@link ClientPeerConnection#remoteIceCredentials()} from any. */
    private volatile IceCredentials remoteIce;
    private List<DtlsFingerprint> remoteFingerprints;
    private DtlsEndpoint dtls;
    private SrtpContext srtpOut;
    private SrtpContext srtpIn;
    private volatile SrtpProfile srtpProfile;
    private volatile DtlsResult dtlsResult;

    ClientTransport(ClientPeerConnection pc, ClientSocket socket, DtlsCertificate certificate, IceCredentials localIce,
        SplittableRandom random) {
        this.pc = pc;
        this.loop = pc.loop();
        this.config = pc.config();
        this.socket = socket;
        this.certificate = certificate;
        this.localIce = localIce;
        this.random = random;
        byte[] stunBytes = new byte[STUN_BUFFER_BYTES];
        this.stunBuffer = new UnsafeBuffer(stunBytes);
        this.stunByteBuffer = ByteBuffer.wrap(stunBytes);
    }

    /**
     * Applies a remote description's transport: its candidate, and the first time its ICE credentials and
     * fingerprints, which start the checks; new credentials later restart ICE (RFC 8445 §9) on the same socket while
     * the DTLS association carries on.
     */
    void start(RemoteTransport remote) {
        if (pc.state().isTerminal()) {
            return;
        }
        long nowNs = loop.nanoTime();
        socket.remoteAddress(remote.address());
        if (ice == null) {
            remoteIce = remote.ice();
            remoteFingerprints = remote.fingerprints();
            ice = new IceClient(localIce, remoteIce, ICE_PRIORITY, random, config.iceConfig());
            ice.start(nowNs);
            pc.setState(ClientState.CHECKING);
        } else if (!remote.ice().equals(remoteIce)) {
            remoteIce = remote.ice();
            ice.restart(localIce, remoteIce, nowNs);
        }
        pc.reschedule();
    }

    /** A STUN datagram: the answer to our check moves ICE on, and its success starts DTLS. */
    void onStun(UnsafeBuffer buffer, int offset, int length, long nowNs) {
        if (ice == null || !stun.wrap(buffer, offset, length) || !ice.onMessage(stun, nowNs)) {
            return;
        }
        IceClient.State iceState = ice.state();
        if (iceState == IceClient.State.CONNECTED && dtls == null && pc.state() == ClientState.CHECKING) {
            startDtls();
        } else if (iceState == IceClient.State.FAILED) {
            failIce();
        }
    }

    /** A DTLS record, for the handshake or the association's alerts. */
    void onDtlsRecord(UnsafeBuffer buffer, int offset, int length) {
        if (dtls != null) {
            dtls.offer(buffer, offset, length);
        }
    }

    /**
     * Sends the check or consent request that is due, if any.
     *
     * @return false when ICE has failed (the connection is failed too)
     */
    boolean pollIce(long nowNs) {
        if (ice == null) {
            return true;
        }
        int length = ice.pollTransmit(nowNs, stunBuffer, 0, stunBuffer.capacity());
        if (length > 0) {
            socket.transmit(stunByteBuffer, 0, length);
        }
        if (ice.state() == IceClient.State.FAILED) {
            failIce();
            return false;
        }
        return true;
    }

    /** The next ICE retransmission or consent check, or {@link ConnectionTimer#NO_DEADLINE}. */
    long nextDeadlineNs() {
        return ice != null ? ice.nextDeadlineNs() : ConnectionTimer.NO_DEADLINE;
    }

    private void failIce() {
        switch (ice.failure()) {
            case ERROR_RESPONSE -> pc.fail(new ClientConnectionException(
                ClientConnectionException.Reason.ICE_ERROR_RESPONSE, ice.lastErrorCode(),
                "the connectivity check was answered with STUN error " + ice.lastErrorCode(), null));
            case CONSENT_EXPIRED -> pc.fail(new ClientConnectionException(
                ClientConnectionException.Reason.CONSENT_EXPIRED, -1, "ICE consent expired", null));
            default -> pc.fail(new ClientConnectionException(ClientConnectionException.Reason.ICE_TIMEOUT, -1,
                "no answer to the ICE connectivity check from " + socket.remoteAddress(), null));
        }
    }

    private void startDtls() {
        pc.setState(ClientState.DTLS);
        DtlsEndpoint endpoint;
        try {
            endpoint = new DtlsEndpoint(DtlsRole.CLIENT, certificate, remoteFingerprints, socket::sendDtls,
                loop.dtlsExecutor(), config.dtlsConfig());
        } catch (RuntimeException e) {
            pc.fail(new ClientConnectionException(ClientConnectionException.Reason.DTLS_FAILED, -1,
                "cannot start DTLS: " + e.getMessage(), e));
            return;
        }
        dtls = endpoint;
        endpoint.addCloseListener((closedEndpoint, cause) -> handOver(() -> onDtlsClosed(cause)));
        endpoint.start().whenComplete((result, error) -> handOver(() -> onHandshake(result, error)));
    }

    /** Runs a DTLS event on the loop; when the loop is closed the connection went with it. */
    private void handOver(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("DTLS event after the client loop closed: {}", e.getMessage());
        }
    }

    private void onHandshake(DtlsResult result, Throwable error) {
        if (pc.state() != ClientState.DTLS) {
            return;
        }
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
            pc.fail(new ClientConnectionException(ClientConnectionException.Reason.DTLS_FAILED, -1,
                "DTLS handshake failed: " + cause.getMessage(), cause));
            return;
        }
        SrtpProfile profile = SrtpProfile.fromId(result.srtpProfileId());
        SrtpKeyingMaterial keys = SrtpKeyingMaterial.fromExporter(profile, result.keyingMaterial(),
            SrtpKeyingMaterial.Role.CLIENT);
        srtpOut = keys.newSendingContext(config.srtpConfig());
        srtpIn = keys.newReceivingContext(config.srtpConfig());
        srtpProfile = profile;
        dtlsResult = result;
        pc.dataPart().secured(dtls);
        pc.onSecured();
    }

    private void onDtlsClosed(Throwable cause) {
        if (pc.state() == ClientState.CONNECTED) {
            pc.fail(new ClientConnectionException(ClientConnectionException.Reason.DTLS_CLOSED, -1,
                "the DTLS association was closed" + (cause == null ? " by the peer" : ": " + cause.getMessage()),
                cause));
        }
    }

    /** The remote ICE credentials of the first remote description (after an ICE restart, the new ones), or null. */
    IceCredentials remoteIce() {
        return remoteIce;
    }

    /** The context that protects what we send; null before {@link ClientState#CONNECTED}. */
    SrtpContext sending() {
        return srtpOut;
    }

    /** The context that unprotects what we receive; null before {@link ClientState#CONNECTED}. */
    SrtpContext receiving() {
        return srtpIn;
    }

    /** Drops the receive SRTP state of an SSRC that is no longer received. */
    void forgetSsrc(int ssrc) {
        if (srtpIn != null) {
            srtpIn.removeSsrc(ssrc);
        }
    }

    SrtpProfile srtpProfile() {
        return srtpProfile;
    }

    DtlsResult dtlsResult() {
        return dtlsResult;
    }

    /** Ends the DTLS association (close_notify to the peer). */
    void close() {
        if (dtls != null) {
            dtls.close();
        }
    }
}
