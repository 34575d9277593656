package io.sfu.core.session;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The validated media settings a {@link MediaEngineFactory} gets: where to bind the one UDP socket, which addresses
 * to announce in ICE candidates (empty: every local interface address of the socket), the ICE consent timeout
 * (RFC 7675), the DTLS handshake timeout and the number of forwarding workers.
 */
public record MediaEngineConfig(InetSocketAddress bindAddress, List<InetAddress> announceAddresses,
                                Duration consentTimeout, Duration dtlsHandshakeTimeout, int forwardingWorkers) {

    public MediaEngineConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        announceAddresses = List.copyOf(announceAddresses);
        Objects.requireNonNull(consentTimeout, "consentTimeout");
        Objects.requireNonNull(dtlsHandshakeTimeout, "dtlsHandshakeTimeout");
        if (forwardingWorkers < 1) {
            throw new IllegalArgumentException("forwardingWorkers must be positive: " + forwardingWorkers);
        }
    }
}
