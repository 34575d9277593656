package io.sfu.core.session;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * The validated media settings a {@link MediaEngineFactory} gets: where to bind the one UDP socket, which addresses
 * to announce in ICE candidates (empty: every local interface address of the socket), the ICE consent timeout
 * (RFC 7675), the DTLS handshake timeout, the number of forwarding workers, what one publisher may offer, how many
 * DTLS handshakes run at once at most, the share of a subscriber's bitrate its retransmissions may take, and the
 * SRTP protection profiles DTLS negotiates, most preferred first (by their registry names, RFC 5764 §4.1.2, RFC 7714
 * §14.2; the engine refuses a name it does not know), the ICE-TCP listener, the embedded TURN server, the data
 * channels, and from how many participants on its home worker a room spreads over the others (0: never).
 */
public record MediaEngineConfig(InetSocketAddress bindAddress, List<InetAddress> announceAddresses,
                                Duration consentTimeout, Duration dtlsHandshakeTimeout, int forwardingWorkers,
                                PublisherLimits publisherLimits, int dtlsMaxConcurrentHandshakes,
                                int retransmitBudgetPercent, List<String> srtpProfiles, IceTcp iceTcp,
                                Turn turn, DataChannels dataChannels, int spreadRoomsFrom) {
    /** Default of {@code forwarding.spreadRoomsFrom}. */
    public static final int DEFAULT_SPREAD_ROOMS_FROM = 8;
    /** Default of {@code dtls.maxConcurrentHandshakes}. */
    public static final int DEFAULT_DTLS_MAX_CONCURRENT_HANDSHAKES = 256;
    /** Default of {@code forwarding.retransmitBudgetPercent}. */
    public static final int DEFAULT_RETRANSMIT_BUDGET_PERCENT = 50;
    /** Default of {@code dtls.srtpProfiles}. */
    public static final List<String> DEFAULT_SRTP_PROFILES = List.of("SRTP_AEAD_AES_128_GCM",
        "SRTP_AEAD_AES_256_GCM", "SRTP_AES128_CM_HMAC_SHA1_80", "SRTP_AES128_CM_HMAC_SHA1_32");

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

    /**
     * ICE over TCP (RFC 6544 passive host candidates beside the UDP ones, RFC 4571 framing), for networks that block
     * UDP.
     *
     * @param port             TCP port: 0 the UDP socket's port number, -1 no ICE-TCP at all
     * @param maxConnections   connections open at once; more are refused
     * @param writeBufferBytes bytes queued toward one connection; a packet that does not fit is dropped
     */
    public record IceTcp(int port, int maxConnections, int writeBufferBytes) {
        /** Port value that turns ICE-TCP off. */
        public static final int OFF = -1;
        /** The defaults of config/sfu.yaml: the UDP port's number, 1,024 connections, 256 KiB each. */
        public static final IceTcp DEFAULT = new IceTcp(0, 1024, 256 * 1024);
        /** No ICE-TCP listener, no TCP candidates. */
        public static final IceTcp DISABLED = new IceTcp(OFF, 1, 4096);

        public IceTcp {
            if (port < OFF || port > 65535) {
                throw new IllegalArgumentException("ICE-TCP port must be -1..65535: " + port);
            }
            if (maxConnections < 1) {
                throw new IllegalArgumentException("ICE-TCP maxConnections must be positive: " + maxConnections);
            }
            if (writeBufferBytes < 4096) {
                throw new IllegalArgumentException("ICE-TCP writeBufferBytes must be at least 4096: "
                    + writeBufferBytes);
            }
        }

        public boolean enabled() {
            return port != OFF;
        }
    }

    /**
     * The embedded TURN server (RFC 8656) that relays toward the SFU only, over UDP and TCP on one port number.
     *
     * @param port                  UDP and TCP port; 0 any free one, -1 no TURN server
     * @param realm                 the REALM of its long-term credentials
     * @param secret                the HMAC key of the short-lived credentials given in {@code joined}
     * @param credentialTtl         how long those credentials stay valid
     * @param maxAllocations        allocations at once
     * @param maxAllocationsPerUser allocations of one participant at once
     * @param tls                   TURN over TLS, or null for none
     */
    public record Turn(int port, String realm, byte[] secret, Duration credentialTtl, int maxAllocations,
                       int maxAllocationsPerUser, TurnTls tls) {
        /** Port value that turns TURN off. */
        public static final int OFF = -1;
        /** No TURN server, no {@code iceServers} in {@code joined}. */
        public static final Turn DISABLED = new Turn(OFF, "sfu", new byte[16], Duration.ofHours(1), 1, 1,
            null);

        public Turn {
            if (port < OFF || port > 65535) {
                throw new IllegalArgumentException("TURN port must be -1..65535: " + port);
            }
            Objects.requireNonNull(realm, "realm");
            Objects.requireNonNull(secret, "secret");
            if (credentialTtl.isNegative() || credentialTtl.isZero()) {
                throw new IllegalArgumentException("TURN credentialTtl must be positive");
            }
            if (maxAllocations < 1 || maxAllocationsPerUser < 1) {
                throw new IllegalArgumentException("TURN allocation limits must be positive");
            }
        }

        public boolean enabled() {
            return port != OFF;
        }

        @Override
        public String toString() {
            return "Turn[port=" + port + ", realm=" + realm + ", secret=<hidden>, credentialTtl=" + credentialTtl
                + ", maxAllocations=" + maxAllocations + ", maxAllocationsPerUser=" + maxAllocationsPerUser
                + ", tls=" + tls + "]";
        }
    }

    /**
     * TURN over TLS (RFC 8656 §3.1): its own TCP port, the host named in the {@code turns:} URL (one the certificate
     * covers), and the context that presents the certificate.
     *
     * @param port    TCP port; 0 any free one
     * @param host    the host of the {@code turns:} URL; empty for the first announced address
     * @param context the server side of TLS, with the certificate and its key
     */
    public record TurnTls(int port, String host, SSLContext context) {
        public TurnTls {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("TURN TLS port must be 0..65535: " + port);
            }
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(context, "context");
        }

        @Override
        public String toString() {
            return "TurnTls[port=" + port + ", host=" + host + "]";
        }
    }

    /**
     * Data channels (SCTP over DTLS, RFC 8831) on both peer connections of each participant, relayed as data tracks.
     *
     * @param enabled                   publisher answers accept a data channel m-line, subscriber offers carry one
     * @param maxChannelsPerParticipant channels one participant may publish at once; more are closed at once
     * @param maxMessageBytes           the largest message (a=max-message-size); larger ones are refused
     * @param sendBufferBytes           bytes queued and in flight toward one peer connection; a message beyond it is
     *                                  dropped (partially reliable channel) or cuts the channel off (reliable)
     * @param receiveBufferBytes        bytes of messages being reassembled from one peer connection
     * @param queuePackets              SCTP packets waiting for the data plane's thread; more are dropped
     */
    public record DataChannels(boolean enabled, int maxChannelsPerParticipant, int maxMessageBytes,
                               long sendBufferBytes, long receiveBufferBytes, int queuePackets) {
        /** The defaults of config/sfu.yaml. */
        public static final DataChannels DEFAULT = new DataChannels(true, 64, 262_144, 4L << 20, 4L << 20, 8192);
        /** No data channels: m=application is refused and never offered. */
        public static final DataChannels DISABLED = new DataChannels(false, 1, 262_144, 4L << 20, 4L << 20, 64);

        public DataChannels {
            if (maxChannelsPerParticipant < 1 || maxMessageBytes < 1024 || sendBufferBytes < maxMessageBytes
                || receiveBufferBytes < maxMessageBytes || queuePackets < 64) {
                throw new IllegalArgumentException("data channel limits out of range: " + maxChannelsPerParticipant
                    + " channels, " + maxMessageBytes + " B messages, " + sendBufferBytes + " B send buffer, "
                    + receiveBufferBytes + " B receive buffer, " + queuePackets + " queued packets");
            }
        }
    }

    /** Settings without data channels. */
    public MediaEngineConfig(InetSocketAddress bindAddress, List<InetAddress> announceAddresses,
                             Duration consentTimeout, Duration dtlsHandshakeTimeout, int forwardingWorkers,
                             PublisherLimits publisherLimits, int dtlsMaxConcurrentHandshakes,
                             int retransmitBudgetPercent, List<String> srtpProfiles, IceTcp iceTcp, Turn turn) {
        this(bindAddress, announceAddresses, consentTimeout, dtlsHandshakeTimeout, forwardingWorkers,
            publisherLimits, dtlsMaxConcurrentHandshakes, retransmitBudgetPercent, srtpProfiles, iceTcp, turn,
            DataChannels.DISABLED);
    }

    public MediaEngineConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(dataChannels, "dataChannels");
        Objects.requireNonNull(turn, "turn");
        Objects.requireNonNull(iceTcp, "iceTcp");
        announceAddresses = List.copyOf(announceAddresses);
        Objects.requireNonNull(consentTimeout, "consentTimeout");
        Objects.requireNonNull(dtlsHandshakeTimeout, "dtlsHandshakeTimeout");
        if (forwardingWorkers < 1) {
            throw new IllegalArgumentException("forwardingWorkers must be positive: " + forwardingWorkers);
        }
        Objects.requireNonNull(publisherLimits, "publisherLimits");
        if (dtlsMaxConcurrentHandshakes < 1) {
            throw new IllegalArgumentException("dtlsMaxConcurrentHandshakes must be positive: "
                + dtlsMaxConcurrentHandshakes);
        }
        if (retransmitBudgetPercent < 1 || retransmitBudgetPercent > 1000) {
            throw new IllegalArgumentException("retransmitBudgetPercent must be between 1 and 1000: "
                + retransmitBudgetPercent);
        }
        if (spreadRoomsFrom < 0) {
            throw new IllegalArgumentException("spreadRoomsFrom must not be negative: " + spreadRoomsFrom);
        }
        srtpProfiles = List.copyOf(srtpProfiles);
        if (srtpProfiles.isEmpty() || srtpProfiles.stream().distinct().count() != srtpProfiles.size()) {
            throw new IllegalArgumentException("srtpProfiles must name at least one profile, each once: "
                + srtpProfiles);
        }
    }

    /** Settings without a TURN server. */
    public MediaEngineConfig(InetSocketAddress bindAddress, List<InetAddress> announceAddresses,
                             Duration consentTimeout, Duration dtlsHandshakeTimeout, int forwardingWorkers,
                             PublisherLimits publisherLimits, int dtlsMaxConcurrentHandshakes,
                             int retransmitBudgetPercent, List<String> srtpProfiles, IceTcp iceTcp) {
        this(bindAddress, announceAddresses, consentTimeout, dtlsHandshakeTimeout, forwardingWorkers,
            publisherLimits, dtlsMaxConcurrentHandshakes, retransmitBudgetPercent, srtpProfiles, iceTcp,
            Turn.DISABLED);
    }

    /** Settings with the default ICE-TCP listener. */
    public MediaEngineConfig(InetSocketAddress bindAddress, List<InetAddress> announceAddresses,
                             Duration consentTimeout, Duration dtlsHandshakeTimeout, int forwardingWorkers,
                             PublisherLimits publisherLimits, int dtlsMaxConcurrentHandshakes,
                             int retransmitBudgetPercent, List<String> srtpProfiles) {
        this(bindAddress, announceAddresses, consentTimeout, dtlsHandshakeTimeout, forwardingWorkers,
            publisherLimits, dtlsMaxConcurrentHandshakes, retransmitBudgetPercent, srtpProfiles, IceTcp.DEFAULT);
    }

    /** The same settings with another ICE-TCP listener. */
    public MediaEngineConfig withIceTcp(IceTcp tcp) {
        return new MediaEngineConfig(bindAddress, announceAddresses, consentTimeout, dtlsHandshakeTimeout,
            forwardingWorkers, publisherLimits, dtlsMaxConcurrentHandshakes, retransmitBudgetPercent, srtpProfiles,
            tcp, turn, dataChannels, spreadRoomsFrom);
    }

    /** The same settings with another TURN server. */
    public MediaEngineConfig withTurn(Turn other) {
        return new MediaEngineConfig(bindAddress, announceAddresses, consentTimeout, dtlsHandshakeTimeout,
            forwardingWorkers, publisherLimits, dtlsMaxConcurrentHandshakes, retransmitBudgetPercent, srtpProfiles,
            iceTcp, other, dataChannels, spreadRoomsFrom);
    }

    /** The same settings with other data channel settings. */
    public MediaEngineConfig withDataChannels(DataChannels other) {
        return new MediaEngineConfig(bindAddress, announceAddresses, consentTimeout, dtlsHandshakeTimeout,
            forwardingWorkers, publisherLimits, dtlsMaxConcurrentHandshakes, retransmitBudgetPercent, srtpProfiles,
            iceTcp, turn, other, spreadRoomsFrom);
    }

    /** The same settings with rooms spreading over the forwarding workers from {@code from} participants (0: never). */
    public MediaEngineConfig withSpreadRoomsFrom(int from) {
        return new MediaEngineConfig(bindAddress, announceAddresses, consentTimeout, dtlsHandshakeTimeout,
            forwardingWorkers, publisherLimits, dtlsMaxConcurrentHandshakes, retransmitBudgetPercent, srtpProfiles,
            iceTcp, turn, dataChannels, from);
    }

    /** Settings whose rooms spread over the workers from the default number of participants. */
    public MediaEngineConfig(InetSocketAddress bindAddress, List<InetAddress> announceAddresses,
                             Duration consentTimeout, Duration dtlsHandshakeTimeout, int forwardingWorkers,
                             PublisherLimits publisherLimits, int dtlsMaxConcurrentHandshakes,
                             int retransmitBudgetPercent, List<String> srtpProfiles, IceTcp iceTcp,
                             Turn turn, DataChannels dataChannels) {
        this(bindAddress, announceAddresses, consentTimeout, dtlsHandshakeTimeout, forwardingWorkers,
            publisherLimits, dtlsMaxConcurrentHandshakes, retransmitBudgetPercent, srtpProfiles, iceTcp, turn,
            dataChannels, DEFAULT_SPREAD_ROOMS_FROM);
    }

    /** Settings with the default handshake concurrency, retransmission budget and SRTP profiles. */
    public MediaEngineConfig(InetSocketAddress bindAddress, List<InetAddress> announceAddresses,
                             Duration consentTimeout, Duration dtlsHandshakeTimeout, int forwardingWorkers,
                             PublisherLimits publisherLimits) {
        this(bindAddress, announceAddresses, consentTimeout, dtlsHandshakeTimeout, forwardingWorkers,
            publisherLimits, DEFAULT_DTLS_MAX_CONCURRENT_HANDSHAKES, DEFAULT_RETRANSMIT_BUDGET_PERCENT,
            DEFAULT_SRTP_PROFILES);
    }

    /** Settings with every default beyond the first five. */
    public MediaEngineConfig(InetSocketAddress bindAddress, List<InetAddress> announceAddresses,
                             Duration consentTimeout, Duration dtlsHandshakeTimeout, int forwardingWorkers) {
        this(bindAddress, announceAddresses, consentTimeout, dtlsHandshakeTimeout, forwardingWorkers,
            PublisherLimits.DEFAULT);
    }
}
