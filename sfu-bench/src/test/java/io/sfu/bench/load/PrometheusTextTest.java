package io.sfu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    private static final String TEXT = """
        # HELP process_cpu_time_ns_total The "cpu time" used by the Java Virtual Machine process
        # TYPE process_cpu_time_ns_total counter
        process_cpu_time_ns_total 3.58E9
        jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1000.0
        jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2000.0
        jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 5000.0
        sfu_media_packets_forwarded 123.0
        sfu_signaling_errors_total{code="bad_request"} 0.0
        garbage line without value
        """;

    @Test
    void readsPlainSeriesAndSumsLabelledOnes() {
        PrometheusText metrics = PrometheusText.parse(TEXT);

        assertThat(metrics.value("process_cpu_time_ns_total")).isEqualTo(3.58e9);
        assertThat(metrics.sum("jvm_memory_used_bytes", "area=\"heap\"")).isEqualTo(3000.0);
        assertThat(metrics.sum("jvm_memory_used_bytes", "")).isEqualTo(8000.0);
        assertThat(metrics.value("sfu_media_packets_forwarded")).isEqualTo(123.0);
        assertThat(metrics.has("sfu_signaling_errors_total")).isTrue();
        assertThat(metrics.value("nothing_here")).isNaN();
        assertThat(metrics.sum("jvm_memory_used", "")).isNaN();
    }

    @Test
    void procStatCpuTimeIsUserPlusSystemTicks() {
        String stat = "1234 (java (sfu)) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 150 0 0 20 0 30 0 500 0 0";
        // utime 250 + stime 150 ticks of 10 ms
        assertThat(ResourceSampler.parseProcStatCpuNs(stat)).isEqualTo(4.0e9);
    }
}
