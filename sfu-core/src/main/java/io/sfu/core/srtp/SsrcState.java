package io.sfu.core.srtp;

/**
 * What one {@link SrtpContext} remembers of one SSRC: the highest SRTP packet index (whence the ROC and the
 * highest sequence number s_l), the next SRTCP index to send, and on the receiving side the SRTP and SRTCP
 * replay windows. Recycled through the context's spare list. Not thread-safe.
 */
final class SsrcState {
    private static final int SEQUENCE_SPAN = 1 << 16;
    private static final int HALF_SEQUENCE_SPAN = 1 << 15;
    private static final int SRTCP_INDEX_MASK = 0x7FFF_FFFF;

    int ssrc;
    /** Highest 48-bit SRTP index accepted (received) or used (sent), -1 before the first. */
    long highestRtpIndex = -1;
    int nextSrtcpIndex;
    /** Null on the sending side, which keeps no replay lists. */
    final ReplayWindow rtpReplay;
    final ReplayWindow rtcpReplay;

    SsrcState(int replayWindowBits) {
        this.rtpReplay = replayWindowBits > 0 ? new ReplayWindow(replayWindowBits) : null;
        this.rtcpReplay = replayWindowBits > 0 ? new ReplayWindow(replayWindowBits) : null;
    }

    void reset(int newSsrc) {
        ssrc = newSsrc;
        highestRtpIndex = -1;
        nextSrtcpIndex = 0;
        if (rtpReplay != null) {
            rtpReplay.reset();
            rtcpReplay.reset();
        }
    }

    /**
     * The 48-bit packet index of sequence number {@code seq}, guessing its ROC from the highest index so far
     * (RFC 3711 §3.3.1, Appendix A): a sequence number far below s_l after the wrap belongs to the next ROC, one
     * far above it before the wrap to the previous. Negative when the guess is the ROC before 0, which no
     * packet of this SSRC can have.
     */
    long estimateRtpIndex(int seq) {
        if (highestRtpIndex < 0) {
            return seq;
        }
        long roc = highestRtpIndex >>> 16;
        int highestSeq = (int) (highestRtpIndex & (SEQUENCE_SPAN - 1));
        long guess;
        if (highestSeq < HALF_SEQUENCE_SPAN) {
            guess = seq - highestSeq > HALF_SEQUENCE_SPAN ? roc - 1 : roc;
        } else {
            guess = highestSeq - HALF_SEQUENCE_SPAN > seq ? roc + 1 : roc;
        }
        return guess < 0 ? -1 : guess << 16 | seq;
    }

    /** Records a sent or authenticated RTP packet with this index. */
    void acceptRtp(long index) {
        if (index > highestRtpIndex) {
            highestRtpIndex = index;
        }
        if (rtpReplay != null) {
            rtpReplay.accept(index);
        }
    }

    /** The SRTCP index for the next packet sent: 0 first, then +1 modulo 2^31 (RFC 3711 §3.4). */
    int takeSrtcpIndex() {
        int index = nextSrtcpIndex;
        nextSrtcpIndex = (index + 1) & SRTCP_INDEX_MASK;
        return index;
    }
}
