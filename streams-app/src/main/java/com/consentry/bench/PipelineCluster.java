package com.consentry.bench;

import com.consentry.cli.ServiceRunner;
import com.consentry.config.AppConfig;
import com.consentry.runtime.EmbeddedKafkaBroker;
import com.consentry.runtime.EmbeddedSchemaRegistry;
import com.consentry.service.TopicAdmin;
import com.consentry.topology.Topics;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where {@code bench pipeline} runs: a broker and a schema registry started here, or the cluster and
 * registry of a {@code --config} file. Every topic and application id of a run starts with the run's
 * own prefix ({@code bench-yyyyMMddHHmmss-}), so that a run on a shared cluster reads only its own data.
 */
final class PipelineCluster implements AutoCloseable {
    private final List<AutoCloseable> started;
    private final AppConfig config;
    private final String prefix;
    private final Admin admin;

    private PipelineCluster(List<AutoCloseable> started, AppConfig config, String prefix) {
        this.started = started;
        this.config = config;
        this.prefix = prefix;
        this.admin = Admin.create(ServiceRunner.clientProperties(config, AdminClientConfig.configNames()));
    }

    static PipelineCluster start(Path configFile, int partitions, PrintStream out) {
        List<AutoCloseable> started = new ArrayList<>();
        AppConfig config;
        if (configFile == null) {
            out.println("bench pipeline: starting Kafka and the schema registry ...");
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null);
            started.add(0, broker);
            try {
                EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(EmbeddedSchemaRegistry.locateJar(), 0);
                started.add(0, registry);
                // the environment's settings (CONSENTRY_*, CONSENTRY_KAFKA_*) apply to every app measured, as to `run`
                config = AppConfig.load(null, System.getenv()).with("bootstrap.servers", broker.bootstrapServers())
                        .with("consentry.schema.registry.url", registry.url()).with("consentry.topics.replication", "1");
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
        } else {
            config = AppConfig.load(configFile, System.getenv());
        }
        String prefix = "bench-" + LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss")) + "-";
        Topics defaults = Topics.defaults();
        List<String> names = new ArrayList<>(defaults.inputs());
        names.addAll(defaults.outputs());
        names.addAll(defaults.internal());
        for (String name : names) {
            config = config.with("consentry.topic." + name, prefix + name);
        }
        config = config.with("consentry.topics.partitions", Integer.toString(partitions))
                .with("consentry.topics.create", "false");
        return new PipelineCluster(started, config, prefix);
    }

    /** Settings every app of the run shares: cluster, registry, topic names, partitions. */
    AppConfig config() {
        return config;
    }

    Admin admin() {
        return admin;
    }

    String prefix() {
        return prefix;
    }

    /** The application id (and consumer group) of {@code app} in this run. */
    String applicationId(String app) {
        return prefix + app;
    }

    /** The output topic of baseline {@code app}. */
    String outputTopic(String app) {
        return prefix + app + "-out";
    }

    /** Creates Consentry's topics as it creates them itself, and the baselines' output topics. */
    void createTopics(List<String> baselines) throws InterruptedException {
        int partitions = config.getInt("consentry.topics.partitions");
        short replication = (short) config.getInt("consentry.topics.replication");
        new TopicAdmin(admin, config.topics()).createMissing(partitions, replication);
        List<NewTopic> outputs = new ArrayList<>();
        for (String app : baselines) {
            outputs.add(new NewTopic(outputTopic(app), Optional.of(partitions), Optional.of(replication))
                    .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")));
        }
        try {
            admin.createTopics(outputs).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the baselines' output topics: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        admin.close();
        for (AutoCloseable c : started) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("bench pipeline: error while stopping: " + e);
            }
        }
    }
}
