package com.consentry.cli;

import com.consentry.drill.CrashDrill;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code drill}: the crash drill (see {@link CrashDrill} and docs/reliability.md). */
final class DrillCommand implements Main.Command {
    @Override
    public String summary() {
        return "crash drill: SIGKILLs and a broker restart under load, verified against simulate";
    }

    @Override
    public String usage() {
        return """
                usage: drill [--kills 10] [--customers 2000] [--hours 24] [--seed 1] [--start ISO]
                             [--max-minutes 30] [--no-broker-restart] [--rate 0] [--commit-interval-ms 5000]
                             [--heap 512m] [--set KEY=VALUE,...] [--keep] [--out drill]

                Starts a Kafka broker and a schema registry in this process on 127.0.0.1 (nothing else is
                touched), creates the topics with 3 partitions, and starts two service instances, each a
                JVM of its own with its own HTTP port and state directory, num.standby.replicas=1 and a
                commit interval of --commit-interval-ms (long, so that kills land mid-transaction).
                It generates the event mix of `bench generate` for --customers customers over --hours hours
                (consents, unsubscribes between campaign sends, carts bought and carts that fall due) and
                produces it while the instances process it, at --rate events/s (0: paced to last about as
                long as the kills). Meanwhile it SIGKILLs one instance --kills times, alternating, at
                seeded random moments, and restarts it at once on the same state directory (each fault
                once the one before is repaired: every partition answerable on both instances); halfway
                through it also stops the broker and starts it again on the same data directory (unless
                --no-broker-restart). The faults start once both instances run. A background loop
                sends point queries as a load balancer routes them: to an instance whose /health/ready
                answered 200 at its last probe (once a second), to the other when it cannot be reached.
                At the end it reads the outputs read_committed and compares them with simulate on the
                same lines: one decision per requestId (duplicates, missing), each reminder at most once
                and none missing, every decision and reason, the last customer-eligibility value per
                customer, and the HTTP view of 100 customers on each instance.
                Prints, per fault, the seconds until ready, caught up and repaired, then one line:
                  drill: PASSED|FAILED kills=K/N records=R duplicates=D missing=M mismatches=X
                         http-mismatches=H answered=P% ... ready-s=[...] caught-up-s=[...] repaired-s=[...]
                Writes the input to --out DIR/input.jsonl, each instance's log under --out DIR/logs, and
                every unanswered query (time, instance, customer, status, error) to --out DIR/unanswered.log.
                Stops within --max-minutes (no new fault in its last 2 minutes).
                A fault not recovered from within 3 minutes is reported as "never" and the drill goes on.
                --set gives both instances settings of their own on top of the drill's (comma-separated
                KEY=VALUE pairs, e.g. --set max.task.idle.ms=100), to try a setting under the same faults.
                --keep keeps the broker's and the instances' data directories (their path is printed) for a
                post-mortem; by default they are deleted at the end.
                Exit status 0 when it passed; 1 on any duplicate, missing record or mismatch (HTTP too), or fewer kills
                than asked; 2 for a usage error.""";
    }

    @Override
    public int run(Args args) throws Exception {
        // the history ends hours before now: its closing events (DrillInput) come 2 h after its end, and the
        // broker refuses timestamps more than an hour ahead
        var mix = MixOptions.parse(args, 2000, 24.0, span -> Instant.now().truncatedTo(ChronoUnit.HOURS).minus(span)
                .minus(Duration.ofHours(3)));
        int kills = args.intOption("kills", 10);
        int maxMinutes = args.intOption("max-minutes", 30);
        boolean brokerRestart = !args.flag("no-broker-restart");
        int rate = args.intOption("rate", 0);
        int commitMs = args.intOption("commit-interval-ms", 5000);
        String heap = args.option("heap");
        String out = args.option("out");
        Map<String, String> settings = settings(args.option("set"));
        boolean keep = args.flag("keep");
        args.rejectUnknown();
        if (kills < 0 || maxMinutes < 1 || rate < 0 || commitMs < 1) {
            throw new Args.UsageException("--kills and --rate must not be negative, --max-minutes and "
                    + "--commit-interval-ms must be positive");
        }
        if (heap != null && !heap.matches("[0-9]+[kKmMgG]?")) {
            throw new Args.UsageException("--heap expects a JVM heap size such as 512m or 2g, got '" + heap + "'");
        }
        CrashDrill.Result result = CrashDrill.run(new CrashDrill.Options(mix, kills, Duration.ofMinutes(maxMinutes),
                brokerRestart, rate, Duration.ofMillis(commitMs), Path.of(out == null ? "drill" : out),
                heap == null ? "512m" : heap, settings, keep), System.out);
        System.out.println(result.line());
        return result.passed() ? 0 : 1;
    }

    private static Map<String, String> settings(String pairs) throws Args.UsageException {
        Map<String, String> settings = new LinkedHashMap<>();
        if (pairs == null) {
            return settings;
        }
        for (String pair : pairs.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new Args.UsageException("--set expects KEY=VALUE pairs separated by commas, got '" + pair + "'");
            }
            settings.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return settings;
    }
}
