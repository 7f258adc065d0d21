package com.consentry.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard parses, every panel queries the provisioned Prometheus datasource, and the
 * product and JVM series it reads are ones the service exposes (the Kafka Streams series are checked
 * against a real scrape in {@code ServeAndOperateIT}).
 */
class DashboardTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void everyPanelQueriesTheProvisionedDatasource() throws Exception {
        JsonNode dashboard = DashboardQueries.read();
        assertThat(dashboard.path("uid").asText()).isEqualTo("consentry");
        Path grafana = DashboardQueries.locate().getParent().getParent();
        JsonNode datasources = YAML.readTree(grafana.resolve("provisioning/datasources/prometheus.yml").toFile());
        String uid = datasources.path("datasources").get(0).path("uid").asText();
        JsonNode providers = YAML.readTree(grafana.resolve("provisioning/dashboards/consentry.yml").toFile());
        assertThat(providers.path("providers").get(0).path("options").path("path").asText())
                .isEqualTo("/var/lib/grafana/dashboards");
        int queried = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("title").asText()).isNotBlank();
            assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText()).isEqualTo(uid);
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            panel.path("targets").forEach(t -> assertThat(t.path("expr").asText()).isNotBlank());
            queried++;
        }
        assertThat(queried).isGreaterThanOrEqualTo(10);
    }

    @Test
    void theDashboardShowsWhatTheIssueAsksFor() throws Exception {
        String all = String.join("\n", DashboardQueries.expressions(DashboardQueries.read()));
        assertThat(all).contains("kafka_stream_thread_process_rate", "kafka_consumer_fetch_manager_records_lag",
                "histogram_quantile(0.50, sum by (le) (rate(consentry_time_to_honour_seconds_bucket",
                "histogram_quantile(0.95,", "histogram_quantile(0.99,", "consentry_decisions_total",
                "consentry_dead_letters_total", "kafka_stream_state_", "jvm_memory_used_bytes");
    }

    private static boolean pause() throws InterruptedException {
        Thread.sleep(100);
        return true;
    }

    @Test
    void theProductAndJvmSeriesItReadsAreExposed() throws Exception {
        Set<String> exposed;
        try (ServiceMetrics metrics = new ServiceMetrics()) {
            metrics.product().decision("CAMPAIGN", "EMAIL", "CONSENT", "APPROVED");
            metrics.product().reminder("APPROVED");
            metrics.product().deadLetter("consent-events", "SerializationException");
            metrics.product().timeToHonour(Duration.ofMillis(120));
            metrics.bindReadiness(() -> true);
            com.consentry.service.SuppressionWatch watch = new com.consentry.service.SuppressionWatch(
                    new java.util.Properties(), "unsubscribe-events", "consentry-suppressions", Duration.ofMillis(5));
            watch.bindTo(metrics.registry());
            watch.held();
            watch.released(120);
            watch.redecided();
            // GC pause timers appear with the first collection, reported asynchronously
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            do {
                System.gc();
                exposed = PrometheusText.parse(metrics.scrape()).names();
            } while (!exposed.contains("jvm_gc_pause_seconds_sum") && System.nanoTime() < deadline && pause());
        }
        for (String name : DashboardQueries.metricNames(DashboardQueries.read())) {
            if (name.startsWith("kafka_")) {
                assertThat(name).matches("kafka_(stream|consumer)_.*");
            } else {
                assertThat(exposed).as("exposed series").contains(name);
            }
        }
    }
}
