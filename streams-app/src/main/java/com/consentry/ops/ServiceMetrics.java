package com.consentry.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The service's Prometheus registry: JVM metrics (memory, GC, threads, class loading, CPU, uptime),
 * Kafka Streams' own metrics (threads, tasks, state stores and RocksDB, and the embedded clients'
 * consumer lag and producer rates) and the product's own ({@link ProductMetrics}). One registry per
 * service instance, so that several instances in one JVM (tests) do not mix their series.
 */
public final class ServiceMetrics implements AutoCloseable {
    /** How often new Kafka Streams metrics (tasks, stores after a rebalance) are picked up. */
    static final Duration STREAMS_METRICS_REFRESH = Duration.ofSeconds(10);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ProductMetrics product = new ProductMetrics(registry);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private KafkaStreamsMetrics streamsMetrics;
    private ScheduledThreadPoolExecutor scheduler;

    public ServiceMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Binds the streams' own metrics (threads, tasks, stores, RocksDB, embedded clients). */
    public synchronized void bindStreams(KafkaStreams streams) {
        scheduler = new FastRefreshScheduler(STREAMS_METRICS_REFRESH);
        streamsMetrics = new KafkaStreamsMetrics(streams, List.of(), scheduler);
        streamsMetrics.bindTo(registry);
    }

    /** The readiness gauge {@code consentry_ready}: 1 ready, 0 not. */
    public void bindReadiness(BooleanSupplier ready) {
        Gauge.builder("consentry.ready", () -> ready.getAsBoolean() ? 1 : 0)
                .description("1 when the streams are RUNNING and the stores are queryable here, else 0")
                .register(registry);
    }

    public ProductMetrics product() {
        return product;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public synchronized void close() {
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        gc.close();
        registry.close();
    }

    /**
     * Micrometer's Kafka binder looks for new Kafka metrics once a minute; task and RocksDB metrics
     * appear only after the first assignment, so a minute is long to wait after start-up or a
     * rebalance. This scheduler shortens the binder's fixed-rate refresh.
     */
    private static final class FastRefreshScheduler extends ScheduledThreadPoolExecutor {
        private final long periodMillis;

        FastRefreshScheduler(Duration period) {
            super(1, r -> {
                Thread t = new Thread(r, "consentry-streams-metrics");
                t.setDaemon(true);
                return t;
            });
            this.periodMillis = period.toMillis();
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            long p = Math.min(unit.toMillis(period), periodMillis);
            return super.scheduleAtFixedRate(command, Math.min(unit.toMillis(initialDelay), p), p, TimeUnit.MILLISECONDS);
        }
    }
}
