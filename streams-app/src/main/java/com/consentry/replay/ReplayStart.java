package com.consentry.replay;

import com.consentry.cli.ServiceRunner;
import com.consentry.config.AppConfig;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code replay start}: records the input end offsets (or finds them recorded), then runs the shadow
 * application over the inputs from their earliest offsets up to those ends, showing its progress, and
 * stops it when it has reached them. The live service is not touched.
 */
public final class ReplayStart {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayStart.class);
    /** How often progress is sampled (and the terminal line redrawn). */
    static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);
    /** Without a terminal, a progress line is printed this often. */
    private static final Duration PRINT_EVERY = Duration.ofSeconds(10);

    private final AppConfig live;
    private final Shadow shadow;
    private final PrintStream out;
    private final boolean terminal;
    private final Clock clock;
    private volatile ServiceRunner running;

    /** @param terminal true to redraw one progress line in place, false to print one every 10 s */
    public ReplayStart(AppConfig live, String id, PrintStream out, boolean terminal, Clock clock) {
        this.live = live;
        this.shadow = new Shadow(live, id);
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
    }

    /** Runs (or resumes) the replay until it has reached its recorded end offsets; returns its control record. */
    public ReplayControl run() throws InterruptedException {
        ReplayControl control = ReplayControl.read(shadow.controlFile()).orElse(null);
        if (control != null && control.finished()) {
            out.printf("replay %s finished at %s (%,d records); `replay clean --id %s` removes it%n", shadow.id(),
                    control.finishedAt(), control.total(), shadow.id());
            return control;
        }
        try (Admin admin = admin(live, shadow.applicationId() + "-replay-admin")) {
            if (control == null) {
                control = record(admin);
                control.write(shadow.controlFile());
                out.printf("replay %s: %,d input records up to the end offsets of %s, application.id=%s, topics *.replay-%s%n",
                        shadow.id(), control.total(), control.startedAt(), control.applicationId(), shadow.id());
            } else {
                out.printf("replay %s: resuming over the end offsets recorded at %s%n", shadow.id(), control.startedAt());
            }
            int partitions = control.ranges().stream().mapToInt(r -> r.partition() + 1).max().orElse(1);
            ProgressLine progress = new ProgressLine(shadow.id());
            try (ServiceRunner runner = ServiceRunner.start(shadow.config(partitions), null, control.bound());
                 ReplayProgress offsets = new ReplayProgress(shadow, control, admin(live, shadow.applicationId() + "-progress"))) {
                running = runner;
                bindMetrics(runner.metrics().registry(), progress);
                out.printf("replay %s: shadow metrics on %s/metrics%n", shadow.id(), runner.httpUrl());
                await(offsets, progress);
            }
            control = control.finish(clock.instant());
            control.write(shadow.controlFile());
            out.printf("replay %s finished: %,d records; `replay diff --id %s` compares it with the live view%n",
                    shadow.id(), control.total(), shadow.id());
            return control;
        }
    }

    /**
     * Stops the shadow (on Ctrl-C or SIGTERM), committing what it has processed; the control file stays
     * unfinished, and the same {@code replay start} resumes it.
     */
    public void stop() {
        ServiceRunner r = running;
        if (r != null) {
            r.close();
        }
    }

    private void await(ReplayProgress offsets, ProgressLine progress) throws InterruptedException {
        long lastPrint = System.nanoTime();
        while (true) {
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

    /** {@code consentry_replay_records_done}, {@code _records_total}, {@code _records_per_second}, {@code _eta_seconds}. */
    private void bindMetrics(MeterRegistry registry, ProgressLine p) {
        String id = shadow.id();
        Gauge.builder("consentry.replay.records.done", p, ProgressLine::done).tag("replay", id)
                .description("input records the replay has processed").register(registry);
        Gauge.builder("consentry.replay.records.total", p, ProgressLine::total).tag("replay", id)
                .description("input records up to the end offsets recorded when the replay started").register(registry);
        Gauge.builder("consentry.replay.records.per.second", p, ProgressLine::recordsPerSecond).tag("replay", id)
                .description("the replay's rate over the last 10 s").register(registry);
        Gauge.builder("consentry.replay.eta.seconds", p, ProgressLine::etaSeconds).tag("replay", id)
                .description("time left at that rate; -1 while unknown").register(registry);
    }

    /** The earliest and end offsets of every input partition, now. */
    private ReplayControl record(Admin admin) throws InterruptedException {
        List<String> inputs = live.topics().inputs();
        try {
            Map<String, TopicDescription> described = admin.describeTopics(inputs).allTopicNames().get(60, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            described.values().forEach(d -> d.partitions().forEach(p -> {
                TopicPartition tp = new TopicPartition(d.name(), p.partition());
                earliest.put(tp, OffsetSpec.earliest());
                latest.put(tp, OffsetSpec.latest());
            }));
            var starts = admin.listOffsets(earliest).all().get(60, TimeUnit.SECONDS);
            var ends = admin.listOffsets(latest).all().get(60, TimeUnit.SECONDS);
            List<ReplayControl.Range> ranges = new ArrayList<>();
            ends.forEach((tp, end) -> ranges.add(new ReplayControl.Range(tp.topic(), tp.partition(),
                    starts.get(tp).offset(), end.offset())));
            ranges.sort(Comparator.comparing(ReplayControl.Range::topic).thenComparingInt(ReplayControl.Range::partition));
            LOG.info("replay recorded id={} application.id={} records={}", shadow.id(), shadow.applicationId(),
                    ranges.stream().mapToLong(ReplayControl.Range::size).sum());
            return new ReplayControl(shadow.id(), shadow.applicationId(), clock.instant(), ranges, null);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the input topics " + inputs + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within 60 s", e);
        }
    }

    static Admin admin(AppConfig config, String clientId) {
        Properties p = ServiceRunner.clientProperties(config, AdminClientConfig.configNames());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return Admin.create(p);
    }
}
