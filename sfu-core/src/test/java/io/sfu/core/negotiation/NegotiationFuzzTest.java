package io.sfu.core.negotiation;

import io.sfu.core.sdp.Direction;
import io.sfu.core.sdp.Group;
import io.sfu.core.sdp.MediaDescription;
import io.sfu.core.sdp.SdpParseException;
import io.sfu.core.sdp.SdpParser;
import io.sfu.core.sdp.SessionDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded mutation tests: whatever a browser (or an attacker) sends, answering an offer or applying an answer either
 * succeeds with a well-formed description or throws {@link NegotiationException} (the text may also fail to parse
 * with {@link SdpParseException}); never another exception. Each case has its own seed, printed on failure.
 */
class NegotiationFuzzTest {

    private static final long MASTER_SEED = 0x5EED_2026_11_26L;
    private static final String ALPHABET = " :=/;,~*-+.#{}0123456789aAzZ\u00e9";
    private static final List<String> OFFERS = Fixtures.OFFERS.stream().map(Fixtures::text).toList();
    /** Lines of every fixture, spliced into others to make plausible but unexpected combinations. */
    private static final List<String> DONOR_LINES = OFFERS.stream()
        .flatMap(t -> Arrays.stream(t.split("\r\n"))).distinct().toList();

    @Test
    @Timeout(120)
    void mutatedOffersAreAnsweredOrRefusedWithNegotiationExceptionOnly() {
        int answered = 0;
        int refused = 0;
        int unparsable = 0;
        for (int i = 0; i < 1500; i++) {
            long seed = MASTER_SEED + i;
            SplittableRandom random = new SplittableRandom(seed);
            int fixture = random.nextInt(OFFERS.size());
            String text = mutate(OFFERS.get(fixture), random, 1 + random.nextInt(3));
            SessionDescription offer;
            try {
                offer = SdpParser.parse(text);
            } catch (SdpParseException expected) {
                unparsable++;
                continue;
            }
            // half of the cases renegotiate on top of the answer to the unmutated offer
            PublisherNegotiator negotiator = new PublisherNegotiator(new SplittableRandom(seed));
            PublisherAnswer previous = random.nextBoolean()
                ? negotiator.answer(Fixtures.load(Fixtures.OFFERS.get(fixture)), Fixtures.LOCAL) : null;
            PublisherAnswer answer;
            try {
                answer = negotiator.answer(offer, Fixtures.LOCAL, previous);
            } catch (NegotiationException expected) {
                assertThat(expected.getMessage()).as("seed %d", seed).isNotBlank();
                assertThat(expected.code()).as("seed %d", seed).isEqualTo(NegotiationException.SDP_INVALID);
                refused++;
                continue;
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("seed " + seed + ": answering threw " + e + "\n" + text, e);
            }
            try {
                checkAnswer(offer, answer);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("seed " + seed + ": bad answer: " + e.getMessage() + "\n" + text, e);
            }
            answered++;
        }
        // all three outcomes must occur, or the mutations do not exercise the negotiator
        assertThat(answered).as("answered mutants").isGreaterThan(300);
        assertThat(refused).as("refused mutants").isGreaterThan(50);
        assertThat(unparsable).as("unparsable mutants").isGreaterThan(10);
    }

    @Test
    @Timeout(120)
    void mutatedSubscriberAnswersApplyOrAreRefusedWithNegotiationExceptionOnly() {
        String answerText = Fixtures.text(Fixtures.SUBSCRIBER_ANSWER_HANDWRITTEN);
        List<ForwardedTrack> tracks = subscribedTracks();
        int applied = 0;
        int refused = 0;
        for (int i = 0; i < 1500; i++) {
            long seed = MASTER_SEED * 31 + i;
            SplittableRandom random = new SplittableRandom(seed);
            String text = mutate(answerText, random, 1 + random.nextInt(3));
            if (applySubscriberAnswer(text, tracks, seed)) {
                applied++;
            } else {
                refused++;
            }
        }
        assertThat(applied).as("applied mutants").isGreaterThan(200);
        assertThat(refused).as("refused mutants").isGreaterThan(200);
    }

    /** The audio and the video track of the gathered Chromium offer, forwarded from "alice". */
    static List<ForwardedTrack> subscribedTracks() {
        List<PublishedTrack> published = new PublisherNegotiator(new SplittableRandom(1))
            .answer(Fixtures.load(Fixtures.AUDIO_VIDEO_GATHERED), Fixtures.LOCAL).tracks();
        return List.of(ForwardedTrack.of("alice", published.get(0), 1001, 0),
            ForwardedTrack.of("alice", published.get(1), 2001, 2002));
    }

