package com.consentry.cli;

import com.consentry.config.AppConfig;
import com.consentry.replay.DiffReport;
import com.consentry.replay.ReplayClean;
import com.consentry.replay.ReplayDiff;
import com.consentry.replay.ReplayPromote;
import com.consentry.replay.ReplayStart;
import com.consentry.replay.ReplayStatus;
import com.consentry.replay.ReplayStep;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code replay start|status|diff|clean}: rebuild the view from the input topics in a shadow
 * application beside the live service, and compare it with the live view before it goes live.
 */
final class ReplayCommand implements Main.Command {
    @Override
    public String summary() {
        return "replay the input topics in a shadow application, compare it with the live view, promote it";
    }

    @Override
    public Map<String, Main.Command> subcommands() {
        Map<String, Main.Command> s = new LinkedHashMap<>();
        s.put("start", new Start());
        s.put("status", new Status());
        s.put("diff", new Diff());
        s.put("promote", new Promote());
        s.put("clean", new Clean());
        return s;
    }

    @Override
    public String usage() {
        StringBuilder sb = new StringBuilder("usage: replay <subcommand> [options]\n\nsubcommands:\n");
        subcommands().forEach((name, cmd) -> sb.append(String.format("  %-8s %s%n", name, cmd.summary())));
        return sb.append("\nRun `replay <subcommand> --help` for its options. See the README, \"Replaying after a fix\".")
                .toString();
    }

    @Override
    public int run(Args args) throws Args.UsageException {
        throw new Args.UsageException("a subcommand is required: " + String.join(", ", subcommands().keySet()));
    }

    /** Runs {@code step}; Ctrl-C or SIGTERM stops its shadow cleanly (the same command resumes it). */
    static int untilDone(ReplayStep step) throws InterruptedException {
        Thread hook = new Thread(step::stop, "consentry-replay-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        step.run();
        Runtime.getRuntime().removeShutdownHook(hook);
        return 0;
    }

    static AppConfig config(Args args) {
        String file = args.option("config");
        return AppConfig.load(file == null ? null : Path.of(file), System.getenv());
    }

    static final class Start implements Main.Command {
        @Override
        public String summary() {
            return "run the current build and configuration as a shadow over the input topics' history";
        }

        @Override
        public String usage() {
            return """
                    usage: replay start [--id NAME] [--config FILE]

                    Records the input topics' end offsets, then runs this build with the configuration of
                    FILE (and the environment) as a shadow application: application.id
                    <application.id>-replay-NAME, state under <consentry.state.dir>/replay-NAME, every
                    topic it writes named <topic>.replay-NAME (created, and registered in the schema
                    registry on first write). It reads the input topics from their earliest offsets up to
                    the recorded ends, then stops. It never writes to a live topic; the live service
                    keeps running. Reminders and sweeps follow the replayed event times only (the wall
                    clock fires nothing), so two replays of the same history write the same records.
                    Progress (records done of total, records/s, ETA) is printed, and is on the shadow's
                    /metrics (consentry.replay.http.port, default 0: a free port, printed) as
                    consentry_replay_records_done, _total_records, _records_per_second, _eta_seconds.
                    Interrupted, it stops cleanly; the same command resumes it over the same offsets.
                    NAME defaults to the UTC time, e.g. 20260301-101500.""";
        }

        @Override
        public int run(Args args) throws Exception {
            String id = Optional.ofNullable(args.option("id")).orElseGet(() ->
                    DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Clock.systemUTC().instant()));
            AppConfig live = config(args);
            args.rejectUnknown();
            return untilDone(new ReplayStart(live, id, System.out, System.console() != null, Clock.systemUTC()));
        }
    }

    static final class Status implements Main.Command {
        @Override
        public String summary() {
            return "show where a replay stands: records done of total, finished or not";
        }

        @Override
        public String usage() {
            return """
                    usage: replay status --id NAME [--config FILE]

                    Prints whether replay NAME has finished and how many of its input records it has
                    processed, from its control file (<consentry.state.dir>/replay-NAME/replay.json) and
                    the offsets its shadow group has committed. Exit status 1 when there is no such
                    replay under this configuration's state directory.""";
        }

