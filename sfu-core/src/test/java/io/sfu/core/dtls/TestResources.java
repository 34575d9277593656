package io.sfu.core.dtls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Reads the test certificates under src/test/resources/dtls. */
final class TestResources {

    private TestResources() {
    }

    static String text(String name) {
        try (InputStream in = TestResources.class.getResourceAsStream("/dtls/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource dtls/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The DER bytes of the first PEM block, decoded here without the code under test. */
    static byte[] pemBody(String pem) {
        int begin = pem.indexOf("-----BEGIN");
        int bodyStart = pem.indexOf('\n', begin) + 1;
        int bodyEnd = pem.indexOf("-----END", bodyStart);
        return Base64.getMimeDecoder().decode(pem.substring(bodyStart, bodyEnd));
    }
}
