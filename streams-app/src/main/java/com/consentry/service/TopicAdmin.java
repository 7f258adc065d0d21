package com.consentry.service;

import com.consentry.topology.Topics;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Checks at start-up that every topic the service reads or writes exists (naming the missing ones),
 * or creates them when configured to: outputs and the suppression list compacted where the spec says
 * so, internal topics with the input topics' partition count so that they stay co-partitioned, and every
 * other topic keeping its records ({@code retention.ms=-1}). Warns about inputs that delete old records.
 */
public final class TopicAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);
    /**
     * Kafka's time retention goes by record timestamps, which are event times here: with a finite
     * retention, replayed history older than it is deleted at the next check, possibly before it is read.
     */
    static final String KEEP_FOREVER = "-1";
    private final Admin admin;
    private final Topics topics;

    public TopicAdmin(Admin admin, Topics topics) {
        this.admin = admin;
        this.topics = topics;
    }

    /** Every topic the service needs, inputs first. */
    public List<String> all() {
        Set<String> all = new LinkedHashSet<>(topics.inputs());
        all.addAll(topics.outputs());
        all.addAll(topics.internal());
        return List.copyOf(all);
    }

    /** Creates the missing topics (partitions; replication -1 = the broker's default). */
    public void createMissing(int partitions, short replication) throws InterruptedException {
        Set<String> existing = list();
        List<NewTopic> create = new ArrayList<>();
        for (String name : all()) {
            if (existing.contains(name)) {
                continue;
            }
            NewTopic t = new NewTopic(name, Optional.of(partitions), Optional.of(replication));
            t.configs(topics.compacted().contains(name)
                    ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                    : Map.of(TopicConfig.RETENTION_MS_CONFIG, KEEP_FOREVER));
            create.add(t);
        }
        if (create.isEmpty()) {
            return;
        }
        try {
            admin.createTopics(create).all().get(60, TimeUnit.SECONDS);
            LOG.info("topics created names={}", create.stream().map(NewTopic::name).toList());
            awaitListed(create.stream().map(NewTopic::name).toList());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e.getCause());
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out creating topics on the cluster", e);
        }
    }

    /** Topic metadata propagates asynchronously: wait until the new topics are visible. */
    private void awaitListed(List<String> names) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!list().containsAll(names)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("created topics did not become visible within 30 s: " + names);
            }
            Thread.sleep(100);
        }
    }

    /**
     * @throws IllegalStateException naming every missing topic, or the topics whose partition counts
     *                               break co-partitioning with the input topics
     */
    public void verify() throws InterruptedException {
        Set<String> existing = list();
        List<String> missing = all().stream().filter(t -> !existing.contains(t)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("missing topics: " + String.join(", ", missing)
                    + " (create them, or set consentry.topics.create=true)");
        }
        warnAboutFiniteRetention();
        List<String> copartitioned = new ArrayList<>(topics.inputs());
        copartitioned.add(topics.customerRechecks());
        Map<String, Integer> counts = partitions(copartitioned);
        if (counts.values().stream().distinct().count() > 1) {
            throw new IllegalStateException("input topics and " + topics.customerRechecks()
                    + " must have the same number of partitions (they are keyed by customerId): " + counts);
        }
    }

    /** The inputs and the service's own hops must keep old records: says so for each one that does not. */
    private void warnAboutFiniteRetention() throws InterruptedException {
        List<ConfigResource> kept = new ArrayList<>();
        topics.inputs().forEach(t -> kept.add(new ConfigResource(ConfigResource.Type.TOPIC, t)));
        kept.add(new ConfigResource(ConfigResource.Type.TOPIC, topics.addressIndex()));
        kept.add(new ConfigResource(ConfigResource.Type.TOPIC, topics.customerRechecks()));
        try {
            admin.describeConfigs(kept).all().get(60, TimeUnit.SECONDS).forEach((topic, config) -> {
                ConfigEntry retention = config.get(TopicConfig.RETENTION_MS_CONFIG);
                ConfigEntry policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
                boolean deletes = policy == null || policy.value().contains(TopicConfig.CLEANUP_POLICY_DELETE);
                if (deletes && retention != null && !KEEP_FOREVER.equals(retention.value())) {
                    LOG.warn("topic={} retention.ms={}: Kafka deletes records by their timestamp (the event time), "
                            + "so events older than that are lost to replays, and to this service if it is behind",
                            topic.name(), retention.value());
                }
            });
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // a principal without DescribeConfigs may still run the service: say so, do not stop
            LOG.warn("cannot check the retention of topics {}: {}", kept.stream().map(ConfigResource::name).toList(),
                    e.getMessage());
        }
    }

    public Map<String, Integer> partitions(Collection<String> names) throws InterruptedException {
        try {
            Map<String, TopicDescription> d = admin.describeTopics(names).allTopicNames().get(60, TimeUnit.SECONDS);
            return d.values().stream().collect(Collectors.toMap(TopicDescription::name, x -> x.partitions().size(),
                    (a, b) -> a, java.util.TreeMap::new));
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot describe topics " + names + ": " + e.getMessage(), e);
        }
    }

    private Set<String> list() throws InterruptedException {
        try {
            return admin.listTopics().names().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot reach the Kafka cluster to list topics: " + e.getMessage(), e);
        }
    }
}
