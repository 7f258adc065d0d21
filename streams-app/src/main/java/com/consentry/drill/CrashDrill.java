package com.consentry.drill;

import com.consentry.bench.EventMix;
import com.consentry.bench.PipelineBenchmark;
import com.consentry.config.AppConfig;
import com.consentry.service.ConsentryService;
import com.consentry.topology.AvroSerdes;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code drill}: two service instances on a real broker, SIGKILLed in turn at seeded random moments
 * while a generated history is produced and processed, and the broker restarted once; then what was
 * published (read_committed) is held against {@code simulate} on the same lines ({@link Verdict}).
 * See {@code docs/reliability.md}.
 */
public final class CrashDrill {
    /** The consumer group and application id of the drill's instances. */
    static final String APPLICATION_ID = "consentry-drill";
    static final int PARTITIONS = 3;
    static final int STANDBY_REPLICAS = 1;
    /** Customers whose HTTP answers are compared with simulate's final view, on each instance. */
    static final int HTTP_SAMPLE = 100;

    /**
     * @param rate          input records a second (0: paced so that the load lasts about as long as the kills)
     * @param commitInterval the instances' {@code commit.interval.ms}: long, so that kills land mid-transaction
     * @param settings       the instances' settings on top of the drill's ({@code --set})
     * @param keep           keep the broker's and instances' data directories at the end
     */
    public record Options(EventMix.Settings mix, int kills, Duration maxTime, boolean brokerRestart, int rate,
                          Duration commitInterval, Path out, String heap, Map<String, String> settings, boolean keep) {
    }

    /** What the drill found; {@link #line()} is its last line of output. */
    public record Result(int kills, int requestedKills, long records, Verdict verdict, Faults faults, QueryStats queries) {
        /** No duplicate, nothing missing, no mismatch, and every kill asked for done (slow recoveries are reported, not failed). */
        public boolean passed() {
            return verdict.clean() && kills == requestedKills;
        }

        public String line() {
            return DrillReport.line(this);
        }
    }

    /** Point queries during the faults. */
    public record QueryStats(long sent, long answered, long stale, Map<String, Long> failures) {
        double share() {
            return sent == 0 ? 1.0 : (double) answered / sent;
        }
    }

    private final Options options;
    private final PrintStream out;

