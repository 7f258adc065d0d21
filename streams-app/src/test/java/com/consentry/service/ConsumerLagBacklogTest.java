package com.consentry.service;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wall clock's "behind its input end offsets" reads the consumers' {@code records-lag} metrics: in a
 * real metrics registry, a lag above zero on an input partition counts, on other topics or partitions it
 * does not, and an unknown lag (NaN, before the first fetch) does not either.
 */
class ConsumerLagBacklogTest {
    private final Metrics metrics = new Metrics();
    private final ConsumerLagBacklog backlog = new ConsumerLagBacklog(List.of("consent-events", "prod.cart-events"));

    @AfterEach
    void close() {
        metrics.close();
    }

    private void lag(String client, String topic, int partition, double value) {
        MetricName name = metrics.metricName("records-lag", "consumer-fetch-manager-metrics", "",
                Map.of("client-id", client, "topic", topic, "partition", Integer.toString(partition)));
        metrics.addMetric(name, (Measurable) (config, now) -> value);
    }

    @Test
    void aTaskIsBehindWhenAConsumerLagsOnOneOfItsInputPartitions() {
        lag("app-StreamThread-1-consumer", "consent-events", 0, 0);
        lag("app-StreamThread-1-consumer", "consent-events", 1, 42);
        lag("app-restore-consumer", "app-customers-changelog", 0, 1_000);
        lag("app-StreamThread-1-consumer", "prod_cart-events", 2, Double.NaN);

        assertThat(backlog.behind(metrics.metrics(), 0)).as("lag 0 on the input, a restore consumer behind on a changelog")
                .isFalse();
        assertThat(backlog.behind(metrics.metrics(), 1)).isTrue();
        assertThat(backlog.behind(metrics.metrics(), 2)).as("lag not known yet").isFalse();

        lag("app-StreamThread-2-consumer", "prod_cart-events", 0, 3);
        assertThat(backlog.behind(metrics.metrics(), 0)).as("a topic with a dot, as the metric tags may write it").isTrue();
    }
}
