package io.sfu.client;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.SplittableRandom;

import io.sfu.core.dtls.DtlsCertificate;
import io.sfu.core.dtls.DtlsConfig;
import io.sfu.core.feedback.NackGenerator;
import io.sfu.core.feedback.PacketHistory;
import io.sfu.core.ice.IceClient;
import io.sfu.core.ice.IceCredentials;
import io.sfu.core.sdp.MediaKind;
import io.sfu.core.srtp.SrtpConfig;

/**
 * Settings of one {@link ClientPeerConnection}, each with one documented default, validated by
 * {@link Builder#build()} with an error naming the setting. Immutable; one instance may serve many connections.
 */
public final class ClientPeerConnectionConfig {
    /** Default {@code pc.reportIntervalNs}: sender and receiver reports once a second. */
    public static final long DEFAULT_REPORT_INTERVAL_NS = 1_000_000_000L;
    /** Default {@code pc.nackIntervalNs}: how often missing packets are looked at while some are missing. */
    public static final long DEFAULT_NACK_INTERVAL_NS = 10_000_000L;
    /** Default {@code pc.videoHistoryPackets}: sent video packets kept to answer NACKs (a power of two). */
    public static final int DEFAULT_VIDEO_HISTORY_PACKETS = 256;
    /** Default {@code pc.audioHistoryPackets}: 0, Opus is not NACKed in WebRTC. */
    public static final int DEFAULT_AUDIO_HISTORY_PACKETS = 0;
    /** Default {@code pc.historyMaxAgeNs}: an older retransmission is useless. */
    public static final long DEFAULT_HISTORY_MAX_AGE_NS = 1_000_000_000L;
    /** Default {@code pc.maxPacketBytes}: the largest RTP packet (header and payload, before SRTP) sent. */
    public static final int DEFAULT_MAX_PACKET_BYTES = 1400;
    /** Default {@code pc.maxReceiveStreams}: SSRCs received and tracked at once. */
    public static final int DEFAULT_MAX_RECEIVE_STREAMS = 64;

    private static final ClientPeerConnectionConfig DEFAULTS = builder().build();

    private final InetAddress bindAddress;
    private final DtlsCertificate certificate;
    private final DtlsConfig dtlsConfig;
    private final SrtpConfig srtpConfig;
    private final IceClient.Config iceConfig;
    private final long reportIntervalNs;
    private final long nackIntervalNs;
    private final int nackCapacity;
    private final int nackMaxRetries;
    private final long nackMaxAgeNs;
    private final long nackMinRetryIntervalNs;
    private final long nackReorderDelayNs;
    private final int videoHistoryPackets;
    private final int audioHistoryPackets;
    private final long historyMaxAgeNs;
    private final int maxPacketBytes;
    private final int maxReceiveStreams;
    private final Impairment sendImpairment;
    private final Impairment receiveImpairment;
    private final String streamId;
    private final String cname;
    private final boolean includeCandidates;
    private final boolean lightReceive;

    private ClientPeerConnectionConfig(Builder b) {
        this.bindAddress = b.bindAddress;
        this.certificate = b.certificate;
        this.dtlsConfig = b.dtlsConfig;
        this.srtpConfig = b.srtpConfig;
        this.iceConfig = b.iceConfig;
        this.reportIntervalNs = b.reportIntervalNs;
        this.nackIntervalNs = b.nackIntervalNs;
        this.nackCapacity = b.nackCapacity;
        this.nackMaxRetries = b.nackMaxRetries;
        this.nackMaxAgeNs = b.nackMaxAgeNs;
        this.nackMinRetryIntervalNs = b.nackMinRetryIntervalNs;
        this.nackReorderDelayNs = b.nackReorderDelayNs;
        this.videoHistoryPackets = b.videoHistoryPackets;
        this.audioHistoryPackets = b.audioHistoryPackets;
        this.historyMaxAgeNs = b.historyMaxAgeNs;
        this.maxPacketBytes = b.maxPacketBytes;
        this.maxReceiveStreams = b.maxReceiveStreams;
        this.sendImpairment = b.sendImpairment;
        this.receiveImpairment = b.receiveImpairment;
        this.streamId = b.streamId;
        this.cname = b.cname;
        this.includeCandidates = b.includeCandidates;
        this.lightReceive = b.lightReceive;
    }

