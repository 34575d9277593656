package io.sfu.core.negotiation;

import io.sfu.core.sdp.Fingerprint;
import io.sfu.core.sdp.SdpParser;
import io.sfu.core.sdp.SessionDescription;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The browser descriptions of src/test/resources/sdp (see its README) and the SFU transport used in the tests. */
final class Fixtures {
    private Fixtures() {
    }

    static final String AUDIO_VIDEO_GATHERED = "sdp/chromium-audio-video-gathered.sdp";
    static final String SIMULCAST = "sdp/chromium-simulcast.sdp";
    static final String VARIANTS_MAX_BUNDLE = "sdp/chromium-variants-max-bundle.sdp";
    static final String FIREFOX_STYLE_HANDWRITTEN = "sdp/handwritten-firefox-style-offer.sdp";
    static final String SUBSCRIBER_ANSWER_HANDWRITTEN = "negotiation/handwritten-chromium-subscriber-answer.sdp";

    static final List<String> OFFERS = List.of(AUDIO_VIDEO_GATHERED, SIMULCAST, VARIANTS_MAX_BUNDLE,
        FIREFOX_STYLE_HANDWRITTEN);

    /** The SFU's transport: an IPv4 and an IPv6 loopback host candidate. */
    static final LocalTransportParams LOCAL = new LocalTransportParams("sfuUfrag", "sfuPasswordSfuPassword22",
        Fingerprint.parse("sha-256 0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5"
            + ":C6:D7:E8:F9"),
        List.of(new InetSocketAddress("127.0.0.1", 10000), new InetSocketAddress("::1", 10000)));

    static String text(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture /" + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SessionDescription load(String resource) {
        return SdpParser.parse(text(resource));
    }
}
