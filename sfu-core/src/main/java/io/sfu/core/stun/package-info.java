/**
 * STUN (RFC 8489, and RFC 5389 which it obsoletes): a flyweight reader ({@link io.sfu.core.stun.StunMessage}) and
 * writer ({@link io.sfu.core.stun.StunMessageWriter}) over Agrona buffers, the integrity engine for
 * MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT ({@link io.sfu.core.stun.StunIntegrity}), and the
 * attributes ICE needs (RFC 8445 §16.1).
 *
 * <p>Reading, checking and writing a binding request or response allocates nothing once the keys are prepared:
 * the media socket answers every connectivity check and consent refresh on the same thread that forwards media.
 */
package io.sfu.core.stun;
