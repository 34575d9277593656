package io.sfu.signaling.auth;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfu.core.testing.FuzzInput;
import org.junit.jupiter.params.provider.MethodSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.stream.Stream;

/**
 * Coverage-guided fuzzing (Jazzer) of token verification, which every WebSocket join in secret mode goes through:
 * any string is accepted as {@link TokenClaims} naming a room and an identity, or refused with a
 * {@link TokenException}, never another exception. Tokens whose header and claims the fuzzer writes and the
 * harness signs with the right key reach the claim checks: one that is accepted names HS256 in its header and
 * expires after now.
 *
 * <p>The input is a mode byte: raw (the rest is the token), or signed (a header and a claims chunk, each
 * base64url-encoded, then signed). Seeds: a token the service issues, and signed header and claims variants.
 */
class TokenFuzzTarget {
    private static final byte[] KEY = "a-test-secret-of-thirty-two-bytes".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final TokenService SERVICE = new TokenService(KEY, Clock.fixed(NOW, ZoneOffset.UTC), "sfu", 30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final int RAW = 0;
    private static final int SIGNED = 1;

    static Stream<byte[]> tokens() {
        String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
        long exp = NOW.getEpochSecond() + 60;
        return Stream.of(
            new FuzzInput.Writer().u8(RAW).bytes(SERVICE.issue("r1", "alice", true, false, 60)
                .getBytes(StandardCharsets.UTF_8)).toByteArray(),
            signed(header, "{\"room\":\"r1\",\"identity\":\"bob\",\"canPublish\":false,\"aud\":\"sfu\",\"jti\":\"j1\",\"exp\":" + exp + "}"),
            signed(header, "{\"room\":\"r1\",\"identity\":\"bob\",\"aud\":\"sfu\",\"jti\":\"j2\",\"exp\":" + (exp - 120) + "}"),
            signed("{\"alg\":\"none\"}", "{\"room\":\"r1\",\"identity\":\"bob\",\"exp\":" + exp + "}"),
            signed(header, "{\"room\":7,\"identity\":[\"bob\"],\"aud\":[\"sfu\",\"x\"],\"canSubscribe\":\"yes\",\"exp\":" + exp + "}"));
    }

    private static byte[] signed(String header, String claims) {
        return new FuzzInput.Writer().u8(SIGNED).chunk(header.getBytes(StandardCharsets.UTF_8))
            .chunk(claims.getBytes(StandardCharsets.UTF_8)).toByteArray();
    }

    @MethodSource("tokens")
    @FuzzTest
    void anyTokenIsVerifiedOrRefusedWithTokenExceptionOnly(byte[] input) throws Exception {
        FuzzInput in = new FuzzInput(input);
        String token;
        byte[] header = null;
        byte[] claims = null;
        if (in.choice(2) == RAW) {
            token = new String(in.rest(), StandardCharsets.UTF_8);
        } else {
            header = in.chunk();
            claims = in.chunk();
            String signingInput = BASE64URL.encodeToString(header) + "." + BASE64URL.encodeToString(claims);
            token = signingInput + "." + BASE64URL.encodeToString(hmac(signingInput));
        }
        TokenClaims verified;
        try {
            verified = SERVICE.verify(token);
        } catch (TokenException refused) {
            check(refused.getMessage() != null && !refused.getMessage().isBlank(), "a refusal without a reason");
            return;
        }
        check(verified != null && verified.room() != null && verified.identity() != null,
            "an accepted token lacks a room or an identity: " + verified);
        if (header != null) {
            // read as the verifier does: the decoded bytes as UTF-8 text
            JsonNode headerJson = JSON.readTree(new String(header, StandardCharsets.UTF_8));
            JsonNode claimsJson = JSON.readTree(new String(claims, StandardCharsets.UTF_8));
            check("HS256".equals(headerJson.path("alg").asText()), "accepted a token whose header is " + headerJson);
            check(claimsJson.path("exp").isNumber() && claimsJson.path("exp").asLong() > NOW.getEpochSecond(),
                "accepted a token that expired or never expires: " + claimsJson);
        }
    }

    private static byte[] hmac(String signingInput) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
    }

    private static void check(boolean holds, String what) {
        if (!holds) {
            throw new AssertionError(what);
        }
    }
}
