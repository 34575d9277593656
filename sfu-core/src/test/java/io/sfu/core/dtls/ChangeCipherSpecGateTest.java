package io.sfu.core.dtls;

import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

class ChangeCipherSpecGateTest {

    /** A DTLS 1.2 record (RFC 6347 §4.1): type, version 254.253, epoch, sequence number, length, fragment. */
    private static byte[] record(int type, int epoch, long sequence, byte[] fragment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        out.write(254);
        out.write(253);
        out.write(epoch >> 8);
        out.write(epoch);
        for (int shift = 40; shift >= 0; shift -= 8) {
            out.write((int) (sequence >> shift));
        }
        out.write(fragment.length >> 8);
        out.write(fragment.length);
        out.writeBytes(fragment);
        return out.toByteArray();
    }

    /** A handshake fragment (RFC 6347 §4.2.2). */
    private static byte[] handshake(int msgType, int length, int messageSeq, int fragmentOffset, int fragmentLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(msgType);
        writeUint24(out, length);
        out.write(messageSeq >> 8);
        out.write(messageSeq);
        writeUint24(out, fragmentOffset);
        writeUint24(out, fragmentLength);
        out.writeBytes(new byte[fragmentLength]);
        return out.toByteArray();
    }

    private static void writeUint24(ByteArrayOutputStream out, int value) {
        out.write(value >> 16);
        out.write(value >> 8);
        out.write(value);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static final byte[] CHANGE_CIPHER_SPEC = record(20, 0, 9, new byte[] {1});
    private static final byte[] FINISHED = record(22, 1, 0, new byte[40]);

    @Test
    void cutsAChangeCipherSpecThatComesBeforeTheCertificateVerify() {
        ChangeCipherSpecGate gate = new ChangeCipherSpecGate();
        byte[] keyExchange = record(22, 0, 5, handshake(16, 66, 3, 0, 66));

        assertThat(gate.admit(keyExchange, 0, keyExchange.length)).isEqualTo(keyExchange.length);
        assertThat(gate.admit(CHANGE_CIPHER_SPEC, 0, CHANGE_CIPHER_SPEC.length)).isZero();
        byte[] packed = concat(keyExchange, CHANGE_CIPHER_SPEC, FINISHED);
        assertThat(gate.admit(packed, 0, packed.length)).isEqualTo(keyExchange.length);
        // epoch-1 records are not the gate's business
        assertThat(gate.admit(FINISHED, 0, FINISHED.length)).isEqualTo(FINISHED.length);
        assertThat(gate.changeCipherSpecsHeld()).isEqualTo(2);
        assertThat(gate.isOpen()).isFalse();
    }

    @Test
    void opensOnACompleteCertificateVerifyEvenInTheSameDatagram() {
        ChangeCipherSpecGate gate = new ChangeCipherSpecGate();
        byte[] flight = concat(record(22, 0, 6, handshake(15, 72, 4, 0, 72)), CHANGE_CIPHER_SPEC, FINISHED);

        assertThat(gate.admit(flight, 0, flight.length)).isEqualTo(flight.length);
        assertThat(gate.isOpen()).isTrue();
        assertThat(gate.admit(CHANGE_CIPHER_SPEC, 0, CHANGE_CIPHER_SPEC.length)).isEqualTo(CHANGE_CIPHER_SPEC.length);
    }

    @Test
    void opensOnlyWhenEveryFragmentOfTheCertificateVerifyArrived() {
        ChangeCipherSpecGate gate = new ChangeCipherSpecGate();
        byte[] tail = record(22, 0, 7, handshake(15, 300, 4, 200, 100));
        byte[] head = record(22, 0, 6, handshake(15, 300, 4, 0, 120));
        byte[] middle = record(22, 0, 8, handshake(15, 300, 4, 100, 120));

        gate.admit(tail, 0, tail.length);
        gate.admit(head, 0, head.length);
        assertThat(gate.isOpen()).isFalse();
        assertThat(gate.admit(CHANGE_CIPHER_SPEC, 0, CHANGE_CIPHER_SPEC.length)).isZero();
        gate.admit(middle, 0, middle.length);
        assertThat(gate.isOpen()).isTrue();
    }

    @Test
    void scansEveryHandshakeMessageOfARecordAndTheOffsetIsRespected() {
        ChangeCipherSpecGate gate = new ChangeCipherSpecGate();
        byte[] record = record(22, 0, 6, concat(handshake(16, 66, 3, 0, 66), handshake(15, 72, 4, 0, 72)));
        byte[] datagram = concat(new byte[] {7, 7, 7}, record);

        assertThat(gate.admit(datagram, 3, record.length)).isEqualTo(record.length);
        assertThat(gate.isOpen()).isTrue();
    }

    @Test
    void doesNotTrackAnImplausiblyLongCertificateVerify() {
        ChangeCipherSpecGate gate = new ChangeCipherSpecGate();
        byte[] fragment = record(22, 0, 6, handshake(15, ChangeCipherSpecGate.MAX_TRACKED_LENGTH + 1, 4, 0, 10));

        gate.admit(fragment, 0, fragment.length);

        assertThat(gate.isOpen()).isTrue();
    }

    @Test
    void malformedDatagramsNeverThrowAndAdmitAPrefix() {
        long seed = 0xD715L;
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] seeds = {
            concat(record(22, 0, 6, handshake(15, 72, 4, 0, 72)), CHANGE_CIPHER_SPEC, FINISHED),
            concat(record(22, 0, 5, handshake(16, 66, 3, 0, 66)), CHANGE_CIPHER_SPEC),
            record(22, 0, 8, handshake(15, 300, 4, 100, 120)),
        };
        for (int i = 0; i < 50_000; i++) {
            ChangeCipherSpecGate gate = new ChangeCipherSpecGate();
            byte[] datagram;
            if (random.nextBoolean()) {
                datagram = new byte[random.nextInt(64)];
                random.nextBytes(datagram);
            } else {
                datagram = seeds[random.nextInt(seeds.length)].clone();
                for (int m = 1 + random.nextInt(4); m > 0; m--) {
                    datagram[random.nextInt(datagram.length)] = (byte) random.nextInt(256);
                }
                if (random.nextInt(4) == 0) {
                    datagram = java.util.Arrays.copyOf(datagram, random.nextInt(datagram.length));
                }
            }
            try {
                int admitted = gate.admit(datagram, 0, datagram.length);
                assertThat(admitted).as("seed %d iteration %d", seed, i).isBetween(0, datagram.length);
            } catch (RuntimeException e) {
                fail("seed " + seed + " iteration " + i + " threw " + e, e);
            }
        }
    }
}
