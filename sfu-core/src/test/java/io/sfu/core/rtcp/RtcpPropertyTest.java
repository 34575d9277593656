package io.sfu.core.rtcp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Seeded random and mutation inputs: the compound iterator and every reader answer true or false and never
 * throw, walks terminate, and everything read from an accepted packet lies inside it. Buffers are exactly as
 * large as the input, so a read past it would throw.
 */
class RtcpPropertyTest {
    private static final long SEED = 0x52_54_43_50_0001L;
    private static final int CASES = 20_000;

    private final RtcpCompoundIterator iterator = new RtcpCompoundIterator();
    private final SenderReport senderReport = new SenderReport();
    private final ReceiverReport receiverReport = new ReceiverReport();
    private final ReportBlock block = new ReportBlock();
    private final SourceDescription description = new SourceDescription();
    private final GenericNack nack = new GenericNack();
    private final PictureLossIndication pli = new PictureLossIndication();
    private final FullIntraRequest fir = new FullIntraRequest();
    private final TransportCcFeedback transportCc = new TransportCcFeedback();
    private final TransportCcFeedbackBuilder transportCcBuilder = new TransportCcFeedbackBuilder(256, 400);
    private final int[] reported = new int[1];
    private final TransportCcPacketHandler countReports = (seq, status, deltaUs) -> reported[0]++;

