/**
 * Stream-bound RTCP feedback units for the forwarding thread: receive statistics for reports, NACK generation,
 * the packet history that answers NACKs, keyframe-request throttling, transport-wide congestion control arrival
 * records, bitrate and round-trip time estimation. Each takes primitive inputs and injected time (nanoTime values),
 * allocates nothing per packet, takes no lock and keeps bounded state; the RTP/RTCP flyweights feed them.
 */
package io.sfu.core.feedback;
