package com.consentry.cli;

import com.consentry.bench.EventMix;
import com.consentry.bench.PipelineBenchmark;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** {@code bench pipeline}: Consentry's throughput beside bare Kafka Streams apps (see {@link PipelineBenchmark}). */
final class BenchPipelineCommand implements Main.Command {
    @Override
    public String summary() {
        return "throughput of Consentry beside bare Kafka Streams apps on the same pre-loaded topics";
    }

    @Override
    public String usage() {
        return """
                usage: bench pipeline [--customers 20000] [--hours 168] [--seed 1] [--start ISO]
                                      [--partitions 3] [--threads 1] [--rate 2000] [--heap 1g]
                                      [--out bench-pipeline] [--skip-replay] [--skip-restore] [--skip-optout]
                                      [--config FILE]

                Starts a Kafka broker and a schema registry in this process (with --config: uses the
                configured cluster and registry; every topic and application id of the run then starts
                with its own bench-<time>- prefix, left behind afterwards), generates the event mix of
                bench generate for --customers customers with event times over the --hours hours before
                now (or from --start), and pre-loads the six input topics (--partitions partitions each,
                Avro through the registry, keyed by customerId, timestamped with the event time).
                Then it measures, one after the other on the same data, each in a JVM of its own
                (-Xmx of --heap) with exactly_once_v2 and --threads stream threads: a Kafka Streams
                identity app, a groupByKey().reduce() app keeping the latest value per key in RocksDB,
                and Consentry as `run` starts it. From committed offsets: steady records/s (10% to 90%
                of the load), the first and last 10%, the ratio of each app to both baselines; heap
                after GC, RSS and state on disk. Then, unless skipped: replay (`replay start` of that
                Consentry app as a shadow over the same topics, measured the same way: its ratio to
                Consentry live), restore (Consentry restarted
                with an empty state directory rebuilds its state from the changelogs: records/s), and
                opt-out latency (p50/p99/max from an unsubscribe's acknowledgement to its changed row
                on customer-eligibility, read_committed, beside --rate events/s of the same mix), then
                decision latency (from a send's acknowledgement to its decision on send-decisions,
                p50/p99/max) without and then with 20 address-only unsubscribes/s, which every
                decision waits for.
                Prints the figures; writes them to --out DIR as summary.md, samples.csv (app, elapsed
                seconds, committed records) and throughput.png, with each app's log under logs/.
                A benchmark, not a test: the figures depend on the machine.""";
    }

    @Override
    public int run(Args args) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS);
        EventMix.Settings mix = MixOptions.parse(args, 20_000, 168.0, now::minus);
        int partitions = args.intOption("partitions", 3);
        int threads = args.intOption("threads", 1);
        int rate = args.intOption("rate", 2000);
        String heap = args.option("heap");
        String out = args.option("out");
        boolean skipRestore = args.flag("skip-restore");
        boolean skipOptOut = args.flag("skip-optout");
        boolean skipReplay = args.flag("skip-replay");
        String config = args.option("config");
        args.rejectUnknown();
        if (partitions < 1 || threads < 1 || rate < 1) {
            throw new Args.UsageException("--partitions, --threads and --rate must be positive");
        }
        if (heap != null && !heap.matches("[0-9]+[kKmMgG]?")) {
            throw new Args.UsageException("--heap expects a JVM heap size such as 512m or 2g, got '" + heap + "'");
        }
        PipelineBenchmark.Options options = new PipelineBenchmark.Options(mix, partitions, threads, rate,
                Path.of(out == null ? "bench-pipeline" : out), skipOptOut, skipRestore, skipReplay, config == null ? null : Path.of(config),
                heap == null ? "1g" : heap);
        String command = String.format("bench pipeline --customers %d --hours %s --seed %d --start %s --partitions %d "
                        + "--threads %d --rate %d --heap %s%s%s%s%s", mix.customers(), mix.span().toSeconds() / 3600.0,
                mix.seed(), mix.start(), partitions, threads, rate, options.heap(), skipReplay ? " --skip-replay" : "",
                skipRestore ? " --skip-restore" : "",
                skipOptOut ? " --skip-optout" : "", config == null ? "" : " --config " + config);
        PipelineBenchmark.run(options, command, System.out);
        return 0;
    }
}
