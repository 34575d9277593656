package io.sfu.core.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sfu.core.testing.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Per cause: the first occurrences of an interval in full, the rest counted and reported with the next one logged. */
class RateLimitedLogTest {
    private static final long INTERVAL_NS = 10_000_000_000L;

    private final ManualClock clock = new ManualClock();
    private final Logger logger = (Logger) LoggerFactory.getLogger("rate-limited-log-test");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final RateLimitedLog log = new RateLimitedLog(logger, clock, 2, INTERVAL_NS);

    RateLimitedLogTest() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.WARN);
        logger.setAdditive(false);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
    }

    private List<String> lines() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void theFirstOccurrencesOfAnIntervalAreLoggedWithTheirStackTraceAndOneMoreIsOnlyCounted() {
        IllegalStateException failure = new IllegalStateException("bad line");
        for (int i = 0; i < 3; i++) {
            log.error("parse", "socket {} failed", i, failure);
        }

        assertThat(lines()).containsExactly("socket 0 failed", "socket 1 failed");
        assertThat(appender.list.get(0).getThrowableProxy().getMessage()).isEqualTo("bad line");
        assertThat(log.suppressed("parse:" + IllegalStateException.class.getName())).isEqualTo(1);
    }

    @Test
    void theCountOfWhatWasNotLoggedComesWithTheFirstLineOfTheNextInterval() {
        for (int i = 0; i < 50; i++) {
            log.warn("consent", "check {} failed", i);
        }
        clock.advanceNs(INTERVAL_NS - 1);
        log.warn("consent", "check {} failed", 50);
        clock.advanceNs(1);
        log.warn("consent", "check {} failed", 51);

        assertThat(lines()).containsExactly("check 0 failed", "check 1 failed",
            "check 51 failed [and 49 more like this, not logged, since the last one logged]");
        assertThat(log.suppressed("consent")).isZero();
    }

    @Test
    void causesHaveTheirOwnBudgetsAndAnotherExceptionClassIsAnotherCause() {
        for (int i = 0; i < 3; i++) {
            log.error("a", "a {}", i);
            log.error("b", "b {}", i);
            log.error("b", "b {} with cause", i, new IllegalArgumentException());
        }

        assertThat(lines()).containsExactly("a 0", "b 0", "b 0 with cause", "a 1", "b 1", "b 1 with cause");
    }

    @Test
    void theTableOfCausesIsBounded() {
        for (int i = 0; i < RateLimitedLog.MAX_CAUSES + 10; i++) {
            log.error("cause-" + i, "line {}", i);
        }

        // past the bound, new causes share one budget of two lines
        assertThat(lines()).hasSize(RateLimitedLog.MAX_CAUSES + 2);
    }

    @Test
    void aLevelThatIsOffLogsNothingAndCountsNothing() {
        logger.setLevel(Level.OFF);

        assertThat(log.error("off", "never")).isFalse();
        assertThat(lines()).isEmpty();
        assertThat(log.suppressed("off")).isZero();
    }
}
