package io.sfu.core.ice;

import org.agrona.DirectBuffer;

/**
 * The outcome of one connectivity check, filled in by {@link IceLiteResponder} (and
 * {@link IceLiteSession}) into a caller-owned instance reused for every check. The remote ufrag is a view into the
 * request's buffer, valid until that buffer is reused.
 */
public final class IceCheckResult {
    private IceCheckStatus status = IceCheckStatus.DISCARDED;
    private int responseLength;
    private boolean useCandidate;
    private long priority;
    private long tieBreaker;
    private DirectBuffer requestBuffer;
    private int remoteUfragOffset;
    private int remoteUfragLength;
    private boolean selectedTupleChanged;

    /** An empty result. */
    public IceCheckResult() {
        reset();
    }

    void reset() {
        status = IceCheckStatus.DISCARDED;
        responseLength = 0;
        useCandidate = false;
        priority = -1;
        tieBreaker = 0;
        requestBuffer = null;
        remoteUfragOffset = -1;
        remoteUfragLength = -1;
        selectedTupleChanged = false;
    }

    IceCheckStatus set(IceCheckStatus status, int responseLength) {
        this.status = status;
        this.responseLength = responseLength;
        return status;
    }

    void check(boolean useCandidate, long priority, long tieBreaker) {
        this.useCandidate = useCandidate;
        this.priority = priority;
        this.tieBreaker = tieBreaker;
    }

    void remoteUfrag(DirectBuffer buffer, int offset, int length) {
        this.requestBuffer = buffer;
        this.remoteUfragOffset = offset;
        this.remoteUfragLength = length;
    }

    void selectedTupleChanged(boolean changed) {
        this.selectedTupleChanged = changed;
    }

    /** What the check was. */
    public IceCheckStatus status() {
        return status;
    }

    /** Bytes of the response written into the caller's buffer, 0 when nothing is to be sent. */
    public int responseLength() {
        return responseLength;
    }

    /** Whether the valid check carried USE-CANDIDATE (the peer nominates this pair). */
    public boolean useCandidate() {
        return useCandidate;
    }

    /** PRIORITY of the valid check, or -1. */
    public long priority() {
        return priority;
    }

    /** The ICE-CONTROLLING tie-breaker of the valid check. */
    public long tieBreaker() {
        return tieBreaker;
    }

    /** Whether the session moved its selected 5-tuple to this check's source (set by {@link IceLiteSession}). */
    public boolean selectedTupleChanged() {
        return selectedTupleChanged;
    }

    /** Bytes of the sender's ufrag, or -1 when the check was not authenticated. */
    public int remoteUfragLength() {
        return remoteUfragLength;
    }

    /** Whether the sender's ufrag equals {@code ufrag} (no allocation). */
    public boolean remoteUfragEquals(byte[] ufrag) {
        if (remoteUfragLength != ufrag.length) {
            return false;
        }
        for (int i = 0; i < remoteUfragLength; i++) {
            if (requestBuffer.getByte(remoteUfragOffset + i) != ufrag[i]) {
                return false;
            }
        }
        return true;
    }

    /** The sender's ufrag as a String, or {@code null} (cold path). */
    public String remoteUfrag() {
        return remoteUfragLength < 0 ? null
            : requestBuffer.getStringWithoutLengthAscii(remoteUfragOffset, remoteUfragLength);
    }

    @Override
    public String toString() {
        return "IceCheckResult[" + status + ", response=" + responseLength + ", useCandidate=" + useCandidate
            + ", priority=" + priority + ", selectedTupleChanged=" + selectedTupleChanged + "]";
    }
}
