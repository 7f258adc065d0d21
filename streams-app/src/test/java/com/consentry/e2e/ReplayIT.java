package com.consentry.e2e;

import com.consentry.cli.ServiceRunner;
import com.consentry.config.AppConfig;
import com.consentry.replay.DiffReport;
import com.consentry.replay.ReplayClean;
import com.consentry.replay.ReplayControl;
import com.consentry.replay.ReplayDiff;
import com.consentry.replay.ReplayProgress;
import com.consentry.replay.ReplayPromote;
import com.consentry.replay.ReplayStart;
import com.consentry.replay.ReplayStatus;
import com.consentry.replay.Shadow;
import com.consentry.service.EventPublisher;
import com.consentry.simulate.LineParser;
import com.consentry.simulate.ParsedLine;
import com.consentry.topology.Topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@code replay} over the real broker and registry, beside a running live service: a policy change
 * (soft opt-in 24 months to 12) is replayed, its diff names exactly the rows, decisions and reminders
 * it changes, two replays of the same history write the same bytes, and {@code clean} removes a replay
 * and nothing else.
 */
class ReplayIT extends WithLocalCluster {
    /** The history as written, ending at {@link #WRITTEN_END}; it is moved to end a day before the test runs. */
    private static final List<String> HISTORY = List.of(
            // g1 bought 18 months before the end: soft opt-in under 24 months, lapsed under 12
            "{\"type\":\"customer\",\"at\":\"2025-05-01T09:00:00Z\",\"customerId\":\"g1\",\"eventType\":\"UPSERT\",\"country\":\"GB\",\"email\":\"g1@example.co.uk\"}",
            "{\"type\":\"order\",\"at\":\"2025-05-01T10:00:00Z\",\"orderId\":\"o-g1\",\"customerId\":\"g1\",\"brand\":\"MR PORTER\",\"status\":\"PLACED\"}",
            // g3 consented: the same under both
            "{\"type\":\"customer\",\"at\":\"2025-03-01T09:00:00Z\",\"customerId\":\"g3\",\"eventType\":\"UPSERT\",\"country\":\"GB\",\"email\":\"g3@example.co.uk\"}",
            "{\"type\":\"consent\",\"at\":\"2025-03-01T10:00:00Z\",\"customerId\":\"g3\",\"brand\":\"MR PORTER\",\"channel\":\"EMAIL\",\"status\":\"GRANTED\",\"source\":\"CHECKOUT\"}",
            // g2 bought 6 months before the end: soft opt-in under both
            "{\"type\":\"customer\",\"at\":\"2026-05-01T09:00:00Z\",\"customerId\":\"g2\",\"eventType\":\"UPSERT\",\"country\":\"GB\",\"email\":\"g2@example.co.uk\"}",
            "{\"type\":\"order\",\"at\":\"2026-05-01T10:00:00Z\",\"orderId\":\"o-g2\",\"customerId\":\"g2\",\"brand\":\"MR PORTER\",\"status\":\"PLACED\"}",
            // bytes that are not Avro: dead-lettered by both
            "{\"raw\":\"not avro\",\"at\":\"2026-05-02T10:00:00Z\",\"customerId\":\"g3\"}",
            // carts abandoned: due an hour later, fired by the sends' event times
            "{\"type\":\"cart\",\"at\":\"2026-10-28T10:00:00Z\",\"cartId\":\"c1\",\"customerId\":\"g1\",\"brand\":\"MR PORTER\",\"action\":\"ITEM_ADDED\",\"sku\":\"sku-1\",\"quantity\":1}",
            "{\"type\":\"cart\",\"at\":\"2026-10-28T10:00:00Z\",\"cartId\":\"c2\",\"customerId\":\"g2\",\"brand\":\"MR PORTER\",\"action\":\"ITEM_ADDED\",\"sku\":\"sku-2\",\"quantity\":2}",
            "{\"type\":\"send\",\"at\":\"2026-10-29T10:00:00Z\",\"requestId\":\"r1\",\"campaignId\":\"autumn\",\"customerId\":\"g1\",\"brand\":\"MR PORTER\",\"channel\":\"EMAIL\",\"purpose\":\"MARKETING\"}",
            "{\"type\":\"send\",\"at\":\"2026-10-29T10:00:00Z\",\"requestId\":\"r2\",\"campaignId\":\"autumn\",\"customerId\":\"g2\",\"brand\":\"MR PORTER\",\"channel\":\"EMAIL\",\"purpose\":\"MARKETING\"}",
            "{\"type\":\"send\",\"at\":\"2026-10-29T10:00:00Z\",\"requestId\":\"r3\",\"campaignId\":\"autumn\",\"customerId\":\"g3\",\"brand\":\"MR PORTER\",\"channel\":\"EMAIL\",\"purpose\":\"MARKETING\"}",
            "{\"type\":\"customer\",\"at\":\"2026-10-31T10:00:00Z\",\"customerId\":\"g4\",\"eventType\":\"UPSERT\",\"country\":\"GB\"}");
    private static final Instant WRITTEN_END = Instant.parse("2026-10-31T10:00:00Z");
    private static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

