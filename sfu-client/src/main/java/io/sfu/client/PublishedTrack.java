package io.sfu.client;

import java.util.List;

/** One m-line of the publisher side: the track, its mid, its senders (one per encoding), and whether it stopped. */
final class PublishedTrack {
    final TrackSpec spec;
    final String mid;
    final List<RtpSender> senders;
    boolean stopped;

    PublishedTrack(TrackSpec spec, String mid, List<RtpSender> senders) {
        this.spec = spec;
        this.mid = mid;
        this.senders = List.copyOf(senders);
    }
}
