package com.consentry.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The figures of a {@code bench pipeline} run: a markdown table (printed, and in {@code summary.md}
 * with how the run was made), the committed-offset samples as CSV, and the plot.
 */
final class PipelineReport {
    static final String CSV = "samples.csv";
    static final String PNG = "throughput.png";
    static final String SUMMARY = "summary.md";

    /** Restoration of Consentry's state from its changelogs into an empty state directory. */
    record Restore(long records, double seconds, double readySeconds) {
        double rate() {
            return records / seconds;
        }
    }

    private PipelineReport() {
    }

    /** The table of the apps, then the replay's ratio to Consentry live, the restore and opt-out lines (either may be null: skipped). */
    static String figures(List<AppResult> apps, Restore restore, PipelinePhases.OptOut probes, int requestedRate) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        AppResult identity = find(apps, AppProcess.IDENTITY);
        AppResult reduce = find(apps, AppProcess.REDUCE);
        out.println("| app | steady records/s | first 10% | last 10% | last/first | × identity | × reduce "
                + "| heap after GC | RSS | peak RSS | state on disk | load done after |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (AppResult a : apps) {
            Throughput t = a.throughput();
            out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | %,.0f | %.2f | %.3f | %.3f | %s | %s | %s | %s | %.1f s |%n",
                    a.app(), t.steady(), t.first(), t.last(), t.lastOverFirst(), t.steady() / identity.throughput().steady(),
                    t.steady() / reduce.throughput().steady(), bytes(a.memory().heap()), bytes(a.memory().rss()),
                    bytes(a.memory().peakRss()), bytes(a.stateBytes()), t.seconds());
        }
        out.println();
        apps.stream().filter(a -> a.app().equals(AppProcess.REPLAY)).findFirst().ifPresent(replay ->
                out.printf(Locale.ROOT, "replay: `replay start` over the same topics, %,.0f records/s steady = %.2f × "
                        + "Consentry live%n", replay.throughput().steady(),
                        replay.throughput().steady() / find(apps, AppProcess.CONSENTRY).throughput().steady()));
        if (restore != null) {
            out.printf(Locale.ROOT, "restore: %,d records from the changelogs in %.1f s = %,.0f records/s "
                    + "(all restored and RUNNING %.1f s after the start of its JVM)%n", restore.records(), restore.seconds(),
                    restore.rate(), restore.readySeconds());
        }
        OptOutProbe.Result optOut = probes == null ? null : probes.result();
        if (optOut != null) {
            double backgroundRate = probes.backgroundRate();
            out.printf(Locale.ROOT, "opt-out latency (unsubscribe acknowledged -> changed row on customer-eligibility, "
                    + "read_committed), %d of %d seen, background %,d events/s requested, %,.0f published: "
                    + "p50 %s, p99 %s, max %s%n", optOut.seen(), optOut.sent(), requestedRate, backgroundRate,
                    millis(optOut.p50()), millis(optOut.p99()), millis(optOut.max()));
            latency(out, "without address traffic", probes.decisions());
            latency(out, "with " + DecisionProbe.ADDRESS_RATE + " address-only unsubscribes/s", probes.decisionsWithAddresses());
        }
        out.flush();
        return text.toString();
    }

    private static void latency(PrintWriter out, String what, OptOutProbe.Result r) {
        out.printf(Locale.ROOT, "decision latency (send acknowledged -> its decision on send-decisions, read_committed) %s,"
                + " %d of %d seen: p50 %s, p99 %s, max %s%n", what, r.seen(), r.sent(), millis(r.p50()), millis(r.p99()),
                millis(r.max()));
    }

    private static AppResult find(List<AppResult> apps, String app) {
        return apps.stream().filter(a -> a.app().equals(app)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no result for " + app));
    }

    private static String millis(double ms) {
        return Double.isInfinite(ms) ? "not seen within " + OptOutProbe.LAST_WAIT.toSeconds() + " s of the last"
                : String.format(Locale.ROOT, "%,.0f ms", ms);
    }

    static String bytes(long b) {
        if (b < 0) {
            return "n/a";
        }
        if (b >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", b / (double) (1L << 30));
        }
        return b >= 1L << 20 ? String.format(Locale.ROOT, "%.0f MiB", b / (double) (1L << 20))
                : String.format(Locale.ROOT, "%.0f KiB", b / 1024.0);
    }

    /** {@code app,elapsed_seconds,committed_records}, one line per sample. */
    static void writeCsv(List<AppResult> apps, Path file) throws IOException {
        StringBuilder sb = new StringBuilder("app,elapsed_seconds,committed_records\n");
        for (AppResult a : apps) {
            for (Sample s : a.samples()) {
                sb.append(a.app()).append(',').append(String.format(Locale.ROOT, "%.3f", s.seconds())).append(',')
                        .append(s.records()).append('\n');
            }
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }

    /** The summary: command, machine, load, figures, and where the CSV and plot are. */
    static void writeSummary(Path file, String command, String load, String figures) throws IOException {
        Runtime rt = Runtime.getRuntime();
        String md = "# bench pipeline\n\n"
                + "    " + command + "\n\n"
                + String.format(Locale.ROOT, "Run on %s: %d processors, Java %s (%s), %s %s.%n%n",
                java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), rt.availableProcessors(),
                System.getProperty("java.version"), System.getProperty("java.vm.name"), System.getProperty("os.name"),
                System.getProperty("os.arch"))
                + load + "\n\n" + figures + "\n"
                + "Samples of committed records: [" + CSV + "](" + CSV + "); plot: ![throughput](" + PNG + ")\n\n"
                + "Each app ran in its own JVM, one after the other on the same broker and the same pre-loaded topics, "
                + "with exactly_once_v2. Steady records/s is between 10% and 90% of the load by committed offsets; "
                + "first 10% is from 1% to 10%, last 10% from 90% to 100%. Heap is measured after a full GC once the "
                + "load was committed; RSS is VmRSS then, peak RSS VmHWM. See docs/benchmark.md.\n";
        Files.writeString(file, md, StandardCharsets.UTF_8);
    }
}
