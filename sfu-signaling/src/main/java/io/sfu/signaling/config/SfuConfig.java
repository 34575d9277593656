package io.sfu.signaling.config;

import java.util.List;

/**
 * The validated configuration of the server; the keys and their defaults are documented in {@code config/sfu.yaml}.
 * Built once at start by {@link ConfigLoader}.
 */
public record SfuConfig(Http http, Media media, Auth auth, Rooms rooms, Signaling signaling,
                        Negotiation negotiation, Ice ice, Dtls dtls, Forwarding forwarding) {

    /** The HTTP server: bind address, port and the largest REST body. */
    public record Http(String host, int port, int maxBodyBytes) {
    }

    /** The media socket and the addresses announced in ICE candidates. */
    public record Media(String host, int port, List<String> announce) {
        public Media {
            announce = announce == null ? List.of() : List.copyOf(announce);
        }
    }

    /** The API secret (empty: dev mode) and the lifetimes of the tokens signed with it. */
    public record Auth(String secret, int defaultTokenTtlSeconds, int maxTokenTtlSeconds) {
        public Auth {
            secret = secret == null ? "" : secret;
        }

        @Override
        public String toString() {
            // the secret never goes to a log
            return "Auth[secret=" + (secret.isEmpty() ? "<none>" : "<set>") + ", defaultTokenTtlSeconds="
                + defaultTokenTtlSeconds + ", maxTokenTtlSeconds=" + maxTokenTtlSeconds + "]";
        }
    }

    /** Bounds of rooms. */
    public record Rooms(int defaultMaxParticipants, int maxParticipantsLimit, int maxRooms,
                        int maxTracksPerParticipant) {
    }

    /** Bounds of one signaling WebSocket. */
    public record Signaling(int maxMessageBytes, int messagesPerSecond, int messageBurst, int maxQueuedBytes) {
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

    /** DTLS settings: the deadline of one handshake, and how many run at once at most. */
    public record Dtls(int handshakeTimeoutSeconds, int maxConcurrentHandshakes) {
    }

    /**
     * The forwarding workers (0 means one per available processor) and the share of a subscriber's bitrate its
     * retransmissions may take, in percent.
     */
    public record Forwarding(int workers, int retransmitBudgetPercent) {
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
