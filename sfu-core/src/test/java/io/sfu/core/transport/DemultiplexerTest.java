package io.sfu.core.transport;

import io.sfu.core.buffer.PacketPool;
import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.dtls.DtlsCertificate;
import io.sfu.core.dtls.DtlsConfig;
import io.sfu.core.dtls.DtlsEndpoint;
import io.sfu.core.dtls.DtlsFingerprint;
import io.sfu.core.dtls.DtlsRole;
import io.sfu.core.ice.IceCredentials;
import io.sfu.core.ice.IceLiteSession;
import io.sfu.core.net.DatagramKind;
import io.sfu.core.net.PeerPathListener;
import io.sfu.core.srtp.SrtpContext;
import io.sfu.core.srtp.SrtpProfile;
import io.sfu.core.stun.StunIntegrity;
import io.sfu.core.stun.StunMessageType;
import io.sfu.core.stun.StunMessageWriter;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 7983 demultiplexing on the shared port: a path becomes known only through a valid ICE check, media of a
 * known path goes to its transport's receiver classified once, and everything else is dropped and counted.
 */
class DemultiplexerTest {
    static final IceCredentials LOCAL = IceCredentials.of("sfuufrag", "sfupassword0123456789ab");
    static final IceCredentials REMOTE = IceCredentials.of("peerufrag", "peerpassword0123456789a");

    private final List<InetSocketAddress> answeredTo = new ArrayList<>();
    private final Demultiplexer demultiplexer = new Demultiplexer((datagram, target) -> {
        answeredTo.add(target);
        datagram.position(datagram.limit());
        return true;
    });
    private final PacketPool pool = new PacketPool(16);
    private final Receiver receiver = new Receiver();
    private final WebRtcTransport transport = new WebRtcTransport("t", new IceLiteSession(LOCAL, System::nanoTime));

    /** Records what the transport hands to the forwarding side. */
    private static final class Receiver implements MediaReceiver {
        final List<Integer> kinds = new ArrayList<>();
        final List<InetSocketAddress> paths = new ArrayList<>();
        boolean acceptPaths = true;

        @Override
        public boolean onMedia(PacketSlot slot) {
            kinds.add(slot.kind());
            return false;
        }

        @Override
        public boolean onPathSelected(InetSocketAddress path) {
            if (acceptPaths) {
                paths.add(path);
            }
            return acceptPaths;
        }
    }

    DemultiplexerTest() {
        transport.receiver(receiver);
        transport.ice().remoteCredentials(REMOTE);
        demultiplexer.register(LOCAL.ufrag(), transport);
    }

