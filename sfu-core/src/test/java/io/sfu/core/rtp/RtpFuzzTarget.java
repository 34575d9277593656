package io.sfu.core.rtp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sfu.core.feedback.StreamDiscovery;
import io.sfu.core.rtp.codec.KeyframeDetector;
import io.sfu.core.rtp.codec.PayloadVectors;
import io.sfu.core.testing.FuzzInput;
import io.sfu.core.testing.HexFixtures;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Coverage-guided fuzzing (Jazzer) of the RTP flyweight as the forwarding path uses it on every decrypted packet:
 * {@link RtpPacket#wrap} answers without throwing and keeps header, extension block, payload and padding inside the
 * packet; the RFC 8285 extension walk stays inside the block; the per-subscriber rewrite (SSRC, sequence number,
 * timestamp, payload type, extension ids) keeps the packet's layout and payload; RTX wrap and unwrap (RFC 4588)
 * restore the original packet; and the keyframe detectors and stream discovery read any payload. The input is three
 * control bytes (the extension id remapping, an id to rewrite and one to erase), then the packet. Seeds: the
 * captured and RFC packets of src/test/resources/rtp and the codec payload vectors under an RTP header.
 */
class RtpFuzzTarget {
    private static final List<KeyframeDetector> DETECTORS = Stream.of("VP8", "VP9", "H264", "AV1")
        .map(KeyframeDetector::forCodec).toList();

    private final RtpPacket rtp = new RtpPacket();
    private final RtpPacket original = new RtpPacket();
    private final RtpExtensionCursor cursor = new RtpExtensionCursor();
    private final StreamDiscovery discovery = new StreamDiscovery();
    private final int[] remap = new int[256];

    static Stream<byte[]> packets() {
        Stream<byte[]> captured = Stream.of("browser-opus-one-byte-extensions.hex", "rfc8285-4.2-one-byte-block.hex",
            "rfc8285-4.3-two-byte-block.hex").map(name -> HexFixtures.resource("/rtp/" + name));
        Stream<byte[]> video = PayloadVectors.all().stream().map(vector -> {
            byte[] packet = new byte[64 + vector.payload().length];
            int length = new RtpPacketWriter().wrap(new UnsafeBuffer(packet), 0, packet.length).payloadType(96)
                .sequenceNumber(7).timestamp(90_000).ssrc(0x1234).extension(1, new byte[] {'0'})
                .payload(vector.payload()).length();
            return Arrays.copyOf(packet, length);
        });
        return Stream.concat(captured, video)
            .map(packet -> new FuzzInput.Writer().u8(0x35).u8(3).u8(2).bytes(packet).toByteArray());
    }

    @MethodSource("packets")
    @FuzzTest
    void anyPacketWrapsOrIsRefusedAndRewritingKeepsItsLayout(byte[] input) {
        FuzzInput in = new FuzzInput(input);
        int remapSeed = in.u8();
        int rewrittenId = in.u8();
        int erasedId = in.u8();
        byte[] packet = in.rest();
        byte[] data = packet.clone();
        UnsafeBuffer buffer = new UnsafeBuffer(data);
        boolean valid = rtp.wrap(buffer, 0, data.length);
        check(valid == new RtpPacket().wrap(HexFixtures.buffer(packet, 5), 5, packet.length),
            "the verdict depends on the offset");
        if (!valid) {
            return;
        }
        checkLayout(rtp, data.length);
        readEverything(rtp);

        // the per-subscriber rewrite: header fields, then extension ids, on the packet in place
        byte[] payload = payloadOf(rtp, data);
        int headerLength = rtp.headerLength();
        rtp.ssrc(0x5EED).sequenceNumber(0xFFFF).timestamp(0x1_0000_0001L).payloadType(127).marker(!rtp.marker());
        fillRemap(remapSeed);
        int erased = rtp.remapExtensionIds(remap);
        check(erased >= 0, "a negative count of erased elements");
        rtp.rewriteExtensionId(rewrittenId, remap[rewrittenId & 0xFF]);
        rtp.removeExtension(erasedId);
        rtp.putExtensionValue(rewrittenId, -1L);
        check(rtp.wrap(buffer, 0, data.length), "a rewritten packet no longer wraps");
        check(rtp.headerLength() == headerLength && rtp.ssrc() == 0x5EED && rtp.sequenceNumber() == 0xFFFF
            && rtp.timestamp() == 1 && rtp.payloadType() == 127, "the rewrite moved the header");
        check(Arrays.equals(payloadOf(rtp, data), payload), "the rewrite changed the payload");
        checkLayout(rtp, data.length);

        checkRtxRoundTrip(packet);
    }

    /** Wrap as RTX (RFC 4588 §4) and unwrap again: the original header fields and payload come back. */
    private void checkRtxRoundTrip(byte[] packet) {
        byte[] room = Arrays.copyOf(packet, packet.length + RtxPacket.OSN_LENGTH);
        UnsafeBuffer buffer = new UnsafeBuffer(room);
        check(original.wrap(new UnsafeBuffer(packet.clone()), 0, packet.length), "the packet stopped wrapping");
        check(rtp.wrap(buffer, 0, packet.length), "the packet does not wrap with room after it");
        byte[] payload = payloadOf(original, packet);
        int rtxLength = RtxPacket.wrap(rtp, 97, 0xABCD, 42);
        check(rtxLength == original.headerLength() + RtxPacket.OSN_LENGTH + payload.length,
            "the RTX packet has the wrong length");
        check(rtp.wrap(buffer, 0, rtxLength) && rtp.ssrc() == 0xABCD && rtp.sequenceNumber() == 42,
            "the RTX packet does not read back");
        check(RtxPacket.unwrap(rtp, original.ssrc(), original.payloadType()), "the RTX packet does not unwrap");
        check(rtp.sequenceNumber() == original.sequenceNumber() && rtp.timestamp() == original.timestamp()
            && rtp.marker() == original.marker() && rtp.headerLength() == original.headerLength()
            && Arrays.equals(payloadOf(rtp, room), payload), "unwrapping did not restore the packet");
    }

    /** Header, extension block, payload and padding tile the packet; every element stays in its block. */
    private void checkLayout(RtpPacket packet, int length) {
        int blockStart = packet.extensionBlockOffset();
        int blockEnd = blockStart + packet.extensionBlockLength();
        check(packet.version() == RtpPacket.VERSION && packet.length() == length
            && packet.headerLength() >= RtpPacket.FIXED_HEADER_LENGTH + 4 * packet.csrcCount()
            && packet.payloadLength() >= 0 && packet.paddingLength() >= 0
            && packet.headerLength() + packet.payloadLength() + packet.paddingLength() == length,
            "header, payload and padding do not tile the packet");
        check(!packet.hasExtension() || blockEnd <= packet.offset() + packet.headerLength(),
            "the extension block runs past the header");
        cursor.reset(packet);
        int elements = 0;
        while (cursor.next()) {
            check(cursor.elementOffset() >= blockStart && cursor.valueOffset() + cursor.valueLength() <= blockEnd
                && cursor.id() > 0, "an extension element lies outside its block");
            check(++elements <= packet.extensionBlockLength(), "the extension walk does not end");
        }
    }

    private void readEverything(RtpPacket packet) {
        packet.hasPadding();
        packet.marker();
        packet.extensionProfile();
        packet.hasOneByteExtensions();
        packet.hasTwoByteExtensions();
        for (int i = 0; i < packet.csrcCount(); i++) {
            packet.csrc(i);
        }
        // every id the walk met, and ids no element may carry or that end a one-byte block
        cursor.reset(packet);
        while (cursor.next()) {
            findExtension(packet, cursor.id());
        }
        findExtension(packet, 0);
        findExtension(packet, 15);
        findExtension(packet, 255);
        discovery.extensionIds(1, 2, 3);
        discovery.read(packet);
        discovery.midEquals(new byte[] {'0'});
        discovery.encodingEquals(new byte[] {'h'});
        discovery.isRepair();
        for (KeyframeDetector detector : DETECTORS) {
            detector.isKeyframe(packet.buffer(), packet.payloadOffset(), packet.payloadLength());
        }
    }

    private static void findExtension(RtpPacket packet, int id) {
        long found = packet.findExtension(id);
        if (found != RtpPacket.NOT_FOUND) {
            int at = RtpPacket.valueOffset(found);
            check(at >= packet.extensionBlockOffset() && at + RtpPacket.valueLength(found)
                <= packet.extensionBlockOffset() + packet.extensionBlockLength(), "a found value lies outside");
        }
        packet.extensionValue(id);
    }

    /** An id table mixing kept, moved, out-of-range and erased ids, different for each seed. */
    private void fillRemap(int seed) {
        int mask = (seed & 0x80) != 0 ? 0xFF : 0x0F;
        for (int id = 0; id < remap.length; id++) {
            remap[id] = (id * (seed | 1) + (seed >>> 4)) & mask;
        }
    }

    private static byte[] payloadOf(RtpPacket packet, byte[] data) {
        return Arrays.copyOfRange(data, packet.payloadOffset(), packet.payloadOffset() + packet.payloadLength());
    }

    private static void check(boolean holds, String what) {
        if (!holds) {
            throw new AssertionError(what);
        }
    }
}
