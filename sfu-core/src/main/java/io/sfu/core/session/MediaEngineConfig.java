package io.sfu.core.session;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The validated media settings a {@link MediaEngineFactory} gets: where to bind the one UDP socket, which addresses
 * to announce in ICE candidates (empty: every local interface address of the socket), the ICE consent timeout
 * (RFC 7675), the DTLS handshake timeout, the number of forwarding workers, how many DTLS handshakes run at once at
 * most, and the share of a subscriber's bitrate its retransmissions may take.
 */
public record MediaEngineConfig(InetSocketAddress bindAddress, List<InetAddress> announceAddresses,
                                Duration consentTimeout, Duration dtlsHandshakeTimeout, int forwardingWorkers,
                                int dtlsMaxConcurrentHandshakes, int retransmitBudgetPercent) {
    /** Default of {@code dtls.maxConcurrentHandshakes}. */
    public static final int DEFAULT_DTLS_MAX_CONCURRENT_HANDSHAKES = 256;
    /** Default of {@code forwarding.retransmitBudgetPercent}. */
    public static final int DEFAULT_RETRANSMIT_BUDGET_PERCENT = 50;

    public MediaEngineConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        announceAddresses = List.copyOf(announceAddresses);
        Objects.requireNonNull(consentTimeout, "consentTimeout");
        Objects.requireNonNull(dtlsHandshakeTimeout, "dtlsHandshakeTimeout");
        if (forwardingWorkers < 1) {
            throw new IllegalArgumentException("forwardingWorkers must be positive: " + forwardingWorkers);
        }
        if (dtlsMaxConcurrentHandshakes < 1) {
            throw new IllegalArgumentException("dtlsMaxConcurrentHandshakes must be positive: "
                + dtlsMaxConcurrentHandshakes);
        }
        if (retransmitBudgetPercent < 1 || retransmitBudgetPercent > 1000) {
            throw new IllegalArgumentException("retransmitBudgetPercent must be between 1 and 1000: "
                + retransmitBudgetPercent);
        }
    }

    /** Settings with the default handshake concurrency and retransmission budget. */
    public MediaEngineConfig(InetSocketAddress bindAddress, List<InetAddress> announceAddresses,
                             Duration consentTimeout, Duration dtlsHandshakeTimeout, int forwardingWorkers) {
        this(bindAddress, announceAddresses, consentTimeout, dtlsHandshakeTimeout, forwardingWorkers,
            DEFAULT_DTLS_MAX_CONCURRENT_HANDSHAKES, DEFAULT_RETRANSMIT_BUDGET_PERCENT);
    }
}
