package io.sfu.core.datachannel;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 8832 §5.1 DATA_CHANNEL_OPEN and §5.2 DATA_CHANNEL_ACK, written byte by byte from the RFC's figures. */
class DcepTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void aReliableOrderedOpenIsEncodedAsTheRfcFigureLaysItOut() {
        // type 0x03, channel type 0x00 (DATA_CHANNEL_RELIABLE), priority 256, parameter 0,
        // label length 4, protocol length 0, "chat"
        assertThat(Dcep.open("chat", "", DataChannel.Reliability.RELIABLE))
            .isEqualTo(hex("03 00 0100 00000000 0004 0000 63686174"));
    }

    @Test
    void everyChannelTypeCarriesItsReliabilityParameter() {
        // §5.1: 0x01 PARTIAL_RELIABLE_REXMIT with the retransmission count, 0x82 PARTIAL_RELIABLE_TIMED_UNORDERED
        // with the lifetime in milliseconds, 0x80 RELIABLE_UNORDERED; protocol after the label
        assertThat(Dcep.open("a", "p", new DataChannel.Reliability(true, 3, -1)))
            .isEqualTo(hex("03 01 0100 00000003 0001 0001 61 70"));
        assertThat(Dcep.open("", "", new DataChannel.Reliability(false, -1, 1500)))
            .isEqualTo(hex("03 82 0100 000005dc 0000 0000"));
        assertThat(Dcep.open("", "", new DataChannel.Reliability(false, -1, -1)))
            .isEqualTo(hex("03 80 0100 00000000 0000 0000"));
        assertThat(Dcep.open("", "", new DataChannel.Reliability(false, 0, -1)))
            .isEqualTo(hex("03 81 0100 00000000 0000 0000"));
        assertThat(Dcep.channelType(new DataChannel.Reliability(true, -1, 10))).isEqualTo(0x02);
    }

    @Test
    void anOpenReadsBackToItsLabelProtocolAndReliability() {
        byte[] open = Dcep.open("étiquette", "json", new DataChannel.Reliability(false, 5, -1));
        Dcep.Open read = Dcep.readOpen(open, 0, open.length);
        assertThat(read.label()).isEqualTo("étiquette");
        assertThat(read.protocol()).isEqualTo("json");
        assertThat(read.reliability()).isEqualTo(new DataChannel.Reliability(false, 5, -1));
        assertThat(read.priority()).isEqualTo(256);
    }

    @Test
    void malformedOpensAreRefused() {
        byte[] open = Dcep.open("chat", "", DataChannel.Reliability.RELIABLE);
        assertThat(Dcep.readOpen(open, 0, open.length - 1)).as("label cut short").isNull();
        assertThat(Dcep.readOpen(open, 0, 11)).as("header cut short").isNull();
        byte[] badType = open.clone();
        badType[1] = 0x03;
        assertThat(Dcep.readOpen(badType, 0, badType.length)).as("unknown channel type").isNull();
        byte[] ack = {Dcep.DATA_CHANNEL_ACK};
        assertThat(Dcep.readOpen(ack, 0, 1)).isNull();
    }
}
