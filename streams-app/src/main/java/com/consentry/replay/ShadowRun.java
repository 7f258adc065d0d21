package com.consentry.replay;

import com.consentry.cli.ServiceRunner;
import com.consentry.config.AppConfig;
import com.consentry.topology.InputBound;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Properties;

/**
 * Runs a shadow application over a range of input offsets until it has processed them, showing its
 * progress on the terminal and on its {@code /metrics}; shared by {@code replay start} and
 * {@code replay promote}.
 */
final class ShadowRun {
    /** How often progress is sampled (and the terminal line redrawn). */
    static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);
    /** Without a terminal, a progress line is printed this often. */
    private static final Duration PRINT_EVERY = Duration.ofSeconds(10);

    private final Shadow shadow;
    private final PrintStream out;
    private final boolean terminal;
    private volatile ServiceRunner running;
    private volatile boolean stopped;

    ShadowRun(Shadow shadow, PrintStream out, boolean terminal) {
        this.shadow = shadow;
        this.out = out;
        this.terminal = terminal;
    }

    /**
     * Runs the shadow configured as {@code config} over the offsets of {@code ranges} (its bound) until its
     * group has committed all of them, then stops it.
     */
    void untilProcessed(AppConfig config, ReplayControl ranges, AppConfig live) throws InterruptedException {
        ProgressLine progress = new ProgressLine(shadow.id());
        try (ServiceRunner runner = ServiceRunner.start(config, null, ranges.bound());
             ReplayProgress offsets = new ReplayProgress(shadow, ranges, admin(live, shadow.applicationId() + "-progress"))) {
            running = runner;
            bindMetrics(runner.metrics().registry(), shadow.id(), progress);
            out.printf("replay %s: shadow metrics on %s/metrics%n", shadow.id(), runner.httpUrl());
            await(offsets, progress);
        } finally {
            running = null;
        }
    }

    /** Starts the shadow as {@code config} within {@code bound}, lets it run for {@code time} once running, stops it. */
    void forAWhile(AppConfig config, InputBound bound, Duration time) throws InterruptedException {
        try (ServiceRunner runner = ServiceRunner.start(config, null, bound)) {
            running = runner;
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (runner.service().streams().state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the shadow did not reach RUNNING within 120 s");
                }
                Thread.sleep(100);
            }
            Thread.sleep(time.toMillis());
        } finally {
            running = null;
        }
    }

    /**
     * Stops the shadow (on Ctrl-C or SIGTERM), committing what it has processed; a run waiting for it to reach
     * its end then throws {@link InterruptedException}, so that nothing takes it for finished.
     */
    void stop() {
        stopped = true;
        ServiceRunner r = running;
        if (r != null) {
            r.close();
        }
    }

    private void await(ReplayProgress offsets, ProgressLine progress) throws InterruptedException {
        long lastPrint = System.nanoTime();
        while (true) {
            if (stopped) {
                throw new InterruptedException("replay " + shadow.id() + " stopped before its end");
            }
            ReplayProgress.Snapshot s = offsets.sample();
            long now = System.nanoTime();
            progress.update(s.done(), s.total(), now);
            if (terminal) {
                out.print("\r" + progress.format() + "   ");
                out.flush();
            } else if (s.reachedEnd() || now - lastPrint >= PRINT_EVERY.toNanos()) {
                out.println(progress.format());
                lastPrint = now;
            }
            if (s.reachedEnd()) {
                if (terminal) {
                    out.println();
                }
                return;
            }
            Thread.sleep(SAMPLE_EVERY.toMillis());
        }
    }

    /** {@code consentry_replay_records_done}, {@code _total_records}, {@code _records_per_second}, {@code _eta_seconds}. */
    static void bindMetrics(MeterRegistry registry, String id, ProgressLine p) {
        Gauge.builder("consentry.replay.records.done", p, ProgressLine::done).tag("replay", id)
                .description("input records the replay has processed").register(registry);
        Gauge.builder("consentry.replay.total.records", p, ProgressLine::total).tag("replay", id)
                .description("input records up to the end offsets recorded when the replay started").register(registry);
        Gauge.builder("consentry.replay.records.per.second", p, ProgressLine::recordsPerSecond).tag("replay", id)
                .description("the replay's rate over the last 10 s").register(registry);
        Gauge.builder("consentry.replay.eta.seconds", p, ProgressLine::etaSeconds).tag("replay", id)
                .description("time left at that rate; -1 while unknown").register(registry);
    }

    static Admin admin(AppConfig config, String clientId) {
        Properties p = ServiceRunner.clientProperties(config, AdminClientConfig.configNames());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return Admin.create(p);
    }
}
