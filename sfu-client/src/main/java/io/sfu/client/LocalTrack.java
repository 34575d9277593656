package io.sfu.client;

import java.util.List;

/**
 * A track this client publishes, as its offers carry it: the spec, its mid, its senders (one per encoding), and
 * whether a later offer stopped it.
 */
final class LocalTrack {
    final TrackSpec spec;
    final String mid;
    final List<RtpSender> senders;
    boolean stopped;

    LocalTrack(TrackSpec spec, String mid, List<RtpSender> senders) {
        this.spec = spec;
        this.mid = mid;
        this.senders = List.copyOf(senders);
    }
}
