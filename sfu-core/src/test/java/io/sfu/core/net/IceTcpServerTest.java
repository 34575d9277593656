package io.sfu.core.net;

import io.sfu.core.buffer.PacketPool;
import io.sfu.core.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ICE-TCP listener over real loopback sockets: RFC 4571 framing whatever the segmentation, and every bound
 * (frame length, first frame, connection count, write buffer, silence) ends in a drop or a closed connection,
 * counted, with every packet slot given back.
 */
@Timeout(30)
class IceTcpServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final IceTcpServer.Settings SETTINGS = settings(8, 64 * 1024, Duration.ofSeconds(20));

    private final PacketPool pool = new PacketPool(64);
    /** Every frame the listener handed on, copied, with the address it was stamped with. */
    private final List<byte[]> frames = new CopyOnWriteArrayList<>();
    private final List<InetSocketAddress> sources = new CopyOnWriteArrayList<>();
    private final List<Socket> clients = new ArrayList<>();
    private IceTcpServer server;

    private IceTcpServer start(IceTcpServer.Settings settings) throws IOException {
        server = IceTcpServer.bind(new InetSocketAddress("127.0.0.1", 0), pool, settings);
        server.start(slot -> {
            frames.add(Arrays.copyOfRange(slot.array(), slot.offset(), slot.offset() + slot.length()));
            sources.add(slot.source());
            return false;
        });
        return server;
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(server.localAddress());
        socket.setSoTimeout((int) WAIT.toMillis());
        clients.add(socket);
        return socket;
    }

    @AfterEach
    void closeAll() throws IOException {
        for (Socket client : clients) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        assertThat(pool.inUse()).as("packet slots in use after close").isZero();
    }

    /** A frame whose first byte makes it STUN (RFC 7983), the rest counting up from {@code seed}. */
    private static byte[] stunLike(int length, int seed) {
        byte[] packet = new byte[length];
        for (int i = 1; i < length; i++) {
            packet[i] = (byte) (seed + i);
        }
        return packet;
    }

    private static byte[] framed(byte[]... packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] packet : packets) {
            out.write(packet.length >> 8);
            out.write(packet.length & 0xFF);
            out.writeBytes(packet);
        }
        return out.toByteArray();
    }

    private static void write(Socket socket, byte[] bytes, int from, int to) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes, from, to - from);
        out.flush();
    }

    /** True once the peer closed the connection: end of stream or a reset. */
    private static boolean closedByPeer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketException reset) {
            return true;
        }
    }

    /** The peer closed {@code client} and, once it counted that, holds {@code open} connections. */
    private void assertClosedLeaving(Socket client, int open) throws IOException {
        assertThat(closedByPeer(client)).isTrue();
        Await.until(open + " connection(s) left open", WAIT, () -> server.openConnections() == open);
    }

    private static IceTcpServer.Settings settings(int maxConnections, int writeBufferBytes, Duration firstCheck) {
        return new IceTcpServer.Settings(maxConnections, writeBufferBytes, firstCheck, Duration.ofSeconds(20));
    }

    @Test
    void aFrameSplitOverSeveralSegmentsAndSeveralFramesInOneReadArriveWhole() throws Exception {
        start(SETTINGS);
        Socket client = connect();
        byte[] first = stunLike(100, 1);
        byte[] split = stunLike(1200, 2);
        byte[] third = stunLike(1, 3);
        byte[] fourth = stunLike(2048, 4);
        byte[] stream = framed(first, split, third, fourth);
        // the first frame and one byte of the second frame's length go out alone; the rest is sent only after the
        // first frame arrived, so the listener must have read the second frame's length across two reads
        int cut = 2 + first.length + 1;
        write(client, stream, 0, cut);
        Await.until("the first frame", WAIT, () -> frames.size() == 1);
        int middle = cut + 1 + split.length / 2;
        write(client, stream, cut, middle);
        // the rest of the split frame and two more frames, in one write
        write(client, stream, middle, stream.length);
        Await.until("four frames", WAIT, () -> frames.size() == 4);

        assertThat(frames).containsExactly(first, split, third, fourth);
        assertThat(sources).containsOnly((InetSocketAddress) client.getLocalSocketAddress());
        assertThat(server.framesReceivedCount()).isEqualTo(4);
        assertThat(server.openConnections()).isEqualTo(1);
    }

    @Test
    void aFrameLongerThanAPacketSlotClosesTheConnection() throws Exception {
        start(SETTINGS);
        Socket client = connect();
        byte[] oversize = stunLike(2049, 1);
        write(client, framed(stunLike(20, 0), oversize), 0, 2 + 20 + 2 + 100);

        assertClosedLeaving(client, 0);
        assertThat(server.closedOversizeCount()).isEqualTo(1);
        assertThat(frames).hasSize(1);
    }

    @Test
    void aConnectionThatDoesNotOpenWithStunIsClosed() throws Exception {
        start(SETTINGS);
        Socket client = connect();
        byte[] rtp = new byte[40];
        rtp[0] = (byte) 0x80;
        write(client, framed(rtp), 0, 42);

        assertClosedLeaving(client, 0);
        assertThat(server.closedInvalidCount()).isEqualTo(1);
        assertThat(frames).isEmpty();
    }

    @Test
    void connectionsBeyondTheLimitAreRefused() throws Exception {
        start(settings(2, 64 * 1024, Duration.ofSeconds(20)));
        Socket first = connect();
        Socket second = connect();
        Await.until("two connections", WAIT, () -> server.openConnections() == 2);
        Socket third = connect();

        assertClosedLeaving(third, 2);
        assertThat(server.refusedCount()).isEqualTo(1);
        // the two within the limit still work
        write(first, framed(stunLike(10, 1)), 0, 12);
        write(second, framed(stunLike(10, 2)), 0, 12);
        Await.until("a frame from each", WAIT, () -> frames.size() == 2);
    }

    @Test
    void aConnectionWithoutAValidIceCheckIsClosedAfterTheTimeout() throws Exception {
        start(settings(8, 64 * 1024, Duration.ofMillis(300)));
        Socket silent = connect();
        Socket checked = connect();
        Await.until("two connections", WAIT, () -> server.openConnections() == 2);
        // a frame is not enough: only ICE, through the listener interface, vouches for a path
        write(silent, framed(stunLike(20, 1)), 0, 22);
        server.onPathValidated((InetSocketAddress) checked.getLocalSocketAddress());

        assertClosedLeaving(silent, 1);
        assertThat(server.closedTimeoutCount()).isEqualTo(1);
    }

    @Test
    void aConnectionWhosePathIceForgotIsClosed() throws Exception {
        start(SETTINGS);
        Socket client = connect();
        Await.until("a connection", WAIT, () -> server.openConnections() == 1);
        server.onPathForgotten((InetSocketAddress) client.getLocalSocketAddress());

        assertClosedLeaving(client, 0);
        assertThat(server.closedForgottenCount()).isEqualTo(1);
    }

    @Test
    void framesFromManySendingThreadsNeverInterleave() throws Exception {
        start(SETTINGS);
        Socket client = connect();
        InetSocketAddress target = (InetSocketAddress) client.getLocalSocketAddress();
        Await.until("a connection", WAIT, () -> server.openConnections() == 1);
        int threads = 4;
        int framesEach = 2_000;
        // the reader keeps up on its own thread while the senders race: each frame is its sender's number and
        // sequence, repeated to a length of its own, so a frame cut or mixed with another shows
        List<String> problems = new CopyOnWriteArrayList<>();
        int[] lastSequence = new int[threads];
        Arrays.fill(lastSequence, -1);
        Thread reader = new Thread(() -> {
            try {
                DataInputStream in = new DataInputStream(client.getInputStream());
                for (int read = 0; read < threads * framesEach; read++) {
                    byte[] frame = new byte[in.readUnsignedShort()];
                    in.readFully(frame);
                    ByteBuffer body = ByteBuffer.wrap(frame);
                    int sender = body.getInt();
                    int sequence = body.getInt();
                    if (frame.length != 8 + 4 * (sequence % 100) || sequence <= lastSequence[sender]) {
                        problems.add("frame " + read + ": sender " + sender + " sequence " + sequence);
                    }
                    while (body.hasRemaining()) {
                        if (body.getInt() != sequence) {
                            problems.add("frame " + read + " mixed");
                        }
                    }
                    lastSequence[sender] = sequence;
                }
            } catch (IOException e) {
                problems.add("reader: " + e);
            }
        });
        reader.start();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int sender = t;
            Thread thread = new Thread(() -> {
                ByteBuffer frame = ByteBuffer.allocate(8 + 4 * 100);
                for (int sequence = 0; sequence < framesEach; ) {
                    frame.clear();
                    frame.putInt(sender).putInt(sequence);
                    for (int i = 0; i < sequence % 100; i++) {
                        frame.putInt(sequence);
                    }
                    frame.flip();
                    // a dropped frame is sent again: the reader expects every one
                    if (server.sendIfConnected(frame, target) == IceTcpServer.SENT) {
                        sequence++;
                    }
                }
            });
            senders.add(thread);
            thread.start();
        }
        for (Thread sender : senders) {
            sender.join(WAIT.toMillis());
        }
        reader.join(WAIT.toMillis());

        assertThat(reader.isAlive()).as("the reader still waiting").isFalse();
        assertThat(problems).isEmpty();
        assertThat(lastSequence).containsOnly(framesEach - 1);
    }

    @Test
    void aFullWriteBufferDropsWholeFramesAndTheReaderGetsEveryOtherFrameIntact() throws Exception {
        // the smallest buffer that holds one packet, toward a peer that does not read for now
        start(settings(8, 4096, Duration.ofSeconds(20)));
        Socket client = new Socket();
        client.setReceiveBufferSize(4096);
        client.connect(server.localAddress());
        client.setSoTimeout((int) WAIT.toMillis());
        clients.add(client);
        InetSocketAddress target = (InetSocketAddress) client.getLocalSocketAddress();
        Await.until("a connection", WAIT, () -> server.openConnections() == 1);

        int sent = 0;
        int attempts = 0;
        ByteBuffer packet = ByteBuffer.allocate(1000);
        while (server.framesDroppedCount() < 10 && attempts < 1_000_000) {
            packet.clear();
            packet.putInt(attempts++).position(0);
            int result = server.sendIfConnected(packet, target);
            assertThat(result).isNotEqualTo(IceTcpServer.NOT_CONNECTED);
            if (result == IceTcpServer.SENT) {
                sent++;
            }
        }
        assertThat(server.framesDroppedCount()).as("frames dropped once the buffers filled").isEqualTo(10);
        assertThat(server.sendIfConnected(ByteBuffer.allocate(10), new InetSocketAddress("127.0.0.1", 9)))
            .isEqualTo(IceTcpServer.NOT_CONNECTED);

        // the reader catches up: every frame queued arrives whole and in order, none cut
        DataInputStream in = new DataInputStream(client.getInputStream());
        int last = -1;
        for (int i = 0; i < sent; i++) {
            int length = in.readUnsignedShort();
            assertThat(length).isEqualTo(1000);
            byte[] body = new byte[length];
            in.readFully(body);
            int sequence = ByteBuffer.wrap(body).getInt();
            assertThat(sequence).isGreaterThan(last);
            last = sequence;
        }
        // and nothing else was queued: a frame sent now is the next one read
        assertThat(server.sendIfConnected(ByteBuffer.wrap(new byte[] {7, 7, 7}), target))
            .isEqualTo(IceTcpServer.SENT);
        assertThat(in.readUnsignedShort()).isEqualTo(3);
        assertThat(in.readNBytes(3)).containsExactly(7, 7, 7);
        assertThat(server.framesSentCount()).isEqualTo(sent + 1);
    }
}
