package io.sfu.core.media;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** The data plane's counters: written by its thread (and the DTLS drains for queue drops), read by a scrape. */
final class DataCounters {
    final AtomicLong messagesIn = new AtomicLong();
    final AtomicLong bytesIn = new AtomicLong();
    final AtomicLong messagesOut = new AtomicLong();
    final AtomicLong bytesOut = new AtomicLong();
    /** Messages a partially reliable channel's full send buffer (or a closed or too small channel) did not take. */
    final AtomicLong messagesDropped = new AtomicLong();
    /** Reliable channels closed toward a subscriber whose send buffer was full. */
    final AtomicLong channelsCutOff = new AtomicLong();
    /** Channels a participant opened beyond its limit, closed at once. */
    final AtomicLong channelsRefused = new AtomicLong();
    /** Backend messages for a participant without a data channel association. */
    final AtomicLong serverMessagesUndelivered = new AtomicLong();
    /** SCTP packets the full queue toward the data plane's thread did not take. */
    final AtomicLong packetsDroppedQueueFull = new AtomicLong();
    /** SCTP packets DTLS could not send (not connected, or the record too large). */
    final AtomicLong packetsNotSent = new AtomicLong();
    final AtomicLong associations = new AtomicLong();
    final AtomicLong tracks = new AtomicLong();

    void in(int bytes) {
        messagesIn.incrementAndGet();
        bytesIn.addAndGet(bytes);
    }

    void out(int bytes) {
        messagesOut.incrementAndGet();
        bytesOut.addAndGet(bytes);
    }

    /** Adds the counters to a scrape, by their metric names. */
    void addTo(Map<String, Long> counters) {
        counters.put("data_messages_in", messagesIn.get());
        counters.put("data_bytes_in", bytesIn.get());
        counters.put("data_messages_out", messagesOut.get());
        counters.put("data_bytes_out", bytesOut.get());
        counters.put("data_messages_dropped", messagesDropped.get());
        counters.put("data_channels_cut_off", channelsCutOff.get());
        counters.put("data_channels_refused", channelsRefused.get());
        counters.put("data_server_messages_undelivered", serverMessagesUndelivered.get());
        counters.put("data_packets_dropped_queue_full", packetsDroppedQueueFull.get());
        counters.put("data_packets_not_sent", packetsNotSent.get());
        counters.put("data_associations", associations.get());
        counters.put("data_tracks", tracks.get());
    }
}