    /**
     * Offers {@code tracks} to a subscriber and applies {@code text} as its answer: either it applies and the
     * session goes on with a well-formed next offer, or it is refused with {@link NegotiationException} and the
     * offer stays pending; anything else fails.
     *
     * @return whether the answer applied
     */
    static boolean applySubscriberAnswer(String text, List<ForwardedTrack> tracks, long seed) {
        SubscriberNegotiator session = new SubscriberNegotiator(new SplittableRandom(seed));
        session.createOffer(tracks, Fixtures.LOCAL);
        SubscriberAnswerResult result;
        try {
            result = session.applyAnswer(text);
        } catch (NegotiationException expected) {
            assertThat(session.isOfferPending()).as("seed %d", seed).isTrue();
            return false;
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("seed " + seed + ": applying threw " + e + "\n" + text, e);
        }
        assertThat(session.isOfferPending()).as("seed %d", seed).isFalse();
        assertThat(result.media()).as("seed %d", seed).hasSize(2);
        for (AnsweredTrack t : result.tracks()) {
            assertThat(t.codecs()).as("seed %d", seed).isNotEmpty();
            for (NegotiatedCodec c : t.codecs()) {
                assertThat(t.payloadTypes().asMap()).as("seed %d", seed).containsValue(c.payloadType());
            }
        }
        // the session goes on: the next offer is well-formed
        String next = session.createOffer(tracks.subList(0, 1), Fixtures.LOCAL).write();
        assertThat(SdpParser.parse(next).write()).as("seed %d", seed).isEqualTo(next);
        return true;
    }

    /** What every answer must be, whatever the offer was. */
    static void checkAnswer(SessionDescription offer, PublisherAnswer answer) {
        SessionDescription sdp = answer.answer();
        String written = sdp.write();
        SessionDescription reparsed = SdpParser.parse(written);
        assertThat(reparsed.write()).isEqualTo(written);
        reparsed.validateAttributes();
        assertThat(sdp.isIceLite()).isTrue();
        assertThat(sdp.media()).hasSameSizeAs(offer.media());
        List<String> accepted = new ArrayList<>();
        for (MediaDescription m : sdp.media()) {
            if (m.port() == 0) {
                continue;
            }
            accepted.add(m.mid().orElseThrow());
            assertThat(m.isEndOfCandidates()).isTrue();
            assertThat(m.candidates()).isNotEmpty();
            assertThat(m.isRtcpMux()).isTrue();
            assertThat(m.direction().orElseThrow()).isIn(Direction.RECVONLY, Direction.INACTIVE);
            assertThat(m.codecs()).isNotEmpty();
        }
        if (accepted.isEmpty()) {
            assertThat(sdp.groups()).isEmpty();
        } else {
            assertThat(sdp.groups()).containsExactly(Group.bundle(accepted));
        }
        for (PublishedTrack t : answer.tracks()) {
            assertThat(accepted).contains(t.mid());
            assertThat(t.codecs()).isNotEmpty();
            assertThat(t.trackId()).isNotBlank();
        }
        assertThat(answer.tracks()).extracting(PublishedTrack::trackId).doesNotHaveDuplicates();
    }

    private static String mutate(String text, SplittableRandom random, int count) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r\n", -1)));
        for (int n = 0; n < count; n++) {
            int i = 1 + random.nextInt(lines.size() - 1);
            String line = lines.get(i);
            switch (random.nextInt(7)) {
                case 0 -> lines.remove(i);
                case 1 -> lines.add(i, line);
                case 2 -> lines.add(i, DONOR_LINES.get(random.nextInt(DONOR_LINES.size())));
                case 3 -> {
                    int j = 1 + random.nextInt(lines.size() - 1);
                    lines.set(i, lines.get(j));
                    lines.set(j, line);
                }
                case 4 -> lines.set(i, mutateNumber(line, random));
                case 5 -> lines.set(i, mutateChars(line, random));
                default -> lines.set(i, truncate(line, random));
            }
        }
        return String.join("\r\n", lines);
    }

    /** Replaces one digit run by another number: ids, payload types, ports, SSRCs. */
    private static String mutateNumber(String line, SplittableRandom random) {
        List<int[]> runs = new ArrayList<>();
        for (int i = 0; i < line.length(); ) {
            if (Character.isDigit(line.charAt(i))) {
                int j = i;
                while (j < line.length() && Character.isDigit(line.charAt(j))) {
                    j++;
                }
                runs.add(new int[] {i, j});
                i = j;
            } else {
                i++;
            }
        }
        if (runs.isEmpty()) {
            return line;
        }
        int[] run = runs.get(random.nextInt(runs.size()));
        String replacement = switch (random.nextInt(5)) {
            case 0 -> "0";
            case 1 -> Integer.toString(random.nextInt(128));
            case 2 -> Integer.toString(4096 + random.nextInt(300));
            case 3 -> Long.toString(random.nextLong(1L << 33));
            default -> Integer.toString(random.nextInt(20));
        };
        return line.substring(0, run[0]) + replacement + line.substring(run[1]);
    }

    private static String mutateChars(String line, SplittableRandom random) {
        StringBuilder sb = new StringBuilder(line);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && sb.length() > 2; e++) {
            int at = 2 + random.nextInt(sb.length() - 2);
            char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            switch (random.nextInt(3)) {
                case 0 -> sb.insert(at, c);
                case 1 -> sb.deleteCharAt(at);
                default -> sb.setCharAt(at, c);
            }
        }
        return sb.toString();
    }

    private static String truncate(String line, SplittableRandom random) {
        return line.length() <= 3 ? line : line.substring(0, 2 + random.nextInt(line.length() - 2));
    }
}
