package io.sfu.core.net;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class DatagramKindTest {

    @ParameterizedTest(name = "first byte {0}, second {1} -> {2}")
    @CsvSource({
        "0, 1, STUN", "1, 1, STUN", "3, 0, STUN",
        "4, 0, OTHER", "16, 0, OTHER", "19, 0, OTHER",
        "20, 254, DTLS", "22, 254, DTLS", "23, 254, DTLS", "63, 0, DTLS",
        "64, 0, OTHER", "79, 0, OTHER", "127, 0, OTHER",
        "128, 111, RTP", "144, 96, RTP", "128, 224, RTP", "128, 239, RTP", "191, 0, RTP",
        "128, 200, RTCP", "129, 201, RTCP", "129, 205, RTCP", "129, 206, RTCP", "128, 192, RTCP", "128, 223, RTCP",
        "192, 0, OTHER", "255, 0, OTHER",
    })
    void classifiesByTheFirstBytesAsRfc7983Says(int first, int second, DatagramKind expected) {
        byte[] data = {(byte) first, (byte) second, 0, 0};
        assertThat(DatagramKind.of(data, 0, data.length)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "length {0}")
    @CsvSource({"0, OTHER", "1, OTHER"})
    void tooShortRtpIsOther(int length, DatagramKind expected) {
        byte[] data = {(byte) 128, (byte) 200};
        assertThat(DatagramKind.of(data, 0, length)).isEqualTo(expected);
    }
}
