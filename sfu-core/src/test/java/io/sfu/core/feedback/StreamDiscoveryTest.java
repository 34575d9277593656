package io.sfu.core.feedback;

import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.rtp.RtpPacketWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 8852 and RFC 8843: a packet's mid, rid and repaired rid name the stream its SSRC belongs to. */
class StreamDiscoveryTest {
    private static final int MID = 4;
    private static final int RID = 10;
    private static final int REPAIRED_RID = 11;

    private final StreamDiscovery discovery = new StreamDiscovery();
    private final RtpPacket rtp = new RtpPacket();

    private void read(String mid, String rid, String repairedRid) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        RtpPacketWriter writer = new RtpPacketWriter().wrap(buffer, 0, 256).payloadType(96).ssrc(1);
        if (mid != null) {
            writer.extension(MID, mid.getBytes(StandardCharsets.US_ASCII));
        }
        if (rid != null) {
            writer.extension(RID, rid.getBytes(StandardCharsets.US_ASCII));
        }
        if (repairedRid != null) {
            writer.extension(REPAIRED_RID, repairedRid.getBytes(StandardCharsets.US_ASCII));
        }
        int length = writer.payload(new byte[10]).length();
        assertThat(rtp.wrap(buffer, 0, length)).isTrue();
        discovery.read(rtp);
    }

    private static byte[] ascii(String value) {
        return value.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aMediaPacketNamesItsMidAndEncoding() {
        discovery.extensionIds(MID, RID, REPAIRED_RID);
        read("1", "h", null);

        assertThat(discovery.hasMid()).isTrue();
        assertThat(discovery.midEquals(ascii("1"))).isTrue();
        assertThat(discovery.midEquals(ascii("10"))).isFalse();
        assertThat(discovery.hasRid()).isTrue();
        assertThat(discovery.isRepair()).isFalse();
        assertThat(discovery.encodingEquals(ascii("h"))).isTrue();
        assertThat(discovery.encodingEquals(ascii("f"))).isFalse();
    }

    @Test
    void aRetransmissionNamesTheEncodingItRepairs() {
        discovery.extensionIds(MID, RID, REPAIRED_RID);
        read("1", null, "f");

        assertThat(discovery.hasRid()).isFalse();
        assertThat(discovery.isRepair()).isTrue();
        assertThat(discovery.encodingEquals(ascii("f"))).isTrue();
    }

    @Test
    void extensionsThatWereNotNegotiatedAreNotRead() {
        discovery.extensionIds(MID, 0, 0);
        read("1", "h", "h");

        assertThat(discovery.negotiatesMid()).isTrue();
        assertThat(discovery.hasRid()).isFalse();
        assertThat(discovery.isRepair()).isFalse();
        assertThat(discovery.encodingEquals(ascii("h"))).isFalse();
    }

    @Test
    void withoutTheMidExtensionNothingCanBeNamed() {
        read("1", "h", null);

        assertThat(discovery.negotiatesMid()).isFalse();
        assertThat(discovery.hasMid()).isFalse();
        assertThat(discovery.midEquals(ascii("1"))).isFalse();
    }
}
