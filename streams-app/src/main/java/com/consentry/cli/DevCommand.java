package com.consentry.cli;

import com.consentry.config.AppConfig;
import com.consentry.dev.SampleTraffic;
import com.consentry.runtime.EmbeddedKafkaBroker;
import com.consentry.runtime.EmbeddedSchemaRegistry;
import com.consentry.service.ConsentryService;
import com.consentry.service.EventPublisher;
import com.consentry.simulate.LineParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code dev}: the whole thing on one machine — a real single-node Kafka broker (KRaft), a real schema
 * registry, the topics, the service with its HTTP API, and sample traffic — until Ctrl-C.
 */
final class DevCommand implements Main.Command {
    @Override
    public String summary() {
        return "start a local broker, schema registry, the service, its HTTP API and sample traffic";
    }

    @Override
    public String usage() {
        return """
                usage: dev [--kafka-port 9092] [--registry-port 8081] [--http-port 8080] [--rate 5]
                           [--no-traffic] [--data-dir DIR] [--config FILE]

                Starts a real Apache Kafka broker (KRaft, single node) and a real schema registry
                (Apicurio, Confluent-compatible API) on 127.0.0.1, creates the topics, starts Consentry
                and its HTTP API, and feeds sample traffic (--rate events per second) until Ctrl-C.
                Data lives in a temporary directory deleted on exit unless --data-dir is given.
                It decides with the same settings as run and simulate (cart reminders an hour after
                the last activity), on topics of one partition, so that a scenario replayed with
                produce gets simulate's answers; --config FILE replaces those defaults.""";
    }

    @Override
    public int run(Args args) throws Exception {
        int kafkaPort = args.intOption("kafka-port", 9092);
        int registryPort = args.intOption("registry-port", 8081);
        int httpPort = args.intOption("http-port", 8080);
        String rate = args.option("rate");
        boolean traffic = !args.flag("no-traffic");
        String dataDir = args.option("data-dir");
        String file = args.option("config");
        args.rejectUnknown();
        double eventsPerSecond = rate == null ? 5 : Double.parseDouble(rate);

        Path data = dataDir == null ? Files.createTempDirectory("consentry-dev-") : Path.of(dataDir);
        Files.createDirectories(data);
        List<AutoCloseable> open = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            closeAll(open);
            if (dataDir == null) {
                deleteRecursively(data);
            }
            stopped.countDown();
            Runtime.getRuntime().halt(0);
        }, "consentry-dev-shutdown"));

        Path registryJar = EmbeddedSchemaRegistry.locateJar();
        System.err.println("dev: starting Kafka (KRaft) on 127.0.0.1:" + kafkaPort + " ...");
        // stopped by the hook above, after the service has committed and left its group
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(kafkaPort, data.resolve("kafka")).closedByOwnerOnExit();
        open.add(0, broker);
        System.err.println("dev: starting the schema registry on 127.0.0.1:" + registryPort + " ...");
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(registryJar, registryPort);
        open.add(0, registry);

        AppConfig config = AppConfig.load(file == null ? null : Path.of(file), System.getenv());
        if (file == null) {
            // one task sees every event in timestamp order, as simulate does: an address-only unsubscribe
            // (keyed by the address) is then applied before a later send to a customer with that address
            config = config.with("consentry.topics.partitions", "1");
        }
        config = config.with("bootstrap.servers", broker.bootstrapServers())
                .with("consentry.schema.registry.url", registry.url())
                .with("consentry.http.port", Integer.toString(httpPort))
                .with("consentry.application.id", "consentry-dev")
                .with("consentry.state.dir", data.resolve("state").toString())
                .with("consentry.topics.create", "true")
                .with("consentry.topics.replication", "1");

        System.err.println("dev: starting Consentry ...");
        ServiceRunner runner = ServiceRunner.start(config);
        open.add(0, runner);

        SampleTraffic sample = null;
        if (traffic) {
            EventPublisher publisher = new EventPublisher(config, ConsentryService.registryClient(config));
            open.add(0, publisher);
            sample = new SampleTraffic(publisher, new LineParser(config.topics()), Clock.systemUTC(), 42,
                    eventsPerSecond);
            SampleTraffic s = sample;
            open.add(0, s::stop);
            Thread t = new Thread(sample, "consentry-sample-traffic");
            t.setDaemon(true);
            t.start();
        }
        String api = "http://127.0.0.1:" + httpPort;
        System.out.printf("""

                Consentry is running (Ctrl-C to stop).
                  Kafka bootstrap servers  %s
                  Schema registry          %s
                  HTTP API                 %s
                  State and data           %s
                  Sample traffic           %s

                Try:
                  curl -s %s/health/ready
                  curl -s %s/v1/eligibility/cust-0001
                  curl -s '%s/v1/eligibility/cust-0001/NET-A-PORTER/EMAIL'
                  curl -s %s/v1/lag
                  curl -s %s/metrics | grep consentry_
                  java -jar streams-app/target/streams-app.jar produce --input FILE   (replay a scenario)
                %n""", broker.bootstrapServers(), registry.url(), api, data,
                traffic ? eventsPerSecond + " events/s" : "off", api, api, api, api, api);
        System.out.flush();
        stopped.await();
        return 0;
    }

    private static void closeAll(List<AutoCloseable> open) {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("dev: error while stopping: " + e);
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary data; nothing depends on it being gone
        }
    }
}
