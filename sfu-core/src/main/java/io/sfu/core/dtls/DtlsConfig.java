package io.sfu.core.dtls;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * Settings of DTLS endpoints, each with one documented default, validated once by {@link Builder#build()} with an
 * error that names the setting. Immutable; one instance is normally shared by every endpoint.
 */
public final class DtlsConfig {

    /** Default {@code dtls.mtuBytes}: the largest DTLS datagram sent, leaving room for IP/UDP over common paths. */
    public static final int DEFAULT_MTU_BYTES = 1200;
    /** Default {@code dtls.maxReceiveDatagramBytes}: a full Ethernet frame's payload. */
    public static final int DEFAULT_MAX_RECEIVE_DATAGRAM_BYTES = 1500;
    /** Default {@code dtls.receiveQueueCapacity}: several whole handshake flights. */
    public static final int DEFAULT_RECEIVE_QUEUE_CAPACITY = 32;
    /** Default {@code dtls.handshakeTimeout}. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@code dtls.initialRetransmitMillis}: RFC 6347 §4.2.4.1's initial timer value. */
    public static final int DEFAULT_INITIAL_RETRANSMIT_MILLIS = 1000;

    private static final DtlsConfig DEFAULTS = builder().build();

    private final int mtuBytes;
    private final int maxReceiveDatagramBytes;
    private final int receiveQueueCapacity;
    private final long handshakeTimeoutNs;
    private final int initialRetransmitMillis;
    private final int[] srtpProfiles;
    private final boolean requireExtendedMasterSecret;
    private final NanoClock clock;

    private DtlsConfig(Builder b) {
        this.mtuBytes = b.mtuBytes;
        this.maxReceiveDatagramBytes = b.maxReceiveDatagramBytes;
        this.receiveQueueCapacity = b.receiveQueueCapacity;
        this.handshakeTimeoutNs = b.handshakeTimeoutNs;
        this.initialRetransmitMillis = b.initialRetransmitMillis;
        this.srtpProfiles = b.srtpProfiles.clone();
        this.requireExtendedMasterSecret = b.requireExtendedMasterSecret;
        this.clock = b.clock;
    }

    /** The configuration with every default. */
    public static DtlsConfig defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Largest datagram sent, in bytes (DTLS records included, IP/UDP headers excluded); flights fragment to fit. */
    public int mtuBytes() {
        return mtuBytes;
    }

    /** Largest datagram accepted into the receive queue; larger ones are dropped and counted. */
    public int maxReceiveDatagramBytes() {
        return maxReceiveDatagramBytes;
    }

    /** Datagrams held per endpoint until the handshake thread reads them; more are dropped and counted. */
    public int receiveQueueCapacity() {
        return receiveQueueCapacity;
    }

    /** Time from {@link DtlsEndpoint#start()} until an unfinished handshake fails and frees its thread. */
    public long handshakeTimeoutNs() {
        return handshakeTimeoutNs;
    }

    /** First retransmission timer of a handshake flight; it doubles on each retransmission (RFC 6347 §4.2.4). */
    public int initialRetransmitMillis() {
        return initialRetransmitMillis;
    }

    /**
     * SRTP protection profile ids ({@link DtlsSrtpProfiles}) in order of preference: what a server accepts, first
     * match wins, and what a client offers.
     */
    public int[] srtpProfiles() {
        return srtpProfiles.clone();
    }

    /** Whether peers without the extended master secret (RFC 7627) are refused. */
    public boolean requireExtendedMasterSecret() {
        return requireExtendedMasterSecret;
    }

    /** Clock of the handshake deadline. */
    public NanoClock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "DtlsConfig{mtuBytes=" + mtuBytes + ", maxReceiveDatagramBytes=" + maxReceiveDatagramBytes
            + ", receiveQueueCapacity=" + receiveQueueCapacity
            + ", handshakeTimeoutMs=" + TimeUnit.NANOSECONDS.toMillis(handshakeTimeoutNs)
            + ", initialRetransmitMillis=" + initialRetransmitMillis
            + ", srtpProfiles=" + Arrays.toString(srtpProfiles)
            + ", requireExtendedMasterSecret=" + requireExtendedMasterSecret + "}";
    }

    /** Collects settings; {@link #build()} validates them. */
    public static final class Builder {
        private int mtuBytes = DEFAULT_MTU_BYTES;
        private int maxReceiveDatagramBytes = DEFAULT_MAX_RECEIVE_DATAGRAM_BYTES;
        private int receiveQueueCapacity = DEFAULT_RECEIVE_QUEUE_CAPACITY;
        private long handshakeTimeoutNs = DEFAULT_HANDSHAKE_TIMEOUT.toNanos();
        private int initialRetransmitMillis = DEFAULT_INITIAL_RETRANSMIT_MILLIS;
        private int[] srtpProfiles = DtlsSrtpProfiles.defaultPreference();
        private boolean requireExtendedMasterSecret = true;
        private NanoClock clock = SystemNanoClock.INSTANCE;

        private Builder() {
        }

        /** {@code dtls.mtuBytes}, 256 to 65507; default {@value DtlsConfig#DEFAULT_MTU_BYTES}. */
        public Builder mtuBytes(int mtuBytes) {
            this.mtuBytes = mtuBytes;
            return this;
        }

        /**
         * {@code dtls.maxReceiveDatagramBytes}, 256 to 65507; default
         * {@value DtlsConfig#DEFAULT_MAX_RECEIVE_DATAGRAM_BYTES}.
         */
        public Builder maxReceiveDatagramBytes(int maxReceiveDatagramBytes) {
            this.maxReceiveDatagramBytes = maxReceiveDatagramBytes;
            return this;
        }

        /** {@code dtls.receiveQueueCapacity}, 1 to 1024; default {@value DtlsConfig#DEFAULT_RECEIVE_QUEUE_CAPACITY}. */
        public Builder receiveQueueCapacity(int receiveQueueCapacity) {
            this.receiveQueueCapacity = receiveQueueCapacity;
            return this;
        }

        /** {@code dtls.handshakeTimeout}, 1 ms to 10 minutes; default 10 s. */
        public Builder handshakeTimeout(Duration handshakeTimeout) {
            if (handshakeTimeout == null) {
                throw new IllegalArgumentException("dtls.handshakeTimeout must be set");
            }
            this.handshakeTimeoutNs = handshakeTimeout.toNanos();
            return this;
        }

        /**
         * {@code dtls.initialRetransmitMillis}, 10 to 60000; default
         * {@value DtlsConfig#DEFAULT_INITIAL_RETRANSMIT_MILLIS}.
         */
        public Builder initialRetransmitMillis(int initialRetransmitMillis) {
            this.initialRetransmitMillis = initialRetransmitMillis;
            return this;
        }

        /**
         * {@code dtls.srtpProfiles}: one or more distinct ids of {@link DtlsSrtpProfiles}, in order of preference;
         * default {@link DtlsSrtpProfiles#defaultPreference()}.
         */
        public Builder srtpProfiles(int... srtpProfiles) {
            this.srtpProfiles = srtpProfiles == null ? new int[0] : srtpProfiles.clone();
            return this;
        }

        /** {@code dtls.requireExtendedMasterSecret}; default true. */
        public Builder requireExtendedMasterSecret(boolean requireExtendedMasterSecret) {
            this.requireExtendedMasterSecret = requireExtendedMasterSecret;
            return this;
        }

        /** Clock of the handshake deadline; default {@link SystemNanoClock}. */
        public Builder clock(NanoClock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Validates the settings.
         *
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public DtlsConfig build() {
            requireRange("dtls.mtuBytes", mtuBytes, 256, 65507);
            requireRange("dtls.maxReceiveDatagramBytes", maxReceiveDatagramBytes, 256, 65507);
            requireRange("dtls.receiveQueueCapacity", receiveQueueCapacity, 1, 1024);
            if (handshakeTimeoutNs < TimeUnit.MILLISECONDS.toNanos(1) || handshakeTimeoutNs > TimeUnit.MINUTES.toNanos(10)) {
                throw new IllegalArgumentException("dtls.handshakeTimeout must be between 1 ms and 10 minutes: "
                    + Duration.ofNanos(handshakeTimeoutNs));
            }
            requireRange("dtls.initialRetransmitMillis", initialRetransmitMillis, 10, 60000);
            if (srtpProfiles.length == 0) {
                throw new IllegalArgumentException("dtls.srtpProfiles must name at least one profile");
            }
            for (int i = 0; i < srtpProfiles.length; i++) {
                if (!DtlsSrtpProfiles.isSupported(srtpProfiles[i])) {
                    throw new IllegalArgumentException("dtls.srtpProfiles has an unsupported profile: "
                        + DtlsSrtpProfiles.name(srtpProfiles[i]));
                }
                for (int j = 0; j < i; j++) {
                    if (srtpProfiles[j] == srtpProfiles[i]) {
                        throw new IllegalArgumentException("dtls.srtpProfiles names a profile twice: "
                            + DtlsSrtpProfiles.name(srtpProfiles[i]));
                    }
                }
            }
            if (clock == null) {
                throw new IllegalArgumentException("dtls.clock must be set");
            }
            return new DtlsConfig(this);
        }

        private static void requireRange(String setting, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(setting + " must be between " + min + " and " + max + ": " + value);
            }
        }
    }
}
