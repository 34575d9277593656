package io.sfu.core.rtp;

/**
 * Per-source sequence state of RFC 3550 Appendix A.1: validates a new source over a probation of sequential
 * packets, counts sequence-number cycles, detects a restarted source after a large jump, and derives the loss
 * figures of Appendix A.3 for receiver reports. Single writer, no allocation.
 */
public final class RtpSequenceTracker {
    /** Sequential packets needed before a new source is valid (A.1: MIN_SEQUENTIAL). */
    public static final int MIN_SEQUENTIAL = 2;
    /** Largest forward jump treated as loss rather than a restart (A.1: MAX_DROPOUT). */
    public static final int MAX_DROPOUT = 3000;
    /** Largest backward step treated as reordering or duplication (A.1: MAX_MISORDER). */
    public static final int MAX_MISORDER = 100;

    private static final int MODULUS = RtpSequenceNumbers.MODULUS;

    private int maxSequence;
    private long cycles;
    private int baseSequence;
    private int badSequence;
    private int probation;
    private long received;
    private long expectedPrior;
    private long receivedPrior;

    /**
     * Starts tracking a source whose first packet carries {@code sequenceNumber}, on probation; pass every
     * packet, that first one included, to {@link #update}.
     */
    public RtpSequenceTracker(int sequenceNumber) {
        start(sequenceNumber);
    }

    /** Forgets the source and starts over from {@code sequenceNumber}, on probation. */
    public void start(int sequenceNumber) {
        restart(sequenceNumber);
        maxSequence = (sequenceNumber - 1) & RtpSequenceNumbers.MASK;
        probation = MIN_SEQUENTIAL;
    }

    /**
     * Accounts for a received packet.
     *
     * @return true when the packet is valid for the source: false while the source is on probation and for a
     *     jump too large to be loss (a second packet right after such a jump restarts the source)
     */
    public boolean update(int sequenceNumber) {
        int sequence = sequenceNumber & RtpSequenceNumbers.MASK;
        int forward = (sequence - maxSequence) & RtpSequenceNumbers.MASK;
        if (probation > 0) {
            if (sequence == ((maxSequence + 1) & RtpSequenceNumbers.MASK)) {
                probation--;
                maxSequence = sequence;
                if (probation == 0) {
                    restart(sequence);
                    received++;
                    return true;
                }
            } else {
                probation = MIN_SEQUENTIAL - 1;
                maxSequence = sequence;
            }
            return false;
        }
        if (forward < MAX_DROPOUT) {
            if (sequence < maxSequence) {
                cycles += MODULUS;
            }
            maxSequence = sequence;
        } else if (forward <= MODULUS - MAX_MISORDER) {
            if (sequence != badSequence) {
                badSequence = (sequence + 1) & RtpSequenceNumbers.MASK;
                return false;
            }
            // two sequential packets after a jump: the source restarted its numbering
            restart(sequence);
        }
        received++;
        return true;
    }

    /** Cycle count (a multiple of 65536) plus the highest sequence number: the RR's extended highest number. */
    public long extendedHighestSequence() {
        return cycles + maxSequence;
    }

    /** Packets accepted since the source became valid, duplicates included (A.3). */
    public long received() {
        return received;
    }

    /** Packets expected since the source became valid: the span of extended sequence numbers (A.3). */
    public long expected() {
        return extendedHighestSequence() - baseSequence + 1;
    }

    /** Cumulative packets lost (A.3); negative when duplicates outnumber losses. */
    public long lost() {
        return expected() - received;
    }

    /**
     * Fraction lost since the previous call, as the 8-bit fixed-point value of a report block (A.3); 0 when
     * nothing was lost or duplicates made up for it. Each call starts a new interval.
     */
    public int takeFractionLost() {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval == 0 || lostInterval <= 0) {
            return 0;
        }
        return (int) Math.min(255, (lostInterval << 8) / expectedInterval);
    }

    public boolean isOnProbation() {
        return probation > 0;
    }

    private void restart(int sequence) {
        baseSequence = sequence;
        maxSequence = sequence;
        badSequence = MODULUS + 1;
        cycles = 0;
        received = 0;
        receivedPrior = 0;
        expectedPrior = 0;
    }
}
