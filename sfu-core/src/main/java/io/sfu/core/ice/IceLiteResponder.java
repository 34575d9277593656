package io.sfu.core.ice;

import io.sfu.core.stun.StunAddress;
import io.sfu.core.stun.StunErrorCode;
import io.sfu.core.stun.StunIntegrity;
import io.sfu.core.stun.StunMessage;
import io.sfu.core.stun.StunMessageType;
import io.sfu.core.stun.StunMessageWriter;
import org.agrona.MutableDirectBuffer;

import java.net.InetSocketAddress;

/**
 * Answers connectivity checks as an ICE-lite, always-controlled agent (RFC 8445 §2.5, §7.3), statelessly: the
 * caller passes the local credentials, the remote ufrag if signalled, and the check's real source address; the
 * response goes into the caller's buffer and the verdict into a caller-owned {@link IceCheckResult}. The checks,
 * in order:
 * <ol>
 *   <li>not a Binding request, or a FINGERPRINT that does not match: {@link IceCheckStatus#DISCARDED}, no answer;</li>
 *   <li>no USERNAME or no MESSAGE-INTEGRITY: 400 (RFC 8489 §9.1.3);</li>
 *   <li>USERNAME other than {@code localUfrag:remoteUfrag}, or MESSAGE-INTEGRITY not under the local pwd: 401,
 *       without integrity since the peer is not authenticated;</li>
 *   <li>no FINGERPRINT, no PRIORITY, or not exactly one of ICE-CONTROLLING and ICE-CONTROLLED: 400
 *       (RFC 8445 §7.1, §7.2.2);</li>
 *   <li>ICE-CONTROLLED: 487 Role Conflict, since a lite agent is always controlled (§7.3.1.1);</li>
 *   <li>an unknown comprehension-required attribute: 420 with UNKNOWN-ATTRIBUTES (RFC 8489 §6.3.1);</li>
 *   <li>otherwise a success response with XOR-MAPPED-ADDRESS of the source, MESSAGE-INTEGRITY and FINGERPRINT.</li>
 * </ol>
 * Every response ends with FINGERPRINT. The response may be written over the request itself (same buffer and
 * offset): the request is read completely first. The remote ufrag in the result is a view into the request, so it
 * is lost then. Nothing is allocated per check. Not thread-safe: one per thread.
 */
public final class IceLiteResponder {
    /** The room a response needs; the caller's buffer must offer at least this much. */
    public static final int MAX_RESPONSE_LENGTH = 128;
    /** At most this many unknown attributes are listed in a 420 response. */
    static final int MAX_UNKNOWN_LISTED = 8;

    private final StunIntegrity integrity = new StunIntegrity();
    private final StunMessageWriter writer = new StunMessageWriter();
    private final int[] unknown = new int[MAX_UNKNOWN_LISTED];
    private final StunAddress coldSource = new StunAddress();

    /** A responder with its own integrity engine. */
    public IceLiteResponder() {
    }

