package io.sfu.core.ice;

import io.sfu.core.stun.StunAddress;
import io.sfu.core.stun.StunMessage;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.NanoClock;

import java.util.concurrent.TimeUnit;

/**
 * The ICE state of one server-side transport (ICE-lite, controlled; RFC 8445 §2.5, §8.2): the local and remote
 * credentials, the selected 5-tuple and consent freshness (RFC 7675). A valid check with USE-CANDIDATE selects its
 * source, and a later one from another source moves the selection there, so a peer whose address changes is
 * followed. Consent is refreshed by every valid check from the selected source; it runs from the session's
 * creation until then, so a peer that never nominates expires too. An ICE restart (RFC 8445 §9) swaps in the new
 * credentials at once, after which checks with the old ones fail with 401, while the selected 5-tuple stays until
 * the peer nominates anew. Single-threaded: owned by the agent that reads the transport's socket.
 */
public final class IceLiteSession {
    /** Consent expires after this long without a valid check on the selected pair (RFC 7675 §5.1). */
    public static final long DEFAULT_CONSENT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    private final NanoClock clock;
    private final long consentTimeoutNs;
    private final StunAddress selected = new StunAddress();
    private IceCredentials local;
    private IceCredentials remote;
    private byte[] remoteUfrag;
    private long lastConsentNs;
    private int selections;

    /** A session with the default consent timeout, its consent clock starting now. */
    public IceLiteSession(IceCredentials local, NanoClock clock) {
        this(local, clock, DEFAULT_CONSENT_TIMEOUT_NS);
    }

    /**
     * A session whose consent expires {@code consentTimeoutNs} after the last valid check on the selected pair.
     *
     * @throws IllegalArgumentException if {@code consentTimeoutNs} is not positive
     */
    public IceLiteSession(IceCredentials local, NanoClock clock, long consentTimeoutNs) {
        if (consentTimeoutNs <= 0) {
            throw new IllegalArgumentException("ice consentTimeoutNs must be positive: " + consentTimeoutNs);
        }
        if (local == null || clock == null) {
            throw new IllegalArgumentException("ice local credentials and clock are required");
        }
        this.local = local;
        this.clock = clock;
        this.consentTimeoutNs = consentTimeoutNs;
        this.lastConsentNs = clock.nanoTime();
    }

    /** Sets the peer's credentials from its SDP; until then any sender ufrag is accepted. */
    public void remoteCredentials(IceCredentials remote) {
        this.remote = remote;
        this.remoteUfrag = remote == null ? null : remote.ufragBytes;
    }

    /**
     * Answers a check through {@code responder} and, if it is valid, updates the selection and consent; any other
     * verdict leaves the session exactly as it was. See {@link IceLiteResponder#respond} for the parameters.
     */
    public IceCheckStatus handleBindingRequest(
        IceLiteResponder responder, StunMessage request, StunAddress source, MutableDirectBuffer out, int outOffset,
        int outCapacity, IceCheckResult result) {
        IceCheckStatus status = responder.respond(request, local, remoteUfrag, source, out, outOffset, outCapacity,
            result);
        if (status == IceCheckStatus.VALID) {
            onValidCheck(source, result);
        }
        return status;
    }

    private void onValidCheck(StunAddress source, IceCheckResult result) {
        boolean fromSelected = selected.isSet() && selected.sameAs(source);
        if (result.useCandidate() && !fromSelected) {
            selected.set(source);
            selections++;
            result.selectedTupleChanged(true);
            fromSelected = true;
        }
        if (fromSelected) {
            lastConsentNs = clock.nanoTime();
        }
    }

    /**
     * Restarts ICE (RFC 8445 §9) with new local and remote credentials: checks using the old ufrag or pwd fail
     * from now on. The selected 5-tuple and consent carry on until the peer nominates under the new credentials.
     */
    public void restart(IceCredentials newLocal, IceCredentials newRemote) {
        if (newLocal == null) {
            throw new IllegalArgumentException("ice restart needs new local credentials");
        }
        this.local = newLocal;
        remoteCredentials(newRemote);
    }

    /** This side's current credentials. */
    public IceCredentials localCredentials() {
        return local;
    }

    /** The peer's current credentials, or {@code null} if not signalled yet. */
    public IceCredentials remoteCredentials() {
        return remote;
    }

    /** Whether the peer has nominated a pair. */
    public boolean hasSelectedTuple() {
        return selected.isSet();
    }

    /** The peer's address on the selected pair; a live view, do not modify. Unset until a nomination. */
    public StunAddress selectedTuple() {
        return selected;
    }

    /** Whether {@code address} is the selected pair's remote side, e.g. to accept media only from it. */
    public boolean isSelectedTuple(StunAddress address) {
        return selected.isSet() && selected.sameAs(address);
    }

    /** Whether {@code length} bytes of {@code ip} at {@code offset} and {@code port} are the selected remote side. */
    public boolean isSelectedTuple(byte[] ip, int offset, int length, int port) {
        return selected.isSet() && selected.matches(ip, offset, length, port);
    }

    /** How many times the selection was set or moved. */
    public int selections() {
        return selections;
    }

    /** Clock time of the last consent refresh (or of the session's creation). */
    public long lastConsentNs() {
        return lastConsentNs;
    }

    /** The consent timeout this session applies. */
    public long consentTimeoutNs() {
        return consentTimeoutNs;
    }

    /** Whether consent has expired at {@code nowNs}: stop sending media and close the transport (RFC 7675 §5.1). */
    public boolean isConsentExpired(long nowNs) {
        return nowNs - lastConsentNs >= consentTimeoutNs;
    }
}
