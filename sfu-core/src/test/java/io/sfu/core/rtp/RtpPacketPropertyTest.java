package io.sfu.core.rtp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Seeded random and mutation inputs: {@link RtpPacket#wrap} answers true or false and never throws, everything
 * read from an accepted packet stays inside it, in-place rewrites never write outside it nor break it, and
 * extension iteration terminates.
 */
class RtpPacketPropertyTest {
    private static final long SEED = 0x52_54_50_0001L;
    private static final int CASES = 20_000;
    private static final int GUARD = 8;
    private static final byte GUARD_BYTE = 0x5A;

    private final RtpPacket packet = new RtpPacket();
    private final RtpExtensionCursor cursor = new RtpExtensionCursor();
    private final RtpPacketWriter writer = new RtpPacketWriter();

    @Test
    @Timeout(60)
    void randomBytesAreRejectedOrReadConsistently() {
        SplittableRandom random = new SplittableRandom(SEED);
        int accepted = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] bytes = new byte[random.nextInt(0, 100)];
            random.nextBytes(bytes);
            if (bytes.length > 0 && random.nextBoolean()) {
                bytes[0] = (byte) ((bytes[0] & 0x3F) | 0x80);
            }
            if (bytes.length > 16 && random.nextBoolean()) {
                int profileAt = 12 + 4 * (bytes[0] & 0x0F);
                if (profileAt + 1 < bytes.length) {
                    bytes[0] |= 0x10;
                    bytes[profileAt] = (byte) (random.nextBoolean() ? 0xBE : 0x10);
                    bytes[profileAt + 1] = (byte) (bytes[profileAt] == (byte) 0xBE ? 0xDE : 0x00);
                }
            }
            accepted += check(bytes, random, "seed " + SEED + " random case " + i) ? 1 : 0;
        }
        assertThat(accepted).as("some random inputs exercise the accepted path").isGreaterThan(100);
    }

    @Test
    @Timeout(60)
    void mutatedValidPacketsAreRejectedOrReadConsistently() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        int accepted = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] bytes = validPacket(random);
            String context = "seed " + (SEED + 1) + " mutation case " + i;
            assertThat(check(bytes.clone(), random, context)).as(context + ": unmutated packet").isTrue();
            int mutations = random.nextInt(1, 4);
            for (int m = 0; m < mutations; m++) {
                bytes = mutate(bytes, random);
            }
            accepted += check(bytes, random, context) ? 1 : 0;
        }
        assertThat(accepted).as("some mutations keep the packet valid").isGreaterThan(100);
    }

    private byte[] validPacket(SplittableRandom random) {
        UnsafeBuffer scratch = new UnsafeBuffer(new byte[600]);
        writer.wrap(scratch, 0, 600)
            .marker(random.nextBoolean()).payloadType(random.nextInt(128))
            .sequenceNumber(random.nextInt(65536)).timestamp(random.nextLong()).ssrc(random.nextInt());
        for (int c = random.nextInt(4); c > 0; c--) {
            writer.csrc(random.nextInt());
        }
        boolean twoByte = random.nextInt(3) == 0;
        if (twoByte) {
            writer.twoByteExtensions();
        }
        for (int e = random.nextInt(5); e > 0; e--) {
            byte[] value = new byte[twoByte ? random.nextInt(0, 30) : random.nextInt(1, 17)];
            random.nextBytes(value);
            writer.extension(twoByte ? random.nextInt(1, 256) : random.nextInt(1, 15), value);
        }
        byte[] payload = new byte[random.nextInt(0, 200)];
        random.nextBytes(payload);
        writer.payload(payload);
        if (random.nextBoolean()) {
            writer.padding(random.nextInt(1, 256));
        }
        byte[] bytes = new byte[writer.length()];
        scratch.getBytes(0, bytes);
        return bytes;
    }

    private static byte[] mutate(byte[] bytes, SplittableRandom random) {
        if (bytes.length == 0) {
            return bytes;
        }
        switch (random.nextInt(5)) {
            case 0: {
                int at = random.nextInt(Math.min(bytes.length, 64));
                bytes[at] ^= (byte) (1 << random.nextInt(8));
                return bytes;
            }
            case 1: {
                int at = random.nextInt(bytes.length);
                bytes[at] = (byte) random.nextInt(256);
                return bytes;
            }
            case 2: {
                byte[] shorter = new byte[random.nextInt(bytes.length)];
                System.arraycopy(bytes, 0, shorter, 0, shorter.length);
                return shorter;
            }
            case 3:
                bytes[bytes.length - 1] = (byte) random.nextInt(256);
                return bytes;
            default: {
                int profileAt = 12 + 4 * (bytes[0] & 0x0F);
                if (profileAt + 3 < bytes.length) {
                    bytes[profileAt + 2 + random.nextInt(2)] = (byte) random.nextInt(256);
                }
                return bytes;
            }
        }
    }

    private boolean check(byte[] bytes, SplittableRandom random, String context) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[bytes.length + 2 * GUARD]);
        buffer.setMemory(0, buffer.capacity(), GUARD_BYTE);
        buffer.putBytes(GUARD, bytes);
        boolean accepted;
        try {
            accepted = packet.wrap(buffer, GUARD, bytes.length);
            if (accepted) {
                checkAccepted(buffer, bytes.length, random, context);
            }
        } catch (RuntimeException e) {
            throw new AssertionError(context + ": " + e, e);
        }
        for (int i = 0; i < GUARD; i++) {
            if (buffer.getByte(i) != GUARD_BYTE || buffer.getByte(GUARD + bytes.length + i) != GUARD_BYTE) {
                fail(context + ": wrote outside the packet");
            }
        }
        return accepted;
    }

    private void checkAccepted(UnsafeBuffer buffer, int length, SplittableRandom random, String context) {
        int header = packet.headerLength();
        int payload = packet.payloadLength();
        int padding = packet.paddingLength();
        assertThat(packet.version()).as(context).isEqualTo(2);
        assertThat(header).as(context).isBetween(12, length);
        assertThat(payload).as(context).isGreaterThanOrEqualTo(0);
        assertThat(header + payload + padding).as(context).isEqualTo(length);
        assertThat(packet.payloadOffset()).as(context).isEqualTo(GUARD + header);
        for (int c = 0; c < packet.csrcCount(); c++) {
            packet.csrc(c);
        }
        packet.marker();
        packet.payloadType();
        packet.sequenceNumber();
        packet.timestamp();
        packet.ssrc();

        int blockStart = packet.extensionBlockOffset();
        int blockEnd = blockStart + packet.extensionBlockLength();
        if (packet.hasExtension()) {
            assertThat(blockEnd).as(context).isLessThanOrEqualTo(GUARD + header);
        }
        int elements = 0;
        cursor.reset(packet);
        while (cursor.next()) {
            elements++;
            assertThat(elements).as(context + ": iteration terminates").isLessThanOrEqualTo(blockEnd - blockStart);
            assertThat(cursor.elementOffset()).as(context).isGreaterThanOrEqualTo(blockStart);
            assertThat(cursor.valueOffset() + cursor.valueLength()).as(context).isLessThanOrEqualTo(blockEnd);
            assertThat(packet.findExtension(cursor.id())).as(context).isNotEqualTo(RtpPacket.NOT_FOUND);
            cursor.valueAsLong();
        }

        int[] map = new int[random.nextInt(1, 300)];
        for (int i = 0; i < map.length; i++) {
            map[i] = random.nextInt(0, 260);
        }
        packet.remapExtensionIds(map);
        int id = random.nextInt(0, 256);
        packet.rewriteExtensionId(id, random.nextInt(0, 300));
        packet.putExtensionValue(random.nextInt(0, 256), random.nextLong());
        packet.extensionValue(random.nextInt(0, 256));
        packet.removeExtension(random.nextInt(0, 256));
        packet.payloadType(random.nextInt(128)).marker(random.nextBoolean())
            .sequenceNumber(random.nextInt(65536)).timestamp(random.nextLong()).ssrc(random.nextInt());

        assertThat(packet.wrap(buffer, GUARD, length)).as(context + ": still valid after rewrites").isTrue();
        assertThat(packet.headerLength()).as(context).isEqualTo(header);
        assertThat(packet.payloadLength()).as(context).isEqualTo(payload);
    }
}
