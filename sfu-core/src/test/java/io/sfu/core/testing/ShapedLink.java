package io.sfu.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * A real network link for tests: a veth pair from this network namespace into one the test creates, addressed
 * 10.237.N.1 (here) and 10.237.N.2 (there), with a token bucket ({@code tc tbf}) shaping what leaves this side.
 * Needs root and iproute2; without them the test fails when {@code -Dsfu.requireNetns=true} (as {@code scripts/test}
 * runs as root) and is skipped otherwise. {@link #close()} removes the namespace and both ends of the pair.
 */
public final class ShapedLink implements AutoCloseable {
    /** When true, a missing iproute2 or missing privileges fail the test instead of skipping it. */
    public static final String REQUIRE_PROPERTY = "sfu.requireNetns";
    private static final AtomicInteger NEXT = new AtomicInteger();

    private final String namespace;
    private final String localDevice;
    private final InetAddress local;
    private final InetAddress remote;

    private ShapedLink(String namespace, String localDevice, InetAddress local, InetAddress remote) {
        this.namespace = namespace;
        this.localDevice = localDevice;
        this.local = local;
        this.remote = remote;
    }

    /**
     * Makes the link; what this side sends leaves at {@code rateKbit} kbit/s, and up to {@code queueBytes} wait in
     * the shaper (beyond that the shaper drops).
     */
    public static ShapedLink create(int rateKbit, int queueBytes) throws IOException, InterruptedException {
        requireOrSkip();
        long pid = ProcessHandle.current().pid();
        int n = NEXT.incrementAndGet();
        int subnet = (int) ((pid * 7 + n) % 250) + 1;
        String namespace = "sfu-t-" + pid + "-" + n;
        String here = "sfu" + (pid % 100_000) + "a" + n;
        String there = "sfu" + (pid % 100_000) + "b" + n;
        InetAddress local = InetAddress.getByName("10.237." + subnet + ".1");
        InetAddress remote = InetAddress.getByName("10.237." + subnet + ".2");
        ShapedLink link = new ShapedLink(namespace, here, local, remote);
        try {
            run("ip", "netns", "add", namespace);
            run("ip", "link", "add", here, "type", "veth", "peer", "name", there, "netns", namespace);
            run("ip", "addr", "add", local.getHostAddress() + "/30", "dev", here);
            run("ip", "link", "set", here, "up");
            run("ip", "netns", "exec", namespace, "ip", "addr", "add", remote.getHostAddress() + "/30", "dev", there);
            run("ip", "netns", "exec", namespace, "ip", "link", "set", there, "up");
            // a known neighbour: datagrams go straight to the shaper instead of waiting on address resolution
            String mac = run("ip", "netns", "exec", namespace, "cat", "/sys/class/net/" + there + "/address").trim();
            run("ip", "neigh", "replace", remote.getHostAddress(), "lladdr", mac, "dev", here, "nud", "permanent");
            run("tc", "qdisc", "add", "dev", here, "root", "tbf", "rate", rateKbit + "kbit", "burst", "1600",
                "limit", Integer.toString(queueBytes));
        } catch (IOException | RuntimeException e) {
            link.close();
            throw e;
        }
        return link;
    }

    /** This side's address. */
    public InetAddress localAddress() {
        return local;
    }

    /** The test's network namespace, where the far side lives. */
    public String namespace() {
        return namespace;
    }

    /** This side's device: its egress is what the shaper limits. */
    public String device() {
        return localDevice;
    }

    /**
     * Drops every UDP datagram the far side sends through the link, as networks that allow only TCP do: a policy
     * rule sends UDP to a routing table whose only route is a blackhole (this kernel has no netem). Traffic inside
     * the namespace stays, since its local routes are looked up first; the rule goes with the namespace.
     */
    public void blockUdpFromTheFarSide() throws IOException, InterruptedException {
        run("ip", "netns", "exec", namespace, "ip", "route", "add", "blackhole", "default", "table", "100");
        run("ip", "netns", "exec", namespace, "ip", "rule", "add", "ipproto", "udp", "table", "100");
    }

    /** The far side's address, in the test's namespace. */
    public InetAddress remoteAddress() {
        return remote;
    }

    @Override
    public void close() {
        // deleting one end of a veth pair deletes both
        quietly("ip", "link", "del", localDevice);
        quietly("ip", "netns", "del", namespace);
    }

    private static void requireOrSkip() {
        String missing = null;
        if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))
            && !Files.isExecutable(Path.of("/usr/bin/ip"))) {
            missing = "iproute2 (ip, tc)";
        } else if (!"root".equals(System.getProperty("user.name"))) {
            missing = "root, to make a network namespace";
        }
        if (missing == null) {
            return;
        }
        String message = "a shaped link needs " + missing;
        if (Boolean.getBoolean(REQUIRE_PROPERTY)) {
            fail(message + "; -D" + REQUIRE_PROPERTY + "=true does not let the test be skipped");
        }
        Assumptions.abort(message + "; skipped (with -D" + REQUIRE_PROPERTY + "=true this is a failure)");
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish");
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + output);
        }
        return output;
    }

    private static void quietly(String... command) {
        try {
            run(command);
        } catch (IOException e) {
            // already gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
