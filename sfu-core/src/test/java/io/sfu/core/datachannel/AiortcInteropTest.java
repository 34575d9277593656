package io.sfu.core.datachannel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Our SCTP and data channels against an independent stack: aiortc (Debian's python3-aiortc), its SCTP packets in
 * plain UDP datagrams on localhost. aiortc opens channels and checks its messages come back (we echo them), we
 * open one and aiortc echoes it; then aiortc closes its channel by stream reset. Skipped where aiortc is not
 * installed; the browser tests are the other interop check.
 */
class AiortcInteropTest {
    private static final String PYTHON = "/usr/bin/python3";
    /** With this set to true (as scripts/test does as root), a missing aiortc fails the test instead of skipping it. */
    static final String REQUIRE_PROPERTY = "sfu.requireInterop";

    private static boolean aiortcInstalled() {
        try {
            Process probe = new ProcessBuilder(PYTHON, "-c", "import aiortc.rtcsctptransport")
                .redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void aiortcAndWeEstablishExchangeMessagesBothWaysAndCloseAChannel() throws Exception {
        boolean installed = aiortcInstalled();
        if (Boolean.getBoolean(REQUIRE_PROPERTY)) {
            assertThat(installed).as("python3-aiortc, which -D" + REQUIRE_PROPERTY + "=true requires").isTrue();
        }
        assumeTrue(installed, "python3-aiortc is not installed");
        Path script = Files.createTempFile("aiortc_interop", ".py");
        try (InputStream in = getClass().getResourceAsStream("aiortc_interop.py");
             DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Files.write(script, in.readAllBytes());
            socket.setSoTimeout(5);
            SocketAddress[] peer = new SocketAddress[1];
            List<String> events = new ArrayList<>();
            DataChannel[] ours = new DataChannel[1];
            List<byte[]> echoedToUs = new ArrayList<>();
            DataChannelEndpoint[] endpoint = new DataChannelEndpoint[1];
            DataChannelEndpoint.Listener listener = new DataChannelEndpoint.Listener() {
                @Override
                public void onChannelOpen(DataChannel channel) {
                    events.add("open " + channel.label() + " " + channel.streamId());
                }

                @Override
                public void onMessage(DataChannel channel, boolean binary, byte[] buf, int off, int len) {
                    if (channel == ours[0]) {
                        echoedToUs.add(java.util.Arrays.copyOfRange(buf, off, off + len));
                    } else {
                        endpoint[0].send(channel, binary, buf, off, len, System.nanoTime());
                    }
                }

                @Override
                public void onChannelClosed(DataChannel channel) {
                    events.add("closed " + channel.label());
                    if (ours[0] != null && channel != ours[0]) {
                        byte[] note = "closed-seen".getBytes(StandardCharsets.UTF_8);
                        endpoint[0].send(ours[0], false, note, 0, note.length, System.nanoTime());
                    }
                }

                @Override
                public void onClosed(String reason) {
                    events.add("association closed: " + reason);
                }
            };
            endpoint[0] = new DataChannelEndpoint(DataChannelConfig.defaults(), true, (buf, off, len) -> {
                if (peer[0] != null) {
                    try {
                        socket.send(new DatagramPacket(buf, off, len, peer[0]));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, listener, System.nanoTime());

            Process python = new ProcessBuilder(PYTHON, script.toString(), Integer.toString(socket.getLocalPort()))
                .redirectErrorStream(true).start();
            StringBuilder output = new StringBuilder();
            Thread reader = new Thread(() -> {
                try {
                    output.append(new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    output.append(e);
                }
            });
            reader.start();
            byte[] buffer = new byte[65536];
            DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (python.isAlive() && System.nanoTime() < deadline) {
                try {
                    datagram.setLength(buffer.length);
                    socket.receive(datagram);
                    if (peer[0] == null) {
                        peer[0] = datagram.getSocketAddress();
                        endpoint[0].connect(System.nanoTime());
                    }
                    endpoint[0].receivePacket(buffer, 0, datagram.getLength(), System.nanoTime());
                } catch (SocketTimeoutException e) {
                    // nothing arrived: run the timers
                }
                long now = System.nanoTime();
                endpoint[0].poll(now);
                if (ours[0] == null && endpoint[0].isEstablished() && endpoint[0].channelCount() > 0) {
                    ours[0] = endpoint[0].open("from-java", "", DataChannel.Reliability.RELIABLE, now);
                    byte[] text = "java-says-hi".getBytes(StandardCharsets.UTF_8);
                    endpoint[0].send(ours[0], false, text, 0, text.length, now);
                    byte[] big = new byte[40_000];
                    new java.util.Random(5).nextBytes(big);
                    endpoint[0].send(ours[0], true, big, 0, big.length, now);
                }
            }
            python.destroy();
            reader.join(5000);
            assertThat(python.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(output.toString()).as("aiortc says: %s; we saw %s", output, events).contains("PASS");
            assertThat(python.exitValue()).isZero();
            assertThat(events).contains("open interop 1", "open from-java 0", "closed interop");
            assertThat(echoedToUs).hasSizeGreaterThanOrEqualTo(2);
            assertThat(new String(echoedToUs.get(0), StandardCharsets.UTF_8)).isEqualTo("java-says-hi");
            assertThat(echoedToUs.get(1)).hasSize(40_000);
            assertThat(endpoint[0].sctpCounters().malformedPackets()).isZero();
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