    public static ClientPeerConnectionConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Local address of this connection's socket, or null for the loop's {@code client.bindAddress}. */
    public InetAddress bindAddress() {
        return bindAddress;
    }

    /** The DTLS certificate, or null to generate one per connection (share one to save the key generation). */
    public DtlsCertificate certificate() {
        return certificate;
    }

    public DtlsConfig dtlsConfig() {
        return dtlsConfig;
    }

    public SrtpConfig srtpConfig() {
        return srtpConfig;
    }

    public IceClient.Config iceConfig() {
        return iceConfig;
    }

    public long reportIntervalNs() {
        return reportIntervalNs;
    }

    public long nackIntervalNs() {
        return nackIntervalNs;
    }

    public int nackCapacity() {
        return nackCapacity;
    }

    public int nackMaxRetries() {
        return nackMaxRetries;
    }

    public long nackMaxAgeNs() {
        return nackMaxAgeNs;
    }

    public long nackMinRetryIntervalNs() {
        return nackMinRetryIntervalNs;
    }

    public long nackReorderDelayNs() {
        return nackReorderDelayNs;
    }

    public int videoHistoryPackets() {
        return videoHistoryPackets;
    }

    public int audioHistoryPackets() {
        return audioHistoryPackets;
    }

    public long historyMaxAgeNs() {
        return historyMaxAgeNs;
    }

    public int maxPacketBytes() {
        return maxPacketBytes;
    }

    public int maxReceiveStreams() {
        return maxReceiveStreams;
    }

    public Impairment sendImpairment() {
        return sendImpairment;
    }

    public Impairment receiveImpairment() {
        return receiveImpairment;
    }

    /** The msid stream id of published tracks, or null for a random one. */
    public String streamId() {
        return streamId;
    }

    /** The RTCP CNAME, or null for a random one. */
    public String cname() {
        return cname;
    }

    /** Whether offers carry this connection's host candidate (an ICE-lite server does not need it). */
    public boolean includeCandidates() {
        return includeCandidates;
    }

    /**
     * Whether received RTP stays protected: counted in its stream's statistics and the transport-wide feedback, then
     * handed to {@link ClientPeerConnection.Listener#onProtectedRtp}, which decrypts only what it chooses to
     * ({@link ClientPeerConnection#unprotect}). No NACKs go out, since a retransmission could not be told apart
     * without decrypting it. For load generators that receive more than they could decrypt.
     */
    public boolean lightReceive() {
        return lightReceive;
    }

    /** A NACK generator for one received stream, with the {@code pc.nack*} settings. */
    NackGenerator newNackGenerator() {
        return new NackGenerator(nackCapacity, nackMaxRetries, nackMaxAgeNs, nackMinRetryIntervalNs,
            nackReorderDelayNs);
    }

    /** The send history of one sender of {@code kind}, or null when none is kept for that kind. */
    PacketHistory newSendHistory(MediaKind kind) {
        int capacity = kind == MediaKind.VIDEO ? videoHistoryPackets : audioHistoryPackets;
        return capacity == 0 ? null : new PacketHistory(capacity, maxPacketBytes, historyMaxAgeNs);
    }

    /** Collects settings; {@link #build()} validates them. */
    public static final class Builder {
        private InetAddress bindAddress;
        private DtlsCertificate certificate;
        private DtlsConfig dtlsConfig = DtlsConfig.defaults();
        private SrtpConfig srtpConfig = SrtpConfig.defaults();
        private IceClient.Config iceConfig = IceClient.Config.DEFAULTS;
        private long reportIntervalNs = DEFAULT_REPORT_INTERVAL_NS;
        private long nackIntervalNs = DEFAULT_NACK_INTERVAL_NS;
        private int nackCapacity = NackGenerator.DEFAULT_CAPACITY;
        private int nackMaxRetries = NackGenerator.DEFAULT_MAX_RETRIES;
        private long nackMaxAgeNs = NackGenerator.DEFAULT_MAX_AGE_NS;
        private long nackMinRetryIntervalNs = NackGenerator.DEFAULT_MIN_RETRY_INTERVAL_NS;
        private long nackReorderDelayNs = NackGenerator.DEFAULT_REORDER_DELAY_NS;
        private int videoHistoryPackets = DEFAULT_VIDEO_HISTORY_PACKETS;
        private int audioHistoryPackets = DEFAULT_AUDIO_HISTORY_PACKETS;
        private long historyMaxAgeNs = DEFAULT_HISTORY_MAX_AGE_NS;
        private int maxPacketBytes = DEFAULT_MAX_PACKET_BYTES;
        private int maxReceiveStreams = DEFAULT_MAX_RECEIVE_STREAMS;
        private Impairment sendImpairment = Impairment.NONE;
        private Impairment receiveImpairment = Impairment.NONE;
        private String streamId;
        private String cname;
        private boolean includeCandidates = true;
        private boolean lightReceive;

