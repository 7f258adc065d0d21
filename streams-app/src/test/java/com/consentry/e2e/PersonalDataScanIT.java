package com.consentry.e2e;

import com.consentry.avro.Channel;
import com.consentry.avro.CustomerEvent;
import com.consentry.avro.CustomerEventType;
import com.consentry.avro.DeadLetter;
import com.consentry.avro.Purpose;
import com.consentry.avro.SendRequest;
import com.consentry.avro.UnsubscribeEvent;
import com.consentry.avro.UnsubscribeSource;
import com.consentry.config.AppConfig;
import com.consentry.service.ConsentryService;
import com.consentry.service.EventPublisher;
import com.consentry.simulate.LineParser;
import com.consentry.simulate.ParsedLine;
import com.consentry.topology.Topics;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, "no personal data anywhere": every scenario of the repository is produced to a real broker and
 * processed by the real service, together with refused records that carry addresses (a customer with an
 * unusable timezone, bytes that are not Avro, a wrongly keyed and an out-of-range unsubscribe, a send for
 * brand {@code *}). Then every topic but the inputs (outputs, internal topics, changelogs, the dead-letter
 * topic) and every line the service logged is scanned for the email addresses and phone numbers of the
 * inputs, as given and as normalised. Not one may appear; the dead letters are still there, with their reasons.
 */
class PersonalDataScanIT extends WithLocalCluster {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-03-05T10:00:00Z");

    @Test
    void noEmailAddressOrPhoneNumberOfTheInputsAppearsOutsideTheInputTopics() throws Exception {
        String prefix = LocalCluster.uniquePrefix();
        AppConfig config = cluster.config(prefix, Files.createDirectories(temp.resolve(prefix)), Map.of());
        Topics topics = config.topics();
        Set<String> addresses = new TreeSet<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        int hostile;
        try (ConsentryService service = new ConsentryService(config)) {
            service.start();
            try (EventPublisher publisher = new EventPublisher(config, cluster.registryClient)) {
                produceScenarios(publisher, topics, addresses);
                hostile = produceRefusedRecordsWithAddresses(publisher, topics, addresses);
            }
            cluster.awaitCaughtUp(config.get("consentry.application.id"), topics, Duration.ofSeconds(120));
        } finally {
            root.detachAppender(log);
        }
        assertThat(addresses).as("the inputs carry addresses").hasSizeGreaterThan(10);
        Set<String> needles = needles(addresses);

        Set<String> scanned = new TreeSet<>();
        List<String> found = new ArrayList<>();
        try (Admin admin = cluster.admin()) {
            for (String topic : admin.listTopics().names().get()) {
                if (!topic.startsWith(prefix) || topics.inputs().contains(topic)) {
                    continue;
                }
                scanned.add(topic.substring(prefix.length()));
                for (ConsumerRecord<String, byte[]> r : cluster.readRaw(topic, Duration.ZERO)) {
                    scan(topic + "@" + r.partition() + ":" + r.offset(), r.key(), needles, found);
                    if (r.value() != null) {
                        scan(topic + "@" + r.partition() + ":" + r.offset(),
                                new String(r.value(), StandardCharsets.ISO_8859_1), needles, found);
                    }
                }
            }
        }
        assertThat(scanned).as("outputs, internal topics, changelogs and the dead-letter topic were scanned")
                .contains("customer-eligibility", "send-decisions", "cart-reminders", "consentry-dead-letter",
                        "consentry-suppressions", "consentry-address-index", "consentry-customer-rechecks",
                        "app-customers-changelog", "app-carts-changelog");
        for (ILoggingEvent e : List.copyOf(log.list)) {
            scan("log: " + e.getLoggerName(), e.getFormattedMessage(), needles, found);
            if (e.getThrowableProxy() != null) {
                scan("log: " + e.getLoggerName(), e.getThrowableProxy().getMessage(), needles, found);
            }
        }
        assertThat(log.list).as("the service's log was captured")
                .anyMatch(e -> e.getFormattedMessage().startsWith("dead-letter topic="));
        assertThat(found).as("personal data outside the input topics").isEmpty();

        // what an operator still sees of the refused records
        List<ConsumerRecord<String, DeadLetter>> dead = cluster.readAll(topics.deadLetter(),
                cluster.avro.deadLetter().deserializer(), Duration.ZERO);
        assertThat(dead).hasSize(hostile);
        assertThat(dead).extracting(r -> r.value().getErrorMessage()).allSatisfy(m -> assertThat(m).isNotBlank())
                .anySatisfy(m -> assertThat(m).isEqualTo("timezone: 'Mars/Olympus_Mons' is not an IANA timezone"));
        assertThat(dead).allSatisfy(r -> assertThat(r.value().getValue()).as("the value, masked").isNotNull());
    }

