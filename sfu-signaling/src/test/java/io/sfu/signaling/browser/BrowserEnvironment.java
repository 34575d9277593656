package io.sfu.signaling.browser;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * What the browser tests need (Chromium at /usr/bin/chromium, Node 20 or newer, {@code npm ci}'s playwright-core)
 * and the rule when something is missing: with {@code -Dsfu.requireBrowser=true} (as {@code scripts/test} and CI
 * run) the test fails, so browser tests are never skipped silently; otherwise it is skipped, saying what is missing.
 */
final class BrowserEnvironment {
    static final String REQUIRE_PROPERTY = "sfu.requireBrowser";
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final int MIN_NODE_MAJOR = 20;
    private static final Pattern NODE_VERSION = Pattern.compile("v(\\d+)\\.");
    private static String missing;
    private static boolean checked;

    private BrowserEnvironment() {
    }

    /** The scenario scripts: {@code sfu.browser.scripts} (set by the pom), else src/test/browser of the module. */
    static Path scripts() {
        String configured = System.getProperty("sfu.browser.scripts");
        return (configured != null ? Path.of(configured) : Path.of("src", "test", "browser")).toAbsolutePath();
    }

    /** Where screenshots go: {@code sfu.browser.output} (set by the pom), else target/browser. */
    static Path output() {
        String configured = System.getProperty("sfu.browser.output");
        return (configured != null ? Path.of(configured) : Path.of("target", "browser")).toAbsolutePath();
    }

    /** The node executable: {@code sfu.browser.node}, else {@code node} from the PATH. */
    static String node() {
        return System.getProperty("sfu.browser.node", "node");
    }

    /** Fails or skips the calling test (see the class comment) unless everything the browser tests need is here. */
    static synchronized void requireOrSkip() {
        if (!checked) {
            missing = findMissing();
            checked = true;
        }
        if (missing == null) {
            return;
        }
        String message = "browser tests need " + missing + " (scripts/test installs chromium and runs npm ci)";
        if (Boolean.getBoolean(REQUIRE_PROPERTY)) {
            fail(message + "; -D" + REQUIRE_PROPERTY + "=true does not let them be skipped");
        }
        Assumptions.abort(message + "; skipped (with -D" + REQUIRE_PROPERTY + "=true this is a failure)");
    }

    private static String findMissing() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(CHROMIUM)) {
            missing.add(CHROMIUM + " (apt-get install chromium)");
        }
        Path scripts = scripts();
        if (!Files.isRegularFile(scripts.resolve("lib").resolve("harness.mjs"))) {
            missing.add("the scenario scripts in " + scripts);
        } else if (playwrightCore(scripts) == null) {
            missing.add("node_modules/playwright-core above " + scripts + " (npm ci at the repository root)");
        }
        String node = nodeProblem();
        if (node != null) {
            missing.add(node);
        }
        return missing.isEmpty() ? null : String.join(", ", missing);
    }

    /** The playwright-core package node resolves from the scripts: the first node_modules above them holding it. */
    static Path playwrightCore(Path from) {
        for (Path dir = from; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("node_modules").resolve("playwright-core");
            if (Files.isRegularFile(candidate.resolve("package.json"))) {
                return candidate;
            }
        }
        return null;
    }

    private static String nodeProblem() {
        String what = "Node.js " + MIN_NODE_MAJOR + "+ as '" + node() + "'";
        try {
            Process process = new ProcessBuilder(node(), "--version").redirectErrorStream(true).start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return what + " (node --version did not answer)";
            }
            String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            Matcher matcher = NODE_VERSION.matcher(version);
            if (process.exitValue() != 0 || !matcher.lookingAt()) {
                return what + " (node --version said '" + version + "')";
            }
            return Integer.parseInt(matcher.group(1)) >= MIN_NODE_MAJOR ? null : what + " (found " + version + ")";
        } catch (IOException e) {
            return what + " (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return what + " (interrupted)";
        }
    }
}
