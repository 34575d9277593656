package io.sfu.signaling;

import io.sfu.core.session.MediaEngine;
import io.sfu.core.session.MediaEngineConfig;
import io.sfu.core.session.MediaEngineFactory;
import io.sfu.signaling.config.ConfigException;
import io.sfu.signaling.config.SfuConfig;
import io.sfu.signaling.config.TlsIdentity;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds the media engine through {@link ServiceLoader} and starts it with the validated media settings. */
public final class MediaEngines {
    private static final Logger LOG = LoggerFactory.getLogger(MediaEngines.class);

    private MediaEngines() {
    }

    public static MediaEngine start(SfuConfig config) throws Exception {
        List<MediaEngineFactory> factories = new ArrayList<>();
        ServiceLoader.load(MediaEngineFactory.class).forEach(factories::add);
        if (factories.isEmpty()) {
            LOG.warn("no media engine is installed: rooms and signaling work, publishing is refused, and the media "
                + "port {} is not bound", config.media().port());
            return new NoMediaEngine();
        }
        MediaEngineFactory factory = factories.get(0);
        if (factories.size() > 1) {
            LOG.warn("{} media engines found; using {}", factories.size(), factory.name());
        }
        LOG.info("starting media engine {}", factory.name());
        return factory.create(engineConfig(config));
    }

    static MediaEngineConfig engineConfig(SfuConfig config) throws UnknownHostException, ConfigException {
        List<InetAddress> announce = new ArrayList<>();
        for (String address : config.media().announce()) {
            // validated as IP literals, so this parses without a lookup
            announce.add(InetAddress.getByName(address));
        }
        return new MediaEngineConfig(
            new InetSocketAddress(InetAddress.getByName(config.media().host()), config.media().port()),
            announce,
            Duration.ofSeconds(config.ice().consentTimeoutSeconds()),
            Duration.ofSeconds(config.dtls().handshakeTimeoutSeconds()),
            config.forwarding().effectiveWorkers(),
            new MediaEngineConfig.PublisherLimits(config.negotiation().maxMediaSectionsPerOffer(),
                config.rooms().maxTracksPerParticipant(), config.negotiation().maxRidsPerMediaSection()),
            config.dtls().maxConcurrentHandshakes(),
            config.forwarding().retransmitBudgetPercent(),
            config.dtls().srtpProfiles(),
            new MediaEngineConfig.IceTcp(config.media().tcpPort(), config.media().tcpMaxConnections(),
                config.media().tcpWriteBufferBytes()),
            turn(config.turn()),
            dataChannels(config.dataChannels()),
            config.forwarding().spreadRoomsFrom());
    }

    static MediaEngineConfig.DataChannels dataChannels(SfuConfig.DataChannels data) {
        if (!data.enabled()) {
            return MediaEngineConfig.DataChannels.DISABLED;
        }
        return new MediaEngineConfig.DataChannels(true, data.maxChannelsPerParticipant(), data.maxMessageBytes(),
            data.sendBufferBytes(), data.receiveBufferBytes(), data.queuePackets());
    }

    /**
     * The TURN settings, with a random secret when none is configured (said in the log, never shown), and the TLS
     * context of TURN over TLS when a certificate is configured.
     */
    static MediaEngineConfig.Turn turn(SfuConfig.Turn turn) throws ConfigException {
        if (!turn.enabled()) {
            return MediaEngineConfig.Turn.DISABLED;
        }
        byte[] secret;
        if (turn.secret().isEmpty()) {
            secret = new byte[32];
            new java.security.SecureRandom().nextBytes(secret);
            LOG.info("turn.secret is not set: TURN credentials are signed with a random secret made at start");
        } else {
            secret = turn.secret().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        MediaEngineConfig.TurnTls tls = null;
        if (turn.tls()) {
            try {
                tls = new MediaEngineConfig.TurnTls(turn.tlsPort(), turn.tlsHost(), TlsIdentity.read(
                    turn.tlsCertificate(), "turn.tlsCertificate", turn.tlsKey(), "turn.tlsKey", setting -> "")
                    .serverContext());
            } catch (java.security.GeneralSecurityException | java.io.IOException e) {
                throw new ConfigException("invalid value for turn.tlsCertificate: '" + turn.tlsCertificate()
                    + "': no TLS context from it and turn.tlsKey: " + e.getMessage());
            }
        }
        return new MediaEngineConfig.Turn(turn.port(), turn.realm(), secret,
            Duration.ofSeconds(turn.credentialTtlSeconds()), turn.maxAllocations(), turn.maxAllocationsPerUser(),
            tls);
    }
}
