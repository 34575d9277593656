package io.sfu.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Executor;

import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * Settings of a {@link ClientIoLoop}, each with one documented default, validated by {@link Builder#build()} with an
 * error naming the setting. Immutable.
 */
public final class ClientIoLoopConfig {
    /** Default {@code client.dtlsThreads}: handshakes mostly wait for the network, so a few threads serve many. */
    public static final int DEFAULT_DTLS_THREADS = 4;
    /** Default {@code client.dtlsQueueCapacity}: handshakes waiting for a thread. */
    public static final int DEFAULT_DTLS_QUEUE_CAPACITY = 4096;
    /** Default {@code client.taskQueueCapacity}: tasks handed to the loop and not yet run. */
    public static final int DEFAULT_TASK_QUEUE_CAPACITY = 4096;
    /** Default {@code client.receiveBatch}: datagrams read from one socket before serving the next. */
    public static final int DEFAULT_RECEIVE_BATCH = 32;
    /** Default {@code client.maxDatagramBytes}: the receive buffer; longer datagrams are truncated by the OS. */
    public static final int DEFAULT_MAX_DATAGRAM_BYTES = 2048;
    /** Default {@code client.threadName}. */
    public static final String DEFAULT_THREAD_NAME = "client-io";

    private static final ClientIoLoopConfig DEFAULTS = builder().build();

    private final InetAddress bindAddress;
    private final NanoClock clock;
    private final Executor dtlsExecutor;
    private final int dtlsThreads;
    private final int dtlsQueueCapacity;
    private final int taskQueueCapacity;
    private final int receiveBatch;
    private final int maxDatagramBytes;
    private final String threadName;
    private final int socketReceiveBufferBytes;

    private ClientIoLoopConfig(Builder b) {
        this.bindAddress = b.bindAddress;
        this.clock = b.clock;
        this.dtlsExecutor = b.dtlsExecutor;
        this.dtlsThreads = b.dtlsThreads;
        this.dtlsQueueCapacity = b.dtlsQueueCapacity;
        this.taskQueueCapacity = b.taskQueueCapacity;
        this.receiveBatch = b.receiveBatch;
        this.maxDatagramBytes = b.maxDatagramBytes;
        this.threadName = b.threadName;
        this.socketReceiveBufferBytes = b.socketReceiveBufferBytes;
    }

    public static ClientIoLoopConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Local address every peer connection's socket binds to (port 0), unless its own config names another. */
    public InetAddress bindAddress() {
        return bindAddress;
    }

    /** The loop's clock: timers, ICE, reports and impairments read it. */
    public NanoClock clock() {
        return clock;
    }

    /** The executor DTLS handshakes run on, or null when the loop makes (and later shuts down) its own. */
    public Executor dtlsExecutor() {
        return dtlsExecutor;
    }

    public int dtlsThreads() {
        return dtlsThreads;
    }

    public int dtlsQueueCapacity() {
        return dtlsQueueCapacity;
    }

    public int taskQueueCapacity() {
        return taskQueueCapacity;
    }

    public int receiveBatch() {
        return receiveBatch;
    }

    public int maxDatagramBytes() {
        return maxDatagramBytes;
    }

    public String threadName() {
        return threadName;
    }

    /** SO_RCVBUF of every peer connection's socket, or 0 for the operating system's default. */
    public int socketReceiveBufferBytes() {
        return socketReceiveBufferBytes;
    }

    /** Collects settings; {@link #build()} validates them. */
    public static final class Builder {
        private InetAddress bindAddress = loopback();
        private NanoClock clock = SystemNanoClock.INSTANCE;
        private Executor dtlsExecutor;
        private int dtlsThreads = DEFAULT_DTLS_THREADS;
        private int dtlsQueueCapacity = DEFAULT_DTLS_QUEUE_CAPACITY;
        private int taskQueueCapacity = DEFAULT_TASK_QUEUE_CAPACITY;
        private int receiveBatch = DEFAULT_RECEIVE_BATCH;
        private int maxDatagramBytes = DEFAULT_MAX_DATAGRAM_BYTES;
        private String threadName = DEFAULT_THREAD_NAME;
        private int socketReceiveBufferBytes;

        private Builder() {
        }

        /** {@code client.bindAddress}; default 127.0.0.1. */
        public Builder bindAddress(InetAddress bindAddress) {
            this.bindAddress = bindAddress;
            return this;
        }

        /** {@code client.clock}; default {@link SystemNanoClock}. */
        public Builder clock(NanoClock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * {@code client.dtlsExecutor}: a bounded executor for the handshakes (see
         * {@link io.sfu.core.dtls.DtlsEndpoint#newHandshakeExecutor}); default null, the loop makes its own.
         */
        public Builder dtlsExecutor(Executor dtlsExecutor) {
            this.dtlsExecutor = dtlsExecutor;
            return this;
        }

        /** {@code client.dtlsThreads}, 1 to 256, for the loop's own executor; default {@value #DEFAULT_DTLS_THREADS}. */
        public Builder dtlsThreads(int dtlsThreads) {
            this.dtlsThreads = dtlsThreads;
            return this;
        }

        /** {@code client.dtlsQueueCapacity}, 1 to 1048576; default {@value #DEFAULT_DTLS_QUEUE_CAPACITY}. */
        public Builder dtlsQueueCapacity(int dtlsQueueCapacity) {
            this.dtlsQueueCapacity = dtlsQueueCapacity;
            return this;
        }

        /** {@code client.taskQueueCapacity}, 2 to 1048576; default {@value #DEFAULT_TASK_QUEUE_CAPACITY}. */
        public Builder taskQueueCapacity(int taskQueueCapacity) {
            this.taskQueueCapacity = taskQueueCapacity;
            return this;
        }

        /** {@code client.receiveBatch}, 1 to 1024; default {@value #DEFAULT_RECEIVE_BATCH}. */
        public Builder receiveBatch(int receiveBatch) {
            this.receiveBatch = receiveBatch;
            return this;
        }

        /** {@code client.maxDatagramBytes}, 1500 to 65535; default {@value #DEFAULT_MAX_DATAGRAM_BYTES}. */
        public Builder maxDatagramBytes(int maxDatagramBytes) {
            this.maxDatagramBytes = maxDatagramBytes;
            return this;
        }

        /** {@code client.threadName}; default {@value #DEFAULT_THREAD_NAME}. */
        public Builder threadName(String threadName) {
            this.threadName = threadName;
            return this;
        }

        /**
         * {@code client.socketReceiveBufferBytes}, 0 (the OS default) or 4096 to 67108864; default 0. Raise it when
         * one connection receives bursts (the OS may cap it, on Linux at net.core.rmem_max).
         */
        public Builder socketReceiveBufferBytes(int socketReceiveBufferBytes) {
            this.socketReceiveBufferBytes = socketReceiveBufferBytes;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid setting */
        public ClientIoLoopConfig build() {
            if (bindAddress == null) {
                throw new IllegalArgumentException("client.bindAddress must be set");
            }
            if (clock == null) {
                throw new IllegalArgumentException("client.clock must be set");
            }
            range("client.dtlsThreads", dtlsThreads, 1, 256);
            range("client.dtlsQueueCapacity", dtlsQueueCapacity, 1, 1 << 20);
            range("client.taskQueueCapacity", taskQueueCapacity, 2, 1 << 20);
            range("client.receiveBatch", receiveBatch, 1, 1024);
            range("client.maxDatagramBytes", maxDatagramBytes, 1500, 65535);
            if (socketReceiveBufferBytes != 0) {
                range("client.socketReceiveBufferBytes", socketReceiveBufferBytes, 4096, 64 << 20);
            }
            if (threadName == null || threadName.isBlank()) {
                throw new IllegalArgumentException("client.threadName must not be blank");
            }
            return new ClientIoLoopConfig(this);
        }

        private static void range(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ": " + value);
            }
        }

        private static InetAddress loopback() {
            try {
                return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
