package com.consentry.drill;

import com.consentry.config.AppConfig;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The drill's faults and what each cost: a SIGKILL of one instance, restarted at once on the same state
 * directory, or a restart of the broker; then how long until the instance (or, after the broker, both)
 * answered {@code /health/ready} with 200, until the group had committed every input record that
 * was on the topics at the restart, and until every partition again had all its copies answerable
 * (repaired). A fault returns once repaired: the next one is a new single fault, not a second one
 * before the first is repaired, which two copies of a partition cannot cover.
 */
final class Faults implements AutoCloseable {
    static final Duration RECOVERY_LIMIT = Duration.ofMinutes(3);

    /**
     * One fault: {@code ready}, {@code caughtUp} and {@code repaired} in seconds from the restart, -1 when
     * not within {@link #RECOVERY_LIMIT}.
     */
    record Recovery(String fault, double ready, double caughtUp, double repaired) {
    }

    private final List<Instance> instances;
    private final DrillCluster cluster;
    private final AppConfig config;
    private final String group;
    private final int partitions;
    private final int copies;
    private final PrintStream out;
    private final Admin admin;
    private final List<Recovery> kills = new ArrayList<>();
    private final List<Recovery> brokerRestarts = new ArrayList<>();

    /**
     * @param partitions the partitions of the input topics (and so of the customers store)
     * @param copies     how many instances must answer for a partition from their own copies for it to
     *                   count as repaired: the active and its standbys, at most one per instance
     */
    Faults(List<Instance> instances, DrillCluster cluster, AppConfig config, String group, int partitions, int copies,
           PrintStream out) {
        this.instances = instances;
        this.cluster = cluster;
        this.config = config;
        this.group = group;
        this.partitions = partitions;
        this.copies = Math.min(copies, instances.size());
        this.out = out;
        this.admin = DrillCluster.admin(config);
    }

    /** Kill number {@code k} (from 0): SIGKILLs {@code victim}, restarts it, and waits for its recovery. */
    void kill(int k, Instance victim) throws IOException, InterruptedException {
        for (Instance i : instances) {
            i.requireAlive();
        }
        out.printf(Locale.ROOT, "drill: %s kill %d: SIGKILL %s%n", Instant.now(), k + 1, victim.label());
        victim.kill();
        victim.start();
        long restarted = System.nanoTime();
        Recovery r = recover("kill " + (k + 1) + " " + victim.label(), List.of(victim), restarted, endOffsets());
        kills.add(r);
        report(r);
    }

    /** Restarts the broker on its data directory and waits until both instances recovered. */
    void restartBroker() throws InterruptedException {
        out.printf(Locale.ROOT, "drill: %s broker restart%n", Instant.now());
        cluster.restartBroker(3000);
        long restarted = System.nanoTime();
        Recovery r = recover("broker restart", instances, restarted, endOffsets());
        brokerRestarts.add(r);
        report(r);
    }

    private Recovery recover(String fault, List<Instance> waitFor, long restarted, Map<TopicPartition, Long> backlog)
            throws InterruptedException {
        double ready = -1;
        double caughtUp = -1;
        double repaired = -1;
        long limit = restarted + RECOVERY_LIMIT.toNanos();
        while (System.nanoTime() < limit && (ready < 0 || caughtUp < 0 || repaired < 0)) {
            if (ready < 0 && waitFor.stream().allMatch(Instance::ready)) {
                ready = seconds(restarted);
            }
            if (backlog == null) {
                backlog = endOffsets();
            }
            if (caughtUp < 0 && reached(backlog)) {
                caughtUp = seconds(restarted);
            }
            if (repaired < 0 && repaired()) {
                repaired = seconds(restarted);
            }
            Thread.sleep(200);
        }
        return new Recovery(fault, ready, caughtUp, repaired);
    }

    /** True when every partition can be answered for by {@link #copies} instances from their own copies. */
    private boolean repaired() {
        int[] answering = new int[partitions];
        for (Instance i : instances) {
            i.answerable().stream().filter(p -> p >= 0 && p < partitions).forEach(p -> answering[p]++);
        }
        return Arrays.stream(answering).allMatch(n -> n >= copies);
    }

    void awaitAllReady(Duration timeout) throws InterruptedException {
        awaitAll(Instance::ready, "ready", timeout);
    }

    /** Waits until both instances are ready with their streams RUNNING: the group settled after its first start. */
    void awaitAllRunning(Duration timeout) throws InterruptedException {
        awaitAll(Instance::running, "running", timeout);
    }

    private void awaitAll(Predicate<Instance> condition, String what, Duration timeout)
            throws InterruptedException {
        long limit = System.nanoTime() + timeout.toNanos();
        while (!instances.stream().allMatch(condition)) {
            instances.forEach(Instance::requireAlive);
            if (System.nanoTime() > limit) {
                throw new IllegalStateException("the instances were not " + what + " within " + timeout + "; logs "
                        + instances.stream().map(Instance::log).toList());
            }
            Thread.sleep(200);
        }
    }

    /** Waits until the group committed every input record and both instances are ready. */
    void awaitCaughtUp(Duration timeout) throws InterruptedException {
        long limit = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> end = endOffsets();
        while (!reached(end)) {
            if (end == null) {
                end = endOffsets();
            }
            if (System.nanoTime() > limit) {
                throw new IllegalStateException("the group did not commit every input record within " + timeout);
            }
            Thread.sleep(500);
        }
        awaitAllReady(timeout);
    }

    private Map<TopicPartition, Long> endOffsets() throws InterruptedException {
        return sample(true);
    }

    private Map<TopicPartition, Long> committed() throws InterruptedException {
        return sample(false);
    }

    /** True when the group has committed, on every input partition, at least {@code ends}. */
    private boolean reached(Map<TopicPartition, Long> ends) throws InterruptedException {
        if (ends == null) {
            return false;
        }
        Map<TopicPartition, Long> done = committed();
        return done != null && ends.entrySet().stream().allMatch(e -> e.getValue() == 0
                || done.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    /**
     * The input partitions' end offsets, or the group's committed offsets on them; null while the broker
     * cannot say (e.g. restarting).
     */
    private Map<TopicPartition, Long> sample(boolean end) throws InterruptedException {
        try {
            Map<TopicPartition, Long> out = new HashMap<>();
            if (end) {
                Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
                admin.describeTopics(config.topics().inputs()).allTopicNames().get(10, TimeUnit.SECONDS).forEach((name, d) ->
                        d.partitions().forEach(p -> ask.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
                admin.listOffsets(ask).all().get(10, TimeUnit.SECONDS).forEach((tp, r) -> out.put(tp, r.offset()));
            } else {
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                        .forEach((tp, o) -> {
                            if (o != null) {
                                out.put(tp, o.offset());
                            }
                        });
            }
            return out;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private void report(Recovery r) {
        out.printf(Locale.ROOT, "drill: %s: ready after %s, caught up after %s, repaired after %s%n", r.fault(),
                DrillReport.seconds(r.ready()), DrillReport.seconds(r.caughtUp()), DrillReport.seconds(r.repaired()));
    }

    int kills() {
        return kills.size();
    }

    List<Recovery> killRecoveries() {
        return List.copyOf(kills);
    }

    List<Recovery> brokerRecoveries() {
        return List.copyOf(brokerRestarts);
    }

    @Override
    public void close() {
        admin.close();
    }
}
