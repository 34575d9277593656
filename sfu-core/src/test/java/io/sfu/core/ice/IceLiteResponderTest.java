package io.sfu.core.ice;

import io.sfu.core.stun.StunAddress;
import io.sfu.core.stun.StunAttributeType;
import io.sfu.core.stun.StunErrorCode;
import io.sfu.core.stun.StunIntegrity;
import io.sfu.core.stun.StunKey;
import io.sfu.core.stun.StunMessage;
import io.sfu.core.stun.StunMessageType;
import io.sfu.core.stun.StunTestVectors;
import io.sfu.core.testing.Allocations;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ICE-lite responder's verdicts and responses (RFC 8445 §7.3, RFC 8489 §9.1.3). */
class IceLiteResponderTest {
    private static final IceCredentials SERVER = IceCredentials.of("srvUfrag", "serverPasswordOf24Chars+");
    private static final IceCredentials CLIENT = IceCredentials.of("cli1", "clientPasswordOf24Chars/");

    private final IceLiteResponder responder = new IceLiteResponder();
    private final IceCheckResult result = new IceCheckResult();
    private final StunMessage request = new StunMessage();
    private final StunMessage response = new StunMessage();
    private final StunIntegrity integrity = new StunIntegrity();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[256]);
    private final StunAddress source = new StunAddress().set(new InetSocketAddress("192.0.2.7", 54321));

    @Test
    void validCheckGetsSuccessWithTheSourceAddress() {
        Checks checks = Checks.from(CLIENT, SERVER);
        checks.useCandidate = true;

        IceCheckStatus status = respond(checks.build(request), CLIENT.ufragBytes());

        assertThat(status).isEqualTo(IceCheckStatus.VALID);
        assertThat(result.useCandidate()).isTrue();
        assertThat(result.priority()).isEqualTo(0x6E7F1EFFL);
        assertThat(result.tieBreaker()).isEqualTo(0x1122334455667788L);
        assertThat(result.remoteUfrag()).isEqualTo("cli1");
        assertThat(result.remoteUfragEquals(CLIENT.ufragBytes())).isTrue();
        assertThat(parseResponse().messageType()).isEqualTo(StunMessageType.BINDING_SUCCESS_RESPONSE);
        assertThat(response.transactionIdEquals(Checks.TRANSACTION_ID)).isTrue();
        StunAddress mapped = new StunAddress();
        assertThat(response.xorMappedAddress(mapped)).isTrue();
        assertThat(mapped).isEqualTo(source);
        assertThat(integrity.checkMessageIntegrity(response, SERVER.key())).isTrue();
        assertThat(integrity.checkFingerprint(response)).isTrue();
    }

    @Test
    void ipv6SourceIsEchoedAndSocketAddressOverloadWorks() {
        InetSocketAddress v6 = new InetSocketAddress("2001:db8::42", 40000);

        IceCheckStatus status = responder.respond(Checks.from(CLIENT, SERVER).build(request), SERVER, null, v6, out,
            0, 256, result);

        assertThat(status).isEqualTo(IceCheckStatus.VALID);
        StunAddress mapped = new StunAddress();
        assertThat(parseResponse().xorMappedAddress(mapped)).isTrue();
        assertThat(mapped.toInetSocketAddress()).isEqualTo(v6);
        assertThat(result.useCandidate()).isFalse();
    }

    @Test
    void anyRemoteUfragIsAcceptedUntilOneIsSignalled() {
        Checks checks = Checks.from(CLIENT, SERVER);

        assertThat(respond(checks.build(request), null)).isEqualTo(IceCheckStatus.VALID);
        assertThat(respond(checks.build(request), "other".getBytes(StandardCharsets.US_ASCII)))
            .isEqualTo(IceCheckStatus.UNAUTHORIZED);
    }

    @Test
    void wrongPasswordGetsUnsigned401() {
        Checks checks = Checks.from(CLIENT, SERVER);
        checks.key = StunKey.shortTerm("wrongPasswordOf24Chars++");

        IceCheckStatus status = respond(checks.build(request), CLIENT.ufragBytes());

        assertThat(status).isEqualTo(IceCheckStatus.UNAUTHORIZED);
        assertThat(parseResponse().errorCode()).isEqualTo(401);
        assertThat(response.hasMessageIntegrity()).as("no integrity toward an unauthenticated peer").isFalse();
        assertThat(integrity.checkFingerprint(response)).isTrue();
        assertThat(response.transactionIdEquals(Checks.TRANSACTION_ID)).isTrue();
        assertThat(result.remoteUfragLength()).isEqualTo(-1);
        assertThat(result.useCandidate()).isFalse();
    }

    @Test
    void wrongUsernameGets401() {
        Checks wrongLocal = Checks.from(CLIENT, SERVER);
        wrongLocal.username = "srvUfraX:cli1";
        Checks noColon = Checks.from(CLIENT, SERVER);
        noColon.username = "srvUfrag";
        Checks emptyRemote = Checks.from(CLIENT, SERVER);
        emptyRemote.username = "srvUfrag:";

        assertThat(respond(wrongLocal.build(request), null)).isEqualTo(IceCheckStatus.UNAUTHORIZED);
        assertThat(respond(noColon.build(request), null)).isEqualTo(IceCheckStatus.UNAUTHORIZED);
        assertThat(respond(emptyRemote.build(request), null)).isEqualTo(IceCheckStatus.UNAUTHORIZED);
    }

    @Test
    void missingUsernameOrIntegrityGetsUnsigned400() {
        Checks noUsername = Checks.from(CLIENT, SERVER);
        noUsername.username = null;
        Checks noIntegrity = Checks.from(CLIENT, SERVER);
        noIntegrity.integrity = false;

        for (Checks checks : new Checks[] {noUsername, noIntegrity}) {
            assertThat(respond(checks.build(request), null)).isEqualTo(IceCheckStatus.BAD_REQUEST);
            assertThat(parseResponse().errorCode()).isEqualTo(400);
            assertThat(response.hasMessageIntegrity()).isFalse();
        }
    }

    @Test
    void missingIceAttributesGetSigned400() {
        Checks noPriority = Checks.from(CLIENT, SERVER);
        noPriority.priority = false;
        Checks noRole = Checks.from(CLIENT, SERVER);
        noRole.controlling = false;
        Checks bothRoles = Checks.from(CLIENT, SERVER);
        bothRoles.controlled = true;
        Checks noFingerprint = Checks.from(CLIENT, SERVER);
        noFingerprint.fingerprint = false;

        for (Checks checks : new Checks[] {noPriority, noRole, bothRoles, noFingerprint}) {
            assertThat(respond(checks.build(request), null)).isEqualTo(IceCheckStatus.BAD_REQUEST);
            assertThat(parseResponse().errorCode()).isEqualTo(400);
            assertThat(response.errorReason()).isEqualTo("Bad Request");
            assertThat(integrity.checkMessageIntegrity(response, SERVER.key())).isTrue();
            assertThat(integrity.checkFingerprint(response)).isTrue();
        }
    }

    @Test
    void controlledPeerGetsRoleConflict() {
        Checks checks = Checks.from(CLIENT, SERVER);
        checks.controlling = false;
        checks.controlled = true;

        assertThat(respond(checks.build(request), null)).isEqualTo(IceCheckStatus.ROLE_CONFLICT);
        assertThat(parseResponse().errorCode()).isEqualTo(StunErrorCode.ROLE_CONFLICT);
        assertThat(response.errorReason()).isEqualTo("Role Conflict");
        assertThat(integrity.checkMessageIntegrity(response, SERVER.key())).isTrue();
    }

    @Test
    void sampleRequestOfRfc5769IsAuthenticatedButControlled() {
        // RFC 5769 §2.1: USERNAME evtj:h6vY under the RFC's password, and ICE-CONTROLLED
        byte[] bytes = StunTestVectors.load(StunTestVectors.SAMPLE_REQUEST);
        assertThat(request.wrap(new UnsafeBuffer(bytes), 0, bytes.length)).isTrue();
        IceCredentials local = IceCredentials.of("evtj", "VOkJxbRl1RmTxUk/WvJxBt");

        IceCheckStatus status = responder.respond(request, local, "h6vY".getBytes(StandardCharsets.US_ASCII),
            source, out, 0, 256, result);

        assertThat(status).isEqualTo(IceCheckStatus.ROLE_CONFLICT);
        assertThat(result.remoteUfrag()).isEqualTo("h6vY");
    }

    @Test
    void unknownComprehensionRequiredAttributeGets420ListingIt() {
        Checks checks = Checks.from(CLIENT, SERVER);
        checks.extraAttribute = 0x7F33;

        assertThat(respond(checks.build(request), null)).isEqualTo(IceCheckStatus.UNKNOWN_ATTRIBUTE);
        assertThat(parseResponse().errorCode()).isEqualTo(420);
        assertThat(response.unknownAttributesCount()).isEqualTo(1);
        assertThat(response.unknownAttribute(0)).isEqualTo(0x7F33);
        assertThat(integrity.checkMessageIntegrity(response, SERVER.key())).isTrue();
    }

    @Test
    void unknownOptionalAttributeIsIgnored() {
        Checks checks = Checks.from(CLIENT, SERVER);
        checks.extraAttribute = 0xC057;

        assertThat(respond(checks.build(request), null)).isEqualTo(IceCheckStatus.VALID);
    }

    @Test
    void badFingerprintOrNonRequestIsDiscardedSilently() {
        Checks indication = Checks.from(CLIENT, SERVER);
        indication.messageType = StunMessageType.BINDING_INDICATION;
        Checks successResponse = Checks.from(CLIENT, SERVER);
        successResponse.messageType = StunMessageType.BINDING_SUCCESS_RESPONSE;

        assertThat(respond(indication.build(request), null)).isEqualTo(IceCheckStatus.DISCARDED);
        assertThat(respond(successResponse.build(request), null)).isEqualTo(IceCheckStatus.DISCARDED);
        StunMessage check = Checks.from(CLIENT, SERVER).build(request);
        int fingerprintValue = check.fingerprintCursor() + 4;
        check.buffer().byteArray()[fingerprintValue] ^= 1;
        assertThat(respond(check, null)).isEqualTo(IceCheckStatus.DISCARDED);
        assertThat(result.responseLength()).isZero();
        assertThat(IceCheckStatus.DISCARDED.hasResponse()).isFalse();
    }

    @Test
    void responseMayOverwriteTheRequestInPlace() {
        Checks nominating = Checks.from(CLIENT, SERVER);
        nominating.useCandidate = true;
        nominating.extraAttribute = 0x7F33;
        Checks plain = Checks.from(CLIENT, SERVER);
        plain.useCandidate = true;

        for (Checks checks : new Checks[] {plain, nominating}) {
            StunMessage check = checks.build(request);
            UnsafeBuffer packet = (UnsafeBuffer) check.buffer();
            IceCheckStatus status = responder.respond(check, SERVER, null, source, packet, 0, packet.capacity(),
                result);

            assertThat(status).isIn(IceCheckStatus.VALID, IceCheckStatus.UNKNOWN_ATTRIBUTE);
            assertThat(result.useCandidate()).isEqualTo(status == IceCheckStatus.VALID);
            assertThat(response.wrap(packet, 0, result.responseLength())).isTrue();
            assertThat(response.transactionIdEquals(Checks.TRANSACTION_ID)).isTrue();
            assertThat(integrity.checkMessageIntegrity(response, SERVER.key())).isTrue();
            if (status == IceCheckStatus.UNKNOWN_ATTRIBUTE) {
                assertThat(response.unknownAttribute(0)).isEqualTo(0x7F33);
            }
        }
    }

    @Test
    void tooSmallResponseBufferIsRefused() {
        StunMessage check = Checks.from(CLIENT, SERVER).build(request);

        assertThatThrownBy(() -> responder.respond(check, SERVER, null, source, out, 0, 64, result))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void answeringACheckAllocatesNothing() {
        Checks checks = Checks.from(CLIENT, SERVER);
        checks.useCandidate = true;
        StunMessage check = checks.build(request);
        byte[] remote = CLIENT.ufragBytes();
        int[] invalid = new int[1];

        Runnable answer = () -> {
            check.wrap(check.buffer(), 0, check.length());
            if (responder.respond(check, SERVER, remote, source, out, 0, 256, result) != IceCheckStatus.VALID) {
                invalid[0]++;
            }
        };
        // other tests in this class took the error paths first: let the JIT settle on this one before measuring
        Allocations.bytesAllocated(answer, 200_000, 0);
        double bytesPerRun = Allocations.bytesPerRun(answer);

        assertThat(invalid[0]).isZero();
        assertThat(bytesPerRun).isZero();
    }

    @Test
    void mutatedChecksNeverThrowAndNeverPassWithAnAlteredCoveredByte() {
        SplittableRandom random = new SplittableRandom(7_1234L);
        Checks checks = Checks.from(CLIENT, SERVER);
        checks.useCandidate = true;
        StunMessage valid = checks.build(new StunMessage());
        byte[] original = new byte[valid.length()];
        valid.buffer().getBytes(0, original);
        int covered = valid.messageIntegrityCursor();
        for (int i = 0; i < 20_000; i++) {
            byte[] mutant = original.clone();
            int position = random.nextInt(mutant.length);
            mutant[position] ^= (byte) random.nextInt(1, 256);
            try {
                if (request.wrap(new UnsafeBuffer(mutant), 0, mutant.length)) {
                    IceCheckStatus status = respond(request, CLIENT.ufragBytes());
                    if (position < covered) {
                        assertThat(status).as("byte %d altered (seed 71234, case %d)", position, i)
                            .isNotEqualTo(IceCheckStatus.VALID);
                    }
                }
            } catch (RuntimeException e) {
                throw new AssertionError("case " + i + " threw on " + HexFormat.of().formatHex(mutant), e);
            }
        }
    }

    private IceCheckStatus respond(StunMessage check, byte[] remoteUfrag) {
        return responder.respond(check, SERVER, remoteUfrag, source, out, 0, 256, result);
    }

    private StunMessage parseResponse() {
        assertThat(response.wrap(out, 0, result.responseLength())).isTrue();
        return response;
    }
}
