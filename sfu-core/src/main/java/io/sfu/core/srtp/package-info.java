/**
 * SRTP and SRTCP (RFC 3711, RFC 7714) keyed from DTLS-SRTP (RFC 5764): per-direction
 * {@link io.sfu.core.srtp.SrtpContext}s that protect and unprotect packets in place, without allocating per packet.
 */
package io.sfu.core.srtp;
