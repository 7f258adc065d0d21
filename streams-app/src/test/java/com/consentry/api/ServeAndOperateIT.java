package com.consentry.api;

import com.consentry.avro.CartReminder;
import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.DeadLetter;
import com.consentry.avro.SendDecision;
import com.consentry.cli.ServiceRunner;
import com.consentry.config.AppConfig;
import com.consentry.ops.DashboardQueries;
import com.consentry.ops.PrometheusText;
import com.consentry.runtime.EmbeddedKafkaBroker;
import com.consentry.runtime.EmbeddedSchemaRegistry;
import com.consentry.serde.SchemaRegistry;
import com.consentry.service.ConsentryService;
import com.consentry.service.EventPublisher;
import com.consentry.simulate.LineParser;
import com.consentry.simulate.ParsedLine;
import com.consentry.topology.StoreNames;
import com.consentry.topology.Topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the service against a real broker and schema registry share the work: every customer
 * answers the same through either instance (forwarding to the owner), the metrics and the lag show the
 * traffic, and when one instance dies the other answers for everyone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ServeAndOperateIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "it-token";
    private static final int CUSTOMERS = 20;
    private static final int UNSUBSCRIBED = 5;
    private static final String BRAND = "MR PORTER";
    private static final String BRAND_PATH = "MR%20PORTER";
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static EmbeddedKafkaBroker broker;
    private static EmbeddedSchemaRegistry registry;
    private static Path stateDir;
    private static AppConfig config;
    private static ServiceRunner a;
    private static ServiceRunner b;
    private static Instant queryAt;
    /** customerId -> the point answer for (MR PORTER, EMAIL) at {@link #queryAt}. */
    private static final Map<String, String> answers = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.start(0, null);
        registry = EmbeddedSchemaRegistry.start(EmbeddedSchemaRegistry.locateJar(), 0);
        stateDir = Files.createTempDirectory("consentry-it-");
        config = AppConfig.of(Map.ofEntries(
                Map.entry("bootstrap.servers", broker.bootstrapServers()),
                Map.entry("consentry.schema.registry.url", registry.url()),
                Map.entry("consentry.application.id", "consentry-it-" + UUID.randomUUID().toString().substring(0, 8)),
                Map.entry("consentry.topics.create", "true"),
                Map.entry("consentry.topics.replication", "1"),
                Map.entry("consentry.http.port", "0"),
                Map.entry("consentry.http.bearer-token", TOKEN),
                Map.entry("consentry.reminder.delay", "PT2S"),
                Map.entry("commit.interval.ms", "100"),
                Map.entry("num.standby.replicas", "1"),
                // a killed instance's partitions move after the session times out
                Map.entry("session.timeout.ms", "6000"),
                Map.entry("heartbeat.interval.ms", "1000")));
        registerOutputSchemas();
        a = ServiceRunner.start(config.with("consentry.state.dir", stateDir.resolve("a").toString()));
        b = ServiceRunner.start(config.with("consentry.state.dir", stateDir.resolve("b").toString()));
        await("both instances ready", () -> status(a, "/health/ready") == 200 && status(b, "/health/ready") == 200);
    }

    /**
     * As a deployment would: two instances registering the same new schema at the same moment can make
     * this registry (Apicurio on H2) fail one of them with HTTP 500, which costs that instance a stream
     * thread and a rebalance.
     */
    private static void registerOutputSchemas() {
        SchemaRegistry client = ConsentryService.registryClient(config);
        Topics t = config.topics();
        client.register(t.customerEligibility() + "-value", CustomerEligibility.getClassSchema());
        client.register(t.sendDecisions() + "-value", SendDecision.getClassSchema());
        client.register(t.cartReminders() + "-value", CartReminder.getClassSchema());
        client.register(t.deadLetter() + "-value", DeadLetter.getClassSchema());
    }

    @AfterAll
    static void stop() throws IOException {
        for (AutoCloseable c : new AutoCloseable[]{b, a, registry, broker}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("close failed: " + e);
            }
        }
        if (stateDir != null) {
            try (var paths = Files.walk(stateDir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void everyCustomerGetsTheSameAnswerThroughEitherInstance() throws Exception {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            lines.add(line("customer", t0, "\"customerId\":\"%s\",\"eventType\":\"UPSERT\",\"country\":\"GB\","
                    + "\"birthDate\":\"1990-01-01\",\"email\":\"%s@example.com\"", id(i), id(i)));
            lines.add(line("consent", t0.plusSeconds(1), "\"customerId\":\"%s\",\"brand\":\"%s\",\"channel\":\"EMAIL\","
                    + "\"status\":\"GRANTED\",\"source\":\"CHECKOUT\"", id(i), BRAND));
        }
        publish(lines);
        await("every customer's view published", () -> {
            for (int i = 0; i < CUSTOMERS; i++) {
                HttpResponse<String> r = get(a, "/v1/eligibility/" + id(i));
                if (r.statusCode() != 200 || JSON.readTree(r.body()).path("rows").isEmpty()) {
                    return false;
                }
            }
            return true;
        });

        // then opt-outs now, a campaign send, a cart to remind about, and a record that is not Avro
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        lines.clear();
        for (int i = 0; i < UNSUBSCRIBED; i++) {
            lines.add(line("unsubscribe", now, "\"customerId\":\"%s\",\"brand\":\"%s\",\"source\":\"LINK\"", id(i), BRAND));
        }
        for (int i = 0; i < CUSTOMERS; i += 4) {
            lines.add(line("send", now, "\"requestId\":\"r%d\",\"campaignId\":\"spring\",\"customerId\":\"%s\","
                    + "\"brand\":\"%s\",\"channel\":\"EMAIL\",\"purpose\":\"MARKETING\"", i, id(i), BRAND));
        }
        lines.add(line("cart", now, "\"cartId\":\"k1\",\"customerId\":\"%s\",\"brand\":\"%s\",\"action\":\"ITEM_ADDED\","
                + "\"sku\":\"s1\",\"quantity\":1", id(CUSTOMERS - 1), BRAND));
        publish(lines);
        try (EventPublisher raw = new EventPublisher(config, ConsentryService.registryClient(config))) {
            raw.publishRaw(config.topics().consentEvents(), id(0), "not avro".getBytes(StandardCharsets.UTF_8),
                    now.toEpochMilli()).get(30, TimeUnit.SECONDS);
        }

        queryAt = now.plusSeconds(1);
        String point = "/" + BRAND_PATH + "/EMAIL?at=" + queryAt;
        await("the opt-outs answered", () -> {
            HttpResponse<String> r = get(b, "/v1/eligibility/" + id(0) + point);
            return r.statusCode() == 200 && JSON.readTree(r.body()).path("reason").asText().equals("UNSUBSCRIBED");
        });
        Set<String> owners = new TreeSet<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            String customer = id(i);
            owners.add(owner(customer).toString());
            // a rebalance (a probing one, say) may briefly give a standby's answer: wait for the owners'
            String[] bodies = new String[1];
            await(customer + " answered alike through both instances from the owner's store", () -> {
                HttpResponse<String> viaA = get(a, "/v1/eligibility/" + customer + point);
                HttpResponse<String> viaB = get(b, "/v1/eligibility/" + customer + point);
                bodies[0] = viaA.body();
                return viaA.statusCode() == 200 && viaB.statusCode() == 200 && !viaA.body().contains("\"stale\"")
                        && JSON.readTree(viaA.body()).equals(JSON.readTree(viaB.body()));
            });
            JsonNode answer = JSON.readTree(bodies[0]);
            assertThat(answer.path("type").asText()).isEqualTo("answer");
            assertThat(answer.path("customerId").asText()).isEqualTo(customer);
            assertThat(answer.path("at").asText()).isEqualTo(queryAt.toString());
            boolean optedOut = i < UNSUBSCRIBED;
            assertThat(answer.path("eligible").asBoolean()).as(customer).isEqualTo(!optedOut);
            assertThat(answer.path("reason").asText()).as(customer).isEqualTo(optedOut ? "UNSUBSCRIBED" : "CONSENT");
            answers.put(customer, bodies[0]);

            await(customer + "'s view alike through both instances", () -> {
                HttpResponse<String> viaA = get(a, "/v1/eligibility/" + customer);
                HttpResponse<String> viaB = get(b, "/v1/eligibility/" + customer);
                bodies[0] = viaA.body();
                return viaA.statusCode() == 200 && viaB.statusCode() == 200 && !viaA.body().contains("\"stale\"")
                        && JSON.readTree(viaA.body()).equals(JSON.readTree(viaB.body()));
            });
            JsonNode viewA = JSON.readTree(bodies[0]);
            assertThat(viewA.path("customerId").asText()).isEqualTo(customer);
            assertThat(viewA.path("rows")).anySatisfy(row -> {
                assertThat(row.path("brand").asText()).isEqualTo(BRAND);
                assertThat(row.path("channel").asText()).isEqualTo("EMAIL");
                assertThat(row.path("reason").asText()).isEqualTo(optedOut ? "UNSUBSCRIBED" : "CONSENT");
                assertThat(row.path("evidence").path("eventId").asText()).isNotEmpty();
            });
        }
        assertThat(owners).as("both instances own some customers, so both forward").hasSize(2);
        // an unknown customer is no error
        HttpResponse<String> unknown = get(b, "/v1/eligibility/nobody");
        assertThat(unknown.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(unknown.body()).path("rows")).isEmpty();
        assertThat(JSON.readTree(get(a, "/v1/eligibility/nobody" + point).body()).path("reason").asText())
                .isEqualTo("NO_CONSENT");
    }

    @Test
    @Order(2)
    void theMetricsShowTheTrafficAndEveryDashboardQueryReadsAnExposedSeries() throws Exception {
        await("decisions, a reminder, a dead letter and a time-to-honour observation counted", () -> {
            PrometheusText sa = scrape(a);
            PrometheusText sb = scrape(b);
            return sa.sum("consentry_decisions_total", "kind=\"CAMPAIGN\"") + sb.sum("consentry_decisions_total",
                    "kind=\"CAMPAIGN\"") == (CUSTOMERS + 3) / 4
                    && sa.sum("consentry_reminders_total") + sb.sum("consentry_reminders_total") == 1
                    && sa.sum("consentry_dead_letters_total", "topic=\"consent-events\"")
                    + sb.sum("consentry_dead_letters_total", "topic=\"consent-events\"") == 1
                    && sa.sum("consentry_time_to_honour_seconds_count")
                    + sb.sum("consentry_time_to_honour_seconds_count") == UNSUBSCRIBED
                    // every decision, of either kind, was published through the wait for the suppression list
                    && sa.sum("consentry_suppressions_wait_seconds_count") + sb.sum("consentry_suppressions_wait_seconds_count")
                    == sa.sum("consentry_decisions_total") + sb.sum("consentry_decisions_total");
        });
        Set<String> exposed = new TreeSet<>();
        await("the Kafka Streams and RocksDB metrics bound", () -> {
            exposed.clear();
            exposed.addAll(scrape(a).names());
            exposed.addAll(scrape(b).names());
            return exposed.contains("kafka_stream_thread_process_rate")
                    && exposed.stream().anyMatch(n -> n.startsWith("kafka_stream_state_"));
        });
        assertThat(exposed).contains("kafka_stream_thread_commit_latency_avg", "jvm_memory_used_bytes",
                "jvm_gc_pause_seconds_count", "jvm_threads_live_threads", "consentry_ready",
                "consentry_time_to_honour_seconds_bucket");
        System.out.println("[metrics] exposed: " + exposed);
        assertThat(exposed).containsAll(DashboardQueries.metricNames(DashboardQueries.read()));
        // metrics and health need no token
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(a.httpUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void lagFallsToZeroOnEveryInputPartitionOnceTrafficStops() throws Exception {
        await("lag zero", () -> {
            HttpResponse<String> r = get(b, "/v1/lag");
            return r.statusCode() == 200 && JSON.readTree(r.body()).path("totalLag").asLong(-1) == 0;
        });
        JsonNode lag = JSON.readTree(get(a, "/v1/lag").body());
        assertThat(lag.path("group").asText()).isEqualTo(config.get("consentry.application.id"));
        Set<String> topics = new HashSet<>();
        long consumed = 0;
        for (JsonNode p : lag.path("partitions")) {
            topics.add(p.path("topic").asText());
            assertThat(p.path("lag").asLong()).isZero();
            if (p.path("endOffset").asLong() > 0) {
                assertThat(p.path("committedOffset").asLong()).isEqualTo(p.path("endOffset").asLong());
            }
            consumed += p.path("endOffset").asLong();
        }
        assertThat(topics).containsExactlyInAnyOrderElementsOf(config.topics().inputs());
        assertThat(lag.path("partitions")).hasSize(6 * 3);
        assertThat(consumed).isGreaterThanOrEqualTo(2L * CUSTOMERS);
    }

    @Test
    @Order(4)
    void whenOneInstanceDiesTheOtherAnswersForEveryCustomer() throws Exception {
        HostInfo bHost = new HostInfo("127.0.0.1", b.httpPort());
        String bOwned = answers.keySet().stream().filter(c -> owner(c).equals(bHost)).findFirst().orElseThrow();
        b.close();
        b = null;
        if (owner(bOwned).equals(bHost)) {
            // until its session times out the dead instance still owns its partitions: the survivor answers
            // from its standby copy, and says so
            HttpResponse<String> r = get(a, "/v1/eligibility/" + bOwned + "/" + BRAND_PATH + "/EMAIL?at=" + queryAt);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode stale = JSON.readTree(r.body());
            assertThat(stale.path("stale").asBoolean()).isTrue();
            assertThat(stale.path("source").asText()).isEqualTo("standby");
            JsonNode before = JSON.readTree(answers.get(bOwned));
            assertThat(stale.path("reason")).isEqualTo(before.path("reason"));
            assertThat(stale.path("evidence")).isEqualTo(before.path("evidence"));
        }
        await("the survivor answers every customer as before, from its own active stores", () -> {
            if (status(a, "/health/ready") != 200) {
                return false;
            }
            for (Map.Entry<String, String> e : answers.entrySet()) {
                HttpResponse<String> r = get(a, "/v1/eligibility/" + e.getKey() + "/" + BRAND_PATH + "/EMAIL?at=" + queryAt);
                if (r.statusCode() != 200 || !JSON.readTree(r.body()).equals(JSON.readTree(e.getValue()))) {
                    return false;
                }
            }
            return true;
        });
        assertThat(answers).hasSize(CUSTOMERS);
    }

    private static HostInfo owner(String customer) {
        return a.service().streams().queryMetadataForKey(StoreNames.CUSTOMERS, customer, Serdes.String().serializer())
                .activeHost();
    }

    private static String id(int i) {
        return String.format("it-c%02d", i);
    }

    private static String line(String type, Instant at, String fields, Object... args) {
        return "{\"type\":\"" + type + "\",\"at\":\"" + at + "\"," + String.format(fields, args) + "}";
    }

    private static void publish(List<String> lines) throws Exception {
        LineParser parser = new LineParser(config.topics());
        try (EventPublisher p = new EventPublisher(config, ConsentryService.registryClient(config))) {
            int n = 0;
            for (String l : lines) {
                p.publish((ParsedLine.Event) parser.parse(l, ++n)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static HttpResponse<String> get(ServiceRunner r, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(r.httpUrl() + path))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int status(ServiceRunner r, String path) throws IOException, InterruptedException {
        return get(r, path).statusCode();
    }

    private static PrometheusText scrape(ServiceRunner r) throws IOException, InterruptedException {
        HttpResponse<String> resp = HTTP.send(HttpRequest.newBuilder(URI.create(r.httpUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).isEqualTo(200);
        return PrometheusText.parse(resp.body());
    }

    /** Polls {@code condition} until it holds, failing after {@link #PATIENCE}. */
    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.call()) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out after " + PATIENCE.toSeconds() + " s waiting for: " + what, last);
    }
}
