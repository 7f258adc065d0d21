package com.consentry.drill;

import com.consentry.cli.ServiceRunner;
import com.consentry.config.AppConfig;
import com.consentry.runtime.EmbeddedKafkaBroker;
import com.consentry.runtime.EmbeddedSchemaRegistry;
import com.consentry.service.TopicAdmin;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.nio.file.Path;
import java.util.Map;

/**
 * The drill's broker and schema registry, in this process on 127.0.0.1. The broker keeps its data in a
 * directory of the drill, so that {@link #restartBroker} brings the same broker back, on the same port
 * with the same logs, as an operator's restart does.
 */
final class DrillCluster implements AutoCloseable {
    private final Path brokerDir;
    private final EmbeddedSchemaRegistry registry;
    private EmbeddedKafkaBroker broker;

    private DrillCluster(Path brokerDir, EmbeddedKafkaBroker broker, EmbeddedSchemaRegistry registry) {
        this.brokerDir = brokerDir;
        this.broker = broker;
        this.registry = registry;
    }

    static DrillCluster start(Path work) {
        Path dir = work.resolve("broker");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, dir);
        try {
            return new DrillCluster(dir, broker, EmbeddedSchemaRegistry.start(EmbeddedSchemaRegistry.locateJar(), 0,
                    work.resolve("registry")));
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /** The settings every instance and client of the drill shares. */
    AppConfig config() {
        return AppConfig.of(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "consentry.schema.registry.url", registry.url(), "consentry.topics.replication", "1"));
    }

    void createTopics(AppConfig config, int partitions) throws InterruptedException {
        try (Admin admin = admin(config)) {
            new TopicAdmin(admin, config.topics()).createMissing(partitions, (short) 1);
        }
    }

    static Admin admin(AppConfig config) {
        return Admin.create(ServiceRunner.clientProperties(config, AdminClientConfig.configNames()));
    }

    /** Stops the broker (controlled shutdown), waits {@code downMillis}, and starts it again on its port and data. */
    void restartBroker(long downMillis) throws InterruptedException {
        int port = broker.port();
        broker.close();
        Thread.sleep(downMillis);
        broker = EmbeddedKafkaBroker.start(port, brokerDir);
    }

    @Override
    public void close() {
        registry.close();
        broker.close();
    }
}
