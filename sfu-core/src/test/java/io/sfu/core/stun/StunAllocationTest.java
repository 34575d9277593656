package io.sfu.core.stun;

import io.sfu.core.testing.Allocations;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-packet paths allocate nothing once warm: reading and checking a request, writing a response. */
class StunAllocationTest {
    private final StunMessage message = new StunMessage();
    private final StunIntegrity integrity = new StunIntegrity();
    private final StunKey key = StunKey.shortTerm(StunTestVectors.SHORT_TERM_PASSWORD);
    private final byte[] request = StunTestVectors.load(StunTestVectors.SAMPLE_REQUEST);
    private final UnsafeBuffer requestBuffer = new UnsafeBuffer(request);
    private final byte[] expectedUsername = "evtj:h6vY".getBytes(StandardCharsets.US_ASCII);
    private final byte[] rawKey = StunTestVectors.SHORT_TERM_PASSWORD.getBytes(StandardCharsets.US_ASCII);
    private int failures;

    @Test
    void parsingAndCheckingABindingRequestAllocatesNothing() {
        double bytesPerRun = Allocations.bytesPerRun(() -> {
            boolean ok = message.wrap(requestBuffer, 0, request.length)
                && message.usernameEquals(expectedUsername)
                && integrity.checkMessageIntegrity(message, key)
                && integrity.checkFingerprint(message);
            if (!ok) {
                failures++;
            }
        });

        assertThat(failures).isZero();
        assertThat(bytesPerRun).isZero();
    }

    @Test
    void checkingWithRawKeyBytesAllocatesNothing() {
        double bytesPerRun = Allocations.bytesPerRun(() -> {
            boolean ok = message.wrap(requestBuffer, 0, request.length)
                && integrity.checkMessageIntegrity(message, rawKey);
            if (!ok) {
                failures++;
            }
        });

        assertThat(failures).isZero();
        assertThat(bytesPerRun).isZero();
    }

    @Test
    void writingABindingSuccessResponseAllocatesNothing() {
        assertThat(message.wrap(requestBuffer, 0, request.length)).isTrue();
        StunAddress source = new StunAddress().set(new InetSocketAddress("2001:db8::7", 50000));
        UnsafeBuffer out = new UnsafeBuffer(new byte[256]);
        StunMessageWriter writer = new StunMessageWriter();

        double bytesPerRun = Allocations.bytesPerRun(() -> {
            int length = writer.wrap(out, 0, 256)
                .header(StunMessageType.BINDING_SUCCESS_RESPONSE, message)
                .xorMappedAddress(source)
                .messageIntegrity(integrity, key)
                .fingerprint(integrity)
                .length();
            if (length != 20 + 24 + 24 + 8) {
                failures++;
            }
        });

        assertThat(failures).isZero();
        assertThat(bytesPerRun).isZero();
    }
}
