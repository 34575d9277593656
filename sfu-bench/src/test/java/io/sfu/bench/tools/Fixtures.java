package io.sfu.bench.tools;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;

/** Loads the hand-written JMH result files under src/test/resources/tools. */
final class Fixtures {
    private Fixtures() {
    }

    static Path path(String name) {
        URL url = Fixtures.class.getResource("/tools/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no test resource tools/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<JmhResult> results(String name) throws IOException {
        return JmhResults.read(path(name));
    }
}
