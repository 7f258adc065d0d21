package com.consentry.service;

import com.consentry.api.HttpSettings;
import com.consentry.config.AppConfig;
import com.consentry.config.TlsStore;
import com.consentry.serde.HttpSchemaRegistryClient;
import com.consentry.serde.SchemaRegistry;
import com.consentry.topology.AvroSerdes;
import com.consentry.topology.ConsentryTopology;
import com.consentry.topology.InputBound;
import com.consentry.topology.Topics;
import com.consentry.topology.TopologySettings;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The running service: configuration, topic checks, {@link KafkaStreams} with the topology, and an
 * orderly shutdown. Wiring only; the decisions live in the topology and the policy.
 */
public final class ConsentryService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsentryService.class);
    /** A name for this instance that stays the same across its restarts: its static group membership. */
    public static final String INSTANCE_ID_KEY = "consentry.instance.id";
    private final AppConfig config;
    private final Topics topics;
    private final SchemaRegistry registry;
    private final TopologySettings settings;
    private final KafkaStreams streams;
    private final SuppressionWatch suppressionWatch;
    private final UncleanStopGuard stateGuard;
    private final List<KafkaStreams.StateListener> stateListeners = new CopyOnWriteArrayList<>();

    public ConsentryService(AppConfig config) {
        this(config, InputBound.NONE);
    }

    /** As {@link #ConsentryService(AppConfig)}, processing only the input records within {@code bound} (a replay). */
    public ConsentryService(AppConfig config, InputBound bound) {
        this.config = config;
        this.topics = config.topics();
        this.registry = registryClient(config);
        // by default sweeps run on the hour (epoch-aligned), whatever the start time
        this.suppressionWatch = config.getBoolean("consentry.suppressions.wait") ? suppressionWatch(config, topics) : null;
        List<String> inputs = new java.util.ArrayList<>(topics.inputs());
        inputs.addAll(List.of(topics.addressIndex(), topics.customerRechecks()));
        ConsumerLagBacklog backlog = new ConsumerLagBacklog(inputs);
        TopologySettings plain = config.topologySettings(sweepAnchor(config)).withInputBound(bound).withInputBacklog(backlog);
        this.settings = suppressionWatch == null ? plain : plain.withSuppressionBarrier(suppressionWatch);
        Topology topology = ConsentryTopology.build(topics, settings, AvroSerdes.using(registry));
        LOG.info("topology {}", topology.describe());
        Properties streamsConfig = streamsConfig(config);
        this.stateGuard = new UncleanStopGuard(java.nio.file.Path.of(config.get("consentry.state.dir")),
                config.get("consentry.application.id"), !StreamsConfig.AT_LEAST_ONCE.equals(
                        streamsConfig.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)));
        stateGuard.beforeStart();
        this.streams = new KafkaStreams(topology, streamsConfig);
        backlog.watch(streams);
        if (suppressionWatch != null) {
            suppressionWatch.watchStreams(streams);
        }
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread died; replacing it error={}", e.toString(), e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("streams state from={} to={}", before, now);
            stateListeners.forEach(l -> l.onChange(now, before));
        });
    }

    private static SuppressionWatch suppressionWatch(AppConfig config, Topics topics) {
        Properties p = new Properties();
        config.kafkaProperties().forEach((k, v) -> {
            if (org.apache.kafka.clients.consumer.ConsumerConfig.configNames().contains(k.toString())) {
                p.put(k, v);
            }
        });
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.CLIENT_ID_CONFIG,
                config.get("consentry.application.id") + "-suppression-watch");
        return new SuppressionWatch(p, topics.unsubscribeEvents(), topics.suppressions(), Duration.ofMillis(5));
    }

    /** The watch decisions wait on, when {@code consentry.suppressions.wait} is on. */
    public java.util.Optional<SuppressionWatch> suppressionWatch() {
        return java.util.Optional.ofNullable(suppressionWatch);
    }

    /** Also tells {@code listener} of every state change (the HTTP API, metrics and logs use this). */
    public void addStateListener(KafkaStreams.StateListener listener) {
        stateListeners.add(listener);
    }

    private static Instant sweepAnchor(AppConfig config) {
        try {
            return java.time.OffsetDateTime.parse(config.get("consentry.sweep.anchor")).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("setting consentry.sweep.anchor=" + config.get("consentry.sweep.anchor")
                    + " is not an ISO-8601 instant");
        }
    }

    public static SchemaRegistry registryClient(AppConfig config) {
        return new HttpSchemaRegistryClient(config.get("consentry.schema.registry.url"),
                config.all().get("consentry.schema.registry.basic-auth"),
                config.all().get("consentry.schema.registry.bearer-token"), Duration.ofSeconds(10),
                TlsStore.from(config, AppConfig.REGISTRY_TRUSTSTORE).map(TlsStore::trustingContext).orElse(null));
    }

    /** Kafka Streams settings: every pass-through key, plus the service's own identity and state. */
    public static Properties streamsConfig(AppConfig config) {
        Properties p = config.kafkaProperties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.get("consentry.application.id"));
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.get("consentry.state.dir"));
        p.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        p.put(BoundedRocksDbMemory.MEMORY_CONFIG, Long.toString(config.getBytes("consentry.rocksdb.memory")));
        p.put(BoundedRocksDbMemory.WRITE_BUFFER_RATIO_CONFIG, Double.toString(writeBufferRatio(config)));
        // how the other instances reach this one's HTTP API, for interactive queries
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, HttpSettings.from(config).applicationServer());
        String instance = config.all().getOrDefault(INSTANCE_ID_KEY, "").trim();
        if (!instance.isEmpty()) {
            // static membership: an instance restarted within the session timeout takes its place and its tasks
            // back at once, without a rebalance (Kafka Streams appends the stream thread's number)
            p.putIfAbsent(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.get("consentry.application.id") + "-" + instance);
        }
        return p;
    }

    private static double writeBufferRatio(AppConfig config) {
        String v = config.get("consentry.rocksdb.write-buffer.ratio").trim();
        try {
            double r = Double.parseDouble(v);
            if (r > 0 && r < 1) {
                return r;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("setting consentry.rocksdb.write-buffer.ratio=" + v
                + " is not a number between 0 and 1 (e.g. 0.5)");
    }

    /** Checks (or creates) the topics, then starts the streams. */
    public void start() throws InterruptedException {
        Properties adminProps = config.kafkaProperties();
        adminProps.put(AdminClientConfig.CLIENT_ID_CONFIG, config.get("consentry.application.id") + "-admin");
        try (Admin admin = Admin.create(adminProps)) {
            TopicAdmin topicAdmin = new TopicAdmin(admin, topics);
            if (config.getBoolean("consentry.topics.create")) {
                topicAdmin.createMissing(config.getInt("consentry.topics.partitions"),
                        (short) config.getInt("consentry.topics.replication"));
            }
            topicAdmin.verify();
        }
        if (AppConfig.DEV_SECRET.equals(config.get("consentry.suppression.secret"))) {
            LOG.warn("consentry.suppression.secret is the development default: set your own secret in production");
        }
        LOG.info("starting application.id={} bootstrap.servers={} state.dir={}", config.get("consentry.application.id"),
                config.get("bootstrap.servers"), config.get("consentry.state.dir"));
        if (suppressionWatch != null) {
            suppressionWatch.start();
        }
        streams.start();
    }

    public KafkaStreams streams() {
        return streams;
    }

    public AppConfig config() {
        return config;
    }

    public Topics topics() {
        return topics;
    }

    public TopologySettings settings() {
        return settings;
    }

    public SchemaRegistry registry() {
        return registry;
    }

    /**
     * Closes the streams (committing and flushing) within 30 s and leaves the consumer group, so that
     * the remaining or restarted instances take over the partitions at once instead of after the
     * session timeout.
     */
    @Override
    public void close() {
        LOG.info("stopping");
        boolean clean = streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        if (suppressionWatch != null) {
            suppressionWatch.close();
        }
        if (clean) {
            stateGuard.closedCleanly();
        }
        LOG.info("stopped clean={}", clean);
    }
}
