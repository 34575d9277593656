package io.sfu.signaling.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sfu.core.dtls.DtlsSrtpProfiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds the {@link SfuConfig} from, lowest precedence first: the embedded defaults ({@code config/sfu.yaml}, copied
 * into the jar at build time), the file given with {@code --config}, environment variables and command-line flags.
 * Validates every value once; the first bad one becomes a {@link ConfigException} naming the setting, the value
 * and where it came from.
 */
public final class ConfigLoader {
    /** The classpath location of the embedded defaults. */
    public static final String DEFAULTS_RESOURCE = "config/sfu.yaml";

    /** Environment variables and the settings they override. */
    public static final Map<String, String> ENVIRONMENT = Map.ofEntries(
        Map.entry("SFU_HTTP_HOST", "http.host"),
        Map.entry("SFU_HTTP_PORT", "http.port"),
        Map.entry("SFU_MEDIA_PORT", "media.port"),
        Map.entry("SFU_ANNOUNCE", "media.announce"),
        Map.entry("SFU_SECRET", "auth.secret"),
        Map.entry("SFU_CLUSTER_HOST", "cluster.host"),
        Map.entry("SFU_CLUSTER_PORT", "cluster.port"),
        Map.entry("SFU_CLUSTER_MEMBERS", "cluster.members"),
        Map.entry("SFU_CLUSTER_URL", "cluster.url"),
        Map.entry("SFU_CLUSTER_RELAY_PORT", "cluster.relayPort"),
        Map.entry("SFU_NODE_ID", "cluster.nodeId"));

    /** Settings whose environment variable holds a comma-separated list. */
    private static final java.util.Set<String> LIST_SETTINGS = java.util.Set.of("media.announce", "cluster.members");
    /** Members a cluster may list: the join is a TCP connection attempt to each. */
    public static final int MAX_CLUSTER_MEMBERS = 256;
    private static final String NODE_ID = "[A-Za-z0-9._-]{1,64}";

    /** One value set from outside the files: the setting's dotted path, the value, and its source for messages. */
    public record Override(String path, Object value, String source) {
    }

