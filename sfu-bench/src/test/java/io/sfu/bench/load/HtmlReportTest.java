package io.sfu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class HtmlReportTest {
    @Test
    void theReportIsOnePageWithInlineSvgChartsAndNoScripts() {
        LoadReport report = Reports.report(0, 1, List.of(
            Reports.step(0, 0, Reports.latencies(1, 1000, 3000), 1000, 1000, 20, 6),
            Reports.step(1, 0, Reports.latencies(2, 1000, 90_000), 1000, 900, 60, 11)));

        String html = HtmlReport.render(report);

        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").contains("</svg>")
            .contains("End-to-end latency").contains("Throughput").contains("CPU (100% = one core)")
            .contains("(last pass)").contains("FAIL: loss 10.00%");
        assertThat(html.split("<svg", -1).length - 1).isGreaterThanOrEqualTo(6);
        // self-contained: nothing to fetch (the only URL is the SVG namespace name)
        assertThat(html).doesNotContain("<script").doesNotContain("src=").doesNotContain("href=")
            .doesNotContain("<link").doesNotContain("url(");
    }

    @Test
    void textFromTheReportIsEscaped() {
        assertThat(SvgChart.escape("<a href=\"x\">&</a>")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
    }

    @Test
    void chartTicksAreOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(SvgChart.niceStep(100, 5)).isEqualTo(20);
        assertThat(SvgChart.niceStep(7, 5)).isEqualTo(2);
        assertThat(SvgChart.niceStep(0.3, 5)).isEqualTo(0.1, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(SvgChart.niceStep(480, 8)).isEqualTo(100);
    }

    @Test
    void aChartWithoutDataSaysSo() {
        String svg = new SvgChart("t", "x", "y").series("s", "#000", new double[] {1}, new double[] {Double.NaN})
            .render(300, 200);
        assertThat(svg).contains("no data").startsWith("<svg");
    }
}