    @Test
    void aPolicyChangeIsReplayedBesideTheLiveServiceItsDiffIsExactAndTwoReplaysWriteTheSameBytes() throws Exception {
        String prefix = LocalCluster.uniquePrefix();
        AppConfig live = cluster.config(prefix, Files.createDirectories(temp.resolve(prefix)), Map.of());
        Topics topics = live.topics();
        // a day before now: the live service's wall clock, which fires when it is idle, changes nothing
        List<String> history = moved(Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(1)));
        AppConfig changed = live.with("policy.soft-opt-in.months", "12");
        try (ServiceRunner service = ServiceRunner.start(live)) {
            produce(live, history);
            cluster.awaitCaughtUp(live.get("consentry.application.id"), topics, Duration.ofSeconds(90));
            Map<String, List<String>> liveBefore = outputs(topics);
            assertThat(liveBefore.get(topics.sendDecisions())).hasSize(5);

            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            ReplayControl a = new ReplayStart(changed, "a", new PrintStream(printed, true, StandardCharsets.UTF_8), false,
                    Clock.systemUTC()).run();
            assertThat(a.finished()).isTrue();
            assertThat(a.total()).isEqualTo(history.size());
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("replay a: 13 / 13 records (100.0%)")
                    .contains("replay a finished: 13 records");
            assertThat(ReplayStatus.of(changed, "a")).get().asString().contains("finished at", "13 / 13 records");
            // a hop whose tail is an aborted transaction (a fenced or corrupted task) still counts as read to its end
            Shadow shadowA = new Shadow(changed, "a");
            abortOneRecord(live.get("bootstrap.servers"), shadowA.topics().addressIndex());
            try (Admin admin = cluster.admin(); ReplayProgress progress = new ReplayProgress(shadowA, a, admin)) {
                assertThat(progress.sample().reachedEnd()).isTrue();
            }

            DiffReport diff = ReplayDiff.of(changed, "a");
            assertThat(diff.customersCompared()).isEqualTo(3); // g4 has no brand, hence no rows
            assertThat(diff.customersChanged()).isEqualTo(1);
            assertThat(diff.rowsCompared()).isEqualTo(15);
            assertThat(diff.changedRows()).extracting(DiffReport.RowChange::customerId, DiffReport.RowChange::brand,
                            DiffReport.RowChange::channel, DiffReport.RowChange::liveEligible, DiffReport.RowChange::liveReason,
                            DiffReport.RowChange::replayEligible, DiffReport.RowChange::replayReason)
                    .containsExactly(tuple("g1", "MR PORTER", "EMAIL", true, "SOFT_OPT_IN", false, "NO_CONSENT"),
                            tuple("g1", "MR PORTER", "SMS", true, "SOFT_OPT_IN", false, "NO_CONSENT"));
            assertThat(diff.transitions()).containsExactly(
                    new DiffReport.Transition("SOFT_OPT_IN", "NO_CONSENT", 2, 1, List.of("g1")));
            assertThat(diff.decisionsCompared()).isEqualTo(5);
            assertThat(diff.decisions()).extracting(DiffReport.DecisionChange::customerId, DiffReport.DecisionChange::kind,
                            DiffReport.DecisionChange::liveDecision, DiffReport.DecisionChange::replayDecision,
                            DiffReport.DecisionChange::replayReason)
                    .containsExactlyInAnyOrder(tuple("g1", "CAMPAIGN", "APPROVED", "SUPPRESSED", "NO_CONSENT"),
                            tuple("g1", "CART_REMINDER", "APPROVED", "SUPPRESSED", "NO_CONSENT"));
            assertThat(diff.remindersCompared()).isEqualTo(2);
            assertThat(diff.reminders()).singleElement().satisfies(r -> {
                assertThat(r.cartId()).isEqualTo("c1");
                assertThat(r.liveDueAt()).isNotNull();
                assertThat(r.replayDueAt()).isNull();
            });
            Path json = temp.resolve(prefix + "diff.json");
            ReplayDiff.writeJson(diff, json);
            JsonNode written = new ObjectMapper().readTree(json.toFile());
            assertThat(written.get("changedRows")).hasSize(2);
            assertThat(written.get("transitions").get(0).get("from").asText()).isEqualTo("SOFT_OPT_IN");

            ReplayControl b = new ReplayStart(changed, "b", new PrintStream(new ByteArrayOutputStream()), false,
                    Clock.systemUTC()).run();
            assertThat(b.ranges()).isEqualTo(a.ranges());
            Shadow sa = new Shadow(changed, "a");
            Shadow sb = new Shadow(changed, "b");
            Map<String, List<String>> bytesA = outputs(sa.topics());
            Map<String, List<String>> bytesB = outputs(sb.topics());
            // the live view's three records, and g1's lapse
            assertThat(bytesA.get(sa.topics().customerEligibility())).hasSize(liveBefore.get(topics.customerEligibility()).size() + 1);
            assertThat(bytesA.get(sa.topics().deadLetter())).hasSize(1);
            for (int i = 0; i < 4; i++) {
                assertThat(new ArrayList<>(bytesB.values()).get(i)).as(sb.topics().outputs().get(i))
                        .isEqualTo(new ArrayList<>(bytesA.values()).get(i));
            }

            // the shadows wrote nothing on a live topic, and the live service was left alone
            assertThat(outputs(topics)).isEqualTo(liveBefore);

            List<String> deleted = ReplayClean.clean(changed, "b");
            assertThat(deleted).contains("topic " + sb.topics().customerEligibility(),
                    "topic " + sb.applicationId() + "-customers-changelog", "group " + sb.applicationId());
            try (Admin admin = cluster.admin()) {
                Set<String> names = admin.listTopics().names().get();
                assertThat(names).noneMatch(n -> n.contains(".replay-b") || n.startsWith(sb.applicationId()));
                assertThat(names).contains(sa.topics().customerEligibility(), topics.customerEligibility(),
                        sa.applicationId() + "-customers-changelog");
                assertThat(admin.listGroups().all().get()).extracting(GroupListing::groupId)
                        .doesNotContain(sb.applicationId()).contains(sa.applicationId(), live.get("consentry.application.id"));
            }
            assertThat(sb.directory()).doesNotExist();
            assertThat(sa.controlFile()).exists();
            assertThat(ReplayStatus.of(changed, "b")).isEmpty();

            // a replay whose shadow is not running says it stopped before its end; while its shadow runs, that it runs
            Shadow ss = new Shadow(changed, "s");
            ReplayControl s = new ReplayControl("s", ss.applicationId(), Instant.now(), a.ranges(), null, null, null);
            s.write(ss.controlFile());
            assertThat(ReplayStatus.of(changed, "s")).get().asString()
                    .contains("stopped before its end, 0 / 13 records (0.0%); `replay start --id s` resumes it");
            try (ServiceRunner shadowRunning = ServiceRunner.start(ss.config(s.partitions()), null, s.bound())) {
                LocalCluster.await(Duration.ofSeconds(60), "the shadow s to run", () ->
                        shadowRunning.service().streams().state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING);
                assertThat(ReplayStatus.of(changed, "s")).get().asString()
                        .containsPattern("running \\([1-9][0-9]* active member\\(s\\) in its group\\), not finished, ")
                        .doesNotContain("stopped");
            }
            ReplayClean.clean(changed, "s");
        }
    }

    @Test
    void promoteSwitchesTheServiceToTheRebuiltStateWithoutResendingADecisionOrAReminder() throws Exception {
        String prefix = LocalCluster.uniquePrefix();
        // a one-second idle grace: the live service reminds an idle cart by the wall clock within a second, even
        // an hour ahead of the newest event time it has seen (beyond the default consentry.punctuate.max-lead)
        AppConfig live = cluster.config(prefix, Files.createDirectories(temp.resolve(prefix)),
                Map.of("consentry.punctuate.idle-grace", "PT1S", "consentry.punctuate.max-lead", "PT24H"));
        Topics topics = live.topics();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<String> history = moved(now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(1)));
        AppConfig changed = live.with("policy.soft-opt-in.months", "12");
        Shadow shadow = new Shadow(changed, "p");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        try (ServiceRunner service = ServiceRunner.start(live)) {
            produce(live, history);
            cluster.awaitCaughtUp(live.get("consentry.application.id"), topics, Duration.ofSeconds(90));
            new ReplayStart(changed, "p", quiet, false, Clock.systemUTC()).run();
            // after the replay: g2 abandons a cart; it falls due an hour later, two hours ago, and nothing after it
            // arrives for g2, so the live service reminds it by the wall clock, and the shadow, by event time, would not
            produce(live, List.of("{\"type\":\"cart\",\"at\":\"" + now.minus(Duration.ofHours(3))
                    + "\",\"cartId\":\"c3\",\"customerId\":\"g2\",\"brand\":\"MR PORTER\",\"action\":\"ITEM_ADDED\","
                    + "\"sku\":\"sku-3\",\"quantity\":1}"));
            LocalCluster.await(Duration.ofSeconds(60), "the live service to remind cart c3", () -> cluster.readAll(
                    topics.cartReminders(), cluster.avro.reminder().deserializer(), Duration.ZERO).stream()
                    .anyMatch(r -> r.value().getCartId().equals("c3")));
        }

        ReplayControl promoted = new ReplayPromote(changed, "p", quiet, false, Clock.systemUTC()).run();
        assertThat(promoted.promotedAt()).isNotNull();
        assertThat(promoted.catchUp().stream().mapToLong(ReplayControl.Range::size).sum()).isEqualTo(1);
        Map<String, List<String>> rebuilt = answers(shadow.topics().customerEligibility());
        assertThat(answers(topics.customerEligibility())).isEqualTo(rebuilt);
        assertThat(rebuilt.get("g1")).contains("MR PORTER/EMAIL=NO_CONSENT (not eligible)",
                "MR PORTER/SMS=NO_CONSENT (not eligible)");
        // g1's view alone changed: one record more on the live topic
        Map<String, Long> liveViews = cluster.readAll(topics.customerEligibility(), cluster.avro.eligibility().deserializer(),
                Duration.ZERO).stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertThat(liveViews).isEqualTo(Map.of("g1", 2L, "g2", 1L, "g3", 1L));

        AppConfig promotedConfig = changed.with(Shadow.PROMOTED_KEY, "p");
        try (ServiceRunner service = ServiceRunner.start(promotedConfig)) {
            // after the switch: a new customer, and a send for g2 whose event time passes cart c3's due time
            produce(live, List.of(
                    "{\"type\":\"consent\",\"at\":\"" + now.minus(Duration.ofMinutes(30)) + "\",\"customerId\":\"g5\","
                            + "\"brand\":\"MR PORTER\",\"channel\":\"EMAIL\",\"status\":\"GRANTED\",\"source\":\"CHECKOUT\"}",
                    "{\"type\":\"send\",\"at\":\"" + now.minus(Duration.ofMinutes(20)) + "\",\"requestId\":\"r5\","
                            + "\"campaignId\":\"winter\",\"customerId\":\"g2\",\"brand\":\"MR PORTER\",\"channel\":\"EMAIL\","
                            + "\"purpose\":\"MARKETING\"}"));
            cluster.awaitCaughtUp(shadow.applicationId(), Shadow.resolve(promotedConfig).topics(), Duration.ofSeconds(90));
        }

        List<String> decided = cluster.readAll(topics.sendDecisions(), cluster.avro.decision().deserializer(), Duration.ZERO)
                .stream().map(r -> r.value().getRequestId()).toList();
        assertThat(decided).doesNotHaveDuplicates().hasSize(7).contains("r1", "r2", "r3", "r5");
        List<String> reminded = cluster.readAll(topics.cartReminders(), cluster.avro.reminder().deserializer(), Duration.ZERO)
                .stream().map(r -> r.value().getReminderId()).toList();
        assertThat(reminded).doesNotHaveDuplicates().hasSize(3);
        assertThat(cluster.readAll(topics.customerEligibility(), cluster.avro.eligibility().deserializer(), Duration.ZERO))
                .extracting(ConsumerRecord::key).filteredOn("g5"::equals).hasSize(1);
        assertThat(cluster.readAll(shadow.topics().sendDecisions(), cluster.avro.decision().deserializer(), Duration.ZERO))
                .extracting(r -> r.value().getRequestId()).doesNotContain("r5");
    }

    /** Writes one record to partition 0 of {@code topic} in a transaction, and aborts it. */
    private static void abortOneRecord(String bootstrapServers, String topic) {
        Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "replay-it-aborted-" + topic);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, new byte[] {1}, new byte[] {1}));
            producer.flush();
            producer.abortTransaction();
        }
    }

    /** The latest answers per customer on an eligibility topic: "brand/channel=reason" per row. */
    private static Map<String, List<String>> answers(String topic) {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        for (ConsumerRecord<String, com.consentry.avro.CustomerEligibility> r : cluster.readAll(topic,
                cluster.avro.eligibility().deserializer(), Duration.ZERO)) {
            if (r.value() == null) {
                out.remove(r.key());
            } else {
                out.put(r.key(), r.value().getRows().stream().map(x -> x.getBrand() + "/" + x.getChannel() + "="
                        + x.getReason() + (x.getEligible() ? "" : " (not eligible)")).sorted().toList());
            }
        }
        return out;
    }

    /** Every record of each output topic, in partition and offset order: partition, key, value bytes, timestamp. */
    private static Map<String, List<String>> outputs(Topics topics) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (String topic : topics.outputs()) {
            List<ConsumerRecord<String, byte[]>> records = cluster.readRaw(topic, Duration.ZERO);
            out.put(topic, records.stream().sorted(java.util.Comparator.comparingInt(ConsumerRecord<String, byte[]>::partition)
                            .thenComparingLong(ConsumerRecord::offset))
                    .map(r -> r.partition() + " " + r.key() + " " + (r.value() == null ? "null" : HexFormat.of().formatHex(r.value()))
                            + " " + r.timestamp())
                    .collect(Collectors.toList()));
        }
        return out;
    }

    private static List<String> moved(Instant end) {
        Duration shift = Duration.between(WRITTEN_END, end);
        List<String> out = new ArrayList<>();
        for (String line : HISTORY) {
            Matcher m = INSTANT.matcher(line);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(sb, Instant.parse(m.group()).plus(shift).toString());
            }
            m.appendTail(sb);
            out.add(sb.toString());
        }
        return out;
    }

    private static void produce(AppConfig config, List<String> lines) throws Exception {
        LineParser parser = new LineParser(config.topics());
        try (EventPublisher publisher = new EventPublisher(config, cluster.registryClient)) {
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("{\"raw\"")) {
                    Matcher at = INSTANT.matcher(line);
                    at.find();
                    publisher.publishRaw(config.topics().consentEvents(), "g3", line.getBytes(StandardCharsets.UTF_8),
                            Instant.parse(at.group()).toEpochMilli()).get();
                } else {
                    publisher.publish((ParsedLine.Event) parser.parse(line, i + 1)).get();
                }
            }
        }
    }
}
