package com.consentry.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The phases of {@code bench pipeline} after the three apps were measured: Consentry restarted with an
 * empty state directory (same application id) rebuilding its state from the changelogs, and the opt-out
 * latency under background traffic.
 */
final class PipelinePhases {
    /** Unsubscribes sent to measure opt-out latency (fewer when fewer customers have an eligible EMAIL row). */
    static final int OPT_OUT_SAMPLES = 200;
    static final Duration WARM_UP = Duration.ofSeconds(5);

    /** Opt-out latency, then decision latency without and with address-only unsubscribes flowing. */
    record OptOut(OptOutProbe.Result result, double backgroundRate, OptOutProbe.Result decisions,
                  OptOutProbe.Result decisionsWithAddresses) {
    }

    private final PipelineBenchmark bench;
    private final PipelineCluster cluster;
    private final OffsetSampler sampler;
    private final long total;
    private final PrintStream out;

    PipelinePhases(PipelineBenchmark bench, PipelineCluster cluster, OffsetSampler sampler, long total) {
        this.bench = bench;
        this.cluster = cluster;
        this.sampler = sampler;
        this.total = total;
        this.out = bench.out();
    }

    AppProcess startRestore() throws Exception {
        out.println("bench pipeline: restore: restarting consentry with an empty state directory ...");
        return bench.start(cluster, AppProcess.CONSENTRY, "consentry-restore", bench.work().resolve("consentry-restore-state"));
    }

    /**
     * Waits until the app is RUNNING with nothing left to restore, and has restored nothing more for a
     * second (the global store is restored before the tasks' stores).
     */
    PipelineReport.Restore awaitRestored(AppProcess p) throws Exception {
        long lastChange = System.nanoTime();
        AppProcess.Restore previous = null;
        double readyAt = -1;
        while (true) {
            Thread.sleep(OffsetSampler.INTERVAL_MS);
            AppProcess.Restore r = p.restore();
            boolean done = r.running() && r.active() == 0 && r.records() > 0;
            if (previous == null || r.records() != previous.records() || r.active() != previous.active()) {
                lastChange = System.nanoTime();
                readyAt = done ? p.elapsedSeconds() : -1;
            } else if (done && readyAt < 0) {
                readyAt = p.elapsedSeconds();
            }
            if (done && System.nanoTime() - lastChange > 1_000_000_000L) {
                double seconds = Math.max(0.001, (r.lastEndMillis() - r.firstStartMillis()) / 1000.0);
                PipelineReport.Restore restore = new PipelineReport.Restore(r.records(), seconds, readyAt);
                out.printf(Locale.ROOT, "bench pipeline: restore: %,d records in %.1f s%n", r.records(), seconds);
                return restore;
            }
            if (System.nanoTime() - lastChange > PipelineBenchmark.STALL.toNanos()) {
                throw new IllegalStateException("consentry restored nothing more for " + PipelineBenchmark.STALL.toSeconds()
                        + " s (" + r + "); its log is " + p.log());
            }
            previous = r;
        }
    }

    /** Consentry on the state it built while measured, once it has committed the whole load again. */
    AppProcess startCaughtUp() throws Exception {
        AppProcess p = bench.start(cluster, AppProcess.CONSENTRY, "consentry-optout", bench.work().resolve("consentry-state"));
        sampler.follow(p, cluster.applicationId(AppProcess.CONSENTRY), total, PipelineBenchmark.STALL, (a, c, t) -> { });
        return p;
    }

    /**
     * Background traffic of new customers at {@code --rate}; after a warm-up, unsubscribes for customers
     * with an eligible EMAIL row, timed to their publication; then sends for the same customers, timed to
     * their decisions.
     */
    OptOut optOut() throws Exception {
        OptOutProbe probe = new OptOutProbe(cluster.config());
        PipelineBenchmark.Options o = bench.options();
        List<OptOutProbe.Target> targets = probe.targets(OPT_OUT_SAMPLES, o.mix().seed());
        if (targets.isEmpty()) {
            out.println("bench pipeline: opt-out: no customer has an eligible EMAIL row; not measured");
            return new OptOut(null, 0, null, null);
        }
        out.printf(Locale.ROOT, "bench pipeline: opt-out: %d unsubscribes, one every %d ms, beside %,d events/s of "
                + "background traffic ...%n", targets.size(), OptOutProbe.INTERVAL_MS, o.rate());
        try (BackgroundTraffic background = new BackgroundTraffic(cluster.config(), o.rate(), o.mix().seed(),
                o.mix().customers(), PipelineBenchmark.now())) {
            background.start();
            Thread.sleep(WARM_UP.toMillis());
            OptOutProbe.Result result = probe.measure(targets);
            DecisionProbe decisions = new DecisionProbe(cluster.config());
            out.printf(Locale.ROOT, "bench pipeline: decisions: %d sends, one every %d ms, without and then with %d "
                    + "address-only unsubscribes/s ...%n", targets.size(), DecisionProbe.INTERVAL_MS, DecisionProbe.ADDRESS_RATE);
            OptOutProbe.Result quiet = decisions.measure(targets, false);
            OptOutProbe.Result withAddresses = decisions.measure(targets, true);
            return new OptOut(result, background.stop(), quiet, withAddresses);
        }
    }
}
