/**
 * SRTP and SRTCP (RFC 3711, RFC 7714) keyed from DTLS-SRTP (RFC 5764): per-direction
 * {@link io.sfu.core.srtp.SrtpContext}s that protect and unprotect packets in place, without allocating per packet.
 *
 * <h2>How the cryptography is built, and why</h2>
 * The JCE's {@code AES/CTR} and {@code AES/GCM} ciphers only take a per-packet IV through {@code Cipher.init},
 * which allocates (about 0.1 KB per packet for CTR, 0.95 KB for GCM on JDK 17), and {@code Mac.doFinal(byte[], int)}
 * allocates its result. So:
 * <ul>
 *   <li>AES counter mode, for AES-CM and for the CTR half of GCM, runs on the JDK's own counter-mode loop, which
 *       HotSpot replaces with its pipelined AES-NI stub, keyed once per context with the counter block written in
 *       place per packet ({@code IntrinsicCtr}, with the same {@code --add-opens} as GHASH below, on x86); elsewhere
 *       it is the JCE's {@code AES/ECB/NoPadding} (keyed once) run over a preallocated buffer of counter blocks, then
 *       XORed in, about three times slower ({@code AesCtr});
 *   <li>HMAC-SHA1 is RFC 2104 over a JCE {@code MessageDigest} (SHA extensions where the CPU has them) digesting into
 *       a preallocated array ({@code HmacSha1});
 *   <li>GHASH calls the JDK's own block function, which HotSpot runs as its carry-less-multiply intrinsic, on state
 *       and key arrays of the context's own ({@code IntrinsicGhash}: no allocation, 18 longs per key). It needs
 *       {@code --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED} (the server jar's manifest, the scripts,
 *       the tests and the benchmarks pass it) and an x86 CPU with carry-less multiplication; elsewhere GHASH is plain
 *       Java with 64 KiB of tables per key ({@code TableGhash}), about 23 ns a block. BouncyCastle's pure-Java
 *       {@code GCMBlockCipher} was about 5 times slower still and allocates on {@code init}.
 * </ul>
 * The cost, for a 12-octet header and 1,200-octet payload (JDK 17, 2 shared AMD EPYC vCPUs, {@code SrtpBenchmark
 * -wi 2 -i 3 -w 1s -r 1s -prof gc}): AES-CM + HMAC-SHA1-80 protects in about 1.4 us and unprotects in 1.2 us, against
 * 1.0 us (and 152 B of garbage) for the bare JCE AES-CTR + HmacSHA1, SHA-1 being most of it. AES-128-GCM with the
 * table GHASH protected in about 2.7 us against 0.6 us (and 952 B of garbage) for the JCE's AES-GCM; with the
 * intrinsic it costs about what the JCE's AES-GCM does (sfu-bench/README.md has the current figures). All allocate
 * nothing.
 *
 * <p>Memory: an AEAD context with the table GHASH holds two tables (SRTP and SRTCP keys), 128 KiB, with the
 * intrinsic 288 octets; any context holds 4 KiB of
 * keystream scratch, and each tracked SSRC on the receiving side two replay windows of
 * {@link io.sfu.core.srtp.SrtpConfig#replayWindowBits()} bits.
 */
package io.sfu.core.srtp;
