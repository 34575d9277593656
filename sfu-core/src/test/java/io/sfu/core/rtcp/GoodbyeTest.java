package io.sfu.core.rtcp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.sfu.core.rtcp.RtcpFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;

class GoodbyeTest {
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
    private final Goodbye goodbye = new Goodbye();

    @Test
    void roundTripsSourcesAndAReason() {
        int length = Goodbye.write(buffer, 0, new int[] {0x11, 0x22, 0x33}, 2,
            "camera off".getBytes(StandardCharsets.UTF_8));

        assertThat(length).isEqualTo(4 + 8 + 12);
        assertThat(goodbye.wrap(buffer, 0, length)).isTrue();
        assertThat(goodbye.ssrcCount()).isEqualTo(2);
        assertThat(goodbye.ssrc(0)).isEqualTo(0x11);
        assertThat(goodbye.ssrc(1)).isEqualTo(0x22);
        assertThat(buffer.getStringWithoutLengthUtf8(goodbye.reasonOffset(), goodbye.reasonLength()))
            .isEqualTo("camera off");
        assertThat(buffer.getByte(length - 1)).as("zero padded").isZero();
    }

    @Test
    void roundTripsWithoutAReason() {
        int length = Goodbye.write(buffer, 0, new int[] {0x44}, 1, null);

        assertThat(length).isEqualTo(8);
        assertThat(goodbye.wrap(buffer, 0, length)).isTrue();
        assertThat(goodbye.reasonLength()).isZero();
        assertThat(goodbye.ssrc(0)).isEqualTo(0x44);
    }

    @Test
    void rejectsSourcesOrReasonPastTheEnd() {
        byte[] missingSsrc = hex("82 cb 00 01  00 00 00 01");
        byte[] longReason = hex("81 cb 00 02  00 00 00 01  09 61 62 63");

        assertThat(goodbye.wrap(new UnsafeBuffer(missingSsrc), 0, missingSsrc.length)).isFalse();
        assertThat(goodbye.wrap(new UnsafeBuffer(longReason), 0, longReason.length)).isFalse();
    }
}