        @Override
        public int run(Args args) throws Exception {
            String id = args.required("id");
            AppConfig live = config(args);
            args.rejectUnknown();
            Optional<String> status = ReplayStatus.of(live, id);
            if (status.isEmpty()) {
                System.err.println("replay status: no replay " + id + " under " + live.get("consentry.state.dir"));
                return 1;
            }
            System.out.println(status.get());
            return 0;
        }
    }

    static final class Diff implements Main.Command {
        @Override
        public String summary() {
            return "compare a replay's view, decisions and reminders with the live ones";
        }

        @Override
        public String usage() {
            return """
                    usage: replay diff --id NAME [--out FILE.json] [--config FILE]

                    Reads the live and the shadow customer-eligibility topics (compacted) to their ends and
                    compares them row by row (customer, brand, channel): a row changes when its eligible
                    or reason does. Prints the customers and rows compared and changed, a table of the
                    transitions live reason -> replay reason with counts and sample customers (ABSENT: a
                    row one side does not have, e.g. an erased customer), the send decisions (by
                    requestId, campaign sends and cart reminders) whose decision or reason differs, and
                    the cart reminders that one side sent and the other did not, or sent differently.
                    FILE.json holds the same and every changed row.""";
        }

        @Override
        public int run(Args args) throws Exception {
            String id = args.required("id");
            String out = args.option("out");
            AppConfig live = config(args);
            args.rejectUnknown();
            DiffReport report = ReplayDiff.of(live, id);
            report.print(System.out);
            if (out != null) {
                ReplayDiff.writeJson(report, Path.of(out));
                System.out.println("\nwritten to " + out);
            }
            return 0;
        }
    }

    static final class Promote implements Main.Command {
        @Override
        public String summary() {
            return "make a finished replay's rebuilt state the live one, re-sending nothing";
        }

        @Override
        public String usage() {
            return """
                    usage: replay promote --id NAME [--config FILE]

                    With every live instance stopped: the shadow of replay NAME catches up with the input
                    records the live service processed since the replay (wall clock off, on its own
                    topics), then runs once with the wall clock on, so that reminders and time-driven
                    changes due by now fire on its own topics; its offsets are set to the input end
                    offsets; the live customer-eligibility topic receives the view of every customer
                    with a changed row, and only those. Then start every instance with
                    consentry.replay.promoted=NAME (CONSENTRY_REPLAY_PROMOTED=NAME): they run on the
                    rebuilt state (application.id <application.id>-replay-NAME) and write the live
                    topics. No decision already made and no reminder already sent or past due is
                    published again. Refused while a live instance or `replay start` runs. Rollback:
                    see docs/operations.md, "Replays".""";
        }

        @Override
        public int run(Args args) throws Exception {
            String id = args.required("id");
            AppConfig live = config(args);
            args.rejectUnknown();
            return untilDone(new ReplayPromote(live, id, System.out, System.console() != null, Clock.systemUTC()));
        }
    }

    static final class Clean implements Main.Command {
        @Override
        public String summary() {
            return "delete a replay's topics, internal topics, consumer groups and state";
        }

        @Override
        public String usage() {
            return """
                    usage: replay clean --id NAME [--config FILE]

                    Deletes the topics <topic>.replay-NAME, the shadow's changelog topics
                    (<application.id>-replay-NAME-*-changelog), its consumer groups
                    (<application.id>-replay-NAME and <application.id>-replay-NAME-metrics) and its state
                    directory <consentry.state.dir>/replay-NAME (with the control file). Stop a running
                    `replay start` first. Nothing of the live service is touched.""";
        }

        @Override
        public int run(Args args) throws Exception {
            String id = args.required("id");
            AppConfig live = config(args);
            args.rejectUnknown();
            List<String> deleted = ReplayClean.clean(live, id);
            deleted.forEach(d -> System.out.println("deleted " + d));
            if (deleted.isEmpty()) {
                System.out.println("replay " + id + ": nothing to delete");
            }
            return 0;
        }
    }
}
