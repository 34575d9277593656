package io.sfu.core.turn;

import io.sfu.core.stun.StunIntegrity;
import io.sfu.core.stun.StunKey;
import io.sfu.core.stun.StunMessage;

import java.time.Clock;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The long-term credential check of the TURN server (RFC 8489 §9.2.4) over REST-style credentials: stateless nonces,
 * the key of a username, and the budgets that keep challenges and failed attempts from being answered without end.
 * Used on the server's thread only; its counters may be read from any.
 */
final class TurnAuthenticator {
    /** What a request's credentials call for. */
    enum Verdict {
        /** They hold: {@link #username()} is the request's. */
        PASSED,
        /** 401 with REALM and NONCE: none were given, or they are wrong or expired. */
        CHALLENGE,
        /** 438 with a fresh NONCE. */
        STALE_NONCE,
        /** 400: USERNAME, REALM or NONCE missing, or the username too long. */
        BAD_REQUEST,
        /** Beyond what is answered per second: dropped unanswered (counted). */
        DROPPED
    }

    /**
     * Challenges (401 to a request without credentials) answered over UDP per second: every client needs one per
     * allocation, so a join storm of a hundred a second stays well within it, while a forged flood gains at most
     * this many answers.
     */
    static final int UDP_CHALLENGES_PER_SECOND = 500;

    private final TurnServer.Settings settings;
    private final Clock clock;
    private final StunIntegrity integrity = new StunIntegrity();
    private final PerSecondBudget failedAuths;
    private final PerSecondBudget udpChallenges = new PerSecondBudget(UDP_CHALLENGES_PER_SECOND);
    private final AtomicLong unauthorized = new AtomicLong();
    private final AtomicLong authThrottled = new AtomicLong();
    private final AtomicLong challengesThrottled = new AtomicLong();
    private String username;

    TurnAuthenticator(TurnServer.Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.failedAuths = new PerSecondBudget(settings.failedAuthsPerSecond());
    }

    /**
     * Checks the long-term credentials of {@code message}, which came over TCP when {@code overTcp}: a challenge is
     * several times the request it answers, and over UDP, whose source anyone can forge, a flood of first requests
     * would make the port an amplifier toward the forged address.
     */
    Verdict check(StunMessage message, boolean overTcp) {
        username = null;
        if (!message.hasMessageIntegrity()) {
            if (!overTcp && !udpChallenges.take()) {
                challengesThrottled.incrementAndGet();
                return Verdict.DROPPED;
            }
            return Verdict.CHALLENGE;
        }
        String name = message.username();
        String realm = message.realm();
        String nonce = message.nonce();
        if (name == null || realm == null || nonce == null || name.length() > TurnCredentials.MAX_USERNAME_LENGTH) {
            return Verdict.BAD_REQUEST;
        }
        if (!nonceValid(nonce)) {
            return Verdict.STALE_NONCE;
        }
        long expiry = TurnCredentials.expiry(name);
        boolean valid = realm.equals(settings.realm()) && expiry >= clock.millis() / 1000
            && integrity.checkMessageIntegrity(message, keyOf(name));
        if (!valid) {
            unauthorized.incrementAndGet();
            if (!failedAuths.take()) {
                // a guessing client gets silence
                authThrottled.incrementAndGet();
                return Verdict.DROPPED;
            }
            return Verdict.CHALLENGE;
        }
        username = name;
        return Verdict.PASSED;
    }

    /** The username of the request the last {@link #check} passed. */
    String username() {
        return username;
    }

    StunKey keyOf(String name) {
        String password = TurnCredentials.password(settings.secret(), name);
        return StunKey.longTermMd5(name, settings.realm(), password);
    }

    /** A stateless nonce: its issue time in hex and a MAC of it, valid for the nonce lifetime. */
    String newNonce() {
        String issued = Long.toHexString(clock.millis() / 1000);
        return issued + "-" + nonceMac(issued);
    }

    private boolean nonceValid(String nonce) {
        int dash = nonce.indexOf('-');
        if (dash <= 0 || dash > 16 || !nonce.substring(dash + 1).equals(nonceMac(nonce.substring(0, dash)))) {
            return false;
        }
        long issued;
        try {
            issued = Long.parseLong(nonce.substring(0, dash), 16);
        } catch (NumberFormatException e) {
            return false;
        }
        long age = clock.millis() / 1000 - issued;
        return age >= 0 && age < settings.nonceLifetime().toSeconds();
    }

    private String nonceMac(String issued) {
        byte[] mac = TurnCredentials.hmacSha1(settings.secret(), "nonce:" + issued);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac).substring(0, 16);
    }

    long unauthorizedCount() {
        return unauthorized.get();
    }

    long authThrottledCount() {
        return authThrottled.get();
    }

    long challengesThrottledCount() {
        return challengesThrottled.get();
    }

    /** At most {@code perSecond} takes in each second-long window, the window starting at its first take. */
    private static final class PerSecondBudget {
        private final int perSecond;
        private long windowStartNs;
        private int taken;

        PerSecondBudget(int perSecond) {
            this.perSecond = perSecond;
        }

        /** Whether one more fits in the current window (counted when it does not, too). */
        boolean take() {
            long now = System.nanoTime();
            if (now - windowStartNs >= 1_000_000_000L) {
                windowStartNs = now;
                taken = 0;
            }
            return ++taken <= perSecond;
        }
    }
}