    @Test
    @Timeout(60)
    void randomBytesAreRejectedOrReadWithinBounds() {
        SplittableRandom random = new SplittableRandom(SEED);
        int accepted = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] bytes = new byte[random.nextInt(0, 80)];
            random.nextBytes(bytes);
            if (random.nextBoolean()) {
                // random packets behind plausible headers (version 2, a known type, a short length), chained
                int at = 0;
                while (at + 3 < bytes.length) {
                    int words = random.nextInt(0, 6);
                    bytes[at] = (byte) ((bytes[at] & 0x1F) | 0x80);
                    bytes[at + 1] = (byte) random.nextInt(200, 208);
                    bytes[at + 2] = 0;
                    bytes[at + 3] = (byte) words;
                    at += 4 * (words + 1);
                }
                if (at <= bytes.length && random.nextBoolean()) {
                    bytes = java.util.Arrays.copyOf(bytes, at);
                }
            }
            accepted += check(bytes, "seed " + SEED + " random case " + i) ? 1 : 0;
        }
        assertThat(accepted).as("some random inputs exercise the readers").isGreaterThan(100);
    }

    @Test
    @Timeout(60)
    void mutatedValidCompoundsAreRejectedOrReadWithinBounds() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        UnsafeBuffer scratch = new UnsafeBuffer(new byte[4096]);
        int accepted = 0;
        for (int i = 0; i < CASES; i++) {
            String context = "seed " + (SEED + 1) + " mutation case " + i;
            int length = 0;
            for (int p = random.nextInt(1, 5); p > 0; p--) {
                length += writeRandomPacket(scratch, length, random);
            }
            byte[] bytes = new byte[length];
            scratch.getBytes(0, bytes);
            assertThat(check(bytes.clone(), context)).as(context + ": unmutated compound").isTrue();
            for (int m = random.nextInt(1, 4); m > 0; m--) {
                bytes = mutate(bytes, random);
            }
            accepted += check(bytes, context) ? 1 : 0;
        }
        assertThat(accepted).as("some mutations keep the compound valid").isGreaterThan(100);
    }

    private int writeRandomPacket(UnsafeBuffer buffer, int offset, SplittableRandom random) {
        switch (random.nextInt(7)) {
            case 0: {
                int blocks = random.nextInt(0, 3);
                int length = SenderReport.write(buffer, offset, random.nextInt(), random.nextLong(), random.nextLong(),
                    random.nextLong(), random.nextLong(), blocks);
                for (int b = 0; b < blocks; b++) {
                    ReportBlock.write(buffer, offset + SenderReport.length(b), random.nextInt(), random.nextInt(256),
                        random.nextInt(), random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
                }
                return length;
            }
            case 1: {
                int blocks = random.nextInt(0, 3);
                int length = ReceiverReport.write(buffer, offset, random.nextInt(), blocks);
                for (int b = 0; b < blocks; b++) {
                    ReportBlock.write(buffer, offset + ReceiverReport.length(b), random.nextInt(), random.nextInt(256),
                        random.nextInt(), random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
                }
                return length;
            }
            case 2: {
                byte[] text = new byte[random.nextInt(0, 40)];
                random.nextBytes(text);
                return SourceDescription.write(buffer, offset, random.nextInt(), random.nextInt(1, 9), text);
            }
            case 3: {
                int[] lost = new int[random.nextInt(1, 40)];
                int seq = random.nextInt(65536);
                for (int l = 0; l < lost.length; l++) {
                    seq = (seq + random.nextInt(1, 30)) & 0xFFFF;
                    lost[l] = seq;
                }
                return GenericNack.write(buffer, offset, random.nextInt(), random.nextInt(), lost, lost.length);
            }
            case 4:
                return PictureLossIndication.write(buffer, offset, random.nextInt(), random.nextInt());
            case 5:
                return FullIntraRequest.write(buffer, offset, random.nextInt(), random.nextInt(), random.nextInt(256));
            default: {
                transportCcBuilder.clear();
                int seq = random.nextInt(65536);
                long time = random.nextLong(0, 1L << 36);
                for (int p = random.nextInt(1, 60); p > 0; p--) {
                    seq += random.nextInt(1, 4);
                    time += random.nextInt(0, 200_000) - 20_000;
                    transportCcBuilder.addPacket(seq, time);
                }
                return transportCcBuilder.build(buffer, offset, random.nextInt(24, 400), random.nextInt(),
                    random.nextInt(), random.nextInt(256));
            }
        }
    }

    private static byte[] mutate(byte[] bytes, SplittableRandom random) {
        if (bytes.length == 0) {
            return bytes;
        }
        switch (random.nextInt(5)) {
            case 0:
                bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                return bytes;
            case 1:
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                return bytes;
            case 2: {
                byte[] shorter = new byte[random.nextInt(bytes.length)];
                System.arraycopy(bytes, 0, shorter, 0, shorter.length);
                return shorter;
            }
            case 3: {
                // a length or count field of some packet header: land on a multiple of 4
                int at = 4 * random.nextInt((bytes.length + 3) / 4);
                if (at + 3 < bytes.length) {
                    bytes[at + (random.nextBoolean() ? 3 : 0)] = (byte) random.nextInt(256);
                }
                return bytes;
            }
            default: {
                int at = random.nextInt(bytes.length);
                bytes[at] = 0;
                return bytes;
            }
        }
    }

    private boolean check(byte[] bytes, String context) {
        UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        try {
            readAll(buffer, 0, bytes.length, context);
            if (!iterator.wrap(buffer, 0, bytes.length)) {
                assertThat(iterator.next()).as(context).isFalse();
                return false;
            }
            int packets = 0;
            int end = 0;
            while (iterator.next()) {
                packets++;
                assertThat(packets).as(context + ": iteration terminates").isLessThanOrEqualTo(bytes.length / 4);
                assertThat(iterator.packetOffset()).as(context).isEqualTo(end);
                end = iterator.packetOffset() + iterator.packetLength();
                assertThat(end).as(context).isLessThanOrEqualTo(bytes.length);
                iterator.packetType();
                iterator.count();
                iterator.paddingLength();
                readAll(buffer, iterator.packetOffset(), iterator.packetLength(), context);
            }
            assertThat(end).as(context + ": packets cover the compound").isEqualTo(bytes.length);
            return true;
        } catch (RuntimeException e) {
            throw new AssertionError(context + ": " + e, e);
        }
    }

    /** Tries every reader on the packet at {@code offset}; whichever accepts it is read in full. */
    private void readAll(UnsafeBuffer buffer, int offset, int length, String context) {
        int end = offset + length;
        if (senderReport.wrap(buffer, offset, length)) {
            senderReport.ssrc();
            senderReport.ntpTimestamp();
            senderReport.rtpTimestamp();
            senderReport.packetCount();
            senderReport.octetCount();
            for (int i = 0; i < senderReport.reportCount(); i++) {
                readBlock(senderReport.reportBlock(i, block));
            }
        }
        if (receiverReport.wrap(buffer, offset, length)) {
            receiverReport.ssrc();
            for (int i = 0; i < receiverReport.reportCount(); i++) {
                readBlock(receiverReport.reportBlock(i, block));
            }
        }
        if (description.wrap(buffer, offset, length)) {
            int chunks = 0;
            while (description.nextChunk()) {
                chunks++;
                description.chunkSsrc();
                int items = 0;
                while (description.nextItem()) {
                    assertThat(++items).as(context + ": item walk terminates").isLessThanOrEqualTo(length / 2);
                    assertThat(description.itemOffset() + description.itemLength()).as(context).isLessThanOrEqualTo(end);
                }
            }
            assertThat(chunks).as(context).isEqualTo(description.chunkCount());
        }
        if (nack.wrap(buffer, offset, length)) {
            nack.senderSsrc();
            nack.mediaSsrc();
            reported[0] = 0;
            int lost = nack.forEachLost(seq -> reported[0]++);
            assertThat(lost).as(context).isEqualTo(reported[0]).isBetween(nack.entryCount(), 17 * nack.entryCount());
        }
        if (pli.wrap(buffer, offset, length)) {
            pli.senderSsrc();
            pli.mediaSsrc();
        }
        if (fir.wrap(buffer, offset, length)) {
            for (int i = 0; i < fir.entryCount(); i++) {
                fir.entrySsrc(i);
                fir.entrySequenceNumber(i);
            }
        }
        if (transportCc.wrap(buffer, offset, length)) {
            transportCc.referenceTimeUs();
            transportCc.feedbackPacketCount();
            reported[0] = 0;
            int count = transportCc.forEachPacket(countReports);
            if (count != reported[0] || count != transportCc.packetStatusCount()) {
                fail(context + ": reported " + reported[0] + " of " + count);
            }
        }
    }

    private static void readBlock(ReportBlock block) {
        block.ssrc();
        block.fractionLost();
        block.cumulativeLost();
        block.extendedHighestSequence();
        block.jitter();
        block.lastSenderReport();
        block.delaySinceLastSenderReport();
    }
}
