/**
 * A WebRTC peer in Java that talks to the SFU over real UDP, for tests and the load harness: many
 * {@link io.sfu.core.client.ClientPeerConnection}s served by one {@link io.sfu.core.client.ClientIoLoop} thread,
 * each with its own socket, a controlling ICE agent, a DTLS client and SRTP. The publisher side offers tracks and
 * sends them through {@link io.sfu.core.client.RtpSender}s (NACK answers from a send history, RTX, sender reports);
 * the subscriber side answers the SFU's offers and receives (reception statistics, NACKs, RTX unwrapping, receiver
 * reports, keyframe requests). Seeded {@link io.sfu.core.client.Impairment}s add loss, jitter and reordering.
 *
 * <p>Depends on the protocol packages, {@code feedback} and {@code net} only; never on {@code forward} or
 * {@code session}, so that the SFU's own tests can drive it against the server.
 */
package io.sfu.core.client;
