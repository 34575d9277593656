package io.sfu.core.media;

import io.sfu.core.forward.ForwardingAgent;
import io.sfu.core.negotiation.PublishedTrack;

/**
 * A published track as subscriptions need it: who publishes it, what was negotiated, where it is forwarded, and
 * whether it is a shared screen.
 */
record PublishedTrackInfo(String trackId, String participantId, PublishedTrack negotiated, ForwardingAgent agent,
                          boolean screenShare) {
}
