package io.sfu.bench.stun;

import io.sfu.bench.JvmFlags;
import io.sfu.core.ice.IceCheckResult;
import io.sfu.core.ice.IceCheckStatus;
import io.sfu.core.ice.IceCredentials;
import io.sfu.core.ice.IceLiteResponder;
import io.sfu.core.stun.StunAddress;
import io.sfu.core.stun.StunIntegrity;
import io.sfu.core.stun.StunKey;
import io.sfu.core.stun.StunMessage;
import io.sfu.core.stun.StunMessageType;
import io.sfu.core.stun.StunMessageWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The cost of answering an ICE connectivity check on the media thread: reading a browser-like Binding request and
 * checking its MESSAGE-INTEGRITY and FINGERPRINT, writing the success response, and both through the ICE-lite
 * responder. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} should be about 0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.AGRONA, JvmFlags.GHASH})
@State(Scope.Thread)
public class StunIntegrityBenchmark {
    private static final IceCredentials SERVER = IceCredentials.of("srvUfrag", "serverPasswordOf24Chars+");

    private final StunMessage request = new StunMessage();
    private final StunIntegrity integrity = new StunIntegrity();
    private final StunMessageWriter writer = new StunMessageWriter();
    private final IceLiteResponder responder = new IceLiteResponder();
    private final IceCheckResult result = new IceCheckResult();
    private final UnsafeBuffer response = new UnsafeBuffer(new byte[256]);
    private final StunAddress source = new StunAddress().set(new InetSocketAddress("192.0.2.10", 50000));
    private final byte[] remoteUfrag = "Ab3d".getBytes(StandardCharsets.US_ASCII);
    private UnsafeBuffer requestBuffer;
    private int requestLength;
    private StunKey key;

    /** Builds the request a browser sends: USERNAME, a network-info extension, roles, nomination, checksums. */
    @Setup
    public void setUp() {
        key = SERVER.key();
        requestBuffer = new UnsafeBuffer(new byte[256]);
        requestLength = new StunMessageWriter().wrap(requestBuffer, 0, 256)
            .header(StunMessageType.BINDING_REQUEST, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
            .username("srvUfrag:Ab3d".getBytes(StandardCharsets.US_ASCII))
            .attribute(0xC057, new byte[] {0, 1, 0, 10})
            .iceControlling(0x1122334455667788L)
            .useCandidate()
            .priority(1_853_824_767L)
            .messageIntegrity(integrity, key)
            .fingerprint(integrity)
            .length();
        if (!parseAndVerify()) {
            throw new IllegalStateException("benchmark request does not verify");
        }
    }

    /** Parse a Binding request and check MESSAGE-INTEGRITY and FINGERPRINT. */
    @Benchmark
    public boolean parseAndVerify() {
        return request.wrap(requestBuffer, 0, requestLength)
            && integrity.checkMessageIntegrity(request, key)
            && integrity.checkFingerprint(request);
    }

    /** Write a Binding success response: XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY, FINGERPRINT. */
    @Benchmark
    public int buildSuccessResponse() {
        return writer.wrap(response, 0, 256)
            .header(StunMessageType.BINDING_SUCCESS_RESPONSE, requestBuffer, StunMessage.TRANSACTION_ID_OFFSET)
            .xorMappedAddress(source)
            .messageIntegrity(integrity, key)
            .fingerprint(integrity)
            .length();
    }

    /** The whole ICE-lite answer: parse, check USERNAME, integrity and fingerprint, write the response. */
    @Benchmark
    public IceCheckStatus respondToCheck() {
        request.wrap(requestBuffer, 0, requestLength);
        return responder.respond(request, SERVER, remoteUfrag, source, response, 0, 256, result);
    }
}
