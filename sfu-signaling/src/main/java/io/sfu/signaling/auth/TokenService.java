package io.sfu.signaling.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.time.Clock;
import java.time.Instant;

/**
 * Issues and verifies the WebSocket access tokens: JWTs signed with HS256 (RFC 7518 section 3.2) carrying the
 * claims {@code room}, {@code identity}, {@code canPublish}, {@code canSubscribe}, {@code iat} and {@code exp}.
 */
public final class TokenService {
    /** Longest accepted token, so a hostile query string costs no more than this to check. */
    public static final int MAX_TOKEN_LENGTH = 4096;

    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final Clock clock;

    public TokenService(byte[] key, Clock clock) {
        this.algorithm = Algorithm.HMAC256(key);
        this.clock = clock;
        JWTVerifier.BaseVerification verification = (JWTVerifier.BaseVerification) JWT.require(algorithm)
            .withClaimPresence("room")
            .withClaimPresence("identity")
            .withClaimPresence("exp");
        this.verifier = verification.build(clock);
    }

    /** Signs a token valid for {@code ttlSeconds} from now. */
    public String issue(String room, String identity, boolean canPublish, boolean canSubscribe, long ttlSeconds) {
        Instant now = clock.instant();
        return JWT.create()
            .withClaim("room", room)
            .withClaim("identity", identity)
            .withClaim("canPublish", canPublish)
            .withClaim("canSubscribe", canSubscribe)
            .withIssuedAt(now)
            .withExpiresAt(now.plusSeconds(ttlSeconds))
            .sign(algorithm);
    }

    /** Checks signature, expiry and claims; the permissions default to true when absent. */
    public TokenClaims verify(String token) throws TokenException {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw new TokenException("missing or oversized token");
        }
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token);
        } catch (TokenExpiredException e) {
            throw new TokenException("the token has expired");
        } catch (JWTVerificationException e) {
            throw new TokenException("the token is not valid");
        }
        String room = jwt.getClaim("room").asString();
        String identity = jwt.getClaim("identity").asString();
        if (room == null || identity == null) {
            throw new TokenException("the token lacks a room or an identity");
        }
        return new TokenClaims(room, identity, flag(jwt.getClaim("canPublish")), flag(jwt.getClaim("canSubscribe")));
    }

    private static boolean flag(Claim claim) throws TokenException {
        if (claim.isMissing() || claim.isNull()) {
            return true;
        }
        Boolean value = claim.asBoolean();
        if (value == null) {
            throw new TokenException("the token's permissions are not booleans");
        }
        return value;
    }
}