        private Builder() {
        }

        /** {@code pc.bindAddress}; default null (the loop's). */
        public Builder bindAddress(InetAddress bindAddress) {
            this.bindAddress = bindAddress;
            return this;
        }

        /** {@code pc.certificate}; default null (generate one). */
        public Builder certificate(DtlsCertificate certificate) {
            this.certificate = certificate;
            return this;
        }

        /** {@code pc.dtlsConfig}: profiles offered, retransmission, timeout; default {@link DtlsConfig#defaults()}. */
        public Builder dtlsConfig(DtlsConfig dtlsConfig) {
            this.dtlsConfig = dtlsConfig;
            return this;
        }

        /** {@code pc.srtpConfig}; default {@link SrtpConfig#defaults()}. */
        public Builder srtpConfig(SrtpConfig srtpConfig) {
            this.srtpConfig = srtpConfig;
            return this;
        }

        /** {@code pc.iceConfig}: check retransmission and consent; default {@link IceClient.Config#DEFAULTS}. */
        public Builder iceConfig(IceClient.Config iceConfig) {
            this.iceConfig = iceConfig;
            return this;
        }

        /** {@code pc.reportIntervalNs}, 10 ms to 60 s; default 1 s. */
        public Builder reportIntervalNs(long reportIntervalNs) {
            this.reportIntervalNs = reportIntervalNs;
            return this;
        }

        /** {@code pc.nackIntervalNs}, 1 ms to 1 s; default 10 ms. */
        public Builder nackIntervalNs(long nackIntervalNs) {
            this.nackIntervalNs = nackIntervalNs;
            return this;
        }

        /** {@code pc.nackCapacity}: the NACK window per received SSRC, a power of two; default 512. */
        public Builder nackCapacity(int nackCapacity) {
            this.nackCapacity = nackCapacity;
            return this;
        }

        /** {@code pc.nackMaxRetries}; default {@value NackGenerator#DEFAULT_MAX_RETRIES}. */
        public Builder nackMaxRetries(int nackMaxRetries) {
            this.nackMaxRetries = nackMaxRetries;
            return this;
        }

        /** {@code pc.nackMaxAgeNs}; default 1 s. */
        public Builder nackMaxAgeNs(long nackMaxAgeNs) {
            this.nackMaxAgeNs = nackMaxAgeNs;
            return this;
        }

        /** {@code pc.nackMinRetryIntervalNs}; default 10 ms. */
        public Builder nackMinRetryIntervalNs(long nackMinRetryIntervalNs) {
            this.nackMinRetryIntervalNs = nackMinRetryIntervalNs;
            return this;
        }

        /** {@code pc.nackReorderDelayNs}: wait before a gap is first requested; default 0. */
        public Builder nackReorderDelayNs(long nackReorderDelayNs) {
            this.nackReorderDelayNs = nackReorderDelayNs;
            return this;
        }

        /** {@code pc.videoHistoryPackets}: 0 (none) or a power of two up to 32768; default 256. */
        public Builder videoHistoryPackets(int videoHistoryPackets) {
            this.videoHistoryPackets = videoHistoryPackets;
            return this;
        }

        /** {@code pc.audioHistoryPackets}: 0 (none) or a power of two up to 32768; default 0. */
        public Builder audioHistoryPackets(int audioHistoryPackets) {
            this.audioHistoryPackets = audioHistoryPackets;
            return this;
        }

        /** {@code pc.historyMaxAgeNs}; default 1 s. */
        public Builder historyMaxAgeNs(long historyMaxAgeNs) {
            this.historyMaxAgeNs = historyMaxAgeNs;
            return this;
        }

        /** {@code pc.maxPacketBytes}, 256 to 1450; default {@value ClientPeerConnectionConfig#DEFAULT_MAX_PACKET_BYTES}. */
        public Builder maxPacketBytes(int maxPacketBytes) {
            this.maxPacketBytes = maxPacketBytes;
            return this;
        }

