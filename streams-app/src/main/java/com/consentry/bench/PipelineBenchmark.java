package com.consentry.bench;

import com.consentry.config.AppConfig;
import com.consentry.replay.Shadow;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench pipeline}: pre-loads the input topics with an {@link EventMix}, then measures, one
 * after the other on the same broker and data, a Kafka Streams identity app, a
 * {@code groupByKey().reduce()} app and Consentry, each in a JVM of its own, and {@code replay start}
 * of the same Consentry over the same topics; then Consentry's restore from its changelogs and its
 * opt-out latency under background traffic ({@link PipelinePhases}).
 */
public final class PipelineBenchmark {
    static final List<String> APPS = List.of(AppProcess.IDENTITY, AppProcess.REDUCE, AppProcess.CONSENTRY);
    /** An app that commits nothing new for this long has stalled. */
    static final Duration STALL = Duration.ofMinutes(3);

    /**
     * @param config    a cluster and registry to use instead of starting them (null: start them)
     * @param heap      the {@code -Xmx} of each app's JVM, e.g. {@code 1g}
     */
    public record Options(EventMix.Settings mix, int partitions, int threads, int rate, Path out, boolean skipOptOut,
                          boolean skipRestore, boolean skipReplay, Path config, String heap) {
    }

    private final Options options;
    private final PrintStream out;
    private final Path work;
    private final Path logs;

    private PipelineBenchmark(Options options, PrintStream out, Path work) throws IOException {
        this.options = options;
        this.out = out;
        this.work = work;
        this.logs = Files.createDirectories(options.out().resolve("logs"));
    }

    /** Runs the benchmark; {@code command} is recorded in the summary. */
    public static void run(Options options, String command, PrintStream out) throws Exception {
        Path work = Files.createTempDirectory("consentry-bench-pipeline-");
        try (PipelineCluster cluster = PipelineCluster.start(options.config(), options.partitions(), out)) {
            new PipelineBenchmark(options, out, work).run(cluster, command);
        } finally {
            deleteRecursively(work);
        }
    }

    private void run(PipelineCluster cluster, String command) throws Exception {
        cluster.createTopics(List.of(AppProcess.IDENTITY, AppProcess.REDUCE));
        EventMix.Settings mix = options.mix();
        out.printf(Locale.ROOT, "bench pipeline: generating %,d customers over %s from %s and pre-loading %d partitions "
                + "(topics %s*) ...%n", mix.customers(), mix.span(), mix.start(), options.partitions(), cluster.prefix());
        MixStats stats = new MixStats();
        long started = System.nanoTime();
        try (MixPublisher publisher = new MixPublisher(cluster.config())) {
            EventMix.generate(mix, line -> {
                stats.accept(line);
                publisher.accept(line);
            });
            publisher.finish();
        }
        double loadSeconds = (System.nanoTime() - started) / 1e9;
        OffsetSampler sampler = new OffsetSampler(cluster.admin(), cluster.config().topics().inputs());
        long total = sampler.endOffsets();
        String load = String.format(Locale.ROOT, "Load: %,d customers, event times over %s from %s, seed %d: %s. "
                        + "Pre-loaded on %d partitions in %.1f s (%,.0f records/s). %d stream thread(s), exactly_once_v2.",
                mix.customers(), mix.span(), mix.start(), mix.seed(), stats.summary(), options.partitions(), loadSeconds,
                total / loadSeconds, options.threads());
        out.println("bench pipeline: " + load);

        List<AppResult> results = new ArrayList<>();
        for (String app : APPS) {
            results.add(measure(cluster, sampler, app, cluster.applicationId(app), total));
        }
        if (!options.skipReplay()) {
            // the shadow of the Consentry app just measured, from the earliest offsets to the same end offsets
            String shadow = new Shadow(cluster.config().with("consentry.application.id",
                    cluster.applicationId(AppProcess.CONSENTRY)), BenchApp.REPLAY_ID).applicationId();
            results.add(measure(cluster, sampler, AppProcess.REPLAY, shadow, total));
        }
        PipelinePhases phases = new PipelinePhases(this, cluster, sampler, total);
        PipelineReport.Restore restore = null;
        AppProcess service = null;
        try {
            if (!options.skipRestore()) {
                service = phases.startRestore();
                restore = phases.awaitRestored(service);
            }
            PipelinePhases.OptOut optOut = null;
            if (!options.skipOptOut()) {
                if (service == null) {
                    service = phases.startCaughtUp();
                }
                optOut = phases.optOut();
            }
            if (service != null) {
                service.stop();
            }
            report(command, load, results, restore, optOut);
        } finally {
            if (service != null) {
                service.close();
            }
        }
    }

