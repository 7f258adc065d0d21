package com.consentry.e2e;

import com.consentry.avro.SendDecision;
import com.consentry.config.AppConfig;
import com.consentry.serde.HttpSchemaRegistryClient;
import com.consentry.topology.AvroSerdes;
import com.consentry.topology.Topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user (and acceptance) does: {@code dev --no-traffic} in one process, {@code produce --input}
 * of every scenario in others, both from the runnable jar; the decisions and reminders on
 * {@code send-decisions} are then those {@code simulate} prints for the same files, with the same
 * default settings.
 */
class DevReplayIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void scenariosProducedIntoDevGetTheDecisionsAndRemindersOfSimulate() throws Exception {
        int kafkaPort = freePort();
        int registryPort = freePort();
        int httpPort = freePort();
        Process dev = java(temp.resolve("dev.log"), "dev", "--kafka-port", kafkaPort, "--registry-port", registryPort,
                "--http-port", httpPort, "--no-traffic", "--data-dir", temp.resolve("dev"));
        try {
            awaitReady(dev, httpPort);
            String bootstrap = "127.0.0.1:" + kafkaPort;
            String registry = "http://127.0.0.1:" + registryPort + "/apis/ccompat/v7";
            Path config = Files.writeString(temp.resolve("produce.properties"),
                    "bootstrap.servers=" + bootstrap + "\nconsentry.schema.registry.url=" + registry + "\n");
            List<Path> scenarios = ScenarioReplayIT.scenarios();
            for (Path scenario : scenarios) {
                Process produce = java(temp.resolve(scenario.getFileName() + ".log"), "produce", "--input", scenario,
                        "--config", config);
                assertThat(produce.waitFor(120, TimeUnit.SECONDS)).as("produce %s finished", scenario).isTrue();
                assertThat(produce.exitValue()).as("produce %s: %s", scenario,
                        Files.readString(temp.resolve(scenario.getFileName() + ".log"))).isZero();
            }
            Topics topics = Topics.defaults();
            LocalCluster.awaitCaughtUp(bootstrap, "consentry-dev", topics, Duration.ofSeconds(120));
            // once idle, the service's wall clock decides what is still due: anything it adds shows up too
            Thread.sleep(AppConfig.of(Map.of()).getDuration("consentry.punctuate.idle-grace").plusSeconds(5).toMillis());
            List<ConsumerRecord<String, SendDecision>> decisions = LocalCluster.readAll(bootstrap, topics.sendDecisions(),
                    AvroSerdes.using(new HttpSchemaRegistryClient(registry)).decision().deserializer(), Duration.ofSeconds(1));

            for (Path scenario : scenarios) {
                Set<String> customers = customers(scenario);
                ScenarioReplayIT.Outcome expected = ScenarioReplayIT.simulate(Files.readAllLines(scenario), AppConfig.of(Map.of()));
                ScenarioReplayIT.Outcome actual = new ScenarioReplayIT.Outcome();
                ScenarioReplayIT.addDecisions(actual,
                        decisions.stream().filter(r -> customers.contains(r.value().getCustomerId())).toList());
                assertThat(actual.decisions()).as("%s: decisions by requestId", scenario.getFileName())
                        .isEqualTo(expected.decisions());
                assertThat(actual.reminders()).as("%s: reminders by cartId", scenario.getFileName())
                        .isEqualTo(expected.reminders());
            }
            assertThat(decisions.stream().map(r -> r.value().getCartId()).filter(java.util.Objects::nonNull))
                    .as("the cart scenario's reminders were decided").isNotEmpty();

            // Ctrl-C (SIGTERM): the service stops cleanly before the broker, and dev exits 0
            dev.destroy();
            assertThat(dev.waitFor(60, TimeUnit.SECONDS)).as("dev stopped").isTrue();
            assertThat(dev.exitValue()).isZero();
            assertThat(Files.readString(temp.resolve("dev.log"))).contains("stopped clean=true");
        } finally {
            dev.destroy();
            if (!dev.waitFor(60, TimeUnit.SECONDS)) {
                dev.destroyForcibly();
            }
        }
    }

    /** Runs a command of the runnable jar, its output in {@code log}. */
    static Process java(Path log, Object... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dconsentry.registry.jar=" + System.getProperty("consentry.registry.jar"),
                "-jar", System.getProperty("consentry.app.jar")));
        for (Object a : args) {
            command.add(a.toString());
        }
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private void awaitReady(Process dev, int httpPort) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.currentTimeMillis() + 180_000;
        while (true) {
            assertThat(dev.isAlive()).as("dev is running: %s", Files.readString(temp.resolve("dev.log"))).isTrue();
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            assertThat(System.currentTimeMillis()).as("dev ready within 3 minutes: %s",
                    Files.readString(temp.resolve("dev.log"))).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static Set<String> customers(Path scenario) throws Exception {
        Set<String> ids = new TreeSet<>();
        for (String line : Files.readAllLines(scenario)) {
            try {
                JsonNode n = JSON.readTree(line);
                if (n != null && n.hasNonNull("customerId")) {
                    ids.add(n.get("customerId").asText());
                }
            } catch (Exception badLine) {
                // the dead-letter scenario has lines that are not JSON
            }
        }
        return ids;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
