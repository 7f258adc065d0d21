package com.consentry.ops;

import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.DeadLetter;
import com.consentry.avro.DecisionKind;
import com.consentry.avro.SendDecision;
import com.consentry.topology.AvroSerdes;
import com.consentry.topology.Topics;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts the product metrics from what the service publishes, so that the topology stays free of
 * metrics code: a consumer of its own output topics (send-decisions, consentry-dead-letter,
 * customer-eligibility), {@code read_committed}, in the group {@code <application.id>-metrics} (so that
 * several instances split the partitions and their counters add up), starting at the latest offsets
 * the first time. Time-to-honour is this consumer's receive wall clock, the moment the committed
 * record becomes visible to downstream consumers, minus the opt-out's event time
 * ({@link OptOutDetector}).
 */
public final class OutputTopicsMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutputTopicsMonitor.class);
    private static final int REMEMBERED_CUSTOMERS = 10_000;

    private final Topics topics;
    private final ProductMetrics metrics;
    private final Clock clock;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<SendDecision> decisions;
    private final Deserializer<DeadLetter> deadLetters;
    private final Deserializer<CustomerEligibility> eligibility;
    private final OptOutDetector optOuts = new OptOutDetector(REMEMBERED_CUSTOMERS);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    /**
     * @param consumerProperties Kafka client settings (bootstrap servers, security); group, isolation
     *                           and deserializers are set here
     * @param groupId            {@code <application.id>-metrics}
     */
    public OutputTopicsMonitor(Properties consumerProperties, String groupId, String clientId, Topics topics,
                               AvroSerdes avro, ProductMetrics metrics, Clock clock) {
        this.topics = topics;
        this.metrics = metrics;
        this.clock = clock;
        Properties p = new Properties();
        p.putAll(consumerProperties);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true");
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.decisions = avro.decision().deserializer();
        this.deadLetters = avro.deadLetter().deserializer();
        this.eligibility = avro.eligibility().deserializer();
        this.thread = new Thread(this::loop, "consentry-metrics-" + clientId);
        this.thread.setDaemon(true);
    }

    public void start() {
        consumer.subscribe(List.of(topics.sendDecisions(), topics.deadLetter(), topics.customerEligibility()));
        thread.start();
    }

    private void loop() {
        LOG.info("metrics monitor started topics={}", List.of(topics.sendDecisions(), topics.deadLetter(),
                topics.customerEligibility()));
        try {
            while (running.get()) {
                try {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                    Instant received = clock.instant();
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        handle(r, received);
                    }
                } catch (WakeupException e) {
                    if (running.get()) {
                        throw e;
                    }
                } catch (RuntimeException e) {
                    LOG.warn("metrics monitor poll failed; retrying error={}", e.toString());
                    pause();
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
            LOG.info("metrics monitor stopped");
        }
    }

    void handle(ConsumerRecord<byte[], byte[]> r, Instant received) {
        try {
            if (r.topic().equals(topics.sendDecisions())) {
                SendDecision d = decisions.deserialize(r.topic(), r.value());
                if (d != null) {
                    onDecision(d);
                }
            } else if (r.topic().equals(topics.deadLetter())) {
                DeadLetter dl = deadLetters.deserialize(r.topic(), r.value());
                if (dl != null) {
                    metrics.deadLetter(dl.getSourceTopic(), simpleName(dl.getErrorClass()));
                }
            } else if (r.topic().equals(topics.customerEligibility())) {
                String customerId = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                for (Instant optOutAt : optOuts.onPublished(customerId, eligibility.deserialize(r.topic(), r.value()))) {
                    metrics.timeToHonour(Duration.between(optOutAt, received));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("metrics monitor skipped a record it cannot read topic={} partition={} offset={} error={}",
                    r.topic(), r.partition(), r.offset(), e.getClass().getSimpleName());
        }
    }

    private void onDecision(SendDecision d) {
        String kind = d.getKind().name();
        metrics.decision(kind, d.getChannel().name(), d.getReason().name(), d.getDecision().name());
        if (d.getKind() == DecisionKind.CART_REMINDER) {
            metrics.reminder(d.getDecision().name());
        }
    }

    static String simpleName(String className) {
        if (className == null || className.isBlank()) {
            return "unknown";
        }
        int dot = className.lastIndexOf('.');
        return dot < 0 ? className : className.substring(dot + 1);
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    @Override
    public void close() {
        if (running.compareAndSet(true, false)) {
            consumer.wakeup();
            if (thread.isAlive()) {
                try {
                    thread.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                consumer.close(Duration.ofSeconds(5));
            }
        }
    }
}