    private static InetSocketAddress address(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    private boolean receive(InetSocketAddress from, byte[] datagram) {
        PacketSlot slot = pool.acquire();
        slot.buffer().putBytes(0, datagram);
        slot.data(0, datagram.length);
        slot.source(from);
        boolean kept = demultiplexer.onDatagram(slot);
        if (!kept) {
            slot.release();
        }
        return kept;
    }

    private static byte[] check(IceCredentials key, boolean useCandidate) {
        return check(LOCAL, key, useCandidate);
    }

    /** A check naming {@code local}'s ufrag, its integrity keyed with {@code key}. */
    static byte[] check(IceCredentials local, IceCredentials key, boolean useCandidate) {
        org.agrona.concurrent.UnsafeBuffer scratch = new org.agrona.concurrent.UnsafeBuffer(new byte[512]);
        StunMessageWriter writer = new StunMessageWriter().wrap(scratch, 0, 512)
            .header(StunMessageType.BINDING_REQUEST, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
            .username((local.ufrag() + ":" + REMOTE.ufrag()).getBytes(StandardCharsets.US_ASCII))
            .priority(0x6E7F1EFFL).iceControlling(1);
        if (useCandidate) {
            writer.useCandidate();
        }
        StunIntegrity integrity = new StunIntegrity();
        writer.messageIntegrity(integrity, key.key()).fingerprint(integrity);
        byte[] bytes = new byte[writer.length()];
        scratch.getBytes(0, bytes);
        return bytes;
    }

    private static byte[] rtp() {
        byte[] packet = new byte[40];
        packet[0] = (byte) 0x80;
        packet[1] = 96;
        return packet;
    }

    private static byte[] rtcp() {
        byte[] packet = new byte[40];
        packet[0] = (byte) 0x81;
        packet[1] = (byte) 201;
        return packet;
    }

    private void haveKeys() {
        SrtpProfile profile = SrtpProfile.SRTP_AEAD_AES_128_GCM;
        byte[] key = new byte[profile.masterKeyLength()];
        byte[] salt = new byte[profile.masterSaltLength()];
        transport.installKeys(SrtpContext.forReceiving(profile, key, salt), SrtpContext.forSending(profile, key, salt));
    }

    @Test
    void aValidCheckIsAnsweredAndSelectsItsPath() {
        receive(address(5000), check(LOCAL, true));

        assertThat(answeredTo).containsExactly(address(5000));
        assertThat(receiver.paths).containsExactly(address(5000));
        assertThat(transport.selectedPath()).isEqualTo(address(5000));
        assertThat(demultiplexer.iceChecksValid()).isEqualTo(1);
    }

    @Test
    void mediaOfAKnownPathGoesOnOnlyOnceTheKeysAreThereClassifiedOnce() {
        receive(address(5000), check(LOCAL, true));
        receive(address(5000), rtp());
        assertThat(receiver.kinds).isEmpty();
        assertThat(demultiplexer.droppedNotReady()).isEqualTo(1);

        haveKeys();
        receive(address(5000), rtp());
        receive(address(5000), rtcp());

        assertThat(receiver.kinds).containsExactly(DatagramKind.RTP.ordinal(), DatagramKind.RTCP.ordinal());
    }

    @Test
    void anythingFromAnUnknownPathIsDroppedAndCountedAndNeverAnswered() {
        haveKeys();
        receive(address(6000), rtp());
        receive(address(6000), new byte[] {22, (byte) 0xFE, (byte) 0xFD, 0});
        receive(address(6000), check(REMOTE, true));
        receive(address(6000), new byte[] {100, 1, 2});

        assertThat(demultiplexer.droppedUnknown()).isEqualTo(3);
        assertThat(demultiplexer.iceChecksRefused()).isEqualTo(1);
        assertThat(answeredTo).as("only the 401 to the check with the wrong key").hasSize(1);
        assertThat(receiver.kinds).isEmpty();
        assertThat(receiver.paths).isEmpty();
    }

    @Test
    void aPathTheForwardingSideCouldNotTakeIsOfferedAgainWithTheNextCheck() {
        receiver.acceptPaths = false;
        receive(address(5000), check(LOCAL, true));
        assertThat(transport.selectedPath()).isNull();

        receiver.acceptPaths = true;
        receive(address(5000), check(LOCAL, true));

        assertThat(receiver.paths).containsExactly(address(5000));
        assertThat(transport.selectedPath()).isEqualTo(address(5000));
    }

    @Test
    void aNewPathBeyondTheBoundTakesThePlaceOfTheLeastRecentlyCheckedOneNeverTheSelected() {
        haveKeys();
        for (int i = 0; i < WebRtcTransport.MAX_PATHS; i++) {
            receive(address(7000 + i), check(LOCAL, false));
        }
        // 7000 is selected (the first path, before nomination); 7001 checks again, so 7002 is the least recent
        receive(address(7001), check(LOCAL, false));

        receive(address(7000 + WebRtcTransport.MAX_PATHS), check(LOCAL, false));
        for (int i = 0; i <= WebRtcTransport.MAX_PATHS; i++) {
            receive(address(7000 + i), rtp());
        }

        assertThat(demultiplexer.pathsEvicted()).isEqualTo(1);
        assertThat(receiver.kinds).as("media of every kept path, the newest included").hasSize(WebRtcTransport.MAX_PATHS);
        assertThat(demultiplexer.droppedUnknown()).as("media of the evicted path 7002").isEqualTo(1);
        assertThat(transport.selectedPath()).isEqualTo(address(7000));

        receive(address(7002), check(LOCAL, false));
        receive(address(7002), rtp());
        assertThat(receiver.kinds).as("a path evicted comes back with its next check").hasSize(WebRtcTransport.MAX_PATHS + 1);
        assertThat(demultiplexer.pathsEvicted()).isEqualTo(2);
    }

    @Test
    void aCheckFromAnAddressAnotherLiveTransportHoldsIsDroppedUnansweredAndCounted() {
        haveKeys();
        receive(address(5000), check(LOCAL, true));
        Receiver otherReceiver = new Receiver();
        WebRtcTransport other = otherTransport(otherReceiver);
        answeredTo.clear();

        receive(address(5000), check(OTHER, OTHER, true));
        receive(address(5000), rtp());

        assertThat(demultiplexer.pathTakeoversRefused()).isEqualTo(1);
        assertThat(answeredTo).as("no answer to the spoofed check").isEmpty();
        assertThat(other.selectedPath()).isNull();
        assertThat(otherReceiver.paths).isEmpty();
        assertThat(receiver.kinds).as("the address still leads to its transport")
            .containsExactly(DatagramKind.RTP.ordinal());
    }

    @Test
    void theAddressOfAClosedTransportCanBeTakenByAnother() {
        receive(address(5000), check(LOCAL, true));
        Receiver otherReceiver = new Receiver();
        WebRtcTransport other = otherTransport(otherReceiver);
        transport.close();

        receive(address(5000), check(OTHER, OTHER, true));

        assertThat(demultiplexer.pathTakeoversRefused()).isZero();
        assertThat(other.selectedPath()).isEqualTo(address(5000));
    }

    /** An endpoint whose handshake task is kept, not run, so the test sees when it was started. */
    private DtlsEndpoint endpoint(DtlsRole role, List<Runnable> started) {
        DtlsCertificate certificate = DtlsCertificate.generate();
        return new DtlsEndpoint(role, certificate, DtlsFingerprint.parse(certificate.fingerprint()),
            (data, offset, length) -> { }, started::add, DtlsConfig.defaults());
    }

    private static final byte[] CLIENT_HELLO = {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1};

    @Test
    void asDtlsServerTheHandshakeStartsAtThePeersFirstRecordNotWhenItIsInstalled() {
        List<Runnable> started = new ArrayList<>();
        DtlsEndpoint dtls = endpoint(DtlsRole.SERVER, started);
        receive(address(5000), check(LOCAL, true));
        transport.dtls(dtls);
        assertThat(dtls.state()).isEqualTo(DtlsEndpoint.State.NEW);

        receive(address(5000), CLIENT_HELLO);
        receive(address(5000), CLIENT_HELLO);

        assertThat(dtls.state()).isEqualTo(DtlsEndpoint.State.HANDSHAKING);
        assertThat(started).hasSize(1);
        assertThat(dtls.queuedDatagrams()).isEqualTo(2);
    }

    @Test
    void aRecordThatCameBeforeTheHandshakeWasInstalledStartsItOnInstallation() {
        List<Runnable> started = new ArrayList<>();
        DtlsEndpoint dtls = endpoint(DtlsRole.SERVER, started);
        receive(address(5000), check(LOCAL, true));
        receive(address(5000), CLIENT_HELLO);

        transport.dtls(dtls);

        assertThat(started).hasSize(1);
        assertThat(dtls.queuedDatagrams()).isEqualTo(1);
    }

    @Test
    void asDtlsClientTheHandshakeStartsOnceIceFoundAPathBeforeOrAfterItIsInstalled() {
        List<Runnable> started = new ArrayList<>();
        DtlsEndpoint dtls = endpoint(DtlsRole.CLIENT, started);
        transport.dtls(dtls);
        assertThat(started).isEmpty();
        receive(address(5000), check(LOCAL, false));
        assertThat(started).hasSize(1);

        Receiver laterReceiver = new Receiver();
        WebRtcTransport later = otherTransport(laterReceiver);
        receive(address(6000), check(OTHER, OTHER, true));
        DtlsEndpoint laterDtls = endpoint(DtlsRole.CLIENT, started);
        later.dtls(laterDtls);
        assertThat(laterDtls.state()).isEqualTo(DtlsEndpoint.State.HANDSHAKING);
        assertThat(started).hasSize(2);
    }

    private static final IceCredentials OTHER = IceCredentials.of("otherufrag", "otherpassword0123456789");

    /** A second transport, of another participant, reachable by checks with {@link #OTHER}'s credentials. */
    private WebRtcTransport otherTransport(Receiver otherReceiver) {
        WebRtcTransport other = new WebRtcTransport("other", new IceLiteSession(OTHER, System::nanoTime));
        other.receiver(otherReceiver);
        other.ice().remoteCredentials(REMOTE);
        demultiplexer.register(OTHER.ufrag(), other);
        return other;
    }

    @Test
    void aClosedTransportIsForgotten() {
        haveKeys();
        receive(address(5000), check(LOCAL, true));
        transport.close();

        receive(address(5000), rtp());
        receive(address(5000), check(LOCAL, true));

        assertThat(receiver.kinds).isEmpty();
        assertThat(demultiplexer.droppedUnknown()).isEqualTo(2);
    }

    @Test
    void aClosedTransportIsLetGoOfWhenTheSocketFallsIdleWithoutWaitingForADatagram() {
        List<InetSocketAddress> forgotten = new ArrayList<>();
        demultiplexer.pathListener(new PeerPathListener() {
            @Override
            public void onPathValidated(InetSocketAddress path) {
            }

            @Override
            public void onPathForgotten(InetSocketAddress path) {
                forgotten.add(path);
            }
        });
        receive(address(5000), check(LOCAL, false));
        receive(address(5001), check(LOCAL, true));
        transport.close();
        demultiplexer.forget(transport);
        assertThat(forgotten).as("the selected path at once, the other on the receive thread")
            .containsExactly(address(5001));

        demultiplexer.onIdle();

        assertThat(forgotten).containsExactlyInAnyOrder(address(5000), address(5001), address(5001));
    }
}
