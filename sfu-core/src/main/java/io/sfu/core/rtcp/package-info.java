/**
 * RTCP (RFC 3550 §6) and its feedback messages: a compound-packet iterator (reduced-size packets of RFC 5506
 * included), and flyweight readers with matching writers for SR, RR, SDES, generic NACK and transport-wide
 * congestion control feedback (RTPFB), PLI and FIR (PSFB): what the SFU and its client act on.
 *
 * <p>Conventions of this package: every reader's {@code wrap} returns {@code false} for malformed input and
 * never throws, and nothing read from an accepted packet lies outside it; readers never allocate. Writers take
 * the caller's own values: an out-of-range argument throws {@link java.lang.IllegalArgumentException}, and the
 * buffer must have room for the length the writer documents. SSRCs are raw 32-bit {@code int}s, unsigned
 * 32-bit counters and timestamps are {@code long}s, sequence numbers are {@code int}s in 0..65535. Offsets are
 * indices into the wrapped buffer.
 */
package io.sfu.core.rtcp;
