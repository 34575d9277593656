package io.sfu.signaling.config;

import java.util.List;

/**
 * The validated configuration of the server; the keys and their defaults are documented in {@code config/sfu.yaml}.
 * Built once at start by {@link ConfigLoader}.
 */
public record SfuConfig(Http http, Media media, Auth auth, Rooms rooms, Signaling signaling,
                        Negotiation negotiation, Ice ice, Dtls dtls, Forwarding forwarding, Turn turn,
                        DataChannels dataChannels, Cluster cluster) {

    /**
     * Several nodes behind one API (see docs/CLUSTER.md): on when {@code members} names at least one node. This
     * node's Hazelcast address and port, the members to join (HOST:PORT), its id (empty: a random one), the URL its
     * clients reach it at (empty: from the HTTP address), the UDP port of its media relay (0: any) and how long a
     * silent member stays in the cluster.
     */
    public record Cluster(String host, int port, List<String> members, String nodeId, String url, int relayPort,
                          int memberTimeoutSeconds) {
        public Cluster {
            members = members == null ? List.of() : List.copyOf(members);
            nodeId = nodeId == null ? "" : nodeId;
            url = url == null ? "" : url;
        }

        /** True when the server runs as one node of a cluster. */
        public boolean enabled() {
            return !members.isEmpty();
        }
    }

    /** Data channels: on or off, the channels one participant may publish, the largest message, the buffers. */
    public record DataChannels(boolean enabled, int maxChannelsPerParticipant, int maxMessageBytes,
                               long sendBufferBytes, long receiveBufferBytes, int queuePackets) {
    }

    /**
     * The HTTP server: bind address, port, the largest REST body, the idle timeout, the connection caps and the
     * optional TLS certificate.
     */
    public record Http(String host, int port, int maxBodyBytes, int idleTimeoutSeconds, int maxConnections,
                       int maxConnectionsPerAddress, Tls tls) {
        public Http {
            tls = tls == null ? new Tls("", "") : tls;
        }
    }

    /** PEM files of the HTTPS certificate chain and its private key; both empty for plain HTTP. */
    public record Tls(String certificate, String key) {
        public Tls {
            certificate = certificate == null ? "" : certificate;
            key = key == null ? "" : key;
        }

        public boolean enabled() {
            return !certificate.isEmpty() || !key.isEmpty();
        }
    }

    /**
     * The media socket, the addresses announced in ICE candidates and the ICE-TCP listener (port -1: none, 0: the
     * media port's number).
     */
    public record Media(String host, int port, List<String> announce, int tcpPort, int tcpMaxConnections,
                        int tcpWriteBufferBytes) {
        public Media {
            announce = announce == null ? List.of() : List.copyOf(announce);
        }
    }

    /**
     * The embedded TURN server (RFC 8656, relaying toward the SFU only): on or off, its UDP and TCP port (0: any free
     * one), the realm, the credentials' secret (empty: one generated at start) and lifetime, allocation bounds, and
     * TURN over TLS (on when a certificate and key are given): its port and the host its {@code turns:} URL names.
     */
    public record Turn(boolean enabled, int port, String realm, String secret, int credentialTtlSeconds,
                       int maxAllocations, int maxAllocationsPerUser, int tlsPort, String tlsHost,
                       String tlsCertificate, String tlsKey) {
        public Turn {
            secret = secret == null ? "" : secret;
            tlsHost = tlsHost == null ? "" : tlsHost;
            tlsCertificate = tlsCertificate == null ? "" : tlsCertificate;
            tlsKey = tlsKey == null ? "" : tlsKey;
        }

        /** Whether TURN over TLS is asked for: a certificate or a key is given (both must be). */
        public boolean tls() {
            return !tlsCertificate.isEmpty() || !tlsKey.isEmpty();
        }

        @Override
        public String toString() {
            // the secret never goes to a log
            return "Turn[enabled=" + enabled + ", port=" + port + ", realm=" + realm + ", secret="
                + (secret.isEmpty() ? "<generated>" : "<set>") + ", credentialTtlSeconds=" + credentialTtlSeconds
                + ", maxAllocations=" + maxAllocations + ", maxAllocationsPerUser=" + maxAllocationsPerUser
                + ", tlsPort=" + tlsPort + ", tlsHost=" + tlsHost + ", tlsCertificate=" + tlsCertificate + ", tlsKey="
                + tlsKey + "]";
        }
    }

    /**
     * The API secret (empty: dev mode), the lifetimes of the tokens signed with it, the audience they name and the
     * clock skew tolerated on their nbf and iat.
     */
    public record Auth(String secret, int defaultTokenTtlSeconds, int maxTokenTtlSeconds, String audience,
                       int clockSkewSeconds) {
        public Auth {
            secret = secret == null ? "" : secret;
        }

        @Override
        public String toString() {
            // the secret never goes to a log
            return "Auth[secret=" + (secret.isEmpty() ? "<none>" : "<set>") + ", defaultTokenTtlSeconds="
                + defaultTokenTtlSeconds + ", maxTokenTtlSeconds=" + maxTokenTtlSeconds + ", audience=" + audience
                + ", clockSkewSeconds=" + clockSkewSeconds + "]";
        }
    }

    /** Bounds of rooms. */
    public record Rooms(int defaultMaxParticipants, int maxParticipantsLimit, int maxRooms,
                        int maxTracksPerParticipant) {
    }

    /**
     * Bounds of one signaling WebSocket: message size and rate, the bytes queued toward it, the ping interval and
     * pong timeout that find a client gone silent, and the time its participant has to negotiate media.
     */
    public record Signaling(int maxMessageBytes, int messagesPerSecond, int messageBurst, int maxQueuedBytes,
                            int pingIntervalSeconds, int pongTimeoutSeconds, int negotiationTimeoutSeconds) {
    }

    /**
     * What one publisher offer may hold beyond {@link Rooms#maxTracksPerParticipant()}: m-lines of any kind, and
     * simulcast encodings ({@code a=rid} lines) on one m-line.
     */
    public record Negotiation(int maxMediaSectionsPerOffer, int maxRidsPerMediaSection) {
    }

    /** ICE settings (RFC 8445, RFC 7675). */
    public record Ice(int consentTimeoutSeconds) {
    }

    /**
     * DTLS settings: the deadline of one handshake, how many run at once at most, and the SRTP protection profiles
     * negotiated, most preferred first.
     */
    public record Dtls(int handshakeTimeoutSeconds, int maxConcurrentHandshakes, List<String> srtpProfiles) {
    }

    /**
     * The forwarding workers (0 means one per available processor), the share of a subscriber's bitrate its
     * retransmissions may take, in percent, and from how many participants on its home worker a room spreads over
     * the others (0: never).
     */
    public record Forwarding(int workers, int retransmitBudgetPercent, int spreadRoomsFrom) {
        /** The worker count with 0 resolved to the number of processors. */
        public int effectiveWorkers() {
            return workers == 0 ? Runtime.getRuntime().availableProcessors() : workers;
        }
    }

    /** True without an API secret: loopback only, no API key, joins by room and identity. */
    public boolean devMode() {
        return auth.secret().isEmpty();
    }
}
