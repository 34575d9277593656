package io.sfu.core.media;

import io.sfu.core.datachannel.DataChannel;
import io.sfu.core.datachannel.DataChannelConfig;
import io.sfu.core.datachannel.DataChannelEndpoint;
import io.sfu.core.datachannel.SendResult;
import io.sfu.core.dtls.DtlsEndpoint;
import io.sfu.core.negotiation.DataChannelSection;
import io.sfu.core.session.MediaEngineConfig;
import io.sfu.core.session.MediaSessionListener;
import io.sfu.core.session.PeerConnectionRole;
import io.sfu.core.session.SubscribedTrack;
import io.sfu.core.session.Track;
import io.sfu.core.session.TrackKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data plane relaying data tracks between browser-side data channel endpoints in memory (the SCTP stack on both
 * ends, packets carried at once, time driven by the test): a publisher's channel becomes a data track, each
 * subscriber gets a channel {@code <publisherId>:<label>} with the same reliability, and a subscriber that does not
 * read is cut off on the reliable track and skipped on the partially reliable one while the others get everything.
 */
class DataPlaneTest {
    private static final long MS = 1_000_000L;
    private static final int MESSAGE_BYTES = 16 * 1024;
    /** The SFU's send buffer toward one peer: a few dozen messages. */
    private static final long SEND_BUFFER = 512 * 1024;

    private long now = 1_000 * MS;
    private final DataPlane plane = new DataPlane(new MediaEngineConfig.DataChannels(true, 8, 262_144, SEND_BUFFER,
        1 << 20, 1024), () -> now);
    private final List<Browser> browsers = new ArrayList<>();

    /** A browser's end of one peer connection: its endpoint, and the link to the SFU's end. */
    private final class Browser implements DataChannelEndpoint.Listener, DataTransport {
        final DataChannelEndpoint endpoint = new DataChannelEndpoint(DataChannelConfig.defaults(), true,
            this::toSfu, this, 7);
        final ArrayDeque<byte[]> toBrowser = new ArrayDeque<>();
        final Map<String, DataChannel> channels = new HashMap<>();
        final Map<String, List<byte[]>> received = new HashMap<>();
        DtlsEndpoint.ApplicationDataListener sfu;
        /** Packets toward the browser are lost: it reads nothing. */
        boolean stalled;

        Browser() {
            browsers.add(this);
        }

        private void toSfu(byte[] buf, int off, int len) {
            if (sfu != null) {
                sfu.onApplicationData(buf, off, len);
            }
        }

        // the SFU's end of the link

        @Override
        public boolean dtlsClient() {
            return false;
        }

        @Override
        public boolean send(byte[] buf, int off, int len) {
            if (!stalled) {
                toBrowser.add(Arrays.copyOfRange(buf, off, off + len));
            }
            return true;
        }

        @Override
        public void receiveWith(DtlsEndpoint.ApplicationDataListener listener) {
            sfu = listener;
        }

        // the browser's endpoint

        @Override
        public void onChannelOpen(DataChannel channel) {
            channels.put(channel.label(), channel);
        }

        @Override
        public void onMessage(DataChannel channel, boolean binary, byte[] buf, int off, int len) {
            received.computeIfAbsent(channel.label(), l -> new ArrayList<>())
                .add(Arrays.copyOfRange(buf, off, off + len));
        }

        @Override
        public void onChannelClosed(DataChannel channel) {
            channels.remove(channel.label(), channel);
        }

        @Override
        public void onClosed(String reason) {
        }

        int count(String label) {
            return received.getOrDefault(label, List.of()).size();
        }
    }

    /** What the engine reports of one participant's data tracks. */
    private static final class Reports implements MediaSessionListener {
        List<Track> dataTracks = List.of();

        @Override
        public void onDataTracks(List<Track> tracks) {
            dataTracks = List.copyOf(tracks);
        }

        @Override
        public void onPublishedTracks(List<Track> tracks) {
        }

        @Override
        public void onConnected(PeerConnectionRole pc) {
        }

        @Override
        public void onConsentExpired() {
        }

        @Override
        public void onDominantSpeaker(String participantId) {
        }
    }

    private final Reports aliceReports = new Reports();
    private final Browser alicePub = new Browser();
    private final Browser bobSub = new Browser();
    private final Browser carolSub = new Browser();
    private DataParticipant bob;
    private DataParticipant carol;

    @BeforeEach
    void connect() {
        DataParticipant alice = plane.participant("alice", aliceReports);
        bob = plane.participant("bob", new Reports());
        carol = plane.participant("carol", new Reports());
        attach(alice, PeerConnectionRole.PUBLISHER, alicePub);
        attach(bob, PeerConnectionRole.SUBSCRIBER, bobSub);
        attach(carol, PeerConnectionRole.SUBSCRIBER, carolSub);
        for (Browser browser : browsers) {
            browser.endpoint.connect(now);
        }
        runUntil("every association is up", () -> browsers.stream().allMatch(b -> b.endpoint.isEstablished()));
    }

    private void attach(DataParticipant participant, PeerConnectionRole role, Browser browser) {
        participant.negotiated(role, new DataChannelSection.PeerParams("0", 5000, 262_144));
        participant.connected(role, browser);
    }

