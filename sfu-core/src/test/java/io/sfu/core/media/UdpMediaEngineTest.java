package io.sfu.core.media;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine's sizes that keep one part from starving the others. */
class UdpMediaEngineTest {
    @Test
    void eachAgentsQueueTakesAtMostAQuarterOfThePacketPool() {
        // the queue rounds its capacity up to a power of two: this one is taken as given
        assertThat(Integer.bitCount(UdpMediaEngine.AGENT_INBOUND_CAPACITY)).isEqualTo(1);
        assertThat(UdpMediaEngine.AGENT_INBOUND_CAPACITY * 4).isLessThanOrEqualTo(UdpMediaEngine.POOL_SLOTS);
    }
}
