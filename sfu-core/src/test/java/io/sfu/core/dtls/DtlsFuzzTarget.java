package io.sfu.core.dtls;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sfu.core.testing.FuzzInput;
import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Coverage-guided fuzzing (Jazzer) of DTLS records as they reach BouncyCastle through a {@link DtlsEndpoint}: an
 * endpoint fed any records, as the SFU's server or as its client, ends its handshake or times it out, never hangs
 * and never throws out of {@code offer}, {@code start} or {@code close}; its future fails only with a
 * {@link DtlsHandshakeException}. A connected endpoint fed any records after its handshake stays connected or
 * closes, again without throwing. The handshakes run on the fuzzing thread; a clock that jumps past the deadline
 * as soon as the endpoint waits on an empty queue turns "waiting for the peer" into an immediate timeout.
 *
 * <p>The input is a mode byte (server, client, connected), then datagrams as {@link FuzzInput} chunks. Seeds: the
 * flights of real handshakes between two endpoints, recorded when the class loads.
 */
class DtlsFuzzTarget {
    private static final DtlsCertificate SFU = DtlsCertificate.generate("sfu", Instant.now());
    private static final DtlsCertificate PEER = DtlsCertificate.generate("peer", Instant.now());
    private static final int SERVER = 0;
    private static final int CLIENT = 1;
    private static final int CONNECTED = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** How long the post-handshake mode waits for its real handshake: well within the fuzzer's 10 s per input. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** A connected endpoint for the post-handshake mode, made again when the fuzzer closed it. */
    private Connection connection;

    /** A monotonic clock that jumps past any deadline once the handshake started waiting. */
    private static final class JumpingClock implements NanoClock {
        private long reads;

        @Override
        public long nanoTime() {
            return reads++ == 0 ? 0 : Long.MAX_VALUE / 4;
        }
    }

    /** Runs tasks on a pool until told to run them on the caller's thread: handshakes in parallel, drains inline. */
    private static final class SwitchingExecutor implements Executor {
        private final ExecutorService pool;
        private volatile boolean inline;

        SwitchingExecutor(ExecutorService pool) {
            this.pool = pool;
        }

        @Override
        public void execute(Runnable task) {
            if (inline) {
                task.run();
            } else {
                pool.execute(task);
            }
        }
    }

    /** Two endpoints wired to each other; each side's datagrams are recorded, and delivered while {@code linked}. */
    private static final class Connection {
        final List<byte[]> fromServer = Collections.synchronizedList(new ArrayList<>());
        final List<byte[]> fromClient = Collections.synchronizedList(new ArrayList<>());
        final DtlsEndpoint server;
        final DtlsEndpoint client;
        final SwitchingExecutor serverExecutor;
        volatile boolean linked = true;

        /** {@code sfuIsServer}: which side the SFU's certificate is on; the peer has {@link #PEER}. */
        Connection(boolean sfuIsServer, ExecutorService pool) {
            DtlsCertificate serverCertificate = sfuIsServer ? SFU : PEER;
            DtlsCertificate clientCertificate = sfuIsServer ? PEER : SFU;
            DtlsConfig config = DtlsConfig.builder().initialRetransmitMillis(100).handshakeTimeout(TIMEOUT).build();
            serverExecutor = new SwitchingExecutor(pool);
            DtlsEndpoint[] far = new DtlsEndpoint[2];
            server = new DtlsEndpoint(DtlsRole.SERVER, serverCertificate, fingerprint(clientCertificate),
                (data, off, len) -> carry(fromServer, far[1], data, off, len), serverExecutor, config);
            client = new DtlsEndpoint(DtlsRole.CLIENT, clientCertificate, fingerprint(serverCertificate),
                (data, off, len) -> carry(fromClient, far[0], data, off, len), pool, config);
            far[0] = server;
            far[1] = client;
        }

        private void carry(List<byte[]> record, DtlsEndpoint to, byte[] data, int off, int len) {
            if (linked) {
                record.add(Arrays.copyOfRange(data, off, off + len));
                to.offer(data, off, len);
            }
        }

