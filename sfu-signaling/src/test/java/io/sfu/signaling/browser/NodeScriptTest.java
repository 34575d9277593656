package io.sfu.signaling.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/** The runner of the browser scenarios: a script that hangs is killed with its children; a missing result fails. */
@Tag("browser")
class NodeScriptTest {
    private static final String UNUSED_URL = "http://127.0.0.1:9";

    @TempDir
    Path dir;

    @BeforeEach
    void needsNode() {
        BrowserEnvironment.requireOrSkip();
    }

    @Test
    void aScriptThatOutlivesItsTimeoutIsKilledWithItsChildren() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        assertThatThrownBy(() -> NodeScript.run(Duration.ofSeconds(3), "fixtures/hang.mjs", UNUSED_URL,
            "--pid-file", pidFile.toString()))
            .isInstanceOf(AssertionFailedError.class)
            .hasMessageContaining("did not finish within 3000 ms and was killed");
        assertThat(pidFile).as("the fixture started its child").exists();
        long childPid = Long.parseLong(Files.readString(pidFile).trim());
        Optional<ProcessHandle> child = ProcessHandle.of(childPid);
        if (child.isPresent()) {
            try {
                // a killed process is gone once it is reaped, which onExit waits for
                child.get().onExit().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                // still alive: the assertion below says so
            }
        }
        assertThat(ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false))
            .as("child %d of the killed script", childPid).isFalse();
    }

    @Test
    void aScriptThatPrintsNoResultFailsTheTestWithItsOutput() throws Exception {
        NodeScript.Result result = NodeScript.run(Duration.ofSeconds(30), "fixtures/no-result.mjs", UNUSED_URL);
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.json()).isNull();
        assertThatThrownBy(result::assertPassed).isInstanceOf(AssertionFailedError.class)
            .hasMessageContaining("printed no JSON result (exit code 3)")
            .hasMessageContaining("not a result");
    }
}
