package io.sfu.bench.sctp;

import io.sfu.bench.JvmFlags;
import io.sfu.core.sctp.SctpAssociation;
import io.sfu.core.sctp.SctpConfig;
import io.sfu.core.sctp.SctpListener;
import io.sfu.core.sctp.SctpOutput;
import io.sfu.core.sctp.SctpPacket;
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
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * The SCTP packet path of data channels: receiving an in-order DATA packet with a 1 KiB message, delivering it
 * and answering with a SACK (every second packet, RFC 9260 §6.2); and sending a 1 KiB message as one DATA packet,
 * then reading the SACK that acknowledges it. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} should be
 * about 0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.AGRONA})
@State(Scope.Thread)
public class SctpBenchmark {
    private static final int MESSAGE = 1024;
    private static final int DATA_CHUNK = 12;
    /** Offsets in a packet whose first chunk is DATA: its TSN and SSN. */
    private static final int TSN_AT = DATA_CHUNK + 4;
    private static final int SSN_AT = DATA_CHUNK + 10;

    /** Keeps the last packet an association sent. */
    private static final class LastPacket implements SctpOutput {
        final byte[] bytes = new byte[2048];
        int length;
        long packets;

        @Override
        public void sendPacket(byte[] buf, int off, int len) {
            System.arraycopy(buf, off, bytes, 0, len);
            length = len;
            packets++;
        }
    }

    /** Counts deliveries. */
    private static final class Sink implements SctpListener {
        long messages;

        @Override
        public void onEstablished() {
        }

        @Override
        public void onMessage(int streamId, int ppid, boolean unordered, byte[] buf, int off, int len) {
            messages++;
        }

        @Override
        public void onIncomingStreamReset(int streamId) {
        }

        @Override
        public void onOutgoingStreamReset(int streamId) {
        }

        @Override
        public void onClosed(String reason) {
            throw new IllegalStateException("association closed: " + reason);
        }
    }

    private final LastPacket fromSender = new LastPacket();
    private final LastPacket fromReceiver = new LastPacket();
    private final Sink senderSink = new Sink();
    private final Sink receiverSink = new Sink();
    private final SctpPacket signer = new SctpPacket();
    private final byte[] message = new byte[MESSAGE];
    private final byte[] dataTemplate = new byte[2048];
    private final byte[] sackTemplate = new byte[64];
    private SctpAssociation sender;
    private SctpAssociation receiver;
    private int dataLength;
    private int sackLength;
    private int nextTsn;
    private int nextSsn;
    private long nowNanos = 1_000_000_000L;

    /** Two associations handshake back to back; one message each way leaves a DATA and a SACK to copy. */
    @Setup
    public void setUp() {
        sender = new SctpAssociation(SctpConfig.defaults(), fromSender, senderSink, 1);
        receiver = new SctpAssociation(SctpConfig.defaults(), fromReceiver, receiverSink, 2);
        sender.connect(nowNanos);
        for (int i = 0; i < 4; i++) {
            relay(fromSender, receiver);
            relay(fromReceiver, sender);
        }
        if (!sender.isEstablished() || !receiver.isEstablished()) {
            throw new IllegalStateException("no association");
        }
        // two messages make the receiver SACK at once; the second DATA packet is the template
        sender.send(0, 53, false, message, 0, MESSAGE, -1, -1, nowNanos);
        relay(fromSender, receiver);
        sender.send(0, 53, false, message, 0, MESSAGE, -1, -1, nowNanos);
        System.arraycopy(fromSender.bytes, 0, dataTemplate, 0, fromSender.length);
        dataLength = fromSender.length;
        relay(fromSender, receiver);
        System.arraycopy(fromReceiver.bytes, 0, sackTemplate, 0, fromReceiver.length);
        sackLength = fromReceiver.length;
        relay(fromReceiver, sender);
        if (dataTemplate[DATA_CHUNK] != 0 || sackTemplate[DATA_CHUNK] != 3 || sender.bufferedBytes() != 0) {
            throw new IllegalStateException("unexpected packets");
        }
        nextTsn = readInt(dataTemplate, TSN_AT) + 1;
        nextSsn = (dataTemplate[SSN_AT] & 0xFF) << 8 | dataTemplate[SSN_AT + 1] & 0xFF;
        nextSsn++;
    }

    private void relay(LastPacket from, SctpAssociation to) {
        if (from.length > 0) {
            int length = from.length;
            from.length = 0;
            to.receivePacket(from.bytes, 0, length, nowNanos);
        }
    }

    /** The receiving side: one in-order DATA packet in, the message delivered, a SACK out every second packet. */
    @Benchmark
    public long receiveDataPacketAndSack() {
        writeInt(dataTemplate, TSN_AT, nextTsn++);
        dataTemplate[SSN_AT] = (byte) (nextSsn >>> 8);
        dataTemplate[SSN_AT + 1] = (byte) nextSsn++;
        signer.sign(dataTemplate, 0, dataLength);
        nowNanos += 1000;
        receiver.receivePacket(dataTemplate, 0, dataLength, nowNanos);
        return receiverSink.messages + fromReceiver.packets;
    }

    /** The sending side: a 1 KiB message queued and sent as one DATA packet, then the SACK for it read. */
    @Benchmark
    public void sendMessageAndReadItsSack(Blackhole blackhole) {
        nowNanos += 1000;
        sender.send(0, 53, false, message, 0, MESSAGE, -1, -1, nowNanos);
        int tsn = readInt(fromSender.bytes, TSN_AT);
        writeInt(sackTemplate, DATA_CHUNK + 4, tsn);
        signer.sign(sackTemplate, 0, sackLength);
        sender.receivePacket(sackTemplate, 0, sackLength, nowNanos);
        blackhole.consume(fromSender.packets);
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
    }

    private static void writeInt(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }
}
