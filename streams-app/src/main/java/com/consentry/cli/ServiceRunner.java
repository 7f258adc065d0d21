package com.consentry.cli;

import com.consentry.api.EligibilityQuery;
import com.consentry.api.HttpApi;
import com.consentry.api.HttpSettings;
import com.consentry.config.AppConfig;
import com.consentry.ops.LagMonitor;
import com.consentry.ops.OutputTopicsMonitor;
import com.consentry.ops.ServiceMetrics;
import com.consentry.ops.StreamsEventLog;
import com.consentry.replay.Shadow;
import com.consentry.service.ConsentryService;
import com.consentry.topology.AvroSerdes;
import com.consentry.topology.InputBound;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.Set;

/**
 * The service and everything that runs beside it, started and stopped together; shared by {@code run},
 * {@code dev} and {@code bench}: the HTTP API (bound first, so that its actual port is what the other
 * instances are told), the Prometheus metrics, the lag monitor, the output-topic monitor that counts the
 * product metrics, and the streams.
 */
public final class ServiceRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceRunner.class);

    private final ConsentryService service;
    private final HttpApi http;
    private final ServiceMetrics metrics;
    private final String scheme;
    /** Closed in reverse order of start. */
    private final Deque<AutoCloseable> parts;

    private ServiceRunner(ConsentryService service, HttpApi http, ServiceMetrics metrics, Deque<AutoCloseable> parts) {
        this.service = service;
        this.http = http;
        this.metrics = metrics;
        this.scheme = HttpSettings.from(service.config()).scheme();
        this.parts = parts;
    }

    public static ServiceRunner start(AppConfig config) throws InterruptedException {
        return start(config, null);
    }

    /**
     * As {@link #start(AppConfig)}; {@code restoreObserver} (may be null) is also told of every state
     * restoration, e.g. to measure how fast state is rebuilt from the changelogs.
     */
    public static ServiceRunner start(AppConfig config, StateRestoreListener restoreObserver) throws InterruptedException {
        return start(config, restoreObserver, InputBound.NONE);
    }

    /** As {@link #start(AppConfig, StateRestoreListener)}, processing only the input records within {@code bound}. */
    public static ServiceRunner start(AppConfig settings, StateRestoreListener restoreObserver, InputBound bound)
            throws InterruptedException {
        // after `replay promote --id ID`, consentry.replay.promoted=ID runs the service as that replay's shadow
        AppConfig config = Shadow.resolve(settings);
        Deque<AutoCloseable> parts = new ArrayDeque<>();
        try {
            ServiceMetrics metrics = new ServiceMetrics();
            parts.push(metrics);
            HttpApi http = HttpApi.start(HttpSettings.from(config), metrics, Clock.systemUTC());
            parts.push(http);
            // port 0 means any free port: the one bound is what the other instances must be told
            AppConfig effective = config.with("consentry.http.port", Integer.toString(http.port()));

            ConsentryService service = new ConsentryService(effective, bound);
            parts.push(service);
            KafkaStreams streams = service.streams();
            StreamsEventLog events = new StreamsEventLog(streams);
            service.addStateListener(events::onStateChange);
            StateRestoreListener restores = both(events, http.restoreListener());
            streams.setGlobalStateRestoreListener(restoreObserver == null ? restores : both(restores, restoreObserver));
            metrics.bindStreams(streams);
            service.suppressionWatch().ifPresent(w -> w.bindTo(metrics.registry()));
            metrics.bindReadiness(() -> http.readiness().ready());

            String appId = effective.get("consentry.application.id");
            String instance = http.self().host() + ":" + http.self().port();
            Properties admin = clientProperties(effective, AdminClientConfig.configNames());
            admin.put(AdminClientConfig.CLIENT_ID_CONFIG, appId + "-lag-" + instance);
            LagMonitor lag = new LagMonitor(Admin.create(admin), appId,
                    "streams".equalsIgnoreCase(effective.all().get("group.protocol")),
                    service.topics().inputs(), Duration.ofSeconds(1), Clock.systemUTC());
            parts.push(lag);
            OutputTopicsMonitor monitor = new OutputTopicsMonitor(
                    clientProperties(effective, ConsumerConfig.configNames()), appId + "-metrics",
                    appId + "-metrics-" + instance, service.topics(), AvroSerdes.using(service.registry()),
                    metrics.product(), Clock.systemUTC());
            parts.push(monitor);

            http.attach(streams, new EligibilityQuery(service.settings().policy()), lag);
            service.start();
            monitor.start();
            return new ServiceRunner(service, http, metrics, parts);
        } catch (RuntimeException | InterruptedException e) {
            closeAll(parts);
            throw e;
        }
    }

    private static StateRestoreListener both(StateRestoreListener a, StateRestoreListener b) {
        return new StateRestoreListener() {
            @Override
            public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
                a.onRestoreStart(partition, store, startingOffset, endingOffset);
                b.onRestoreStart(partition, store, startingOffset, endingOffset);
            }

            @Override
            public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
                a.onBatchRestored(partition, store, batchEndOffset, numRestored);
                b.onBatchRestored(partition, store, batchEndOffset, numRestored);
            }

            @Override
            public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
                a.onRestoreEnd(partition, store, totalRestored);
                b.onRestoreEnd(partition, store, totalRestored);
            }

            @Override
            public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
                a.onRestoreSuspended(partition, store, totalRestored);
                b.onRestoreSuspended(partition, store, totalRestored);
            }
        };
    }

    /** The Kafka client settings among the pass-through keys that {@code names} knows. */
    public static Properties clientProperties(AppConfig config, Set<String> names) {
        Properties out = new Properties();
        config.kafkaProperties().forEach((k, v) -> {
            if (names.contains(k.toString())) {
                out.put(k, v);
            }
        });
        return out;
    }

    public ConsentryService service() {
        return service;
    }

    public ServiceMetrics metrics() {
        return metrics;
    }

    /** The port the HTTP API listens on (the configured one, or the one picked for port 0). */
    public int httpPort() {
        return http.port();
    }

    /** The HTTP API's base URL as other instances reach it, e.g. {@code http://127.0.0.1:8080} ({@code https} with TLS). */
    public String httpUrl() {
        return scheme + "://" + http.self().host() + ":" + http.self().port();
    }

    /** Stops the output monitor, the streams (committing and flushing), then the HTTP API and metrics. */
    @Override
    public void close() {
        closeAll(parts);
    }

    private static void closeAll(Deque<AutoCloseable> parts) {
        while (!parts.isEmpty()) {
            AutoCloseable part = parts.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("error while stopping part={} error={}", part.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
