/**
 * RTP (RFC 3550 §5.1) with RFC 8285 header extensions: a flyweight that reads and rewrites packets in place,
 * a cursor over extension elements, a writer for the client stack and tests, and sequence-number arithmetic.
 *
 * <p>Conventions of this package: malformed input is reported by {@code false} from {@code wrap} (never by an
 * exception); offsets handed out (payload, extension values) are indices into the wrapped buffer, not relative
 * to the packet start; SSRCs and CSRCs are raw 32-bit {@code int}s (identifiers, not numbers), timestamps are
 * unsigned values in a {@code long}, sequence numbers are {@code int}s in 0..65535.
 */
package io.sfu.core.rtp;
