package io.sfu.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntFunction;

import io.sfu.core.dtls.DtlsResult;
import io.sfu.core.rtp.RtpPacketWriter;
import io.sfu.core.srtp.SrtpContext;
import io.sfu.core.srtp.SrtpProfile;
import io.sfu.core.stun.StunIntegrity;
import io.sfu.core.stun.StunKey;
import io.sfu.core.stun.StunMessageType;
import io.sfu.core.stun.StunMessageWriter;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Datagrams an attacker sends at the media port, and the sockets it sends them from: random bytes, well-framed STUN
 * binding requests with credentials the server does not hold, DTLS records of garbage, a real SRTP packet of a
 * call resent, SRTP with a call's SSRC and a wrong tag, and a paced garbage flood from many source ports. Also reads
 * what the kernel dropped at a UDP port, so that counted drops can be compared with what was sent.
 */
final class HostileDatagrams implements AutoCloseable {
    private final InetSocketAddress target;
    private final Random random;
    private final List<DatagramChannel> channels = new ArrayList<>();
    private final StunIntegrity integrity = new StunIntegrity();
    private int next;

    /** Opens {@code sockets} UDP sockets on loopback, each on its own port, all aimed at {@code target}. */
    HostileDatagrams(InetSocketAddress target, int sockets, long seed) throws IOException {
        this.target = target;
        this.random = new Random(seed);
        for (int i = 0; i < sockets; i++) {
            DatagramChannel channel = DatagramChannel.open(java.net.StandardProtocolFamily.INET);
            channel.bind(new InetSocketAddress(target.getAddress(), 0));
            channel.configureBlocking(false);
            channels.add(channel);
        }
    }

    // ---------------------------------------------------------------- what is sent

    /** 1 to 1,200 random bytes. */
    byte[] random() {
        byte[] b = new byte[1 + random.nextInt(1200)];
        random.nextBytes(b);
        return b;
    }

    /**
     * A binding request framed as ICE sends it (USERNAME, PRIORITY, ICE-CONTROLLING, MESSAGE-INTEGRITY, FINGERPRINT)
     * whose USERNAME names {@code localUfrag} and whose integrity is computed with a password the server never gave.
     */
    byte[] stunWithWrongCredentials(String localUfrag) {
        byte[] transactionId = new byte[12];
        random.nextBytes(transactionId);
        byte[] array = new byte[256];
        StunMessageWriter writer = new StunMessageWriter().wrap(new UnsafeBuffer(array), 0, array.length)
            .header(StunMessageType.BINDING_REQUEST, transactionId)
            .username((localUfrag + ":attacker").getBytes(StandardCharsets.UTF_8))
            .priority(0x6E7F1EFFL)
            .iceControlling(random.nextLong())
            .messageIntegrity(integrity, StunKey.shortTerm("not-the-password-of-this-transport"))
            .fingerprint(integrity);
        return java.util.Arrays.copyOf(array, writer.length());
    }

    /** A DTLS 1.2 record header (handshake or application data, epoch 0 or 1) over 13 to 500 random bytes. */
    byte[] dtlsJunk() {
        byte[] b = new byte[13 + random.nextInt(488)];
        random.nextBytes(b);
        b[0] = (byte) (random.nextBoolean() ? 22 : 23);
        b[1] = (byte) 0xFE;
        b[2] = (byte) 0xFD;
        b[3] = 0;
        b[4] = (byte) (b[0] == 23 ? 1 : 0);
        int length = b.length - 13;
        b[11] = (byte) (length >>> 8);
        b[12] = (byte) length;
        return b;
    }

