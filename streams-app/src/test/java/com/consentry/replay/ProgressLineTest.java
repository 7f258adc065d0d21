package com.consentry.replay;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The replay's progress line and the figures behind its metrics. */
class ProgressLineTest {
    private static final long S = 1_000_000_000L;

    @Test
    void rateAndEtaFollowTheLatestSamples() {
        ProgressLine p = new ProgressLine("fix-1");
        p.update(0, 50_000, 0);
        assertThat(p.etaSeconds()).isEqualTo(-1);
        assertThat(p.format()).isEqualTo("replay fix-1: 0 / 50,000 records (0.0%), 0 records/s, ETA ?");
        p.update(5_000, 50_000, 2 * S);
        assertThat(p.recordsPerSecond()).isEqualTo(2_500.0);
        assertThat(p.etaSeconds()).isEqualTo(18);
        assertThat(p.format()).isEqualTo("replay fix-1: 5,000 / 50,000 records (10.0%), 2,500 records/s, ETA 0:00:18");
        p.update(50_000, 50_000, 20 * S);
        assertThat(p.etaSeconds()).isZero();
        assertThat(p.format()).startsWith("replay fix-1: 50,000 / 50,000 records (100.0%)").endsWith("ETA 0:00:00");
    }

    @Test
    void theFiguresAreOnTheShadowsMetrics() {
        io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry = new io.micrometer.prometheusmetrics
                .PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        ProgressLine p = new ProgressLine("fix-1");
        ShadowRun.bindMetrics(registry, "fix-1", p);
        p.update(0, 50_000, 0);
        p.update(5_000, 50_000, 2 * S);
        String scrape = registry.scrape();
        assertThat(scrape).contains("consentry_replay_records_done{replay=\"fix-1\"} 5000.0",
                "consentry_replay_total_records{replay=\"fix-1\"} 50000.0",
                "consentry_replay_records_per_second{replay=\"fix-1\"} 2500.0",
                "consentry_replay_eta_seconds{replay=\"fix-1\"} 18.0");
    }

    @Test
    void theRateForgetsSamplesOlderThanItsWindow() {
        ProgressLine p = new ProgressLine("x");
        p.update(0, 1_000_000, 0);
        // a slow start, then 10 samples at 1,000 records/s
        p.update(10, 1_000_000, 100 * S);
        for (int i = 1; i <= 10; i++) {
            p.update(10 + i * 1_000L, 1_000_000, (100 + i) * S);
        }
        assertThat(p.recordsPerSecond()).isEqualTo(1_000.0);
    }
}
