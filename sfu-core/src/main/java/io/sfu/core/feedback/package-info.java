/**
 * Stream-bound RTCP feedback units, one implementation per RFC, used by the SFU's forwarding path and by its Java
 * client alike: receive statistics and the report blocks written from them, NACK generation, the packet history
 * that answers NACKs, keyframe-request throttling, the reading of received RTCP feedback, the discovery of streams
 * by mid and rid, bitrate and round-trip time estimation. Each takes primitive inputs and injected time (nanoTime
 * values), allocates nothing per packet, takes no lock and keeps bounded state; the RTP/RTCP flyweights feed them.
 */
package io.sfu.core.feedback;