    /** The shortest API secret accepted: HS256 wants a key of at least 256 bits. */
    public static final int MIN_SECRET_LENGTH = 32;
    /** A DNS name: dot-separated labels of letters, digits and inner hyphens, at most 253 characters. */
    private static final String HOST_NAME =
        "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private ConfigLoader() {
    }

    /**
     * Loads and validates the configuration.
     *
     * @param file the {@code --config} file, or null
     * @param environment the process environment (only the {@link #ENVIRONMENT} keys are read)
     * @param flags values given on the command line
     */
    public static SfuConfig load(Path file, Map<String, String> environment, List<Override> flags)
        throws ConfigException {
        ObjectNode tree = embeddedDefaults();
        Map<String, String> sources = new LinkedHashMap<>();
        if (file != null) {
            merge(tree, readFile(file), "", sources, "config file " + file);
        }
        List<Override> overrides = new ArrayList<>();
        for (Map.Entry<String, String> env : ENVIRONMENT.entrySet()) {
            String value = environment.get(env.getKey());
            if (value != null) {
                Object parsed = LIST_SETTINGS.contains(env.getValue()) ? splitList(value) : value;
                overrides.add(new Override(env.getValue(), parsed, "environment variable " + env.getKey()));
            }
        }
        overrides.addAll(flags);
        for (Override override : overrides) {
            set(tree, override);
            sources.put(override.path(), override.source());
        }
        SfuConfig config = bind(tree, sources);
        validate(config, sources);
        return config;
    }

    /** The embedded defaults as a tree. */
    public static ObjectNode embeddedDefaults() throws ConfigException {
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new ConfigException("the embedded defaults " + DEFAULTS_RESOURCE + " are missing from the build");
            }
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new ConfigException("the embedded defaults cannot be read: " + e.getMessage());
        }
    }

    /** Splits a comma-separated list, dropping blanks. */
    public static List<String> splitList(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }

    private static JsonNode readFile(Path file) throws ConfigException {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " does not exist or is not a file");
        }
        try {
            JsonNode node = YAML.readTree(file.toFile());
            if (node == null || node.isMissingNode() || node.isNull()) {
                return YAML.createObjectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException("config file " + file + " must hold a mapping of settings");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ConfigException("config file " + file + " is not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
        }
    }

    /** Deep-merges {@code over} into {@code base}; a key unknown to the defaults is an error. */
    private static void merge(ObjectNode base, JsonNode over, String prefix, Map<String, String> sources,
                              String source) throws ConfigException {
        Iterator<Map.Entry<String, JsonNode>> fields = over.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = prefix + field.getKey();
            JsonNode existing = base.get(field.getKey());
            if (existing == null) {
                throw new ConfigException("unknown setting " + path + " in " + source);
            }
            if (existing.isObject()) {
                if (!field.getValue().isObject()) {
                    throw new ConfigException("setting " + path + " in " + source + " must be a mapping, not "
                        + field.getValue());
                }
                merge((ObjectNode) existing, field.getValue(), path + ".", sources, source);
            } else {
                base.set(field.getKey(), field.getValue());
                sources.put(path, source);
            }
        }
    }

    private static void set(ObjectNode tree, Override override) {
        String[] parts = override.path().split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            node = (ObjectNode) node.get(parts[i]);
        }
        String key = parts[parts.length - 1];
        if (override.value() instanceof List<?> list) {
            ArrayNode array = node.putArray(key);
            list.forEach(item -> array.add(String.valueOf(item)));
        } else {
            node.put(key, String.valueOf(override.value()));
        }
    }

    private static SfuConfig bind(ObjectNode tree, Map<String, String> sources) throws ConfigException {
        try {
            return YAML.treeToValue(tree, SfuConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException("unknown setting " + path(e));
        } catch (InvalidFormatException e) {
            String path = path(e);
            throw new ConfigException("invalid value for " + path + ": '" + e.getValue() + "'" + from(sources, path)
                + ": expected " + expected(e.getTargetType()));
        } catch (MismatchedInputException e) {
            String path = path(e);
            throw new ConfigException("invalid value for " + path + from(sources, path) + ": expected "
                + expected(e.getTargetType()));
        } catch (JsonProcessingException e) {
            throw new ConfigException("invalid configuration: " + e.getOriginalMessage());
        }
    }

    private static String expected(Class<?> type) {
        if (type == int.class || type == Integer.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type != null && List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a value of type " + (type == null ? "?" : type.getSimpleName());
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(ref -> ref.getFieldName() != null ? ref.getFieldName()
            : String.valueOf(ref.getIndex())).collect(Collectors.joining("."));
    }

    static String from(Map<String, String> sources, String path) {
        String source = sources.get(path);
        if (source == null && path.contains(".")) {
            // a list element: name the list's source
            source = sources.get(path.substring(0, path.lastIndexOf('.')));
        }
        return source == null ? "" : " (from " + source + ")";
    }

    private static void validate(SfuConfig c, Map<String, String> sources) throws ConfigException {
        host("http.host", c.http().host(), sources);
        range("http.port", c.http().port(), 0, 65535, sources);
        range("http.maxBodyBytes", c.http().maxBodyBytes(), 256, 1 << 20, sources);
        range("http.maxConnections", c.http().maxConnections(), 1, 1_000_000, sources);
        range("http.maxConnectionsPerAddress", c.http().maxConnectionsPerAddress(), 1, 1_000_000, sources);
        host("media.host", c.media().host(), sources);
        range("media.port", c.media().port(), 0, 65535, sources);
        range("media.tcpPort", c.media().tcpPort(), -1, 65535, sources);
        range("media.tcpMaxConnections", c.media().tcpMaxConnections(), 1, 65_536, sources);
        range("media.tcpWriteBufferBytes", c.media().tcpWriteBufferBytes(), 4096, 16 << 20, sources);
        for (String address : c.media().announce()) {
            if (!isIpLiteral(address)) {
                throw new ConfigException("invalid value for media.announce: '" + address + "'"
                    + from(sources, "media.announce") + ": expected IP addresses");
            }
        }
        if (!c.auth().secret().isEmpty() && c.auth().secret().isBlank()) {
            throw new ConfigException("invalid value for auth.secret" + from(sources, "auth.secret")
                + ": a secret of only white space");
        }
        int secretLength = c.auth().secret().codePointCount(0, c.auth().secret().length());
        if (secretLength > 0 && secretLength < MIN_SECRET_LENGTH) {
            // HS256 wants a key of at least its hash size (RFC 7518 section 3.2); the value itself is never shown
            throw new ConfigException("invalid value for auth.secret" + from(sources, "auth.secret")
                + ": must be at least " + MIN_SECRET_LENGTH + " characters, it has " + secretLength);
        }
        String audience = c.auth().audience();
        if (audience == null || audience.isBlank() || audience.length() > 256) {
            throw new ConfigException("invalid value for auth.audience: '" + audience + "'"
                + from(sources, "auth.audience") + ": expected 1 to 256 characters, not only white space");
        }
        range("auth.clockSkewSeconds", c.auth().clockSkewSeconds(), 0, 300, sources);
        range("auth.maxTokenTtlSeconds", c.auth().maxTokenTtlSeconds(), 1, 2_592_000, sources);
        range("auth.defaultTokenTtlSeconds", c.auth().defaultTokenTtlSeconds(), 1, c.auth().maxTokenTtlSeconds(),
            sources);
        range("rooms.maxParticipantsLimit", c.rooms().maxParticipantsLimit(), 1, 10_000, sources);
        range("rooms.defaultMaxParticipants", c.rooms().defaultMaxParticipants(), 1,
            c.rooms().maxParticipantsLimit(), sources);
        range("rooms.maxRooms", c.rooms().maxRooms(), 1, 100_000, sources);
        range("rooms.maxTracksPerParticipant", c.rooms().maxTracksPerParticipant(), 1, 256, sources);
        range("signaling.maxMessageBytes", c.signaling().maxMessageBytes(), 4096, 1 << 20, sources);
        range("signaling.messagesPerSecond", c.signaling().messagesPerSecond(), 1, 10_000, sources);
        range("signaling.messageBurst", c.signaling().messageBurst(), 1, 100_000, sources);
        range("signaling.maxQueuedBytes", c.signaling().maxQueuedBytes(), 65_536, 64 << 20, sources);
        range("signaling.pingIntervalSeconds", c.signaling().pingIntervalSeconds(), 1, 3600, sources);
        range("signaling.pongTimeoutSeconds", c.signaling().pongTimeoutSeconds(), 1, 3600, sources);
        range("signaling.negotiationTimeoutSeconds", c.signaling().negotiationTimeoutSeconds(), 1, 3600, sources);
        range("http.idleTimeoutSeconds", c.http().idleTimeoutSeconds(), 2, 86_400, sources);
        if (c.http().idleTimeoutSeconds() <= c.signaling().pingIntervalSeconds()) {
            // the pings keep a quiet WebSocket from looking idle, so they must come before the idle timeout strikes
            throw new ConfigException("invalid value for http.idleTimeoutSeconds: " + c.http().idleTimeoutSeconds()
                + from(sources, "http.idleTimeoutSeconds") + ": must be more than signaling.pingIntervalSeconds ("
                + c.signaling().pingIntervalSeconds() + ")");
        }
        range("negotiation.maxMediaSectionsPerOffer", c.negotiation().maxMediaSectionsPerOffer(),
            c.rooms().maxTracksPerParticipant(), 256, sources);
        range("negotiation.maxRidsPerMediaSection", c.negotiation().maxRidsPerMediaSection(), 1, 16, sources);
        range("ice.consentTimeoutSeconds", c.ice().consentTimeoutSeconds(), 1, 600, sources);
        range("dtls.handshakeTimeoutSeconds", c.dtls().handshakeTimeoutSeconds(), 1, 600, sources);
        range("dtls.maxConcurrentHandshakes", c.dtls().maxConcurrentHandshakes(), 1, 4096, sources);
        srtpProfiles(c.dtls().srtpProfiles(), sources);
        range("forwarding.workers", c.forwarding().workers(), 0, 256, sources);
        range("forwarding.retransmitBudgetPercent", c.forwarding().retransmitBudgetPercent(), 1, 1000, sources);
        range("forwarding.spreadRoomsFrom", c.forwarding().spreadRoomsFrom(), 0, 100_000, sources);
        range("turn.port", c.turn().port(), 0, 65535, sources);
        String realm = c.turn().realm();
        if (realm == null || realm.isBlank() || realm.length() > 127) {
            throw new ConfigException("invalid value for turn.realm: '" + realm + "'" + from(sources, "turn.realm")
                + ": expected 1 to 127 characters, not only white space");
        }
        int turnSecretLength = c.turn().secret().length();
        if (turnSecretLength > 0 && turnSecretLength < MIN_SECRET_LENGTH) {
            throw new ConfigException("invalid value for turn.secret" + from(sources, "turn.secret")
                + ": must be at least " + MIN_SECRET_LENGTH + " characters, it has " + turnSecretLength);
        }
        range("turn.credentialTtlSeconds", c.turn().credentialTtlSeconds(), 60, 86_400, sources);
        range("turn.maxAllocations", c.turn().maxAllocations(), 1, 65_536, sources);
        range("turn.maxAllocationsPerUser", c.turn().maxAllocationsPerUser(), 1, 64, sources);
        range("turn.tlsPort", c.turn().tlsPort(), 0, 65535, sources);
        if (c.turn().tlsPort() != 0 && c.turn().tlsPort() == c.turn().port()) {
            throw new ConfigException("invalid value for turn.tlsPort: " + c.turn().tlsPort()
                + from(sources, "turn.tlsPort") + ": TURN over TLS needs a TCP port of its own, not turn.port's");
        }
        String tlsHost = c.turn().tlsHost();
        if (!tlsHost.isEmpty() && !isIpLiteral(tlsHost) && !tlsHost.matches(HOST_NAME)) {
            throw new ConfigException("invalid value for turn.tlsHost: '" + tlsHost + "'"
                + from(sources, "turn.tlsHost") + ": expected a DNS name or an IP address");
        }
        if (c.turn().tls()) {
            TlsIdentity.read(c.turn().tlsCertificate(), "turn.tlsCertificate", c.turn().tlsKey(), "turn.tlsKey",
                path -> from(sources, path));
        }
        SfuConfig.DataChannels data = c.dataChannels();
        range("dataChannels.maxChannelsPerParticipant", data.maxChannelsPerParticipant(), 1, 1024, sources);
        range("dataChannels.maxMessageBytes", data.maxMessageBytes(), 1024, 1 << 20, sources);
        range("dataChannels.sendBufferBytes", data.sendBufferBytes(), data.maxMessageBytes(), 1L << 28, sources);
        range("dataChannels.receiveBufferBytes", data.receiveBufferBytes(), data.maxMessageBytes(), 1L << 28,
            sources);
        range("dataChannels.queuePackets", data.queuePackets(), 64, 1 << 20, sources);
        if (c.http().tls().enabled()) {
            TlsIdentity.read(c.http().tls(), path -> from(sources, path));
        }
        cluster(c.cluster(), sources);
    }

    private static void cluster(SfuConfig.Cluster c, Map<String, String> sources) throws ConfigException {
        host("cluster.host", c.host(), sources);
        range("cluster.port", c.port(), 1, 65535, sources);
        range("cluster.relayPort", c.relayPort(), 0, 65535, sources);
        range("cluster.memberTimeoutSeconds", c.memberTimeoutSeconds(), 2, 300, sources);
        if (c.members().size() > MAX_CLUSTER_MEMBERS) {
            throw new ConfigException("invalid value for cluster.members" + from(sources, "cluster.members")
                + ": at most " + MAX_CLUSTER_MEMBERS + " members, it names " + c.members().size());
        }
        for (String member : c.members()) {
            if (!isHostAndPort(member)) {
                throw new ConfigException("invalid value for cluster.members: '" + member + "'"
                    + from(sources, "cluster.members") + ": expected HOST:PORT (an IP address or DNS name, a port "
                    + "1..65535)");
            }
        }
        if (!c.nodeId().isEmpty() && !c.nodeId().matches(NODE_ID)) {
            throw new ConfigException("invalid value for cluster.nodeId: '" + c.nodeId() + "'"
                + from(sources, "cluster.nodeId") + ": expected 1 to 64 characters of A-Z a-z 0-9 . _ -");
        }
        if (!c.url().isEmpty() && !c.url().matches("https?://[^\\s/?#]{1,253}(:\\d{1,5})?/?")) {
            throw new ConfigException("invalid value for cluster.url: '" + c.url() + "'" + from(sources, "cluster.url")
                + ": expected http(s)://HOST[:PORT]");
        }
    }

    /** True for {@code HOST:PORT} with an IP literal ({@code [v6]} bracketed) or a DNS name and a port 1..65535. */
    public static boolean isHostAndPort(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            return false;
        }
        String host = value.substring(0, colon);
        String port = value.substring(colon + 1);
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            return false;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            return host.contains(":") && isIpLiteral(host);
        }
        // an IPv6 address without brackets cannot be told from its port
        return !host.contains(":") && (isIpLiteral(host) || host.matches(HOST_NAME));
    }

    private static void srtpProfiles(List<String> names, Map<String, String> sources) throws ConfigException {
        String path = "dtls.srtpProfiles";
        if (names == null || names.isEmpty()) {
            throw new ConfigException("invalid value for " + path + from(sources, path)
                + ": name at least one SRTP protection profile");
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name == null || DtlsSrtpProfiles.byName(name) < 0) {
                throw new ConfigException("invalid value for " + path + ": '" + name + "'" + from(sources, path)
                    + ": expected one of " + DtlsSrtpProfiles.supportedNames());
            }
            if (names.subList(0, i).contains(name)) {
                throw new ConfigException("invalid value for " + path + ": '" + name + "'" + from(sources, path)
                    + ": named twice");
            }
        }
    }

    private static void range(String path, long value, long min, long max, Map<String, String> sources)
        throws ConfigException {
        if (value < min || value > max) {
            throw new ConfigException("invalid value for " + path + ": " + value + from(sources, path)
                + ": must be between " + min + " and " + max);
        }
    }

    private static void host(String path, String value, Map<String, String> sources) throws ConfigException {
        if (value == null || !(value.equals("localhost") || isIpLiteral(value))) {
            throw new ConfigException("invalid value for " + path + ": '" + value + "'" + from(sources, path)
                + ": expected an IP address or localhost");
        }
    }

    /** True for an IPv4 dotted quad or an IPv6 literal; never asks DNS. */
    public static boolean isIpLiteral(String value) {
        if (value.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            for (String octet : value.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (!value.contains(":") || !value.matches("[0-9A-Za-z:.%_-]+")) {
            return false;
        }
        try {
            // a string with a colon is parsed as an IPv6 literal, without a lookup
            InetAddress.getByName(value);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
