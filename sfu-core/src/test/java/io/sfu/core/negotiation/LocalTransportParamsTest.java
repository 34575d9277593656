package io.sfu.core.negotiation;

import io.sfu.core.sdp.Candidate;
import io.sfu.core.sdp.Fingerprint;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalTransportParamsTest {

    private static final Fingerprint FP = Fixtures.LOCAL.fingerprint();

    @Test
    void hostCandidatePriorityFollowsRfc8445Section5_1_2_1() {
        // 2^24 * 126 + 2^8 * 65535 + (256 - 1): the highest priority a host candidate of component 1 can have
        assertThat(LocalTransportParams.priority(126, 65535, 1)).isEqualTo(2_130_706_431L);
        assertThat(LocalTransportParams.priority(126, 0, 1)).isEqualTo((126L << 24) + 255);
        assertThat(LocalTransportParams.priority(0, 0, 256)).isZero();
    }

    @Test
    void oneHostUdpCandidatePerAddressWithDistinctPrioritiesAndFoundations() {
        LocalTransportParams p = new LocalTransportParams("abcd", "0123456789012345678901", FP, List.of(
            new InetSocketAddress("127.0.0.1", 10000), new InetSocketAddress("192.0.2.1", 10000),
            new InetSocketAddress("::1", 10000)));

        List<Candidate> candidates = p.hostCandidates();

        assertThat(candidates).extracting(Candidate::toCandidateLine).containsExactly(
            "candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host",
            "candidate:2 1 udp 2130706175 192.0.2.1 10000 typ host",
            "candidate:3 1 udp 2130705919 ::1 10000 typ host");
        assertThat(candidates).extracting(Candidate::priority).doesNotHaveDuplicates();
        assertThat(candidates).extracting(Candidate::foundation).doesNotHaveDuplicates();
    }

    @Test
    void withIceTcpEachAddressAlsoGetsAPassiveTcpCandidateBelowEveryUdpOne() throws Exception {
        LocalTransportParams p = new LocalTransportParams("abcd", "0123456789012345678901", FP, List.of(
            new InetSocketAddress("127.0.0.1", 10000), new InetSocketAddress("192.0.2.1", 10000)), 10001);

        List<Candidate> candidates = p.hostCandidates();

        // RFC 6544 §4.2: local preference 2^13 * 4 (passive host) + 8191 - i
        assertThat(candidates).extracting(Candidate::toCandidateLine).containsExactly(
            "candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host",
            "candidate:3 1 tcp 2124414975 127.0.0.1 10001 typ host tcptype passive",
            "candidate:2 1 udp 2130706175 192.0.2.1 10000 typ host",
            "candidate:4 1 tcp 2124414719 192.0.2.1 10001 typ host tcptype passive");
        long lowestUdp = candidates.stream().filter(Candidate::isUdp).mapToLong(Candidate::priority).min()
            .orElseThrow();
        assertThat(candidates).filteredOn(Candidate::isTcp).extracting(Candidate::priority)
            .allMatch(priority -> priority < lowestUdp);
        assertThat(candidates).extracting(Candidate::foundation).doesNotHaveDuplicates();
        // what is written parses back the same, as a browser's answer would quote it
        for (Candidate candidate : candidates) {
            assertThat(Candidate.parseLine(candidate.toCandidateLine())).isEqualTo(candidate);
        }
        assertThat(p.withNewCredentials(new SplittableRandom(1)).tcpPort()).isEqualTo(10001);
    }

    @Test
    void ipv6AddressesAreWrittenInTheRfc5952FormWithoutZone() throws Exception {
        assertThat(LocalTransportParams.addressText(InetAddress.getByName("::1"))).isEqualTo("::1");
        assertThat(LocalTransportParams.addressText(InetAddress.getByName("2001:db8:0:0:0:0:2:1")))
            .isEqualTo("2001:db8::2:1");
        // the first of two equally long zero runs is compressed; a single zero group is not
        assertThat(LocalTransportParams.addressText(InetAddress.getByName("2001:db8:0:0:1:0:0:1")))
            .isEqualTo("2001:db8::1:0:0:1");
        assertThat(LocalTransportParams.addressText(InetAddress.getByName("2001:db8:0:1:1:1:1:1")))
            .isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(LocalTransportParams.addressText(InetAddress.getByName("fe80::1%1"))).isEqualTo("fe80::1");
        assertThat(LocalTransportParams.addressText(InetAddress.getByName("::"))).isEqualTo("::");
        assertThat(LocalTransportParams.addressText(InetAddress.getByName("1::"))).isEqualTo("1::");
    }

    @Test
    void fingerprintMayBeGivenAsText() {
        LocalTransportParams p = LocalTransportParams.of("abcd", "0123456789012345678901", "sha-256 AB:CD:EF",
            List.of(new InetSocketAddress("127.0.0.1", 1)));

        assertThat(p.fingerprint()).isEqualTo(new Fingerprint("sha-256", "AB:CD:EF"));
        assertThatThrownBy(() -> LocalTransportParams.of("abcd", "0123456789012345678901", "sha-256 XY",
            List.of(new InetSocketAddress("127.0.0.1", 1)))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidCredentialsAndAddressesAreRejected() {
        List<InetSocketAddress> one = List.of(new InetSocketAddress("127.0.0.1", 1));
        assertThatThrownBy(() -> new LocalTransportParams("abc", "0123456789012345678901", FP, one))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LocalTransportParams("ab:d", "0123456789012345678901", FP, one))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LocalTransportParams("abcd", "short", FP, one))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LocalTransportParams("abcd", "0123456789012345678901", FP, List.of()))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LocalTransportParams("abcd", "0123456789012345678901", FP,
            List.of(new InetSocketAddress("0.0.0.0", 1)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LocalTransportParams("abcd", "0123456789012345678901", FP,
            List.of(InetSocketAddress.createUnresolved("sfu.example", 1)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LocalTransportParams("abcd", "0123456789012345678901", FP,
            List.of(new InetSocketAddress("127.0.0.1", 0)))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomCredentialsAreIceCharsOfUsableLengthAndChangeOnRestart() {
        LocalTransportParams p = LocalTransportParams.withRandomCredentials(FP,
            List.of(new InetSocketAddress("127.0.0.1", 1)), new SplittableRandom(9));
        LocalTransportParams q = p.withNewCredentials(new SplittableRandom(10));

        assertThat(p.iceUfrag()).hasSize(8).matches("[A-Za-z0-9+/]+");
        assertThat(p.icePwd()).hasSize(24).matches("[A-Za-z0-9+/]+");
        assertThat(q.iceUfrag()).isNotEqualTo(p.iceUfrag());
        assertThat(q.icePwd()).isNotEqualTo(p.icePwd());
        assertThat(q.addresses()).isEqualTo(p.addresses());
        assertThat(q.fingerprint()).isEqualTo(p.fingerprint());
    }
}