    /**
     * An SRTP packet of {@code ssrc} protected with the keys the publisher's DTLS handshake exported, as the
     * publisher itself sends them: what a capture of its traffic holds. With {@code forgeTag} its authentication tag
     * is replaced by random bytes.
     */
    byte[] srtp(DtlsResult keys, int ssrc, int sequence, boolean forgeTag) {
        SrtpProfile profile = SrtpProfile.fromId(keys.srtpProfileId());
        SrtpContext context = SrtpContext.forSending(profile, keys.localMasterKey(), keys.localMasterSalt());
        byte[] payload = new byte[900];
        random.nextBytes(payload);
        byte[] array = new byte[1200];
        UnsafeBuffer buffer = new UnsafeBuffer(array);
        int length = new RtpPacketWriter().wrap(buffer, 0, array.length).payloadType(96).sequenceNumber(sequence)
            .timestamp(90_000L * sequence).ssrc(ssrc).payload(payload).length();
        int protectedLength = context.protectRtp(buffer, 0, length);
        if (protectedLength < 0) {
            throw new IllegalStateException("SRTP protect failed: " + protectedLength);
        }
        byte[] packet = java.util.Arrays.copyOf(array, protectedLength);
        if (forgeTag) {
            for (int i = length; i < protectedLength; i++) {
                packet[i] = (byte) random.nextInt(256);
            }
        }
        return packet;
    }

    // ---------------------------------------------------------------- sending

    /**
     * Sends {@code count} datagrams made by {@code make}, spread over the sockets; a send the local socket buffer
     * refuses is retried, so every one leaves. Returns how many were sent.
     */
    int send(int count, IntFunction<byte[]> make) throws IOException {
        for (int i = 0; i < count; i++) {
            ByteBuffer datagram = ByteBuffer.wrap(make.apply(i));
            DatagramChannel channel = channels.get(next++ % channels.size());
            while (channel.send(datagram, target) == 0) {
                Thread.onSpinWait();
            }
        }
        return count;
    }

    /**
     * A garbage flood: datagrams of 20 to 200 random-looking bytes (one buffer of random bytes, each datagram a new
     * slice of it, so the first byte falls in every RFC 7983 range) from every socket in turn, paced at
     * {@code packetsPerSecond}, until {@code maxPackets} left or {@code maxNanos} passed. Sends never block: a send
     * the local socket refuses is skipped. Returns how many left.
     */
    long flood(long maxPackets, long maxNanos, long packetsPerSecond) throws IOException {
        byte[] pool = new byte[64 * 1024];
        random.nextBytes(pool);
        ByteBuffer source = ByteBuffer.wrap(pool);
        long start = System.nanoTime();
        long sent = 0;
        int cursor = 0;
        while (sent < maxPackets) {
            long elapsed = System.nanoTime() - start;
            if (elapsed >= maxNanos) {
                break;
            }
            long due = Math.min(maxPackets, elapsed * packetsPerSecond / 1_000_000_000L + 1);
            if (sent >= due) {
                Thread.onSpinWait();
                continue;
            }
            int length = 20 + (cursor * 31 % 181);
            int offset = cursor * 397 % (pool.length - length);
            cursor++;
            source.limit(offset + length).position(offset);
            if (channels.get(cursor % channels.size()).send(source, target) > 0) {
                sent++;
            }
        }
        return sent;
    }

    @Override
    public void close() throws IOException {
        for (DatagramChannel channel : channels) {
            channel.close();
        }
    }

    // ---------------------------------------------------------------- the kernel's drops

    /**
     * Datagrams the kernel dropped at the IPv4 UDP socket bound to {@code port} ({@code /proc/net/udp}, its
     * {@code drops} column: a full receive buffer), or 0 where that file cannot be read.
     */
    static long kernelDrops(int port) throws IOException {
        Path table = Path.of("/proc/net/udp");
        if (!Files.isReadable(table)) {
            return 0;
        }
        String portHex = String.format(Locale.ROOT, ":%04X", port);
        long drops = 0;
        for (String line : Files.readAllLines(table)) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 12 && fields[1].endsWith(portHex)) {
                drops += Long.parseLong(fields[fields.length - 1]);
            }
        }
        return drops;
    }
}
