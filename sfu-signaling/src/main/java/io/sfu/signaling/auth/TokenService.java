package io.sfu.signaling.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.MissingClaimException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/**
 * Issues and verifies the WebSocket access tokens: JWTs signed with HS256 (RFC 7518 section 3.2) carrying the
 * claims {@code room}, {@code identity}, {@code canPublish}, {@code canSubscribe}, {@code aud}, {@code jti},
 * {@code iat} and {@code exp} (RFC 7519 section 4.1). A permission claim that is absent grants nothing; {@code nbf}
 * and {@code iat} may lie up to the configured clock skew in the future, {@code exp} gets no leeway.
 */
public final class TokenService {
    /** Longest accepted token, so a hostile query string costs no more than this to check. */
    public static final int MAX_TOKEN_LENGTH = 4096;
    /** Longest accepted {@code jti}: the ban list keeps them. */
    public static final int MAX_TOKEN_ID_LENGTH = 128;
    private static final int TOKEN_ID_BYTES = 16;
    private static final Set<String> REQUIRED_CLAIMS = Set.of("room", "identity", "exp", "jti", "aud");

    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final Clock clock;
    private final String audience;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param audience the {@code aud} every token must name, and the one issued tokens carry
     * @param clockSkewSeconds how far in the future {@code nbf} and {@code iat} may lie
     */
    public TokenService(byte[] key, Clock clock, String audience, long clockSkewSeconds) {
        this.algorithm = Algorithm.HMAC256(key);
        this.clock = clock;
        this.audience = audience;
        JWTVerifier.BaseVerification verification = (JWTVerifier.BaseVerification) JWT.require(algorithm)
            .withClaimPresence("room")
            .withClaimPresence("identity")
            .withClaimPresence("exp")
            .withClaimPresence("jti")
            .withAudience(audience)
            .acceptNotBefore(clockSkewSeconds)
            .acceptIssuedAt(clockSkewSeconds);
        this.verifier = verification.build(clock);
    }

    /** Signs a token valid for {@code ttlSeconds} from now, with a fresh random {@code jti}. */
    public String issue(String room, String identity, boolean canPublish, boolean canSubscribe, long ttlSeconds) {
        Instant now = clock.instant();
        byte[] id = new byte[TOKEN_ID_BYTES];
        random.nextBytes(id);
        return JWT.create()
            .withClaim("room", room)
            .withClaim("identity", identity)
            .withClaim("canPublish", canPublish)
            .withClaim("canSubscribe", canSubscribe)
            .withAudience(audience)
            .withJWTId(Base64.getUrlEncoder().withoutPadding().encodeToString(id))
            .withIssuedAt(now)
            .withExpiresAt(now.plusSeconds(ttlSeconds))
            .sign(algorithm);
    }

    /** Checks signature, audience, times and claims; a missing permission claim counts as denied. */
    public TokenClaims verify(String token) throws TokenException {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw new TokenException("missing or oversized token");
        }
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token);
        } catch (TokenExpiredException e) {
            throw new TokenException("the token has expired");
        } catch (MissingClaimException e) {
            throw new TokenException(known(e.getClaimName()) ? "the token lacks the claim " + e.getClaimName()
                : "the token is not valid");
        } catch (IncorrectClaimException e) {
            throw new TokenException(switch (e.getClaimName()) {
                case "aud" -> "the token is for another audience";
                case "nbf", "iat" -> "the token is not valid yet";
                default -> "the token is not valid";
            });
        } catch (JWTVerificationException e) {
            throw new TokenException("the token is not valid");
        }
        String room = jwt.getClaim("room").asString();
        String identity = jwt.getClaim("identity").asString();
        if (room == null || identity == null) {
            throw new TokenException("the token lacks a room or an identity");
        }
        String tokenId = jwt.getId();
        if (tokenId == null || tokenId.isEmpty() || tokenId.length() > MAX_TOKEN_ID_LENGTH) {
            throw new TokenException("the token's jti must be a string of 1 to " + MAX_TOKEN_ID_LENGTH + " characters");
        }
        return new TokenClaims(room, identity, flag(jwt.getClaim("canPublish")), flag(jwt.getClaim("canSubscribe")),
            tokenId, jwt.getExpiresAtAsInstant());
    }

    private static boolean known(String claim) {
        return claim != null && REQUIRED_CLAIMS.contains(claim);
    }

    private static boolean flag(Claim claim) throws TokenException {
        if (claim.isMissing() || claim.isNull()) {
            return false;
        }
        Boolean value = claim.asBoolean();
        if (value == null) {
            throw new TokenException("the token's permissions are not booleans");
        }
        return value;
    }
}
