package io.sfu.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The publisher offers of real WebRTC stacks in {@code src/test/resources/sdp/corpus} (see its README), read from
 * the test class path of sfu-core, as a folder or inside its test jar.
 */
public final class OfferCorpus {
    /** The class-path folder of the corpus. */
    public static final String FOLDER = "sdp/corpus";

    /** One offer of the corpus: its file name (the stack first, e.g. {@code firefox-simulcast.sdp}) and text. */
    public record Offer(String name, String sdp) {
        @Override
        public String toString() {
            return name;
        }
    }

    private OfferCorpus() {
    }

    /** @return every offer of the corpus, by file name */
    public static List<Offer> offers() {
        URL folder = OfferCorpus.class.getClassLoader().getResource(FOLDER);
        if (folder == null) {
            throw new IllegalStateException("no " + FOLDER + " on the test class path");
        }
        try {
            URI uri = folder.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return read(jar.getPath(FOLDER));
                }
            }
            return read(Path.of(uri));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Offer> read(Path folder) throws IOException {
        List<Offer> offers = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".sdp")) {
                    offers.add(new Offer(name, Files.readString(file, StandardCharsets.UTF_8)));
                }
            }
        }
        if (offers.isEmpty()) {
            throw new IllegalStateException("no offer in " + folder);
        }
        return offers;
    }
}
