/**
 * DTLS 1.2 with the use_srtp extension for WebRTC (RFC 6347, RFC 5764, RFC 8842), on BouncyCastle's TLS API.
 *
 * <p>{@link io.sfu.core.dtls.DtlsCertificate} is the SFU's identity, announced in SDP as a
 * {@link io.sfu.core.dtls.DtlsFingerprint}; a {@link io.sfu.core.dtls.DtlsEndpoint} per peer connection runs the
 * handshake over a {@link io.sfu.core.dtls.QueuedDatagramTransport}, a bounded queue that the shared UDP socket's
 * I/O thread feeds, and yields a {@link io.sfu.core.dtls.DtlsResult}: the negotiated SRTP protection profile (its
 * IANA id, see {@link io.sfu.core.dtls.DtlsSrtpProfiles}) and the exported keying material, which the session
 * layer hands to the SRTP layer.
 *
 * <p>Handshakes block, so they run on a caller-provided bounded executor, never on the I/O or forwarding threads;
 * see {@link io.sfu.core.dtls.DtlsEndpoint} for the threading and post-handshake design.
 */
package io.sfu.core.dtls;
