package io.sfu.signaling.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Who may not join which room, and until when: the identities a kick banned ({@code DELETE ...?ban=SECONDS}), and
 * the tokens ({@code jti}) their banned joins used, which stay refused until they expire even once the ban ended.
 * Bounded; expired entries are dropped as new ones come. Confined to the control context.
 */
public final class Bans {
    /** The longest ban a kick may ask for: 30 days. */
    public static final long MAX_BAN_SECONDS = 2_592_000;
    /** Bans (identities and tokens each) held at most. */
    public static final int MAX_ENTRIES = 100_000;

    private record Member(String room, String identity) {
    }

    private final Clock clock;
    private final int maxEntries;
    private final Map<Member, Instant> identities = new HashMap<>();
    private final Map<String, Instant> tokenIds = new HashMap<>();

    public Bans(Clock clock) {
        this(clock, MAX_ENTRIES);
    }

    Bans(Clock clock, int maxEntries) {
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    /**
     * Why this join is refused, or null when it is not.
     *
     * @param tokenId the {@code jti} of the join's token, or null for a join without one
     */
    public String refusal(String room, String identity, String tokenId) {
        Instant now = clock.instant();
        Instant until = identities.get(new Member(room, identity));
        if (until != null && now.isBefore(until)) {
            return identity + " is banned from room " + room + " for "
                + Math.max(1, Duration.between(now, until).toSeconds()) + " more seconds";
        }
        Instant tokenUntil = tokenId == null ? null : tokenIds.get(tokenId);
        if (tokenUntil != null && now.isBefore(tokenUntil)) {
            return "this token was used by a banned participant";
        }
        return null;
    }

    /**
     * Bans the identity from the room for {@code seconds} from now (a longer ban already in place stays), and the
     * token its join used until that token expires.
     *
     * @param tokenId the {@code jti} of the banned participant's token, or null when it joined without one
     * @param tokenExpiry when that token expires
     * @return false, changing nothing, when the list is full of bans still running
     */
    public boolean ban(String room, String identity, long seconds, String tokenId, Instant tokenExpiry) {
        Instant now = clock.instant();
        identities.values().removeIf(until -> !now.isBefore(until));
        tokenIds.values().removeIf(until -> !now.isBefore(until));
        Member member = new Member(room, identity);
        boolean withToken = tokenId != null && tokenExpiry != null && now.isBefore(tokenExpiry);
        if ((!identities.containsKey(member) && identities.size() >= maxEntries)
            || (withToken && !tokenIds.containsKey(tokenId) && tokenIds.size() >= maxEntries)) {
            return false;
        }
        identities.merge(member, now.plusSeconds(seconds), Bans::later);
        if (withToken) {
            tokenIds.merge(tokenId, tokenExpiry, Bans::later);
        }
        return true;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