    @Test
    void aPublishedChannelIsRelayedToEverySubscriberAndASubscriberThatDoesNotReadSlowsNoOne() {
        DataChannel chat = alicePub.endpoint.open("chat", "", new DataChannel.Reliability(true, -1, -1), now);
        DataChannel cursor = alicePub.endpoint.open("cursor", "json", new DataChannel.Reliability(false, 0, -1),
            now);
        runUntil("alice's two data tracks", () -> aliceReports.dataTracks.size() == 2);
        Track chatTrack = aliceReports.dataTracks.get(0);
        assertThat(chatTrack.kind()).isEqualTo(TrackKind.DATA);
        assertThat(chatTrack.data().label()).isEqualTo("chat");
        assertThat(chatTrack.data().reliable()).isTrue();
        assertThat(aliceReports.dataTracks.get(1).data().maxRetransmits()).isZero();
        assertThat(aliceReports.dataTracks.get(1).data().ordered()).isFalse();

        List<SubscribedTrack> both = aliceReports.dataTracks.stream().map(t -> new SubscribedTrack("alice", t))
            .toList();
        bob.subscribe(both);
        carol.subscribe(both);
        runUntil("bob's and carol's channels", () -> bobSub.channels.size() == 2 && carolSub.channels.size() == 2);
        assertThat(bobSub.channels).containsKeys("alice:chat", "alice:cursor");
        assertThat(bobSub.channels.get("alice:cursor").protocol()).isEqualTo("json");
        assertThat(bobSub.channels.get("alice:cursor").reliability()).isEqualTo(cursor.reliability());

        carolSub.stalled = true;
        int batches = 8;
        int perBatch = 10;
        for (int batch = 0; batch < batches; batch++) {
            for (int i = 0; i < perBatch; i++) {
                int n = batch * perBatch + i;
                assertThat(alicePub.endpoint.send(chat, true, message(n), 0, MESSAGE_BYTES, now))
                    .isEqualTo(SendResult.SENT);
                assertThat(alicePub.endpoint.send(cursor, false, message(n), 0, MESSAGE_BYTES, now))
                    .isEqualTo(SendResult.SENT);
            }
            int expected = (batch + 1) * perBatch;
            runUntil("bob reads batch " + batch, () -> bobSub.count("alice:chat") == expected
                && bobSub.count("alice:cursor") == expected);
        }

        List<byte[]> chatReceived = bobSub.received.get("alice:chat");
        for (int n = 0; n < batches * perBatch; n++) {
            assertThat(chatReceived.get(n)).as("message " + n).isEqualTo(message(n));
        }
        assertThat(plane.counters.channelsCutOff.get()).as("carol's reliable channel").isEqualTo(1);
        assertThat(plane.counters.messagesDropped.get()).as("carol's partially reliable one").isPositive();
        assertThat(plane.counters.messagesIn.get()).isEqualTo(2L * batches * perBatch);
    }

    @Test
    void aClosedChannelIsUnpublishedAndItsSubscribersChannelsClose() {
        DataChannel chat = alicePub.endpoint.open("chat", "", new DataChannel.Reliability(true, -1, -1), now);
        runUntil("alice's data track", () -> aliceReports.dataTracks.size() == 1);
        bob.subscribe(List.of(new SubscribedTrack("alice", aliceReports.dataTracks.get(0))));
        runUntil("bob's channel", () -> bobSub.channels.containsKey("alice:chat"));

        alicePub.endpoint.close(chat, now);

        runUntil("the track gone and bob's channel closed", () -> aliceReports.dataTracks.isEmpty()
            && bobSub.channels.isEmpty());
        assertThat(plane.counters.tracks.get()).isZero();
    }

    @Test
    void backendMessagesGoOutOnAServerChannel() {
        plane.execute(() -> plane.sendServer(bob, "news", false, "hello".getBytes()));
        plane.execute(() -> plane.sendServer(bob, "news", true, new byte[] {1, 2, 3}));

        runUntil("bob's server channel", () -> bobSub.count("server:news") == 2);
        assertThat(new String(bobSub.received.get("server:news").get(0))).isEqualTo("hello");
        assertThat(bobSub.channels.get("server:news").reliability().ordered()).isTrue();
    }

    private static byte[] message(int n) {
        byte[] bytes = new byte[MESSAGE_BYTES];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (n * 31 + i);
        }
        return bytes;
    }

    /** Runs the plane and the browsers a millisecond at a time until {@code done}, for at most 60 s of their time. */
    private void runUntil(String what, BooleanSupplier done) {
        for (int step = 0; step < 60_000; step++) {
            plane.doWork();
            for (Browser browser : browsers) {
                byte[] packet;
                while ((packet = browser.toBrowser.poll()) != null) {
                    browser.endpoint.receivePacket(packet, 0, packet.length, now);
                }
                browser.endpoint.poll(now);
            }
            plane.doWork();
            if (done.getAsBoolean()) {
                return;
            }
            now += MS;
        }
        throw new AssertionError("not within 60 s: " + what);
    }
}
