package io.sfu.core.srtp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * The SRTP/SRTCP cryptographic context of one transport direction (RFC 3711 §3.2): the session keys derived from
 * one master key and salt, and per-SSRC state (rollover counter, highest sequence number, SRTCP index, replay
 * windows) for at most {@link SrtpConfig#maxSsrcs()} SSRCs. A sending context protects, a receiving context
 * unprotects.
 *
 * <p>Every method works in place on the packet's backing {@code byte[]} (a heap {@code UnsafeBuffer} or
 * {@code ExpandableArrayBuffer}) and returns the new packet length, or a negative {@link SrtpError} code;
 * none throws on any packet content and none allocates once an SSRC is known. The RTP header, CSRCs and header
 * extension included, stays in the clear; the payload is encrypted and the tag appended:
 * <ul>
 *   <li>{@link #protectRtp} needs {@code capacity >= offset + length + }{@link SrtpProfile#rtpAuthTagLength()};
 *   <li>{@link #protectRtcp} needs {@code capacity >= offset + length + }{@link SrtpProfile#srtcpOverhead()}
 *       (the tag and the E flag + SRTCP index word);
 *   <li>unprotecting leaves the plaintext at the same offset with the trailer bytes after it untouched.
 * </ul>
 * A rejected packet is counted (authentication failures, replays, malformed, SSRCs beyond the bound); a packet
 * that fails authentication is left unchanged. Unprotecting checks replay with the estimated index before
 * spending a MAC on it, and commits the ROC, highest index and replay window only after the packet
 * authenticated (RFC 3711 §3.3). State for an SSRC is created on its first authentic (or sent) packet, so forged
 * packets cannot fill the bound.
 *
 * <p>Not thread-safe: one owner thread (the agent that owns the transport). The counters are plain fields; read
 * them on that thread or accept a stale value.
 */
public final class SrtpContext {
    private static final int SPARE_STATES = 16;

    private final SrtpProfile profile;
    private final boolean sending;
    private final int maxSsrcs;
    private final int replayWindowBits;
    private final SrtpCipher rtp;
    private final SrtpCipher rtcp;
    private final Int2ObjectHashMap<SsrcState> states = new Int2ObjectHashMap<>();
    private final SsrcState[] spare = new SsrcState[SPARE_STATES];
    private int spareCount;

    private long authenticationFailures;
    private long replaysRejected;
    private long malformedPackets;
    private long ssrcLimitRejections;

    private SrtpContext(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, SrtpConfig config,
        boolean sending) {
        if (masterKey.length != profile.masterKeyLength() || masterSalt.length != profile.masterSaltLength()) {
            throw new IllegalArgumentException(profile + " needs a " + profile.masterKeyLength()
                + "-octet master key and a " + profile.masterSaltLength() + "-octet master salt, got "
                + masterKey.length + " and " + masterSalt.length);
        }
        this.profile = profile;
        this.sending = sending;
        this.maxSsrcs = config.maxSsrcs();
        this.replayWindowBits = sending ? 0 : config.replayWindowBits();
        // one owner thread, so the SRTP and SRTCP ciphers share the keystream scratch
        byte[] counters = new byte[AesCtr.CHUNK_BYTES];
        byte[] keystream = new byte[AesCtr.CHUNK_BYTES];
        this.rtp = SrtpCipher.create(profile, masterKey, masterSalt, false, counters, keystream);
        this.rtcp = SrtpCipher.create(profile, masterKey, masterSalt, true, counters, keystream);
    }

    /** A context that protects outgoing packets, with {@link SrtpConfig#defaults()}. */
    public static SrtpContext forSending(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        return forSending(profile, masterKey, masterSalt, SrtpConfig.defaults());
    }

    /**
     * A context that protects outgoing packets.
     *
     * @throws IllegalArgumentException if the key or salt length does not match the profile
     */
    public static SrtpContext forSending(SrtpProfile profile, byte[] masterKey, byte[] masterSalt,
        SrtpConfig config) {
        return new SrtpContext(profile, masterKey, masterSalt, config, true);
    }

    /** A context that unprotects incoming packets, with {@link SrtpConfig#defaults()}. */
    public static SrtpContext forReceiving(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        return forReceiving(profile, masterKey, masterSalt, SrtpConfig.defaults());
    }

    /**
     * A context that unprotects incoming packets.
     *
     * @throws IllegalArgumentException if the key or salt length does not match the profile
     */
    public static SrtpContext forReceiving(SrtpProfile profile, byte[] masterKey, byte[] masterSalt,
        SrtpConfig config) {
        return new SrtpContext(profile, masterKey, masterSalt, config, false);
    }

    /** The octets SRTP adds to an RTP packet it protects: the authentication tag. */
    public int rtpOverhead() {
        return profile.rtpAuthTagLength();
    }

    /**
     * The sequence number that follows the highest this context protected for {@code ssrc}; -1 when it protected
     * none. A sender that starts a stream again under the same key continues from here, so no index is used twice.
     */
    public int nextRtpSequence(int ssrc) {
        SsrcState state = states.get(ssrc);
        return state == null || state.highestRtpIndex < 0 ? -1 : (int) ((state.highestRtpIndex + 1) & 0xFFFF);
    }

    /**
     * Encrypts and authenticates the RTP packet {@code buffer[offset .. + length)} in place, appending the tag.
     *
     * @return the SRTP packet length ({@code length + rtpAuthTagLength}), or a negative {@link SrtpError}
     * @throws IllegalStateException if this is a receiving context
     */
    public int protectRtp(MutableDirectBuffer buffer, int offset, int length) {
        int refused = refuse(buffer, offset, length, true);
        if (refused != 0) {
            return refused;
        }
        byte[] packet = buffer.byteArray();
        int tagLength = profile.rtpAuthTagLength();
        if ((long) offset + length + tagLength > buffer.capacity()) {
            return SrtpError.NO_CAPACITY;
        }
        int start = start(buffer, offset);
        int headerLength = SrtpPackets.rtpHeaderLength(packet, start, length);
        if (headerLength < 0) {
            return malformed();
        }
        int ssrc = SrtpPackets.rtpSsrc(packet, start);
        int seq = SrtpPackets.rtpSequenceNumber(packet, start);
        SsrcState state = states.get(ssrc);
        if (state == null) {
            state = admit(ssrc);
            if (state == null) {
                return SrtpError.SSRC_LIMIT;
            }
        }
        // a retransmission of an older packet keeps the ROC it was first sent with
        long index = state.estimateRtpIndex(seq);
        if (index < 0) {
            replaysRejected++;
            return SrtpError.REPLAYED;
        }
        state.acceptRtp(index);
        rtp.protectRtp(packet, start, headerLength, length - headerLength, ssrc, index);
        return length + tagLength;
    }

    /**
     * Authenticates, replay-checks and decrypts the SRTP packet {@code buffer[offset .. + length)} in place.
     *
     * @return the RTP packet length ({@code length - rtpAuthTagLength}), or a negative {@link SrtpError}
     * @throws IllegalStateException if this is a sending context
     */
    public int unprotectRtp(MutableDirectBuffer buffer, int offset, int length) {
        int refused = refuse(buffer, offset, length, false);
        if (refused != 0) {
            return refused;
        }
        byte[] packet = buffer.byteArray();
        int start = start(buffer, offset);
        int rtpLength = length - profile.rtpAuthTagLength();
        int headerLength = SrtpPackets.rtpHeaderLength(packet, start, rtpLength);
        if (headerLength < 0) {
            return malformed();
        }
        int ssrc = SrtpPackets.rtpSsrc(packet, start);
        int seq = SrtpPackets.rtpSequenceNumber(packet, start);
        SsrcState state = states.get(ssrc);
        long index;
        if (state == null) {
            if (isFull()) {
                return SrtpError.SSRC_LIMIT;
            }
            index = seq;
        } else {
            index = state.estimateRtpIndex(seq);
            if (index < 0 || !state.rtpReplay.isFresh(index)) {
                replaysRejected++;
                return SrtpError.REPLAYED;
            }
        }
        if (!rtp.unprotectRtp(packet, start, headerLength, rtpLength - headerLength, ssrc, index)) {
            authenticationFailures++;
            return SrtpError.AUTHENTICATION_FAILED;
        }
        if (state == null) {
            state = admit(ssrc);
        }
        state.acceptRtp(index);
        return rtpLength;
    }

    /**
     * Encrypts and authenticates the RTCP (compound) packet {@code buffer[offset .. + length)} in place with the
     * next SRTCP index of its sender SSRC, appending the E flag + index word and the tag.
     *
     * @return the SRTCP packet length ({@code length + srtcpOverhead}), or a negative {@link SrtpError}
     * @throws IllegalStateException if this is a receiving context
     */
    public int protectRtcp(MutableDirectBuffer buffer, int offset, int length) {
        int refused = refuse(buffer, offset, length, true);
        if (refused != 0) {
            return refused;
        }
        byte[] packet = buffer.byteArray();
        if ((long) offset + length + profile.srtcpOverhead() > buffer.capacity()) {
            return SrtpError.NO_CAPACITY;
        }
        int start = start(buffer, offset);
        if (!SrtpPackets.isRtcp(packet, start, length)) {
            return malformed();
        }
        int ssrc = SrtpPackets.rtcpSsrc(packet, start);
        SsrcState state = states.get(ssrc);
        if (state == null) {
            state = admit(ssrc);
            if (state == null) {
                return SrtpError.SSRC_LIMIT;
            }
        }
        return rtcp.protectRtcp(packet, start, length, ssrc, state.takeSrtcpIndex(), true);
    }

    /**
     * Authenticates, replay-checks (by SRTCP index) and, when its E flag is set, decrypts the SRTCP packet
     * {@code buffer[offset .. + length)} in place.
     *
     * @return the RTCP packet length ({@code length - srtcpOverhead}), or a negative {@link SrtpError}
     * @throws IllegalStateException if this is a sending context
     */
    public int unprotectRtcp(MutableDirectBuffer buffer, int offset, int length) {
        int refused = refuse(buffer, offset, length, false);
        if (refused != 0) {
            return refused;
        }
        byte[] packet = buffer.byteArray();
        int start = start(buffer, offset);
        int rtcpLength = length - profile.srtcpOverhead();
        if (rtcpLength < SrtpPackets.RTCP_HEADER || !SrtpPackets.isRtcp(packet, start, length)) {
            return malformed();
        }
        int ssrc = SrtpPackets.rtcpSsrc(packet, start);
        int word = ByteArrays.getInt(packet, start + rtcp.srtcpIndexPosition(length));
        boolean encrypted = word < 0;
        int index = word & 0x7FFF_FFFF;
        SsrcState state = states.get(ssrc);
        if (state == null) {
            if (isFull()) {
                return SrtpError.SSRC_LIMIT;
            }
        } else if (!state.rtcpReplay.isFresh(index)) {
            replaysRejected++;
            return SrtpError.REPLAYED;
        }
        if (!rtcp.unprotectRtcp(packet, start, length, ssrc, index, encrypted)) {
            authenticationFailures++;
            return SrtpError.AUTHENTICATION_FAILED;
        }
        if (state == null) {
            state = admit(ssrc);
        }
        state.rtcpReplay.accept(index);
        return rtcpLength;
    }

    /**
     * Forgets an SSRC (its ROC, SRTCP index and replay windows), for example when its track is removed, freeing
     * room under the bound. A later packet of the same SSRC starts again from ROC 0.
     *
     * @return whether the SSRC was known
     */
    public boolean removeSsrc(int ssrc) {
        SsrcState state = states.remove(ssrc);
        if (state == null) {
            return false;
        }
        if (spareCount < spare.length) {
            spare[spareCount++] = state;
        }
        return true;
    }

    /** The rollover counter of an SSRC's highest sent or received packet, or -1 if the SSRC is not known. */
    public long rolloverCounter(int ssrc) {
        SsrcState state = states.get(ssrc);
        return state == null || state.highestRtpIndex < 0 ? -1 : state.highestRtpIndex >>> 16;
    }

    /** How many SSRCs this context keeps state for. */
    public int ssrcCount() {
        return states.size();
    }

    /** The protection profile. */
    public SrtpProfile profile() {
        return profile;
    }

    /** Whether this context protects (true) or unprotects (false). */
    public boolean isSending() {
        return sending;
    }

    /** Packets whose tag did not verify. */
    public long authenticationFailures() {
        return authenticationFailures;
    }

    /** Packets rejected as already received or older than the replay window (or, sending, older than ROC 0). */
    public long replaysRejected() {
        return replaysRejected;
    }

    /** Packets too short or not version 2, and calls whose offset/length fell outside the buffer. */
    public long malformedPackets() {
        return malformedPackets;
    }

    /** Packets of a new SSRC rejected because {@link SrtpConfig#maxSsrcs()} SSRCs were already tracked. */
    public long ssrcLimitRejections() {
        return ssrcLimitRejections;
    }

    /** Whether a new SSRC would exceed the bound, counting the rejection if so. */
    private boolean isFull() {
        if (states.size() >= maxSsrcs) {
            ssrcLimitRejections++;
            return true;
        }
        return false;
    }

    /** State for a new SSRC, or null (counted) when the bound is reached. */
    private SsrcState admit(int ssrc) {
        if (isFull()) {
            return null;
        }
        SsrcState state = spareCount > 0 ? spare[--spareCount] : new SsrcState(replayWindowBits);
        state.reset(ssrc);
        states.put(ssrc, state);
        return state;
    }

    private int malformed() {
        malformedPackets++;
        return SrtpError.MALFORMED;
    }

    /**
     * 0 when a call may go ahead, else the error it returns: the buffer has no backing array, or the range lies
     * outside it (counted as malformed).
     *
     * @throws IllegalStateException when a receiving context is asked to protect or a sending one to unprotect
     */
    private int refuse(DirectBuffer buffer, int offset, int length, boolean protect) {
        if (protect != sending) {
            throw new IllegalStateException(sending
                ? "a sending SrtpContext only protects" : "a receiving SrtpContext only unprotects");
        }
        if (buffer.byteArray() == null) {
            return SrtpError.NOT_HEAP_BUFFER;
        }
        if (offset < 0 || length < 0 || (long) offset + length > buffer.capacity()) {
            return malformed();
        }
        return 0;
    }

    private static int start(DirectBuffer buffer, int offset) {
        return (int) (buffer.wrapAdjustment() + offset);
    }
}
