package io.sfu.core.rtcp;

import io.sfu.core.testing.HexFixtures;
import org.agrona.concurrent.UnsafeBuffer;

/** The hex packet fixtures of src/test/resources/rtcp (see {@link HexFixtures}). */
final class RtcpFixtures {
    private RtcpFixtures() {
    }

    static byte[] bytes(String name) {
        return HexFixtures.resource("/rtcp/" + name);
    }

    static byte[] hex(String text) {
        return HexFixtures.hex(text);
    }

    static UnsafeBuffer buffer(byte[] packet, int offset) {
        return HexFixtures.buffer(packet, offset);
    }
}
