package io.sfu.core.rtp;

import io.sfu.core.testing.HexFixtures;
import org.agrona.concurrent.UnsafeBuffer;

/** The hex packet fixtures of src/test/resources/rtp (see {@link HexFixtures}). */
final class RtpFixtures {
    private RtpFixtures() {
    }

    static byte[] bytes(String name) {
        return HexFixtures.resource("/rtp/" + name);
    }

    static byte[] hex(String text) {
        return HexFixtures.hex(text);
    }

    static UnsafeBuffer buffer(byte[] packet, int offset) {
        return HexFixtures.buffer(packet, offset);
    }
}
