/**
 * SDP (RFC 8866) with the WebRTC attributes: {@link io.sfu.core.sdp.SdpParser} turns text into a mutable
 * {@link io.sfu.core.sdp.SessionDescription} of {@link io.sfu.core.sdp.MediaDescription}s whose attributes keep
 * their order (unknown lines round-trip unchanged); typed views such as {@link io.sfu.core.sdp.Rtpmap},
 * {@link io.sfu.core.sdp.Candidate} or {@link io.sfu.core.sdp.Simulcast} are parsed on demand. Malformed input
 * raises {@link io.sfu.core.sdp.SdpParseException} only. A cold path: plain objects, no pooling.
 */
package io.sfu.core.sdp;