    private AppResult measure(PipelineCluster cluster, OffsetSampler sampler, String app, String group, long total)
            throws Exception {
        Path state = work.resolve(app + "-state");
        out.printf("bench pipeline: %s: starting (log %s) ...%n", app, logs.resolve(app + ".log"));
        try (AppProcess p = start(cluster, app, app, state)) {
            long[] shown = {0};
            List<Sample> samples = sampler.follow(p, group, total, STALL, (label, committed, all) -> {
                long tenths = committed * 10 / all;
                if (tenths > shown[0]) {
                    shown[0] = tenths;
                    out.printf(Locale.ROOT, "bench pipeline: %s: %d%% (%,d records) after %.1f s%n", label, tenths * 10,
                            committed, p.elapsedSeconds());
                }
            });
            AppProcess.Memory memory = p.memory();
            p.stop();
            return new AppResult(app, Throughput.of(samples, total), memory, size(state), samples);
        }
    }

    /**
     * Starts {@code kind} as {@code label}, with the run's settings, its own application id and {@code state}
     * (a replay is configured as the Consentry app it shadows, and derives its own).
     */
    AppProcess start(PipelineCluster cluster, String kind, String label, Path state) throws IOException {
        AppConfig config = cluster.config()
                .with("consentry.application.id", cluster.applicationId(kind.equals(AppProcess.REPLAY) ? AppProcess.CONSENTRY : kind))
                .with("consentry.state.dir", state.toString())
                .with("consentry.http.port", "0")
                .with("processing.guarantee", "exactly_once_v2")
                .with("num.stream.threads", Integer.toString(options.threads()));
        if (kind.equals(AppProcess.IDENTITY) || kind.equals(AppProcess.REDUCE)) {
            config = config.with(BenchApp.OUTPUT_TOPIC, cluster.outputTopic(kind));
        }
        return AppProcess.start(kind, label, config, work, logs, options.heap());
    }

    private void report(String command, String load, List<AppResult> results, PipelineReport.Restore restore,
                        PipelinePhases.OptOut optOut) throws IOException {
        String figures = PipelineReport.figures(results, restore, optOut, options.rate());
        out.println();
        out.print(figures);
        Path csv = options.out().resolve(PipelineReport.CSV);
        Path png = options.out().resolve(PipelineReport.PNG);
        PipelineReport.writeCsv(results, csv);
        ThroughputPlot.write(results, String.format(Locale.ROOT, "bench pipeline: %,d customers, %d partitions, %d thread(s)",
                options.mix().customers(), options.partitions(), options.threads()), png);
        PipelineReport.writeSummary(options.out().resolve(PipelineReport.SUMMARY), command, load, figures);
        out.printf("bench pipeline: wrote %s, %s and %s%n", csv, png, options.out().resolve(PipelineReport.SUMMARY));
    }

    Options options() {
        return options;
    }

    PrintStream out() {
        return out;
    }

    Path work() {
        return work;
    }

    static long size(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /** Deletes {@code dir} and everything in it, reporting (not failing) what cannot be deleted. */
    public static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
}
