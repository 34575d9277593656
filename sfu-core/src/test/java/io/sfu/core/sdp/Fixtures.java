package io.sfu.core.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Loads the SDP fixtures of src/test/resources/sdp (see the README there for where each comes from). */
final class Fixtures {
    private Fixtures() {
    }

    static final String AUDIO_VIDEO_GATHERED = "chromium-audio-video-gathered.sdp";
    static final String SIMULCAST = "chromium-simulcast.sdp";
    static final String VARIANTS_MAX_BUNDLE = "chromium-variants-max-bundle.sdp";
    static final String SIMULCAST_ANSWER = "chromium-simulcast-answer.sdp";
    static final String FIREFOX_STYLE_HANDWRITTEN = "handwritten-firefox-style-offer.sdp";

    static final List<String> CAPTURED = List.of(AUDIO_VIDEO_GATHERED, SIMULCAST, VARIANTS_MAX_BUNDLE, SIMULCAST_ANSWER);
    static final List<String> ALL = List.of(AUDIO_VIDEO_GATHERED, SIMULCAST, VARIANTS_MAX_BUNDLE, SIMULCAST_ANSWER,
        FIREFOX_STYLE_HANDWRITTEN);

    static String load(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/sdp/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture /sdp/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
