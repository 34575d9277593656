package io.sfu.core.forward;

import io.sfu.core.forward.ForwardingFixture.Peer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A publisher leg finds the stream of each packet: by announced SSRC, or by the mid and rid it carries. */
class LegTest {
    private static final int MID_ID = 1;
    private static final int RID_ID = 2;
    private static final int REPAIRED_RID_ID = 3;

    private final ForwardingFixture fixture = new ForwardingFixture();

    private static byte[] ascii(String value) {
        return value.getBytes(StandardCharsets.US_ASCII);
    }

    private Peer simulcastPublisherWithoutSsrcs() {
        Peer publisher = fixture.peer("publisher");
        fixture.agent.extensionIds(publisher.leg, new ReceiveExtensionIds(MID_ID, RID_ID, REPAIRED_RID_ID, 0, 0));
        fixture.agent.addProducer(publisher.leg, ForwardingFixture.simulcastSpec("v1", new String[] {"q", "h"},
            new int[] {0, 0}));
        fixture.run();
        return publisher;
    }

    @Test
    void unannouncedSimulcastSsrcsAreLearnedFromTheirMidAndRid() {
        Peer publisher = simulcastPublisherWithoutSsrcs();
        Peer subscriber = fixture.subscriber("s", 0x2000);

        fixture.receiveRtp(publisher, 0xAAA, 96, 10, 3000, ForwardingFixture.vp8Payload(true, 300, 10),
            writer -> writer.extension(MID_ID, ascii("1")).extension(RID_ID, ascii("q")));
        fixture.receiveRtp(publisher, 0xBBB, 96, 20, 3000, ForwardingFixture.vp8Payload(true, 400, 20),
            writer -> writer.extension(MID_ID, ascii("1")).extension(RID_ID, ascii("h")));
        // once learned, the SSRC alone names the stream
        fixture.receiveRtp(publisher, 0xBBB, 96, 21, 6000, ForwardingFixture.vp8Payload(false, 400, 21));

        List<byte[]> received = fixture.rtpTo(subscriber);
        assertThat(received).extracting(packet -> ForwardingFixture.payloadOf(packet).length)
            .containsExactly(400, 400);
        assertThat(publisher.leg.unknownSsrcPackets()).isZero();
    }

    @Test
    void aRepairedRidBindsTheRtxStreamOfThatEncoding() {
        Peer publisher = simulcastPublisherWithoutSsrcs();
        Peer subscriber = fixture.subscriber("s", 0x2000);
        fixture.receiveRtp(publisher, 0xBBB, 96, 20, 3000, ForwardingFixture.vp8Payload(true, 400, 20),
            writer -> writer.extension(MID_ID, ascii("1")).extension(RID_ID, ascii("h")));
        fixture.sent.clear();

        // packet 21 lost on the way in, then repaired by RTX (OSN 21) on an SSRC of its own
        byte[] original = ForwardingFixture.vp8Payload(false, 400, 21);
        byte[] rtxPayload = new byte[original.length + 2];
        rtxPayload[1] = 21;
        System.arraycopy(original, 0, rtxPayload, 2, original.length);
        fixture.receiveRtp(publisher, 0xCCC, 97, 5, 6000, rtxPayload,
            writer -> writer.extension(MID_ID, ascii("1")).extension(REPAIRED_RID_ID, ascii("h")));

        List<byte[]> received = fixture.rtpTo(subscriber);
        assertThat(received).hasSize(1);
        assertThat(ForwardingFixture.wrap(received.get(0)).payloadType()).isEqualTo(100);
        assertThat(ForwardingFixture.payloadOf(received.get(0))).isEqualTo(original);
    }

    @Test
    void aPacketNamingNoKnownStreamIsCountedAndDropped() {
        Peer publisher = simulcastPublisherWithoutSsrcs();
        Peer subscriber = fixture.subscriber("s", 0x2000);

        fixture.receiveRtp(publisher, 0xAAA, 96, 10, 3000, ForwardingFixture.vp8Payload(true, 300, 10),
            writer -> writer.extension(MID_ID, ascii("7")).extension(RID_ID, ascii("q")));
        fixture.receiveRtp(publisher, 0xAAB, 96, 10, 3000, ForwardingFixture.vp8Payload(true, 300, 10),
            writer -> writer.extension(MID_ID, ascii("1")).extension(RID_ID, ascii("x")));
        fixture.receiveRtp(publisher, 0xAAC, 96, 10, 3000, ForwardingFixture.vp8Payload(true, 300, 10));

        assertThat(publisher.leg.unknownSsrcPackets()).isEqualTo(3);
        assertThat(fixture.rtpTo(subscriber)).isEmpty();
    }

    @Test
    void withoutTheMidExtensionTheFirstSsrcsOfASingleTrackAreItsMediaAndRtx() {
        Peer publisher = fixture.peer("publisher");
        fixture.agent.addProducer(publisher.leg, ForwardingFixture.videoSpec("v1", 0, 0));
        fixture.run();
        Peer subscriber = fixture.subscriber("s", 0x2000);

        fixture.receiveRtp(publisher, 0x7777, 96, 1, 3000, ForwardingFixture.vp8Payload(true, 300, 1));
        fixture.receiveRtp(publisher, 0x8888, 96, 2, 6000, ForwardingFixture.vp8Payload(false, 300, 2));

        assertThat(fixture.rtpTo(subscriber)).hasSize(1);
        assertThat(publisher.leg.unknownSsrcPackets()).as("a second media SSRC is not the track's").isEqualTo(1);
    }
}
