/**
 * A WebRTC peer in Java that talks to the SFU over real UDP, for tests and the load harness: many
 * {@link io.sfu.client.ClientPeerConnection}s served by one {@link io.sfu.client.ClientIoLoop} thread,
 * each with its own socket, a controlling ICE agent, a DTLS client and SRTP. The publisher side offers tracks and
 * sends them through {@link io.sfu.client.RtpSender}s (NACK answers from a send history, RTX, sender reports);
 * the subscriber side answers the SFU's offers and receives (reception statistics, NACKs, RTX unwrapping, receiver
 * reports, keyframe requests). Both sides carry data channels (SCTP over the DTLS association, sfu-core's
 * {@code datachannel} endpoint on the loop thread): a publisher offers them with
 * {@link io.sfu.client.ClientPeerConnection#createOffer(java.util.List, java.util.List)} and the subscriber accepts
 * the SFU's. Seeded {@link io.sfu.client.Impairment}s add loss, jitter and reordering.
 *
 * <p>Its own module, so that the server's jar holds none of it. It depends on sfu-core's protocol packages,
 * {@code feedback} and {@code net} only, never on the server's layers, so that it meets the SFU as a browser would.
 */
package io.sfu.client;