    /** Every event line of every scenario, keyed and stamped as {@code produce} does; their addresses noted. */
    private static void produceScenarios(EventPublisher publisher, Topics topics, Set<String> addresses) throws Exception {
        LineParser parser = new LineParser(topics);
        int n = 0;
        for (Path scenario : ScenarioReplayIT.scenarios()) {
            for (String line : Files.readAllLines(scenario)) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode json = JSON.readTree(line);
                    for (String field : List.of("email", "phone", "address")) {
                        if (json.hasNonNull(field)) {
                            addresses.add(json.get(field).asText());
                        }
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
                    continue;
                }
                try {
                    if (parser.parse(line, n) instanceof ParsedLine.Event e) {
                        publisher.publish(e).get();
                    }
                } catch (LineParser.BadLineException bad) {
                    // refused by produce as well: never on a topic
                }
            }
        }
    }

    /** Records the service refuses, each carrying addresses; returns how many. */
    private static int produceRefusedRecordsWithAddresses(EventPublisher publisher, Topics topics, Set<String> addresses)
            throws Exception {
        String email = "Refused.Person@Example.org";
        String phone = "+44 7700 900999";
        addresses.add(email);
        addresses.add(phone);
        long ts = AT.toEpochMilli();
        byte[] json = ("{\"customerId\":\"x1\",\"email\":\"" + email + "\",\"phone\":\"" + phone + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        publisher.publishRaw(topics.customerEvents(), "x1", json, ts).get();
        publisher.publishRaw(topics.customerEvents(), "x1", cluster.avro.customerEvent().serializer().serialize(
                topics.customerEvents(), CustomerEvent.newBuilder().setEventId("x-1").setCustomerId("x1").setEventTime(AT)
                        .setType(CustomerEventType.UPSERT).setTimezone("Mars/Olympus_Mons").setEmail(email)
                        .setPhone(phone).build()), ts).get();
        // keyed by its address though it names its customer
        publisher.publishRaw(topics.unsubscribeEvents(), email, cluster.avro.unsubscribeEvent().serializer().serialize(
                topics.unsubscribeEvents(), UnsubscribeEvent.newBuilder().setEventId("x-2").setCustomerId("x1")
                        .setEventTime(AT).setBrand("*").setSource(UnsubscribeSource.LINK).setAddress(email).build()), ts)
                .get();
        // an address-only unsubscribe in the year 3000
        publisher.publishRaw(topics.unsubscribeEvents(), phone, cluster.avro.unsubscribeEvent().serializer().serialize(
                topics.unsubscribeEvents(), UnsubscribeEvent.newBuilder().setEventId("x-3").setCustomerId(null)
                        .setEventTime(Instant.parse("3000-01-01T00:00:00Z")).setBrand("*")
                        .setSource(UnsubscribeSource.LINK).setAddress(phone).build()), ts).get();
        publisher.publishRaw(topics.sendRequests(), "x1", cluster.avro.sendRequest().serializer().serialize(
                topics.sendRequests(), SendRequest.newBuilder().setEventId("x-4").setCustomerId("x1").setEventTime(AT)
                        .setRequestId("rx").setBrand("*").setChannel(Channel.EMAIL).setPurpose(Purpose.MARKETING)
                        .setAddress(email).build()), ts).get();
        return 5;
    }

    /** Each address as given, trimmed and lower-cased, and a phone number's digits (with and without its +). */
    private static Set<String> needles(Set<String> addresses) {
        Set<String> out = new TreeSet<>();
        for (String a : addresses) {
            String t = a.strip().toLowerCase(Locale.ROOT);
            out.add(t);
            String digits = t.replaceAll("[^0-9]", "");
            if (!t.contains("@") && digits.length() >= 7) {
                out.add(digits);
                // a national number in international form, as the service normalises it (GB, US, DE)
                String national = digits.startsWith("0") ? digits.substring(1) : digits;
                out.add(national);
            }
        }
        return out;
    }

    private static void scan(String where, String text, Set<String> needles, List<String> found) {
        if (text == null) {
            return;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        for (String n : needles) {
            if (lower.contains(n)) {
                found.add(where + " contains " + n);
            }
        }
    }
}