        /** {@code pc.maxReceiveStreams}, 1 to 1024; default {@value ClientPeerConnectionConfig#DEFAULT_MAX_RECEIVE_STREAMS}. */
        public Builder maxReceiveStreams(int maxReceiveStreams) {
            this.maxReceiveStreams = maxReceiveStreams;
            return this;
        }

        /** {@code pc.sendImpairment}; default {@link Impairment#NONE}. */
        public Builder sendImpairment(Impairment sendImpairment) {
            this.sendImpairment = sendImpairment;
            return this;
        }

        /** {@code pc.receiveImpairment}; default {@link Impairment#NONE}. */
        public Builder receiveImpairment(Impairment receiveImpairment) {
            this.receiveImpairment = receiveImpairment;
            return this;
        }

        /** {@code pc.streamId}: 1 to 64 token characters; default null (random). */
        public Builder streamId(String streamId) {
            this.streamId = streamId;
            return this;
        }

        /** {@code pc.cname}: 1 to 255 printable ASCII characters without spaces; default null (random). */
        public Builder cname(String cname) {
            this.cname = cname;
            return this;
        }

        /** {@code pc.includeCandidates}; default true. */
        public Builder includeCandidates(boolean includeCandidates) {
            this.includeCandidates = includeCandidates;
            return this;
        }

        /** {@code pc.lightReceive}: see {@link ClientPeerConnectionConfig#lightReceive()}; default false. */
        public Builder lightReceive(boolean lightReceive) {
            this.lightReceive = lightReceive;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid setting */
        public ClientPeerConnectionConfig build() {
            require(dtlsConfig != null, "pc.dtlsConfig must be set");
            require(srtpConfig != null, "pc.srtpConfig must be set");
            require(iceConfig != null, "pc.iceConfig must be set");
            require(sendImpairment != null, "pc.sendImpairment must be set");
            require(receiveImpairment != null, "pc.receiveImpairment must be set");
            try {
                // the ICE client validates its settings when built: build one now so a bad value fails here
                SecureRandom random = new SecureRandom();
                new IceClient(IceCredentials.random(random), IceCredentials.random(random), 1,
                    new SplittableRandom(1), iceConfig);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("pc.iceConfig: " + e.getMessage(), e);
            }
            require(reportIntervalNs >= 10_000_000L && reportIntervalNs <= 60_000_000_000L,
                "pc.reportIntervalNs must be 10 ms to 60 s: " + reportIntervalNs);
            require(nackIntervalNs >= 1_000_000L && nackIntervalNs <= 1_000_000_000L,
                "pc.nackIntervalNs must be 1 ms to 1 s: " + nackIntervalNs);
            // the NACK generator validates its own settings; build one to fail here rather than per stream
            try {
                new NackGenerator(nackCapacity, nackMaxRetries, nackMaxAgeNs, nackMinRetryIntervalNs,
                    nackReorderDelayNs);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("pc.nack settings: " + e.getMessage(), e);
            }
            requireHistory("pc.videoHistoryPackets", videoHistoryPackets);
            requireHistory("pc.audioHistoryPackets", audioHistoryPackets);
            require(historyMaxAgeNs > 0, "pc.historyMaxAgeNs must be positive: " + historyMaxAgeNs);
            require(maxPacketBytes >= 256 && maxPacketBytes <= 1450,
                "pc.maxPacketBytes must be 256 to 1450: " + maxPacketBytes);
            require(maxReceiveStreams >= 1 && maxReceiveStreams <= 1024,
                "pc.maxReceiveStreams must be 1 to 1024: " + maxReceiveStreams);
            require(streamId == null || isToken(streamId, 64), "pc.streamId must be 1 to 64 token characters");
            require(cname == null || isToken(cname, 255), "pc.cname must be 1 to 255 printable characters");
            return new ClientPeerConnectionConfig(this);
        }

        private static void requireHistory(String name, int packets) {
            require(packets == 0 || (packets <= 32_768 && Integer.bitCount(packets) == 1),
                name + " must be 0 or a power of two up to 32768: " + packets);
        }

        private static boolean isToken(String s, int maxLength) {
            if (s.isEmpty() || s.length() > maxLength) {
                return false;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c <= ' ' || c >= 127 || "\"(),/:;<=>?@[\\]".indexOf(c) >= 0) {
                    return false;
                }
            }
            return true;
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
