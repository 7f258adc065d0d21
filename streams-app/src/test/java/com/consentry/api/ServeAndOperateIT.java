package com.consentry.api;

import com.consentry.avro.CartReminder;
import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.DeadLetter;
import com.consentry.avro.SendDecision;
import com.consentry.cli.ServiceRunner;
import com.consentry.config.AppConfig;
import com.consentry.ops.DashboardQueries;
import com.consentry.ops.PrometheusText;
import com.consentry.policy.Addresses;
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
    void anExportHoldsEveryFactProducedAlikeThroughEitherInstanceAndTheCommandLine() throws Exception {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(300);
        String c = "it-dsr-full";
        publish(List.of(
                line("customer", t, "\"eventId\":\"dsr-prof\",\"customerId\":\"%s\",\"eventType\":\"UPSERT\","
                        + "\"country\":\"DE\",\"birthDate\":\"1990-04-02\",\"timezone\":\"Europe/Berlin\","
                        + "\"email\":\"Dsr.Full@Example.com\",\"phone\":\"+49 1511 2345678\"", c),
                line("consent", t.plusSeconds(1), "\"eventId\":\"dsr-con-1\",\"customerId\":\"%s\",\"brand\":\"%s\","
                        + "\"channel\":\"EMAIL\",\"status\":\"GRANTED\",\"source\":\"CHECKOUT\",\"expiresAt\":\"%s\"",
                        c, BRAND, t.plus(Duration.ofDays(400))),
                line("consent", t.plusSeconds(2), "\"eventId\":\"dsr-con-2\",\"customerId\":\"%s\",\"brand\":\"%s\","
                        + "\"channel\":\"EMAIL\",\"status\":\"CONFIRMED\",\"source\":\"DOI_LINK\"", c, BRAND),
                line("unsubscribe", t.plusSeconds(3), "\"eventId\":\"dsr-uns-1\",\"customerId\":\"%s\",\"brand\":\"%s\","
                        + "\"channel\":\"SMS\",\"source\":\"SMS_STOP\"", c, BRAND),
                line("order", t.plusSeconds(4), "\"eventId\":\"dsr-ord-1\",\"customerId\":\"%s\",\"orderId\":\"o-1\","
                        + "\"brand\":\"NET-A-PORTER\",\"status\":\"PLACED\",\"cartId\":\"k-old\"", c),
                line("cart", t.plusSeconds(5), "\"eventId\":\"dsr-cart-1\",\"customerId\":\"%s\",\"cartId\":\"k1\","
                        + "\"brand\":\"NET-A-PORTER\",\"action\":\"ITEM_ADDED\",\"sku\":\"sku-1\",\"quantity\":2", c),
                line("send", t.plusSeconds(6), "\"eventId\":\"dsr-snd-1\",\"requestId\":\"dsr-r1\",\"campaignId\":\"autumn\","
                        + "\"customerId\":\"%s\",\"brand\":\"%s\",\"channel\":\"EMAIL\",\"purpose\":\"MARKETING\"", c, BRAND)));
        // the cart's reminder (due 2 s after it) is decided by the stream's or, once idle, the wall clock
        JsonNode[] exports = new JsonNode[2];
        await("the export, with the reminder decided, alike through both instances", () -> {
            HttpResponse<String> viaA = get(a, "/v1/customers/" + c + "/export");
            HttpResponse<String> viaB = get(b, "/v1/customers/" + c + "/export");
            if (viaA.statusCode() != 200 || viaB.statusCode() != 200 || viaA.body().contains("\"stale\"")) {
                return false;
            }
            exports[0] = withoutExportTime(JSON.readTree(viaA.body()));
            exports[1] = withoutExportTime(JSON.readTree(viaB.body()));
            return exports[0].path("reminders").path(0).path("status").asText().equals("DECIDED")
                    && exports[0].equals(exports[1]);
        });
        JsonNode x = exports[0];
        Addresses addresses = new Addresses(config.get("consentry.suppression.secret"));
        String emailHash = addresses.hash("dsr.full@example.com");
        String phoneHash = addresses.hash("+4915112345678");
        assertThat(x.path("customerId").asText()).isEqualTo(c);
        assertThat(x.path("erasure").isNull()).isTrue();
        JsonNode p = ExportEntries.only(x.path("profileUpdates"));
        ExportEntries.assertEntry(p, "dsr-prof", null, t);
        assertThat(List.of(p.path("country").asText(), p.path("birthDate").asText(), p.path("timezone").asText(),
                p.path("email").asText(), p.path("emailHash").asText(), p.path("phone").asText(),
                p.path("phoneHash").asText())).containsExactly("DE", "1990-04-02", "Europe/Berlin",
                CustomerExport.HELD_AS_HASH, emailHash, CustomerExport.HELD_AS_HASH, phoneHash);
        JsonNode consents = x.path("consents");
        assertThat(consents).hasSize(2);
        ExportEntries.assertEntry(consents.get(0), "dsr-con-1", "CHECKOUT", t.plusSeconds(1));
        assertThat(List.of(consents.get(0).path("brand").asText(), consents.get(0).path("channel").asText(),
                consents.get(0).path("status").asText(), consents.get(0).path("expiresAt").asText()))
                .containsExactly(BRAND, "EMAIL", "GRANTED", t.plus(Duration.ofDays(400)).toString());
        ExportEntries.assertEntry(consents.get(1), "dsr-con-2", "DOI_LINK", t.plusSeconds(2));
        assertThat(consents.get(1).path("status").asText()).isEqualTo("CONFIRMED");
        JsonNode u = ExportEntries.only(x.path("unsubscribes"));
        ExportEntries.assertEntry(u, "dsr-uns-1", "SMS_STOP", t.plusSeconds(3));
        assertThat(u.path("brand").asText() + "/" + u.path("channel").asText()).isEqualTo(BRAND + "/SMS");
        JsonNode o = ExportEntries.only(x.path("orders"));
        ExportEntries.assertEntry(o, "dsr-ord-1", null, t.plusSeconds(4));
        assertThat(List.of(o.path("orderId").asText(), o.path("brand").asText(), o.path("status").asText(),
                o.path("cartId").asText())).containsExactly("o-1", "NET-A-PORTER", "PLACED", "k-old");
        JsonNode cart = ExportEntries.only(x.path("carts"));
        assertThat(cart.path("cartId").asText()).isEqualTo("k1");
        assertThat(cart.path("items").path("sku-1").asInt()).isEqualTo(2);
        JsonNode cartLine = ExportEntries.only(cart.path("events"));
        ExportEntries.assertEntry(cartLine, "dsr-cart-1", null, t.plusSeconds(5));
        assertThat(cartLine.path("action").asText() + " " + cartLine.path("sku").asText() + " "
                + cartLine.path("quantity").asInt()).isEqualTo("ITEM_ADDED sku-1 2");
        ExportEntries.assertEntry(ExportEntries.only(x.path("cartFacts")), "dsr-cart-1", null, t.plusSeconds(5));
        JsonNode reminder = ExportEntries.only(x.path("reminders"));
        assertThat(reminder.path("eventTime").asText()).isEqualTo(t.plusSeconds(7).toString());
        assertThat(reminder.path("eventId").asText()).startsWith("reminder-");
        JsonNode send = ExportEntries.only(x.path("sendDecisions"));
        ExportEntries.assertEntry(send, null, null, t.plusSeconds(6));
        assertThat(List.of(send.path("requestId").asText(), send.path("campaignId").asText(),
                send.path("brand").asText(), send.path("channel").asText(), send.path("purpose").asText(),
                send.path("decision").asText(), send.path("reason").asText(),
                send.path("evidence").path("eventId").asText(), send.path("evidence").path("confirmationEventId").asText()))
                .containsExactly("dsr-r1", "autumn", BRAND, "EMAIL", "MARKETING", "APPROVED", "CONSENT",
                        "dsr-con-1", "dsr-con-2");
        assertThat(x.path("frequencyCapMessages")).extracting(m -> m.path("requestId").asText())
                .containsExactly("dsr-r1", reminder.path("eventId").asText());
        JsonNode sup = ExportEntries.only(x.path("suppressions"));
        ExportEntries.assertEntry(sup, "dsr-uns-1", "SMS_STOP", t.plusSeconds(3));
        assertThat(sup.path("addressHash").asText()).isEqualTo(phoneHash);
        JsonNode view = JSON.readTree(get(a, "/v1/eligibility/" + c).body());
        assertThat(x.path("view").path("rows")).isEqualTo(view.path("rows"));
        assertThat(x.path("view").path("rows")).anySatisfy(r -> assertThat(r.path("brand").asText() + "/"
                + r.path("channel").asText() + " " + r.path("reason").asText()).isEqualTo(BRAND + "/EMAIL CONSENT"));
        assertThat(x.toString()).doesNotContainIgnoringCase("dsr.full@").doesNotContain("15112345678");

        // the command line prints the same document, from the instance its configuration names
        Path file = stateDir.resolve("export.properties");
        Files.writeString(file, "consentry.http.host=127.0.0.1\nconsentry.http.port=" + b.httpPort()
                + "\nconsentry.http.bearer-token=" + TOKEN + "\n");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(EligibilityEndpoints.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        log.addAppender(logged);
        int status;
        try {
            status = com.consentry.cli.Main.execute(new String[] {"export", "--customer", c, "--config",
                    file.toString(), "--requester", "it-dpo"}, new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                    new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        } finally {
            log.detachAppender(logged);
        }
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(withoutExportTime(JSON.readTree(out.toString(StandardCharsets.UTF_8)))).isEqualTo(x);
        // logged once, by the instance asked, with the customer and the requester and no address
        assertThat(logged.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .singleElement().satisfies(line -> assertThat(line)
                        .startsWith("subject access export customerId=" + c + " requester=it-dpo ")
                        .contains("status=200").doesNotContain("@").doesNotContain(emailHash));
        Files.writeString(file, "consentry.http.host=127.0.0.1\nconsentry.http.port=" + b.httpPort() + "\n");
        err.reset();
        int refused = com.consentry.cli.Main.execute(new String[] {"export", "--customer", c, "--config",
                file.toString()}, new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(refused).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("answered 401: missing bearer token");
    }

    @Test
    @Order(5)
    void theExportOfAnErasedCustomerHoldsTheErasureMarkerAndOnlyItsSuppressionHashes() throws Exception {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(200);
        String c = "it-dsr-gone";
        publish(List.of(
                line("customer", t, "\"eventId\":\"gone-prof\",\"customerId\":\"%s\",\"eventType\":\"UPSERT\","
                        + "\"country\":\"GB\",\"email\":\"dsr.gone@example.com\",\"phone\":\"+447700900123\"", c),
                line("consent", t.plusSeconds(1), "\"eventId\":\"gone-con\",\"customerId\":\"%s\",\"brand\":\"%s\","
                        + "\"channel\":\"SMS\",\"status\":\"GRANTED\",\"source\":\"CHECKOUT\"", c, BRAND),
                line("order", t.plusSeconds(2), "\"eventId\":\"gone-ord\",\"customerId\":\"%s\",\"orderId\":\"o-9\","
                        + "\"brand\":\"%s\",\"status\":\"PLACED\"", c, BRAND),
                line("cart", t.plusSeconds(3), "\"eventId\":\"gone-cart\",\"customerId\":\"%s\",\"cartId\":\"k9\","
                        + "\"brand\":\"%s\",\"action\":\"ITEM_ADDED\",\"sku\":\"s9\",\"quantity\":1", c, BRAND),
                line("send", t.plusSeconds(4), "\"eventId\":\"gone-snd\",\"requestId\":\"gone-r\",\"campaignId\":\"x\","
                        + "\"customerId\":\"%s\",\"brand\":\"%s\",\"channel\":\"SMS\",\"purpose\":\"SERVICE\"", c, BRAND),
                line("customer", t.plusSeconds(10), "\"eventId\":\"gone-erasure\",\"customerId\":\"%s\","
                        + "\"eventType\":\"ERASURE_REQUESTED\"", c)));
        JsonNode[] export = new JsonNode[1];
        await("the erasure exported", () -> {
            HttpResponse<String> r = get(a, "/v1/customers/" + c + "/export");
            if (r.statusCode() != 200 || r.body().contains("\"stale\"")) {
                return false;
            }
            export[0] = JSON.readTree(r.body());
            return !export[0].path("erasure").isNull() && export[0].path("suppressions").size() == 2;
        });
        JsonNode x = export[0];
        ExportEntries.assertEntry(x.path("erasure"), "gone-erasure", null, t.plusSeconds(10));
        for (String section : List.of("profileUpdates", "consents", "unsubscribes", "orders", "cartFacts", "carts",
                "reminders", "sendDecisions", "frequencyCapMessages", "linkedAddressHashes")) {
            assertThat(x.path(section)).as(section).isEmpty();
        }
        assertThat(x.path("view").path("rows")).isEmpty();
        Addresses addresses = new Addresses(config.get("consentry.suppression.secret"));
        String emailHash = addresses.hash("dsr.gone@example.com");
        String phoneHash = addresses.hash("+447700900123");
        assertThat(x.path("suppressions")).allSatisfy(s ->
                ExportEntries.assertEntry(s, "gone-erasure", "ERASURE", t.plusSeconds(10)));
        assertThat(x.path("suppressions")).extracting(s -> s.path("addressHash").asText() + " " + s.path("channels"))
                .containsExactlyInAnyOrder(emailHash + " [\"EMAIL\"]", phoneHash + " [\"SMS\",\"PHONE\"]");
        String text = x.toString();
        assertThat(text).doesNotContain("dsr.gone").doesNotContain("7700900123").doesNotContain("gone-con")
                .doesNotContain("gone-ord").doesNotContain("k9").doesNotContain("gone-r\"");
        assertThat(text.split(emailHash, -1)).hasSize(2);
        assertThat(text.split(phoneHash, -1)).hasSize(2);
    }

    @Test
    @Order(6)
    void theHistoryOfADoubleOptInRowListsGrantConfirmationExpiryAndRegrantAndAgreesWithAt() throws Exception {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(10));
        String c = "it-dsr-history";
        Instant g1 = t0.plus(Duration.ofHours(1));
        Instant c1 = t0.plus(Duration.ofHours(2));
        Instant expiry = t0.plus(Duration.ofDays(3));
        Instant g2 = t0.plus(Duration.ofDays(5));
        Instant c2 = g2.plus(Duration.ofHours(1));
        publish(List.of(
                line("customer", t0, "\"eventId\":\"h-prof\",\"customerId\":\"%s\",\"eventType\":\"UPSERT\","
                        + "\"country\":\"DE\"", c),
                line("consent", g1, "\"eventId\":\"h-g1\",\"customerId\":\"%s\",\"brand\":\"%s\",\"channel\":\"EMAIL\","
                        + "\"status\":\"GRANTED\",\"source\":\"CHECKOUT\",\"expiresAt\":\"%s\"", c, BRAND, expiry),
                line("consent", c1, "\"eventId\":\"h-c1\",\"customerId\":\"%s\",\"brand\":\"%s\",\"channel\":\"EMAIL\","
                        + "\"status\":\"CONFIRMED\",\"source\":\"DOI_LINK\"", c, BRAND),
                line("consent", g2, "\"eventId\":\"h-g2\",\"customerId\":\"%s\",\"brand\":\"%s\",\"channel\":\"EMAIL\","
                        + "\"status\":\"GRANTED\",\"source\":\"PREFERENCE_CENTER\"", c, BRAND),
                line("consent", c2, "\"eventId\":\"h-c2\",\"customerId\":\"%s\",\"brand\":\"%s\",\"channel\":\"EMAIL\","
                        + "\"status\":\"CONFIRMED\",\"source\":\"DOI_LINK\"", c, BRAND)));
        String path = "/v1/eligibility/" + c + "/" + BRAND_PATH + "/EMAIL";
        String window = "/history?from=" + t0 + "&to=" + t0.plus(Duration.ofDays(9));
        JsonNode[] history = new JsonNode[1];
        await("the history alike through both instances", () -> {
            HttpResponse<String> viaA = get(a, path + window);
            HttpResponse<String> viaB = get(b, path + window);
            if (viaA.statusCode() != 200 || viaB.statusCode() != 200 || viaA.body().contains("\"stale\"")) {
                return false;
            }
            history[0] = JSON.readTree(viaA.body());
            return history[0].path("changes").size() == 6 && history[0].equals(JSON.readTree(viaB.body()));
        });
        JsonNode changes = history[0].path("changes");
        List<String> lines = new ArrayList<>();
        for (JsonNode ch : changes) {
            JsonNode e = ch.path("evidence");
            lines.add(ch.path("at").asText() + " " + ch.path("eligible").asBoolean() + " " + ch.path("reason").asText()
                    + " " + e.path("eventId").asText("-") + (e.has("confirmationEventId")
                    ? "+" + e.path("confirmationEventId").asText() : ""));
        }
        assertThat(lines).containsExactly(
                t0 + " false NO_CONSENT -",
                g1 + " false AWAITING_CONFIRMATION h-g1",
                c1 + " true CONSENT h-g1+h-c1",
                expiry + " false EXPIRED h-g1",
                g2 + " false AWAITING_CONFIRMATION h-g2",
                c2 + " true CONSENT h-g2+h-c2");
        assertThat(history[0].path("truncated").asBoolean()).isFalse();
        // every entry is the ?at= answer from its instant on, and the one before it holds until then
        for (int i = 0; i < changes.size(); i++) {
            Instant at = Instant.parse(changes.get(i).path("at").asText());
            JsonNode answer = JSON.readTree(get(b, path + "?at=" + at).body());
            assertThat(answer.path("reason")).isEqualTo(changes.get(i).path("reason"));
            assertThat(answer.path("evidence")).isEqualTo(changes.get(i).path("evidence"));
            if (i > 0) {
                JsonNode before = JSON.readTree(get(a, path + "?at=" + at.minusMillis(1)).body());
                assertThat(before.path("reason")).isEqualTo(changes.get(i - 1).path("reason"));
                assertThat(before.path("evidence")).isEqualTo(changes.get(i - 1).path("evidence"));
            }
        }
        // the default window runs from the epoch to now
        JsonNode all = JSON.readTree(get(b, path + "/history").body());
        assertThat(all.path("from").asText()).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(all.path("changes")).hasSize(6);
        assertThat(all.path("changes").get(1)).isEqualTo(changes.get(1));
        assertThat(get(a, path + "/history?from=" + t0.plus(Duration.ofDays(1)) + "&to=" + t0).statusCode())
                .isEqualTo(400);
    }

    private static JsonNode withoutExportTime(JsonNode export) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) export).remove("exportedAt");
        return export;
    }

    @Test
    @Order(7)
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