    /**
     * Checks {@code request}, a message already accepted by {@link StunMessage#wrap}, and writes the answer.
     *
     * @param request      the wrapped check
     * @param local        this agent's credentials: ufrag expected first in USERNAME, pwd keys the integrity
     * @param remoteUfrag  the peer's ufrag from signalling, or {@code null} to accept any
     * @param source       the real source address of the check, echoed in XOR-MAPPED-ADDRESS
     * @param out          where the response is written
     * @param outOffset    index of the response in {@code out}
     * @param outCapacity  bytes available, at least {@link #MAX_RESPONSE_LENGTH}
     * @param result       filled with the verdict and the response length
     * @return the status, also in {@code result}
     */
    public IceCheckStatus respond(
        StunMessage request, IceCredentials local, byte[] remoteUfrag, StunAddress source,
        MutableDirectBuffer out, int outOffset, int outCapacity, IceCheckResult result) {
        if (outCapacity < MAX_RESPONSE_LENGTH) {
            throw new IllegalArgumentException(
                "a response needs " + MAX_RESPONSE_LENGTH + " bytes, got " + outCapacity);
        }
        result.reset();
        if (!request.isBindingRequest()) {
            return result.set(IceCheckStatus.DISCARDED, 0);
        }
        if (request.hasFingerprint() && !integrity.checkFingerprint(request)) {
            return result.set(IceCheckStatus.DISCARDED, 0);
        }
        if (!request.hasUsername() || !request.hasMessageIntegrity()) {
            return error(request, StunErrorCode.BAD_REQUEST, null, out, outOffset, outCapacity, result);
        }
        if (!IceUsername.matches(request, local.ufragBytes, remoteUfrag)
            || !integrity.checkMessageIntegrity(request, local.key)) {
            return error(request, StunErrorCode.UNAUTHORIZED, null, out, outOffset, outCapacity, result);
        }
        result.remoteUfrag(request.buffer(), IceUsername.remoteUfragOffset(request),
            IceUsername.remoteUfragLength(request));
        if (!request.hasFingerprint() || request.priority() < 0
            || request.hasIceControlling() == request.hasIceControlled()) {
            return error(request, StunErrorCode.BAD_REQUEST, local, out, outOffset, outCapacity, result);
        }
        if (request.hasIceControlled()) {
            return error(request, StunErrorCode.ROLE_CONFLICT, local, out, outOffset, outCapacity, result);
        }
        if (request.unknownComprehensionRequiredCount() > 0) {
            return error(request, StunErrorCode.UNKNOWN_ATTRIBUTE, local, out, outOffset, outCapacity, result);
        }
        // read everything from the request before writing, so that the response may overwrite it in place
        result.check(request.useCandidate(), request.priority(), request.iceControllingTieBreaker());
        int length = writer.wrap(out, outOffset, outCapacity)
            .header(StunMessageType.BINDING_SUCCESS_RESPONSE, request)
            .xorMappedAddress(source)
            .messageIntegrity(integrity, local.key)
            .fingerprint(integrity)
            .length();
        return result.set(IceCheckStatus.VALID, length);
    }

    /** {@link #respond(StunMessage, IceCredentials, byte[], StunAddress, MutableDirectBuffer, int, int,
     * IceCheckResult)} with a socket address (cold path: reading it allocates). */
    public IceCheckStatus respond(
        StunMessage request, IceCredentials local, byte[] remoteUfrag, InetSocketAddress source,
        MutableDirectBuffer out, int outOffset, int outCapacity, IceCheckResult result) {
        return respond(request, local, remoteUfrag, coldSource.set(source), out, outOffset, outCapacity, result);
    }

    /** Writes an error response, with integrity under {@code signer}'s key unless it is {@code null}. */
    private IceCheckStatus error(
        StunMessage request, int code, IceCredentials signer, MutableDirectBuffer out, int outOffset,
        int outCapacity, IceCheckResult result) {
        int unknownCount =
            code == StunErrorCode.UNKNOWN_ATTRIBUTE ? request.copyUnknownComprehensionRequired(unknown) : 0;
        writer.wrap(out, outOffset, outCapacity)
            .header(StunMessageType.BINDING_ERROR_RESPONSE, request)
            .errorCode(code);
        if (unknownCount > 0) {
            writer.unknownAttributes(unknown, unknownCount);
        }
        if (signer != null) {
            writer.messageIntegrity(integrity, signer.key);
        }
        int length = writer.fingerprint(integrity).length();
        return result.set(statusOf(code), length);
    }

    private static IceCheckStatus statusOf(int code) {
        switch (code) {
            case StunErrorCode.UNAUTHORIZED:
                return IceCheckStatus.UNAUTHORIZED;
            case StunErrorCode.UNKNOWN_ATTRIBUTE:
                return IceCheckStatus.UNKNOWN_ATTRIBUTE;
            case StunErrorCode.ROLE_CONFLICT:
                return IceCheckStatus.ROLE_CONFLICT;
            default:
                return IceCheckStatus.BAD_REQUEST;
        }
    }
}
