package io.sfu.core.negotiation;

import io.sfu.core.sdp.Group;
import io.sfu.core.sdp.SessionDescription;

import java.util.List;

/**
 * The SFU's answer to a publisher offer and what it agreed: the description to send back, the browser's
 * transport, and one {@link PublishedTrack} per accepted m-line on which the browser sends.
 *
 * @param answer      the answer; treat as read-only ({@link SessionDescription#copy()} before editing)
 * @param iceRestart  a previous answer was given and the browser changed its ICE credentials (RFC 8445 §9): the
 *                    SFU should have answered with new credentials of its own
 * @param dtlsRestart a previous answer was given and the fingerprint or the DTLS role changed: a new DTLS
 *                    association follows (RFC 8842 §5.5)
 * @param dataChannel the browser's data channel m-line the answer accepted, or null when it accepted none
 */
public record PublisherAnswer(SessionDescription answer, RemoteTransportParams remote, List<PublishedTrack> tracks,
                              boolean iceRestart, boolean dtlsRestart, DataChannelSection.PeerParams dataChannel) {

    /** An answer that accepted no data channel m-line. */
    public PublisherAnswer(SessionDescription answer, RemoteTransportParams remote, List<PublishedTrack> tracks,
                           boolean iceRestart, boolean dtlsRestart) {
        this(answer, remote, tracks, iceRestart, dtlsRestart, null);
    }

    public PublisherAnswer {
        java.util.Objects.requireNonNull(answer, "answer");
        java.util.Objects.requireNonNull(remote, "remote");
        tracks = List.copyOf(tracks);
    }

    /** @return the mids of the accepted m-lines, in m-line order (the answer's BUNDLE group) */
    public List<String> acceptedMids() {
        return answer.bundleGroup().map(Group::mids).orElse(List.of());
    }

    /** @return the {@code o=} session version of the answer; a renegotiation answers with the next one */
    public long sessionVersion() {
        return answer.origin().sessionVersion();
    }
}
