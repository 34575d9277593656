package io.sfu.core.sctp;

import java.util.ArrayList;
import java.util.List;

/** Builds and inspects raw SCTP packets for tests that speak for a peer. */
final class SctpPackets {
    private SctpPackets() {
    }

    /** A packet with ports 5000/5000, the tag, and the given chunks (type, flags, value), signed. */
    static byte[] packet(int tag, int[] types, int[] flags, byte[][] values) {
        int length = SctpPacket.HEADER_LENGTH;
        for (byte[] value : values) {
            length += SctpBytes.padded(SctpPacket.CHUNK_HEADER_LENGTH + value.length);
        }
        byte[] out = new byte[length];
        SctpBytes.put16(out, 0, 5000);
        SctpBytes.put16(out, 2, 5000);
        SctpBytes.put32(out, 4, tag);
        int at = SctpPacket.HEADER_LENGTH;
        for (int i = 0; i < values.length; i++) {
            SctpBytes.put8(out, at, types[i]);
            SctpBytes.put8(out, at + 1, flags[i]);
            SctpBytes.put16(out, at + 2, SctpPacket.CHUNK_HEADER_LENGTH + values[i].length);
            System.arraycopy(values[i], 0, out, at + 4, values[i].length);
            at += SctpBytes.padded(SctpPacket.CHUNK_HEADER_LENGTH + values[i].length);
        }
        new SctpPacket().sign(out, 0, out.length);
        return out;
    }

    static byte[] chunk(int tag, int type, int flags, byte[] value) {
        return packet(tag, new int[] {type}, new int[] {flags}, new byte[][] {value});
    }

    /** A DATA chunk value (RFC 9260 §3.3.1). */
    static byte[] dataValue(int tsn, int streamId, int ssn, int ppid, byte[] payload) {
        byte[] value = new byte[12 + payload.length];
        SctpBytes.put32(value, 0, tsn);
        SctpBytes.put16(value, 4, streamId);
        SctpBytes.put16(value, 6, ssn);
        SctpBytes.put32(value, 8, ppid);
        System.arraycopy(payload, 0, value, 12, payload.length);
        return value;
    }

    /** DATA chunk flags: unordered, beginning, end. */
    static int dataFlags(boolean unordered, boolean beginning, boolean end) {
        return (unordered ? 4 : 0) | (beginning ? 2 : 0) | (end ? 1 : 0);
    }

    static int tag(byte[] packet) {
        return SctpBytes.i32(packet, 4);
    }

    /** The chunks of a packet, as offsets of their headers. */
    static List<Integer> chunks(byte[] packet) {
        SctpPacket reader = new SctpPacket();
        List<Integer> chunks = new ArrayList<>();
        if (reader.wrap(packet, 0, packet.length)) {
            for (int c = reader.firstChunk(); c >= 0; c = reader.nextChunk(c)) {
                chunks.add(c);
            }
        }
        return chunks;
    }

    /** The offset of the first chunk of this type in the packet, or -1. */
    static int find(byte[] packet, int type) {
        for (int c : chunks(packet)) {
            if ((packet[c] & 0xFF) == type) {
                return c;
            }
        }
        return -1;
    }

    /** The first payload byte of each DATA chunk with the beginning flag, or of any DATA chunk: message marks. */
    static List<Integer> dataMarks(byte[] packet) {
        List<Integer> marks = new ArrayList<>();
        for (int c : chunks(packet)) {
            if (packet[c] == SctpPacket.DATA && (packet[c + 1] & 2) != 0) {
                marks.add(packet[c + 16] & 0xFF);
            }
        }
        return marks;
    }

    /** The TSN of the first DATA chunk, or null. */
    static Integer firstTsn(byte[] packet) {
        int c = find(packet, SctpPacket.DATA);
        return c < 0 ? null : SctpBytes.i32(packet, c + 4);
    }
}
