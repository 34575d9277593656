package io.sfu.core.session;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The validated media settings a {@link MediaEngineFactory} gets: where to bind the one UDP socket, which addresses
 * to announce in ICE candidates (empty: every local interface address of the socket), the ICE consent timeout
 * (RFC 7675), the DTLS handshake timeout, the number of forwarding workers, and what one publisher may offer.
 */
public record MediaEngineConfig(InetSocketAddress bindAddress, List<InetAddress> announceAddresses,
                                Duration consentTimeout, Duration dtlsHandshakeTimeout, int forwardingWorkers,
                                PublisherLimits publisherLimits) {

    /**
     * What one participant's publisher offers may hold; an offer beyond a bound is refused ({@code sdp_invalid})
     * before anything is built for it.
     *
     * @param maxMediaSections       m-lines in one offer, of any kind, rejected ones included
     * @param maxTracks              audio and video m-lines the participant sends on (its tracks)
     * @param maxRidsPerMediaSection {@code a=rid} lines (simulcast encodings) on one m-line
     */
    public record PublisherLimits(int maxMediaSections, int maxTracks, int maxRidsPerMediaSection) {
        /** The defaults of config/sfu.yaml: 32 m-lines, 16 tracks, 4 rids per m-line. */
        public static final PublisherLimits DEFAULT = new PublisherLimits(32, 16, 4);

        public PublisherLimits {
            if (maxMediaSections < 1 || maxTracks < 1 || maxRidsPerMediaSection < 1) {
                throw new IllegalArgumentException("publisher limits must be positive");
            }
        }
    }

    public MediaEngineConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        announceAddresses = List.copyOf(announceAddresses);
        Objects.requireNonNull(consentTimeout, "consentTimeout");
        Objects.requireNonNull(dtlsHandshakeTimeout, "dtlsHandshakeTimeout");
        if (forwardingWorkers < 1) {
            throw new IllegalArgumentException("forwardingWorkers must be positive: " + forwardingWorkers);
        }
        Objects.requireNonNull(publisherLimits, "publisherLimits");
    }

    /** Settings with the default {@link PublisherLimits}. */
    public MediaEngineConfig(InetSocketAddress bindAddress, List<InetAddress> announceAddresses,
                             Duration consentTimeout, Duration dtlsHandshakeTimeout, int forwardingWorkers) {
        this(bindAddress, announceAddresses, consentTimeout, dtlsHandshakeTimeout, forwardingWorkers,
            PublisherLimits.DEFAULT);
    }
}
