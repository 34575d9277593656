package io.sfu.core.ice;

import io.sfu.core.stun.StunIntegrity;
import io.sfu.core.stun.StunKey;
import io.sfu.core.stun.StunMessage;
import io.sfu.core.stun.StunMessageType;
import io.sfu.core.stun.StunMessageWriter;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/** Builds connectivity checks for the tests, with each attribute switchable so that its absence can be tested. */
final class Checks {
    static final byte[] TRANSACTION_ID = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

    String username;
    StunKey key;
    boolean priority = true;
    boolean controlling = true;
    boolean controlled;
    boolean useCandidate;
    boolean integrity = true;
    boolean fingerprint = true;
    int extraAttribute = -1;
    int messageType = StunMessageType.BINDING_REQUEST;

    private final StunIntegrity engine = new StunIntegrity();

    /** A valid check from {@code client} to {@code server}. */
    static Checks from(IceCredentials client, IceCredentials server) {
        Checks checks = new Checks();
        checks.username = server.ufrag() + ":" + client.ufrag();
        checks.key = server.key();
        return checks;
    }

    /** Writes the check into a fresh buffer and wraps {@code message} over it. */
    StunMessage build(StunMessage message) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        StunMessageWriter writer = new StunMessageWriter().wrap(buffer, 0, 512)
            .header(messageType, TRANSACTION_ID);
        if (username != null) {
            writer.username(username.getBytes(StandardCharsets.US_ASCII));
        }
        if (priority) {
            writer.priority(0x6E7F1EFFL);
        }
        if (controlling) {
            writer.iceControlling(0x1122334455667788L);
        }
        if (controlled) {
            writer.iceControlled(0x0102030405060708L);
        }
        if (useCandidate) {
            writer.useCandidate();
        }
        if (extraAttribute >= 0) {
            writer.attribute(extraAttribute, new byte[] {1, 2, 3, 4});
        }
        if (integrity) {
            writer.messageIntegrity(engine, key);
        }
        if (fingerprint) {
            writer.fingerprint(engine);
        }
        if (!message.wrap(buffer, 0, writer.length())) {
            throw new IllegalStateException("test check does not parse");
        }
        return message;
    }
}
