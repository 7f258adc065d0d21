package com.consentry.cli;

import com.consentry.avro.CartReminder;
import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.DeadLetter;
import com.consentry.avro.SendDecision;
import com.consentry.config.AppConfig;
import com.consentry.runtime.EmbeddedKafkaBroker;
import com.consentry.runtime.EmbeddedSchemaRegistry;
import com.consentry.serde.SchemaRegistry;
import com.consentry.service.ConsentryService;
import com.consentry.service.EventPublisher;
import com.consentry.simulate.LineParser;
import com.consentry.simulate.ParsedLine;
import com.consentry.topology.Topics;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * {@code bench query} (also plain {@code bench}): point-query latency of the HTTP API under a concurrent load. Starts a broker, a schema
 * registry and the service in this process (or uses the cluster and registry of {@code --config}),
 * loads N customers through the real topics, waits until the service has processed them, then has T
 * threads fire {@code GET /v1/eligibility/{customerId}/{brand}/{channel}} for random customers for D
 * seconds and prints the latency percentiles and the throughput. With {@code --instances 2} the queries
 * go to the first instance, which forwards those of the customers the second one owns.
 */
final class BenchQueryCommand implements Main.Command {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] BRANDS = {"NET-A-PORTER", "MR PORTER", "THE OUTNET"};
    private static final String[] CHANNELS = {"EMAIL", "SMS", "POST", "PHONE", "TARGETED_ADS"};
    private static final String[] COUNTRIES = {"GB", "DE", "US", "FR"};

    @Override
    public String summary() {
        return "measure point-query latency and throughput of the HTTP API under concurrent load";
    }

    @Override
    public String usage() {
        return """
                usage: bench [query] [--customers 10000] [--threads 8|1,4,16] [--duration 30] [--warmup 5]
                                     [--instances 1] [--config FILE]

                Starts a Kafka broker, a schema registry and Consentry in this process (with --config:
                Consentry only, against the configured cluster and registry, writing to the configured
                topics), loads --customers customers (profile, consents, some unsubscribes), waits until
                they are processed, then --threads threads send point queries for random customers,
                brands and channels for --duration seconds after --warmup seconds, and prints the latency
                percentiles (p50, p90, p99, max) and the throughput; a list of thread counts measures
                each in turn on the same data. --instances 2 starts a second
                instance; queries then go to the first, which forwards half of them. Not a test: the
                figures depend on the machine.""";
    }

    @Override
    public int run(Args args) throws Exception {
        int customers = args.intOption("customers", 10_000);
        List<Integer> threadCounts = threadCounts(args.option("threads"));
        int duration = args.intOption("duration", 30);
        int warmup = args.intOption("warmup", 5);
        int instances = args.intOption("instances", 1);
        String file = args.option("config");
        args.rejectUnknown();
        if (customers < 1 || duration < 1 || warmup < 0 || instances < 1 || instances > 4) {
            throw new Args.UsageException("--customers and --duration must be positive, --instances 1 to 4");
        }
        PrintStream out = System.out;
        Deque<AutoCloseable> open = new ArrayDeque<>();
        Path state = Files.createTempDirectory("consentry-bench-");
        try {
            AppConfig config;
            if (file == null) {
                out.println("bench: starting Kafka and the schema registry ...");
                EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null);
                open.push(broker);
                EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(EmbeddedSchemaRegistry.locateJar(), 0);
                open.push(registry);
                config = AppConfig.of(java.util.Map.of("bootstrap.servers", broker.bootstrapServers(),
                        "consentry.schema.registry.url", registry.url(), "consentry.topics.create", "true",
                        "consentry.topics.replication", "1", "consentry.application.id", "consentry-bench"));
            } else {
                config = AppConfig.load(Path.of(file), System.getenv());
            }
            config = config.with("consentry.http.port", "0");
            registerOutputSchemas(config);
            List<ServiceRunner> runners = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                ServiceRunner r = ServiceRunner.start(config.with("consentry.state.dir", state.resolve("i" + i).toString()));
                open.push(r);
                runners.add(r);
            }
            String base = runners.get(0).httpUrl();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            out.printf("bench: %d instance(s) up, HTTP API %s; loading %d customers ...%n", instances, base, customers);
            long loadStart = System.nanoTime();
            load(config, customers);
            awaitProcessed(http, runners, Duration.ofMinutes(2).plusMillis(customers * 20L));
            out.printf("bench: %d customers loaded and processed in %.1f s%n", customers,
                    (System.nanoTime() - loadStart) / 1e9);

            long errors = 0;
            for (int threads : threadCounts) {
                out.printf("bench: %d threads, %d s warm-up, %d s measured ...%n", threads, warmup, duration);
                BenchLoad.run(base, BenchQueryCommand::customerId, customers, BRANDS, CHANNELS, threads, Duration.ofSeconds(warmup));
                BenchLoad.Result r = BenchLoad.run(base, BenchQueryCommand::customerId, customers, BRANDS, CHANNELS, threads,
                        Duration.ofSeconds(duration));
                errors += r.errors();
                out.printf("bench: instances=%d customers=%d threads=%d requests=%d errors=%d throughput=%.0f/s"
                                + " latency_ms p50=%.2f p90=%.2f p99=%.2f max=%.2f%n", instances, customers, threads,
                        r.requests(), r.errors(), r.requests() / r.seconds(), r.percentileMillis(50),
                        r.percentileMillis(90), r.percentileMillis(99), r.percentileMillis(100));
            }
            return errors == 0 ? 0 : 1;
        } finally {
            while (!open.isEmpty()) {
                try {
                    open.pop().close();
                } catch (Exception e) {
                    System.err.println("bench: error while stopping: " + e);
                }
            }
            deleteRecursively(state);
        }
    }

    /** {@code --threads 8} or a list, {@code --threads 1,4,16}: one measurement each, on the same data. */
    private static List<Integer> threadCounts(String option) throws Args.UsageException {
        List<Integer> out = new ArrayList<>();
        for (String t : (option == null ? "8" : option).split(",")) {
            try {
                out.add(Integer.parseInt(t.trim()));
            } catch (NumberFormatException e) {
                throw new Args.UsageException("--threads expects whole numbers separated by commas, got '" + option + "'");
            }
            if (out.get(out.size() - 1) < 1) {
                throw new Args.UsageException("--threads must be positive");
            }
        }
        return out;
    }

    /**
     * Registers the output schemas once, before the instances start: several instances registering the
     * same new schema at the same moment can make the development registry fail one of them (HTTP 500).
     */
    private static void registerOutputSchemas(AppConfig config) {
        SchemaRegistry registry = ConsentryService.registryClient(config);
        Topics topics = config.topics();
        registry.register(topics.customerEligibility() + "-value", CustomerEligibility.getClassSchema());
        registry.register(topics.sendDecisions() + "-value", SendDecision.getClassSchema());
        registry.register(topics.cartReminders() + "-value", CartReminder.getClassSchema());
        registry.register(topics.deadLetter() + "-value", DeadLetter.getClassSchema());
    }

    /** Profile, a consent per brand on some channels, and an unsubscribe for one customer in five. */
    private static void load(AppConfig config, int customers) throws Exception {
        LineParser parser = new LineParser(config.topics());
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        try (EventPublisher publisher = new EventPublisher(config, ConsentryService.registryClient(config))) {
            int line = 0;
            for (int i = 0; i < customers; i++) {
                String id = customerId(i);
                Instant at = t0.plusMillis(i);
                List<String> lines = new ArrayList<>();
                lines.add(String.format("{\"type\":\"customer\",\"at\":\"%s\",\"customerId\":\"%s\",\"eventType\":\"UPSERT\","
                        + "\"country\":\"%s\",\"birthDate\":\"1990-01-01\",\"email\":\"%s@example.com\"}",
                        at, id, COUNTRIES[i % COUNTRIES.length], id));
                for (int b = 0; b < BRANDS.length; b++) {
                    lines.add(String.format("{\"type\":\"consent\",\"at\":\"%s\",\"customerId\":\"%s\",\"brand\":\"%s\","
                            + "\"channel\":\"%s\",\"status\":\"GRANTED\",\"source\":\"CHECKOUT\"}",
                            at.plusSeconds(1), id, BRANDS[b], CHANNELS[(i + b) % CHANNELS.length]));
                }
                if (i % 5 == 0) {
                    lines.add(String.format("{\"type\":\"unsubscribe\",\"at\":\"%s\",\"customerId\":\"%s\",\"brand\":\"%s\","
                            + "\"source\":\"LINK\"}", at.plusSeconds(2), id, BRANDS[i % BRANDS.length]));
                }
                for (String l : lines) {
                    publisher.publish((ParsedLine.Event) parser.parse(l, ++line));
                }
            }
            publisher.flush();
        }
    }

    /** Until every instance is ready and the streams have caught up with the input topics. */
    private static void awaitProcessed(HttpClient http, List<ServiceRunner> runners, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean done = true;
            for (ServiceRunner r : runners) {
                HttpResponse<String> ready = get(http, r.httpUrl() + "/health/ready");
                done &= ready.statusCode() == 200;
            }
            if (done) {
                HttpResponse<String> lag = get(http, runners.get(0).httpUrl() + "/v1/lag");
                if (lag.statusCode() == 200 && JSON.readTree(lag.body()).path("totalLag").asLong(-1) == 0) {
                    return;
                }
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the service did not process the loaded customers within " + timeout);
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String customerId(int i) {
        return String.format("bench-%07d", i);
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("bench: could not delete " + dir + ": " + e.getMessage());
        }
    }
}
