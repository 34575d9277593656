package io.sfu.signaling.browser;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** ICE restart from Chromium: new credentials on both sides, the transport stays up and media keeps flowing. */
@Tag("browser")
class IceRestartBrowserTest {

    @BeforeEach
    void needsBrowserAndEngine() {
        BrowserEnvironment.requireOrSkip();
        BrowserSfu.assumeMediaEngine();
    }

    @Test
    void aRestartedPublisherKeepsItsConnectionOnNewCredentials() throws Exception {
        try (BrowserSfu sfu = BrowserSfu.start()) {
            JsonNode result = NodeScript.run("ice-restart.mjs", sfu.url()).assertPassed().json();
            JsonNode first = result.path("first");
            JsonNode second = result.path("second");
            assertThat(second.path("offerUfrag").asText()).isNotEqualTo(first.path("offerUfrag").asText());
            assertThat(second.path("answerUfrag").asText()).isNotBlank()
                .isNotEqualTo(first.path("answerUfrag").asText());

            JsonNode before = result.path("before");
            JsonNode after = result.path("after");
            assertThat(after.path("state").asText()).isEqualTo("connected");
            assertThat(before.path("localUfrag").asText()).isEqualTo(first.path("offerUfrag").asText());
            assertThat(after.path("localUfrag").asText()).isEqualTo(second.path("offerUfrag").asText());
            assertThat(after.path("errors")).isEmpty();
            assertThat(after.path("bytesSent").asLong()).isGreaterThan(before.path("bytesSent").asLong());
            assertThat(after.path("bytesReceived").asLong()).isGreaterThan(before.path("bytesReceived").asLong());
        }
    }
}