        /** Runs the handshake to its end; false when it did not complete within {@code timeout}. */
        boolean connect(Duration timeout) {
            CompletableFuture<DtlsResult> serverDone = server.start();
            CompletableFuture<DtlsResult> clientDone = client.start();
            try {
                serverDone.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                clientDone.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (ExecutionException | TimeoutException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        void close() {
            server.close();
            client.close();
        }
    }

    static Stream<byte[]> recordedFlights() throws Exception {
        ExecutorService pool = DtlsEndpoint.newHandshakeExecutor(2, 4);
        try {
            Connection sfuServer = new Connection(true, pool);
            Connection sfuClient = new Connection(false, pool);
            if (!sfuServer.connect(TIMEOUT) || !sfuClient.connect(TIMEOUT)) {
                throw new IllegalStateException("the handshakes that make the seeds failed");
            }
            sfuServer.close();
            sfuClient.close();
            List<byte[]> seeds = new ArrayList<>();
            // the SFU as server hears the client's flights, as client the server's; each in full and its first one
            for (int take : new int[] {1, sfuServer.fromClient.size()}) {
                seeds.add(seed(SERVER, sfuServer.fromClient.subList(0, take)));
            }
            for (int take : new int[] {1, sfuClient.fromServer.size()}) {
                seeds.add(seed(CLIENT, sfuClient.fromServer.subList(0, take)));
            }
            // after the handshake: the client's last flight again (answered with ours), and an encrypted record
            seeds.add(seed(CONNECTED, sfuServer.fromClient.subList(sfuServer.fromClient.size() - 1,
                sfuServer.fromClient.size())));
            return seeds.stream();
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] seed(int mode, List<byte[]> datagrams) {
        FuzzInput.Writer writer = new FuzzInput.Writer().u8(mode);
        datagrams.forEach(writer::chunk);
        return writer.toByteArray();
    }

    @MethodSource("recordedFlights")
    @FuzzTest
    void anyRecordsEndOrTimeOutTheHandshakeAndNeverThrowOut(byte[] input) {
        FuzzInput in = new FuzzInput(input);
        int mode = in.choice(3);
        if (mode == CONNECTED) {
            afterTheHandshake(in);
            return;
        }
        DtlsConfig config = DtlsConfig.builder().handshakeTimeout(TIMEOUT).clock(new JumpingClock()).build();
        DtlsEndpoint endpoint = new DtlsEndpoint(mode == SERVER ? DtlsRole.SERVER : DtlsRole.CLIENT, SFU,
            fingerprint(PEER), (data, off, len) -> { }, Runnable::run, config);
        while (in.hasRemaining()) {
            byte[] datagram = in.chunk();
            endpoint.offer(datagram, 0, datagram.length);
        }
        CompletableFuture<DtlsResult> handshake = endpoint.start();
        check(handshake.isDone(), "the handshake returned without an outcome");
        if (handshake.isCompletedExceptionally()) {
            Throwable cause = causeOf(handshake);
            check(cause instanceof DtlsHandshakeException && ((DtlsHandshakeException) cause).reason() != null,
                "the handshake failed with " + cause);
            check(endpoint.state() == DtlsEndpoint.State.CLOSED, "a failed handshake left the endpoint open");
        } else {
            check(endpoint.state() == DtlsEndpoint.State.CONNECTED, "a completed handshake is not connected");
        }
        endpoint.close();
        check(endpoint.isClosed(), "close() did not close");
    }

    /**
     * Offers the datagrams to a connected server endpoint, whose drains run inline; it stays up or closes. Once an
     * input closed it, the next one connects a new pair first (an input is skipped when a loaded machine does not
     * finish that handshake in time: the handshake is not what this mode fuzzes).
     */
    private void afterTheHandshake(FuzzInput in) {
        if (connection == null || connection.server.isClosed()) {
            if (connection != null) {
                connection.close();
            }
            ExecutorService pool = DtlsEndpoint.newHandshakeExecutor(2, 4);
            connection = new Connection(true, pool);
            boolean connected = connection.connect(CONNECT_TIMEOUT);
            pool.shutdown();
            if (!connected) {
                connection.close();
                return;
            }
            connection.linked = false;
            connection.serverExecutor.inline = true;
        }
        while (in.hasRemaining()) {
            byte[] datagram = in.chunk();
            connection.server.offer(datagram, 0, datagram.length);
            DtlsEndpoint.State state = connection.server.state();
            check(state == DtlsEndpoint.State.CONNECTED || state == DtlsEndpoint.State.CLOSED,
                "a connected endpoint went to " + state);
        }
    }

    private static Throwable causeOf(CompletableFuture<DtlsResult> future) {
        try {
            future.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    private static DtlsFingerprint fingerprint(DtlsCertificate certificate) {
        return DtlsFingerprint.parse(certificate.fingerprint());
    }

    private static void check(boolean holds, String what) {
        if (!holds) {
            throw new AssertionError(what);
        }
    }
}
