/**
 * SRTP and SRTCP (RFC 3711, RFC 7714) keyed from DTLS-SRTP (RFC 5764): per-direction
 * {@link io.sfu.core.srtp.SrtpContext}s that protect and unprotect packets in place, without allocating per packet.
 *
 * <h2>How the cryptography is built, and why</h2>
 * The JCE's {@code AES/CTR} and {@code AES/GCM} ciphers only take a per-packet IV through {@code Cipher.init},
 * which allocates (about 0.1 KB per packet for CTR, 0.95 KB for GCM on JDK 17), and {@code Mac.doFinal(byte[], int)}
 * allocates its result. So:
 * <ul>
 *   <li>AES counter mode, for AES-CM and for the CTR half of GCM, is the JCE's {@code AES/ECB/NoPadding} (keyed once,
 *       AES-NI) run over a preallocated buffer of counter blocks, then XORed in ({@code AesCtr});
 *   <li>HMAC-SHA1 is RFC 2104 over a JCE {@code MessageDigest} (SHA extensions where the CPU has them) digesting into
 *       a preallocated array ({@code HmacSha1});
 *   <li>GHASH, whose JDK intrinsic is out of reach without {@code Cipher.init}, is plain Java with 64 KiB of tables
 *       per key ({@code Ghash}). BouncyCastle's pure-Java {@code GCMBlockCipher} was about 5 times slower still and
 *       allocates on {@code init}.
 * </ul>
 * The cost, for a 12-octet header and 1,200-octet payload (JDK 17, 2 shared AMD EPYC vCPUs, {@code SrtpBenchmark
 * -wi 2 -i 3 -w 1s -r 1s -prof gc}): AES-CM + HMAC-SHA1-80 protects in about 1.4 us and unprotects in 1.2 us, against
 * 1.0 us (and 152 B of garbage) for the bare JCE AES-CTR + HmacSHA1, SHA-1 being most of it; AES-128-GCM protects in
 * about 2.7 us and unprotects in 2.3 us, against 0.6 us (and 952 B of garbage) for the JCE's AES-GCM, GHASH in Java
 * being the difference. All allocate nothing. Where the choice is the SFU's (the DTLS server picks from the client's
 * use_srtp list), SRTP_AES128_CM_HMAC_SHA1_80 is therefore the cheaper profile here.
 *
 * <p>Memory: an AEAD context holds two GHASH tables (SRTP and SRTCP keys), 128 KiB; any context holds 4 KiB of
 * keystream scratch, and each tracked SSRC on the receiving side two replay windows of
 * {@link io.sfu.core.srtp.SrtpConfig#replayWindowBits()} bits.
 */
package io.sfu.core.srtp;
