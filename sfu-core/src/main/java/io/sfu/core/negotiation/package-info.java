/**
 * Offer/answer negotiation of the SFU's two peer connections per participant (JSEP, RFC 8829), on top of the SDP
 * model of {@link io.sfu.core.sdp}: {@link io.sfu.core.negotiation.PublisherNegotiator} answers a publisher's
 * offers and extracts its {@link io.sfu.core.negotiation.PublishedTrack}s; a
 * {@link io.sfu.core.negotiation.SubscriberNegotiator} offers the forwarded tracks to a subscriber and applies its
 * answers, yielding an {@link io.sfu.core.negotiation.AnsweredTrack} per track. The SFU is ICE-lite (RFC 8445
 * §2.5), bundles everything on one transport (RFC 8843) and multiplexes RTCP (RFC 8858). Descriptions that cannot
 * be negotiated raise {@link io.sfu.core.negotiation.NegotiationException} only. A cold path on the control-plane
 * thread: plain objects; imports nothing but the SDP package, the header extension URIs of the RTP package, the
 * DTLS role and the JDK.
 */
package io.sfu.core.negotiation;
