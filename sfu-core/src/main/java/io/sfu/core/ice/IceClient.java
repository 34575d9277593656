package io.sfu.core.ice;

import io.sfu.core.stun.StunAddress;
import io.sfu.core.stun.StunIntegrity;
import io.sfu.core.stun.StunMessage;
import io.sfu.core.stun.StunMessageType;
import io.sfu.core.stun.StunMessageWriter;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * A controlling ICE agent with one candidate pair, for the project's Java test clients and load harness facing the
 * ICE-lite SFU (RFC 8445 §6.1.1: the full agent controls). It sends a nominating connectivity check (USERNAME
 * {@code remoteUfrag:localUfrag}, PRIORITY, ICE-CONTROLLING, USE-CANDIDATE, MESSAGE-INTEGRITY under the remote pwd,
 * FINGERPRINT) and retransmits it as RFC 8489 §6.2.1 says: after RTO, then doubling, {@code maxTransmissions}
 * sends in all, then a last wait of {@code lastWaitMultiplier} × RTO before giving up. Once a response with valid
 * integrity arrives it is connected, and sends consent checks (RFC 7675 §5.1) every 5 s randomised to 0.8–1.2 of
 * that; 30 s without a valid response ends consent.
 *
 * <p>It never touches a socket or the clock: the caller passes the time in and sends what
 * {@link #pollTransmit} writes. Allocates nothing per packet. Single-threaded.
 */
public final class IceClient {
    /** Where the agent stands. */
    public enum State {
        /** Not started. */
        NEW,
        /** Checking the pair, waiting for the first valid response. */
        CHECKING,
        /** A valid response arrived; consent is being refreshed. */
        CONNECTED,
        /** The check timed out, was answered with an error, or consent expired; see {@link #failure()}. */
        FAILED
    }

    /** Why the agent failed. */
    public enum Failure {
        /** It has not failed. */
        NONE,
        /** No valid response to the connectivity check after every retransmission. */
        TIMEOUT,
        /** The peer answered with an error response; see {@link #lastErrorCode()}. */
        ERROR_RESPONSE,
        /** No valid response to consent checks within the consent timeout. */
        CONSENT_EXPIRED
    }

    /**
     * Retransmission and consent settings, each with a documented default; validated when the client is built.
     *
     * @param rtoNs initial retransmission timeout
     * @param maxTransmissions transmissions per transaction, the first included
     * @param lastWaitMultiplier wait after the last transmission, in initial RTOs
     * @param consentIntervalNs mean interval between consent checks
     * @param consentTimeoutNs time without a valid response after which consent expires
     */
    public record Config(long rtoNs, int maxTransmissions, int lastWaitMultiplier, long consentIntervalNs,
                         long consentTimeoutNs) {
        /** Default initial retransmission timeout (RFC 8489 §6.2.1). */
        public static final long DEFAULT_RTO_NS = TimeUnit.MILLISECONDS.toNanos(500);
        /** Default transmissions per transaction, Rc (RFC 8489 §6.2.1). */
        public static final int DEFAULT_MAX_TRANSMISSIONS = 7;
        /** Default final wait in RTOs, Rm (RFC 8489 §6.2.1). */
        public static final int DEFAULT_LAST_WAIT_MULTIPLIER = 16;
        /** Default consent check interval before randomisation (RFC 7675 §5.1). */
        public static final long DEFAULT_CONSENT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(5);
        /** Default consent timeout (RFC 7675 §5.1). */
        public static final long DEFAULT_CONSENT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
        /** Every setting at its default. */
        public static final Config DEFAULTS = new Config(DEFAULT_RTO_NS, DEFAULT_MAX_TRANSMISSIONS,
            DEFAULT_LAST_WAIT_MULTIPLIER, DEFAULT_CONSENT_INTERVAL_NS, DEFAULT_CONSENT_TIMEOUT_NS);

        /** These retransmission settings, with the default consent settings. */
        public static Config retransmission(long rtoNs, int maxTransmissions, int lastWaitMultiplier) {
            return new Config(rtoNs, maxTransmissions, lastWaitMultiplier, DEFAULT_CONSENT_INTERVAL_NS,
                DEFAULT_CONSENT_TIMEOUT_NS);
        }

        /** These consent settings, with the default retransmission settings. */
        public static Config consent(long consentIntervalNs, long consentTimeoutNs) {
            return new Config(DEFAULT_RTO_NS, DEFAULT_MAX_TRANSMISSIONS, DEFAULT_LAST_WAIT_MULTIPLIER,
                consentIntervalNs, consentTimeoutNs);
        }

        void validate() {
            require(rtoNs > 0, "ice.client.rtoNs must be positive: " + rtoNs);
            require(maxTransmissions >= 1 && maxTransmissions <= 30,
                "ice.client.maxTransmissions must be 1 to 30: " + maxTransmissions);
            require(lastWaitMultiplier >= 1, "ice.client.lastWaitMultiplier must be at least 1: "
                + lastWaitMultiplier);
            require(consentIntervalNs > 0, "ice.client.consentIntervalNs must be positive: " + consentIntervalNs);
            require(consentTimeoutNs > consentIntervalNs,
                "ice.client.consentTimeoutNs must exceed consentIntervalNs: " + consentTimeoutNs);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }

    /** Type preference of a peer-reflexive candidate (RFC 8445 §5.1.2.2), which the PRIORITY of a check uses. */
    public static final int PEER_REFLEXIVE_TYPE_PREFERENCE = 110;

    private final Config config;
    private final long priority;
    private final RandomGenerator random;
    private final StunIntegrity integrity = new StunIntegrity();
    private final StunMessageWriter writer = new StunMessageWriter();
    private final byte[] transactionId = new byte[StunMessage.TRANSACTION_ID_LENGTH];
    private final StunAddress mappedAddress = new StunAddress();
    private final long tieBreaker;

    private IceCredentials local;
    private IceCredentials remote;
    private byte[] username;
    private State state = State.NEW;
    private Failure failure = Failure.NONE;
    private int lastErrorCode = -1;

    private boolean transactionActive;
    private boolean nominating;
    private int transmissions;
    private long nextTransmitNs;
    private long lastConsentNs;
    private long nextConsentCheckNs;

    /**
     * A client that will check the pair with the given credentials.
     *
     * @param local    this agent's credentials (its ufrag goes second in USERNAME)
     * @param remote   the ICE-lite peer's credentials from its SDP (its pwd keys MESSAGE-INTEGRITY)
     * @param priority PRIORITY to send, e.g. {@link #priority(int, int, int)}
     * @param random   source of transaction ids, the tie-breaker and consent jitter
     * @param config   retransmission and consent settings
     * @throws IllegalArgumentException naming the first setting out of range
     */
    public IceClient(IceCredentials local, IceCredentials remote, long priority, RandomGenerator random,
        Config config) {
        config.validate();
        if (priority <= 0 || priority > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("ice priority must be 1 to 2^32-1: " + priority);
        }
        this.config = config;
        this.priority = priority;
        this.random = random;
        this.tieBreaker = random.nextLong();
        credentials(local, remote);
    }

    /** A client with the default {@link Config}. */
    public IceClient(IceCredentials local, IceCredentials remote, long priority, RandomGenerator random) {
        this(local, remote, priority, random, Config.DEFAULTS);
    }

    /** Candidate priority (RFC 8445 §5.1.2.1). */
    public static long priority(int typePreference, int localPreference, int componentId) {
        return ((long) typePreference << 24) + ((long) localPreference << 8) + (256 - componentId);
    }

    private void credentials(IceCredentials newLocal, IceCredentials newRemote) {
        this.local = newLocal;
        this.remote = newRemote;
        this.username = (newRemote.ufrag() + ":" + newLocal.ufrag()).getBytes(StandardCharsets.US_ASCII);
    }

    /** Starts checking at {@code nowNs}: the first check is due at once. */
    public void start(long nowNs) {
        if (state != State.NEW) {
            throw new IllegalStateException("ice client already started: " + state);
        }
        state = State.CHECKING;
        beginTransaction(nowNs, true);
    }

    /**
     * ICE restart (RFC 8445 §9) with new credentials on both sides: back to checking, nominating anew.
     */
    public void restart(IceCredentials newLocal, IceCredentials newRemote, long nowNs) {
        credentials(newLocal, newRemote);
        state = State.CHECKING;
        failure = Failure.NONE;
        lastErrorCode = -1;
        beginTransaction(nowNs, true);
    }

    private void beginTransaction(long nowNs, boolean nominate) {
        random.nextBytes(transactionId);
        transactionActive = true;
        nominating = nominate;
        transmissions = 0;
        nextTransmitNs = nowNs;
    }

    /**
     * Writes the next check into {@code buffer} if one is due at {@code nowNs}, and moves on timeouts.
     *
     * @return the bytes to send, or 0 if nothing is due
     */
    public int pollTransmit(long nowNs, MutableDirectBuffer buffer, int offset, int capacity) {
        if (state == State.CONNECTED) {
            if (nowNs - lastConsentNs >= config.consentTimeoutNs()) {
                fail(Failure.CONSENT_EXPIRED);
                return 0;
            }
            if (nowNs - nextConsentCheckNs >= 0) {
                // a new consent transaction replaces one still retransmitting
                beginTransaction(nowNs, false);
                nextConsentCheckNs = nowNs + jitteredConsentInterval();
            }
        }
        if ((state != State.CHECKING && state != State.CONNECTED) || !transactionActive
            || nowNs - nextTransmitNs < 0) {
            return 0;
        }
        if (transmissions == config.maxTransmissions()) {
            transactionActive = false;
            if (state == State.CHECKING) {
                fail(Failure.TIMEOUT);
            }
            return 0;
        }
        transmissions++;
        nextTransmitNs = nowNs + (transmissions == config.maxTransmissions()
            ? config.rtoNs() * config.lastWaitMultiplier()
            : config.rtoNs() << (transmissions - 1));
        return writeRequest(buffer, offset, capacity);
    }

    private int writeRequest(MutableDirectBuffer buffer, int offset, int capacity) {
        writer.wrap(buffer, offset, capacity)
            .header(StunMessageType.BINDING_REQUEST, transactionId)
            .username(username)
            .priority(priority)
            .iceControlling(tieBreaker);
        if (nominating) {
            writer.useCandidate();
        }
        return writer.messageIntegrity(integrity, remote.key)
            .fingerprint(integrity)
            .length();
    }

    /**
     * Offers a received message to the agent.
     *
     * @return whether it was the answer to the outstanding check (and was consumed); other messages are left to
     *     the caller
     */
    public boolean onMessage(StunMessage message, long nowNs) {
        if (!transactionActive || message.method() != StunMessageType.METHOD_BINDING
            || !message.transactionIdEquals(transactionId)) {
            return false;
        }
        int messageClass = message.messageClass();
        if (messageClass == StunMessageType.CLASS_SUCCESS_RESPONSE) {
            if (!integrity.checkMessageIntegrity(message, remote.key) || !integrity.checkFingerprint(message)) {
                return false;
            }
            transactionActive = false;
            if (!message.xorMappedAddress(mappedAddress)) {
                mappedAddress.clear();
            }
            lastConsentNs = nowNs;
            if (state == State.CHECKING) {
                state = State.CONNECTED;
                nextConsentCheckNs = nowNs + jitteredConsentInterval();
            }
            return true;
        }
        if (messageClass == StunMessageType.CLASS_ERROR_RESPONSE) {
            if (message.hasFingerprint() && !integrity.checkFingerprint(message)) {
                return false;
            }
            transactionActive = false;
            lastErrorCode = message.errorCode();
            fail(Failure.ERROR_RESPONSE);
            return true;
        }
        return false;
    }

    private long jitteredConsentInterval() {
        return (long) (config.consentIntervalNs() * (0.8 + 0.4 * random.nextDouble()));
    }

    private void fail(Failure why) {
        state = State.FAILED;
        failure = why;
        transactionActive = false;
    }

    /** Where the agent stands. */
    public State state() {
        return state;
    }

    /** Why it failed, or {@link Failure#NONE}. */
    public Failure failure() {
        return failure;
    }

    /** ERROR-CODE of the error response that failed it, or -1. */
    public int lastErrorCode() {
        return lastErrorCode;
    }

    /** The address the peer saw the checks come from (XOR-MAPPED-ADDRESS); unset before a response. */
    public StunAddress mappedAddress() {
        return mappedAddress;
    }

    /** This agent's ICE-CONTROLLING tie-breaker. */
    public long tieBreaker() {
        return tieBreaker;
    }

    /** Clock time of the last valid response. */
    public long lastConsentNs() {
        return lastConsentNs;
    }

    /** This agent's credentials. */
    public IceCredentials localCredentials() {
        return local;
    }

    /**
     * The earliest time at which {@link #pollTransmit} has something to do, for a timer; {@code Long.MAX_VALUE}
     * when nothing is scheduled.
     */
    public long nextDeadlineNs() {
        if (state == State.CONNECTED) {
            long deadline = earlier(nextConsentCheckNs, lastConsentNs + config.consentTimeoutNs());
            return transactionActive ? earlier(deadline, nextTransmitNs) : deadline;
        }
        return state == State.CHECKING && transactionActive ? nextTransmitNs : Long.MAX_VALUE;
    }

    /** The earlier of two clock readings, compared by subtraction so that the clock may wrap. */
    private static long earlier(long a, long b) {
        return a - b <= 0 ? a : b;
    }
}
