package io.sfu.core.sdp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Seeded random and mutation tests: whatever the input, the parser and every typed accessor either succeed or
 * throw {@link SdpParseException} (never another exception), always terminate, and whatever parses writes text
 * that parses back to the same text. Each case has its own seed, printed on failure to replay it.
 */
public class SdpFuzzTest {

    private static final long MASTER_SEED = 0x5D9_2026_11_26L;
    private static final String ALPHABET = "\r\n\0 \t:=/;,~*.-+#{}()_aAmvostcbrzkxT0123456789\u00e9\u20ac\uD83D";

    private static final List<String> FIXTURES = Fixtures.ALL.stream().map(Fixtures::load).toList();

    @Test
    @Timeout(120)
    void mutatedBrowserDescriptionsParseOrThrowOnlySdpParseException() {
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < 1500; i++) {
            long seed = MASTER_SEED + i;
            SplittableRandom random = new SplittableRandom(seed);
            String text = FIXTURES.get(random.nextInt(FIXTURES.size()));
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                text = mutate(text, random);
            }
            if (checkDescription(text, seed)) {
                accepted++;
            } else {
                rejected++;
            }
        }
        // both outcomes must occur, or the mutations are not exercising the parser
        assertThat(accepted).as("accepted mutants").isGreaterThan(50);
        assertThat(rejected).as("rejected mutants").isGreaterThan(50);
    }

    @Test
    @Timeout(120)
    void randomLinesParseOrThrowOnlySdpParseException() {
        int parsed = 0;
        for (int i = 0; i < 2000; i++) {
            long seed = MASTER_SEED ^ (0x9E3779B97F4A7C15L * (i + 1));
            SplittableRandom random = new SplittableRandom(seed);
            StringBuilder sb = new StringBuilder();
            if (random.nextBoolean()) {
                sb.append("v=0\r\no=- 1 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
            }
            int lines = random.nextInt(30);
            for (int l = 0; l < lines; l++) {
                sb.append("vosiuepcbtrzkam".charAt(random.nextInt(15))).append('=');
                sb.append(randomText(random, random.nextInt(40)));
                sb.append(random.nextInt(10) == 0 ? "\n" : "\r\n");
            }
            if (checkDescription(sb.toString(), seed)) {
                parsed++;
            }
        }
        assertThat(parsed).as("random descriptions that parsed").isPositive();
    }

    @Test
    @Timeout(120)
    void typedParsersAcceptOrThrowOnlySdpParseExceptionAndRoundTrip() {
        List<TypedCase> cases = List.of(
            new TypedCase(Group::parse, "BUNDLE 0 1 2"),
            new TypedCase(Msid::parse, "stream-1 track-1"),
            new TypedCase(MsidSemantic::parse, " WMS a b"),
            new TypedCase(Fingerprint::parse, "sha-256 4A:AD:B9:B1:3F:82:18:3B"),
            new TypedCase(Rtpmap::parse, "111 opus/48000/2"),
            new TypedCase(Fmtp::parse, "102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f"),
            new TypedCase(RtcpFb::parse, "96 nack pli"),
            new TypedCase(Extmap::parse, "2/sendrecv http://example.com/082005/ext.htm#xmeta short"),
            new TypedCase(Ssrc::parse, "1630845973 msid:stream track"),
            new TypedCase(SsrcGroup::parse, "FID 942445265 1240081323"),
            new TypedCase(Rid::parse, "5 send pt=99,102;max-br=64000;max-width=1280"),
            new TypedCase(Simulcast::parse, "send 1,~2;3 recv c"),
            new TypedCase(Candidate::parse,
                "2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 10.0.1.1 rport 8998 tcptype active generation 0"),
            new TypedCase(Rtcp::parse, "9 IN IP4 0.0.0.0"),
            new TypedCase(Setup::parse, "actpass"),
            new TypedCase(Direction::parse, "sendonly"));
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            long seed = MASTER_SEED * 31 + i;
            SplittableRandom random = new SplittableRandom(seed);
            TypedCase c = cases.get(random.nextInt(cases.size()));
            String value = random.nextInt(3) == 0
                ? randomText(random, random.nextInt(48))
                : mutateChars(c.example, random, 1 + random.nextInt(3));
            TypedAttribute parsed;
            try {
                parsed = c.parser.apply(value);
            } catch (SdpParseException expected) {
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ": '" + value + "' threw " + e, e);
            }
            accepted++;
            // a property attribute (a direction) is written as its name
            String written = parsed.attributeValue() == null ? parsed.attributeName() : parsed.attributeValue();
            try {
                assertThat(c.parser.apply(written)).as("seed %d: '%s' rewritten as '%s'", seed, value, written)
                    .isEqualTo(parsed);
                // and the written value is acceptable as a line of a description
                parsed.toAttribute();
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ": '" + value + "' wrote '" + written + "': " + e, e);
            }
        }
        assertThat(accepted).as("accepted typed values").isGreaterThan(500);
    }

    @Test
    void descriptionsAtTheLimitsAreHandledQuickly() {
        // a worst case for the codec index: the longest m= line and as many codec attributes as allowed
        StringBuilder sb = new StringBuilder("v=0\r\no=- 1 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 RTP/AVP");
        for (int i = 0; sb.length() < 4000; i++) {
            sb.append(' ').append(i % 128);
        }
        sb.append("\r\n");
        for (int i = 0; i < SdpParser.MAX_ATTRIBUTES_PER_SECTION && sb.length() < SdpParser.MAX_SDP_LENGTH - 40; i++) {
            sb.append(i % 2 == 0 ? "a=rtcp-fb:* nack\r\n" : "a=rtpmap:" + i % 128 + " X/1\r\n");
        }
        String text = sb.toString();

        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            SessionDescription sdp = SdpParser.parse(text);
            sdp.validateAttributes();
            assertThat(sdp.media().get(0).codecs()).hasSizeGreaterThan(1000);
            assertThat(sdp.write()).isEqualTo(text);
        });
    }

    private record TypedCase(Function<String, TypedAttribute> parser, String example) {
    }

    /**
     * Parses and, when that succeeds, reads every typed accessor and checks that the written text parses back to
     * itself.
     *
     * @return true when the text parsed
     */
    public static boolean checkDescription(String text, long seed) {
        return checkedDescription(text, seed) != null;
    }

    /** As {@link #checkDescription}, returning what parsed (read only), or null when the text did not parse. */
    public static SessionDescription checkedDescription(String text, long seed) {
        SessionDescription sdp;
        try {
            sdp = SdpParser.parse(text);
        } catch (SdpParseException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            return null;
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("seed " + seed + ": parse threw " + e, e);
        }
        try {
            exercise(sdp);
            String written = sdp.write();
            assertThat(SdpParser.parse(written).write()).as("seed %d: rewrite is stable", seed).isEqualTo(written);
        } catch (RuntimeException e) {
            throw new AssertionError("seed " + seed + ": after parse, " + e, e);
        }
        return sdp;
    }

    private static void exercise(SessionDescription sdp) {
        run(sdp::validateAttributes);
        quietly(sdp::groups);
        quietly(sdp::bundleGroup);
        quietly(sdp::msidSemantic);
        exerciseSection(sdp);
        for (MediaDescription m : sdp.media()) {
            exerciseSection(m);
            quietly(m::mid);
            quietly(m::msids);
            quietly(m::rtcp);
            quietly(m::rtpmaps);
            quietly(m::fmtps);
            quietly(m::rtcpFeedback);
            quietly(m::codecs);
            quietly(m::payloadTypes);
            quietly(m::ssrcs);
            quietly(m::ssrcGroups);
            quietly(m::rids);
            quietly(m::simulcast);
            quietly(m::candidates);
            quietly(() -> sdp.directionOf(m));
        }
    }

    private static void exerciseSection(SdpSection<?> s) {
        quietly(s::iceUfrag);
        quietly(s::icePwd);
        quietly(s::iceOptions);
        quietly(s::fingerprints);
        quietly(s::setup);
        quietly(s::direction);
        quietly(s::extmaps);
    }

    /** Runs an accessor; SdpParseException is an allowed outcome, anything else propagates. */
    private static void run(Runnable accessor) {
        try {
            accessor.run();
        } catch (SdpParseException expected) {
            assertThat(expected.lineNumber()).isNotNegative();
        }
    }

    private static void quietly(java.util.function.Supplier<?> accessor) {
        run(accessor::get);
    }

    private static String randomText(SplittableRandom random, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    private static String mutateChars(String s, SplittableRandom random, int count) {
        StringBuilder sb = new StringBuilder(s);
        for (int i = 0; i < count; i++) {
            int op = random.nextInt(3);
            int pos = sb.length() == 0 ? 0 : random.nextInt(sb.length());
            char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            if (op == 0 && sb.length() > 0) {
                sb.deleteCharAt(pos);
            } else if (op == 1) {
                sb.insert(pos, c);
            } else if (sb.length() > 0) {
                sb.setCharAt(pos, c);
            }
        }
        return sb.toString();
    }

    private static String mutate(String text, SplittableRandom random) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r\n", -1)));
        int line = random.nextInt(lines.size());
        switch (random.nextInt(10)) {
            case 0 -> {
                return mutateChars(text, random, 1 + random.nextInt(8));
            }
            case 1 -> lines.set(line, mutateChars(lines.get(line), random, 1 + random.nextInt(4)));
            case 2 -> lines.remove(line);
            case 3 -> lines.add(line, lines.get(random.nextInt(lines.size())));
            case 4 -> {
                int other = random.nextInt(lines.size());
                String l = lines.get(line);
                lines.set(line, lines.get(other));
                lines.set(other, l);
            }
            case 5 -> {
                return text.substring(0, random.nextInt(text.length() + 1));
            }
            case 6 -> lines.set(line, lines.get(line).replaceFirst("[0-9]+", pick(random,
                "99999999999999999999", "-1", "", "128", "65536", "4294967296", "0", "00000000000000000000096")));
            case 7 -> lines.add(line, "a=" + pick(random, "rtpmap", "fmtp", "rtcp-fb", "extmap", "ssrc", "ssrc-group",
                "rid", "simulcast", "candidate", "group", "msid", "mid", "fingerprint", "setup", "ice-ufrag", "ice-pwd",
                "ice-options", "rtcp", "msid-semantic", "sendonly") + pick(random, ":", "", ": ")
                + randomText(random, random.nextInt(30)));
            case 8 -> {
                String l = lines.get(line);
                if (!l.isEmpty()) {
                    lines.set(line, ALPHABET.charAt(random.nextInt(ALPHABET.length())) + l.substring(1));
                }
            }
            default -> {
                String l = lines.get(line);
                int cut = l.isEmpty() ? 0 : random.nextInt(l.length());
                lines.set(line, l.substring(0, cut) + pick(random, " ", "  ", "/", ";", ",", "~", ":", "=", "*")
                    + l.substring(cut));
            }
        }
        return String.join(random.nextInt(5) == 0 ? "\n" : "\r\n", lines);
    }

    private static String pick(SplittableRandom random, String... options) {
        return options[random.nextInt(options.length)];
    }
}