    private CrashDrill(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static Result run(Options options, PrintStream out) throws Exception {
        Path work = Files.createTempDirectory("consentry-drill-");
        try {
            return new CrashDrill(options, out).run(work);
        } finally {
            if (options.keep()) {
                out.printf("drill: kept the broker's and instances' data in %s%n", work);
            } else {
                PipelineBenchmark.deleteRecursively(work);
            }
        }
    }

    private Result run(Path work) throws Exception {
        Instant deadline = Instant.now().plus(options.maxTime());
        Path logs = Files.createDirectories(options.out().resolve("logs"));
        DrillInput input = DrillInput.generate(options.mix(), PARTITIONS);
        Files.write(options.out().resolve("input.jsonl"), input.lines());
        say("%,d customers, %,d input lines (written to %s); simulate on the same lines ...", options.mix().customers(),
                input.lines().size(), options.out().resolve("input.jsonl"));
        Outcome expected = Outcome.simulate(input.lines(), AppConfig.of(Map.of()));
        say("simulate: %,d decisions, %,d reminders, %,d customers in the view", count(expected.decisions()),
                count(expected.reminders()), expected.view().size());

        say("starting Kafka and the schema registry ...");
        try (DrillCluster cluster = DrillCluster.start(work)) {
            AppConfig shared = cluster.config();
            cluster.createTopics(shared, PARTITIONS);
            List<Instance> instances = new ArrayList<>();
            try {
                for (String label : List.of("instance-a", "instance-b")) {
                    instances.add(new Instance(label, instanceConfig(shared, input, label, work), work, logs,
                            options.heap()));
                }
                for (Instance i : instances) {
                    i.start();
                }
                try (Faults faults = new Faults(instances, cluster, shared, APPLICATION_ID, PARTITIONS,
                        1 + STANDBY_REPLICAS, out)) {
                    // the faults start once the group has settled after its first start
                    faults.awaitAllRunning(Duration.ofMinutes(3));
                    say("both instances ready and running (logs %s)", logs);
                    return drive(input, expected, shared, instances, faults, deadline);
                }
            } finally {
                for (Instance i : instances) {
                    try {
                        i.stop();
                    } catch (RuntimeException e) {
                        say("%s did not stop cleanly: %s", i.label(), e.getMessage());
                    }
                    i.close();
                }
            }
        }
    }

    private Result drive(DrillInput input, Outcome expected, AppConfig shared, List<Instance> instances, Faults faults, Instant deadline) throws Exception {
        int rate = options.rate() > 0 ? options.rate()
                : (int) Math.max(20, input.events() / (options.kills() * 15L + 30));
        Random random = new Random(options.mix().seed());
        say("producing %,d events at %d/s while killing an instance %d times%s ...", input.events(), rate,
                options.kills(), options.brokerRestart() ? " and restarting the broker once" : "");
        QueryStats queries;
        try (PacedProducer producer = new PacedProducer(shared, input.lines(), rate);
             QueryLoop loop = new QueryLoop(instances, input.points(expected, random, 500), options.mix().seed(),
                     Duration.ofMillis(20))) {
            producer.start();
            loop.start();
            // leave room for the catch-up and the verification
            Instant lastFault = deadline.minus(Duration.ofMinutes(2));
            for (int k = 0; k < options.kills() && Instant.now().isBefore(lastFault); k++) {
                // a random moment, 1 s to two commit intervals after the last fault was repaired
                Thread.sleep(1000 + (long) (random.nextDouble() * 2 * options.commitInterval().toMillis()));
                faults.kill(k, instances.get(k % instances.size()));
                if (options.brokerRestart() && k == Math.max(0, options.kills() / 2 - 1)) {
                    Thread.sleep(1000 + random.nextInt(3000));
                    faults.restartBroker();
                }
            }
            producer.await(Duration.between(Instant.now(), deadline));
            queries = new QueryStats(loop.sent(), loop.answered(), loop.stale(), loop.failures());
            Files.write(options.out().resolve("unanswered.log"), loop.unanswered());
        }
        say("load produced; waiting for the instances to catch up ...");
        faults.awaitCaughtUp(Duration.ofMinutes(10));
        Verdict verdict = verify(expected, shared);
        checkHttp(expected, instances, verdict);
        for (String e : verdict.examples) {
            say("  %s", e);
        }
        return new Result(faults.kills(), options.kills(), input.events(), verdict, faults, queries);
    }

    /** Reads the outputs until they agree with simulate, or for a minute (held outputs come a commit or two later). */
    private Verdict verify(Outcome expected, AppConfig shared) throws InterruptedException {
        AvroSerdes avro = AvroSerdes.using(ConsentryService.registryClient(shared));
        Instant until = Instant.now().plus(Duration.ofMinutes(1));
        while (true) {
            Verdict v = Verdict.of(expected, Outcome.published(shared, avro));
            if (v.clean() || Instant.now().isAfter(until)) {
                return v;
            }
            Thread.sleep(3000);
        }
    }

    private void checkHttp(Outcome expected, List<Instance> instances, Verdict verdict) throws IOException {
        List<String> customers = new ArrayList<>(expected.view().keySet());
        java.util.Collections.shuffle(customers, new Random(options.mix().seed() + 1));
        for (String c : customers.subList(0, Math.min(HTTP_SAMPLE, customers.size()))) {
            for (Instance i : instances) {
                Instance.Reply r = i.view(c);
                Map<String, String> rows = r.status() == 200 ? DrillReport.rows(r.body()) : Map.of("HTTP", Integer.toString(r.status()));
                verdict.compareView("HTTP " + i.label(), c, expected.view().get(c), rows, true);
            }
        }
    }

    private AppConfig instanceConfig(AppConfig shared, DrillInput input, String label, Path work) throws IOException {
        AppConfig config = shared.with("consentry.application.id", APPLICATION_ID)
                .with("consentry.instance.id", label)
                .with("consentry.http.port", Integer.toString(freePort()))
                .with("consentry.state.dir", work.resolve(label + "-state").toString())
                .with("consentry.topics.partitions", Integer.toString(PARTITIONS))
                // as simulate: sweeps counted from the first line, and reminders fired by event time only
                .with("consentry.sweep.anchor", input.first().toString())
                .with("consentry.punctuate.idle-grace", "PT1H")
                .with("commit.interval.ms", Long.toString(options.commitInterval().toMillis()))
                .with("num.standby.replicas", Integer.toString(STANDBY_REPLICAS));
        for (Map.Entry<String, String> s : options.settings().entrySet()) {
            config = config.with(s.getKey(), s.getValue());
        }
        return config;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static long count(Map<String, List<String>> m) {
        return m.values().stream().mapToLong(List::size).sum();
    }

    private void say(String format, Object... args) {
        out.printf(java.util.Locale.ROOT, "drill: " + format + "%n", args);
    }
}
