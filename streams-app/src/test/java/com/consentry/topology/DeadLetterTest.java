package com.consentry.topology;

import com.consentry.avro.CartAction;
import com.consentry.avro.Channel;
import com.consentry.avro.ConsentEvent;
import com.consentry.avro.ConsentStatus;
import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.DeadLetter;
import com.consentry.avro.OrderStatus;
import com.consentry.avro.Purpose;
import com.consentry.avro.Reason;
import com.consentry.avro.UnsubscribeEvent;
import com.consentry.avro.UnsubscribeSource;
import com.consentry.ingest.InvalidEventException;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static com.consentry.topology.TopologyHarness.addressUnsubscribe;
import static com.consentry.topology.TopologyHarness.added;
import static com.consentry.topology.TopologyHarness.cart;
import static com.consentry.topology.TopologyHarness.consent;
import static com.consentry.topology.TopologyHarness.consentBuilder;
import static com.consentry.topology.TopologyHarness.customer;
import static com.consentry.topology.TopologyHarness.grant;
import static com.consentry.topology.TopologyHarness.order;
import static com.consentry.topology.TopologyHarness.row;
import static com.consentry.topology.TopologyHarness.send;
import static com.consentry.topology.TopologyHarness.unsubscribe;
import static com.consentry.topology.TopologyHarness.MRP;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records that cannot be used go to consentry-dead-letter, one DeadLetter each, carrying everything
 * needed to find and replay them (original key and value bytes, topic, partition, offset, timestamp)
 * and why they failed; the stream goes on with the next record.
 */
class DeadLetterTest {
    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
    private static final Instant Y3000 = Instant.parse("3000-01-01T00:00:00Z");
    /** The default {@code consentry.ingest.max-event-time}. */
    private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

    @TempDir
    Path stateDir;
    private TopologyHarness h;

    @BeforeEach
    void start() {
        h = TopologyHarness.start(stateDir, T0);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private static Instant min(long minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private void pipeConsent(String key, ConsentEvent e) {
        h.advanceTo(TopologyHarness.eventTime(e));
        h.pipeRaw(h.topics.consentEvents(), utf8(key), h.serialize(e), TopologyHarness.eventTime(e));
    }

    private static void assertDeadLetter(TestRecord<byte[], DeadLetter> r, String topic, long offset, Instant timestamp,
                                         byte[] key, byte[] value, Class<?> errorClass, String... messageParts) {
        DeadLetter d = r.value();
        assertThat(r.key()).as("dead letter keyed by the original key bytes").isEqualTo(key);
        assertThat(r.getRecordTime()).as("dead letter record time").isEqualTo(timestamp);
        assertThat(d.getSourceTopic()).isEqualTo(topic);
        assertThat(d.getPartition()).isEqualTo(0);
        assertThat(d.getOffset()).as("offset").isEqualTo(offset);
        assertThat(d.getTimestamp()).isEqualTo(timestamp);
        assertThat(bytes(d.getKey())).as("original key bytes").isEqualTo(key);
        assertThat(bytes(d.getValue())).as("original value bytes").isEqualTo(value);
        assertThat(d.getErrorClass()).isEqualTo(errorClass.getName());
        assertThat(d.getErrorMessage()).contains(messageParts);
    }

    @Test
    void eachUnusableRecordBecomesOneDeadLetterAndGoodRecordsAroundThemAreProcessed() {
        // offset 0: good
        pipeConsent("c1", grant("e1", "c1", min(1), MRP, Channel.EMAIL));
        assertThat(h.eligibility()).extracting(TestRecord::key).containsExactly("c1");

        String topic = h.topics.consentEvents();
        // offset 1: not Avro at all
        byte[] json = utf8("{\"customerId\":\"c1\",\"brand\":\"MR PORTER\"}");
        h.pipeRaw(topic, utf8("c1"), json, min(2));
        // offset 2: Confluent framing, but a schema id the registry never issued
        byte[] unknownId = h.serialize(grant("e2", "c1", min(3), MRP, Channel.SMS));
        unknownId[1] = 0;
        unknownId[2] = 0;
        unknownId[3] = 0x03;
        unknownId[4] = (byte) 0xE7; // 999
        h.pipeRaw(topic, utf8("c1"), unknownId, min(3));
        // offset 3: a channel this version does not know (read as UNKNOWN)
        byte[] unknownChannel = h.serialize(consent("e3", "c1", min(4), MRP, Channel.UNKNOWN, ConsentStatus.GRANTED,
                "CHECKOUT"));
        h.pipeRaw(topic, utf8("c1"), unknownChannel, min(4));
        // offset 4: an empty customerId
        byte[] noCustomer = h.serialize(grant("e4", "", min(5), MRP, Channel.EMAIL));
        h.pipeRaw(topic, utf8(""), noCustomer, min(5));
        // offset 5: keyed by another customer than the one it names
        byte[] wrongKey = h.serialize(grant("e5", "c1", min(6), MRP, Channel.PHONE));
        h.pipeRaw(topic, utf8("c2"), wrongKey, min(6));
        // offset 6 and 7: good again
        pipeConsent("c3", grant("e6", "c3", min(7), MRP, Channel.EMAIL));
        pipeConsent("c1", consent("e7", "c1", min(8), MRP, Channel.EMAIL, ConsentStatus.WITHDRAWN, "PREFERENCE_CENTER"));

        List<TestRecord<byte[], DeadLetter>> dead = h.deadLetters();
        assertThat(dead).hasSize(5);
        assertDeadLetter(dead.get(0), topic, 1, min(2), utf8("c1"), json, SerializationException.class,
                "not Confluent wire format", "JSON");
        assertDeadLetter(dead.get(1), topic, 2, min(3), utf8("c1"), unknownId, SerializationException.class,
                "unknown schema id 999");
        assertDeadLetter(dead.get(2), topic, 3, min(4), utf8("c1"), unknownChannel, InvalidEventException.class,
                "channel: unknown value");
        assertDeadLetter(dead.get(3), topic, 4, min(5), utf8(""), noCustomer, InvalidEventException.class,
                "customerId: missing");
        assertDeadLetter(dead.get(4), topic, 5, min(6), utf8("c2"), wrongKey, InvalidEventException.class,
                "key: does not match", "customerId 'c1'");

        List<TestRecord<String, CustomerEligibility>> after = h.eligibility();
        assertThat(after).extracting(TestRecord::key).containsExactly("c3", "c1");
        assertThat(row(after.get(0).value(), MRP, Channel.EMAIL).getReason()).isEqualTo(Reason.CONSENT);
        assertThat(row(after.get(1).value(), MRP, Channel.EMAIL).getReason()).isEqualTo(Reason.WITHDRAWN);
        assertThat(row(after.get(1).value(), MRP, Channel.SMS).getReason())
                .as("the dead-lettered SMS grant was not applied").isEqualTo(Reason.NO_CONSENT);
        assertThat(row(after.get(1).value(), MRP, Channel.PHONE).getReason())
                .as("the wrongly keyed PHONE grant was not applied").isEqualTo(Reason.NO_CONSENT);

        assertThat(h.customersStore()).extracting(kv -> kv.key).as("no state for refused records")
                .containsExactlyInAnyOrder("c1", "c3");
        assertThat(h.customerState("c1").history.consents).extracting(c -> c.eventId()).containsExactly("e1", "e7");
    }

    @Test
    void deadLettersFromEveryInputTopicNameTheirTopicAndField() {
        byte[] badTimezone = h.serialize(customer("p1", "c1", min(1)).setTimezone("Mars/Olympus_Mons").build());
        h.pipeRaw(h.topics.customerEvents(), utf8("c1"), badTimezone, min(1));
        UnsubscribeEvent nobody = UnsubscribeEvent.newBuilder().setEventId("u1").setCustomerId(null)
                .setEventTime(min(2)).setBrand("*").setSource(UnsubscribeSource.LINK).build();
        byte[] noTarget = h.serialize(nobody);
        h.pipeRaw(h.topics.unsubscribeEvents(), null, noTarget, min(2));
        byte[] zeroQuantity = h.serialize(cart("k1", "c1", min(3), "cart-1", MRP, CartAction.ITEM_ADDED, "sku-1", 0));
        h.pipeRaw(h.topics.cartEvents(), utf8("c1"), zeroQuantity, min(3));
        byte[] wildcardSend = h.serialize(send("s1", "c1", min(4), "r1", "spring", "*", Channel.EMAIL,
                Purpose.MARKETING));
        h.pipeRaw(h.topics.sendRequests(), utf8("c1"), wildcardSend, min(4));
        h.pipeRaw(h.topics.orderEvents(), utf8("c1"), null, min(5));
        // a consent that cannot be demonstrated: no source
        byte[] noSource = h.serialize(consent("e9", "c1", min(5), MRP, Channel.EMAIL, ConsentStatus.GRANTED, null));
        h.pipeRaw(h.topics.consentEvents(), utf8("c1"), noSource, min(5));
        // and a good one on a topic that already had a bad one
        h.pipe(send("s2", "c1", min(6), "r2", "spring", MRP, Channel.POST, Purpose.MARKETING));

        List<TestRecord<byte[], DeadLetter>> dead = h.deadLetters();
        assertThat(dead).hasSize(6);
        assertDeadLetter(dead.get(0), h.topics.customerEvents(), 0, min(1), utf8("c1"), badTimezone,
                InvalidEventException.class, "timezone:");
        assertDeadLetter(dead.get(1), h.topics.unsubscribeEvents(), 0, min(2), null, noTarget,
                InvalidEventException.class, "customerId: missing", "address");
        assertDeadLetter(dead.get(2), h.topics.cartEvents(), 0, min(3), utf8("c1"), zeroQuantity,
                InvalidEventException.class, "quantity:");
        assertDeadLetter(dead.get(3), h.topics.sendRequests(), 0, min(4), utf8("c1"), wildcardSend,
                InvalidEventException.class, "brand:", "'*'");
        assertDeadLetter(dead.get(4), h.topics.orderEvents(), 0, min(5), utf8("c1"), null,
                InvalidEventException.class, "value: null");
        assertDeadLetter(dead.get(5), h.topics.consentEvents(), 0, min(5), utf8("c1"), noSource,
                InvalidEventException.class, "source: missing");

        assertThat(h.decisions()).as("the good send after the bad one").singleElement().satisfies(d -> {
            assertThat(d.value().getRequestId()).isEqualTo("r2");
            assertThat(d.value().getReason()).as("the consent without a source was not applied")
                    .isEqualTo(Reason.OPT_OUT_MODEL);
        });
        assertThat(h.seenStore()).extracting(kv -> kv.value.requestId()).containsExactly("r2");
        assertThat(h.cartsStore()).isEmpty();
    }

    @Test
    void aDeadLetterMessageNamesTheFieldButNeverCarriesAnAddressGivenAsTheKey() {
        // an unsubscribe that names its customer, wrongly keyed by its address
        UnsubscribeEvent u = UnsubscribeEvent.newBuilder().setEventId("u1").setCustomerId("c1").setEventTime(min(1))
                .setBrand("*").setSource(UnsubscribeSource.LINK).setAddress("Private.Person@Example.com").build();
        byte[] value = h.serialize(u);
        byte[] key = utf8("Private.Person@Example.com");
        h.pipeRaw(h.topics.unsubscribeEvents(), key, value, min(1));

        List<TestRecord<byte[], DeadLetter>> dead = h.deadLetters();
        assertThat(dead).hasSize(1);
        // issue 12: no address in the dead letter either, its key and value bytes included: masked byte for byte
        String mask = "#".repeat("Private.Person@Example.com".length());
        byte[] maskedValue = h.serialize(UnsubscribeEvent.newBuilder(u).setAddress(mask).build());
        assertDeadLetter(dead.get(0), h.topics.unsubscribeEvents(), 0, min(1), utf8(mask), maskedValue,
                InvalidEventException.class, "key", "customerId");
        assertThat(dead.get(0).value().getErrorMessage().toLowerCase(java.util.Locale.ROOT))
                .as("errorMessage is never an address or other personal data (DeadLetter.avsc)")
                .doesNotContain("private.person@example.com");
        UnsubscribeEvent read = h.avro.unsubscribeEvent().deserializer().deserialize(h.topics.unsubscribeEvents(),
                bytes(dead.get(0).value().getValue()));
        assertThat(read.getEventId()).as("the rest of the value still decodes, for the operator").isEqualTo("u1");
        assertThat(read.getAddress()).isEqualTo(mask);
    }

    @Test
    void aDeadLetterMasksTheAddressesOfAValueThatDoesNotDecodeToo() {
        byte[] json = utf8("{\"customerId\":\"c1\",\"email\":\"someone@example.com\",\"phone\":\"+44 7700 900123\"}");
        h.pipeRaw(h.topics.customerEvents(), utf8("c1"), json, min(1));
        // a customer event that decodes but is refused: its email and phone fields are masked
        byte[] customer = h.serialize(customer("p1", "c1", min(2)).setTimezone("Mars/Olympus_Mons")
                .setEmail("someone@example.com").setPhone("07700 900123").build());
        h.pipeRaw(h.topics.customerEvents(), utf8("c1"), customer, min(2));

        List<TestRecord<byte[], DeadLetter>> dead = h.deadLetters();
        assertThat(dead).hasSize(2);
        assertThat(new String(bytes(dead.get(0).value().getValue()), StandardCharsets.UTF_8)).isEqualTo(
                "{\"customerId\":\"c1\",\"email\":\"###################\",\"phone\":\"###############\"}");
        com.consentry.avro.CustomerEvent read = h.avro.customerEvent().deserializer().deserialize(
                h.topics.customerEvents(), bytes(dead.get(1).value().getValue()));
        assertThat(read.getEmail()).isEqualTo("###################");
        assertThat(read.getPhone()).isEqualTo("############");
        assertThat(read.getTimezone()).as("what made it fail is still there").isEqualTo("Mars/Olympus_Mons");
        assertThat(dead.get(1).value().getErrorMessage()).isEqualTo("timezone: 'Mars/Olympus_Mons' is not an IANA timezone");
    }

    /**
     * Issue 12: the service stamped its outputs with an event time Kafka refuses (a broker refuses one
     * far ahead of its clock, Kafka Streams a negative one), so the write failed and the same record was
     * retried forever, every later record of its partition waiting behind it.
     */
    @Test
    void anEventTimeKafkaCannotCarryIsDeadLetteredAndTheRecordsAfterItOnThePartitionAreProcessed() {
        String topic = h.topics.consentEvents();
        // offset 0: the year 3000, in a record stamped now (as a producer that does not set the timestamp stamps it)
        byte[] future = h.serialize(grant("f1", "c1", Y3000, MRP, Channel.EMAIL));
        h.pipeRaw(topic, utf8("c1"), future, min(1));
        // offset 1: one second before 1970
        byte[] past = h.serialize(grant("f2", "c1", Instant.parse("1969-12-31T23:59:59Z"), MRP, Channel.SMS));
        h.pipeRaw(topic, utf8("c1"), past, min(2));
        // offset 2: two hours ahead of its record, further than a broker accepts by default (one hour)
        byte[] ahead = h.serialize(grant("f3", "c1", min(3).plus(Duration.ofHours(2)), MRP, Channel.POST));
        h.pipeRaw(topic, utf8("c1"), ahead, min(3));
        // offset 3: the year 3000 as the record's timestamp too (a broker that accepts any CreateTime)
        byte[] both = h.serialize(grant("f4", "c1", Y3000, MRP, Channel.PHONE));
        h.pipeRaw(topic, utf8("c1"), both, Y3000);
        // then a good consent and an opt-out on the same partition
        pipeConsent("c1", grant("g1", "c1", min(4), MRP, Channel.EMAIL));
        h.pipe(unsubscribe("u1", "c1", min(5), MRP, UnsubscribeSource.LINK));

        List<TestRecord<byte[], DeadLetter>> dead = h.deadLetters();
        assertThat(dead).hasSize(4);
        assertDeadLetter(dead.get(0), topic, 0, min(1), utf8("c1"), future, InvalidEventException.class,
                "at: 3000-01-01T00:00:00Z is after 2100-01-01T00:00:00Z (consentry.ingest.max-event-time)");
        assertDeadLetter(dead.get(1), topic, 1, min(2), utf8("c1"), past, InvalidEventException.class,
                "at: 1969-12-31T23:59:59Z is before 1970-01-01T00:00:00Z");
        assertDeadLetter(dead.get(2), topic, 2, min(3), utf8("c1"), ahead, InvalidEventException.class,
                "at: 2026-03-02T02:03:00Z is more than PT15M after the record's timestamp 2026-03-02T00:03:00Z "
                        + "(consentry.ingest.max-future)");
        DeadLetter fourth = dead.get(3).value();
        assertThat(fourth.getOffset()).isEqualTo(3);
        assertThat(fourth.getTimestamp()).as("the envelope keeps the original timestamp").isEqualTo(Y3000);
        assertThat(fourth.getErrorMessage()).isEqualTo(
                "at: 3000-01-01T00:00:00Z is after 2100-01-01T00:00:00Z (consentry.ingest.max-event-time)");
        assertThat(dead.get(3).getRecordTime()).as("a timestamp the service cannot carry is not written again: "
                + "the dead letter is stamped with the wall clock when it is written").isEqualTo(T0);

        List<TestRecord<String, CustomerEligibility>> views = h.eligibility();
        assertThat(views).extracting(v -> row(v.value(), MRP, Channel.EMAIL).getReason())
                .containsExactly(Reason.CONSENT, Reason.UNSUBSCRIBED);
        assertThat(views).extracting(TestRecord::getRecordTime).containsExactly(min(4), min(5));
        CustomerEligibility last = views.get(1).value();
        assertThat(row(last, MRP, Channel.SMS).getReason()).isEqualTo(Reason.UNSUBSCRIBED);
        assertThat(h.customerState("c1").history.consents).extracting(c -> c.eventId()).containsExactly("g1");
        assertEveryTimestampCarriable();
    }

    @Test
    void aFarFutureEventTimeIsDeadLetteredOnEveryInputTopic() {
        byte[] customer = h.serialize(customer("p1", "c1", Y3000).setCountry("GB").build());
        h.pipeRaw(h.topics.customerEvents(), utf8("c1"), customer, min(1));
        byte[] consent = h.serialize(grant("e1", "c1", Y3000, MRP, Channel.EMAIL));
        h.pipeRaw(h.topics.consentEvents(), utf8("c1"), consent, min(1));
        byte[] unsubscribe = h.serialize(unsubscribe("u1", "c1", Y3000, MRP, UnsubscribeSource.LINK));
        h.pipeRaw(h.topics.unsubscribeEvents(), utf8("c1"), unsubscribe, min(1));
        byte[] addressOnly = h.serialize(addressUnsubscribe("u2", "someone@example.com", Y3000, UnsubscribeSource.LINK));
        h.pipeRaw(h.topics.unsubscribeEvents(), utf8("someone@example.com"), addressOnly, min(1));
        byte[] order = h.serialize(order("o1", "c1", Y3000, "order-1", MRP, OrderStatus.PLACED, null));
        h.pipeRaw(h.topics.orderEvents(), utf8("c1"), order, min(1));
        byte[] cart = h.serialize(added("k1", "c1", Y3000, "cart-1", MRP, "sku-1", 1));
        h.pipeRaw(h.topics.cartEvents(), utf8("c1"), cart, min(1));
        byte[] send = h.serialize(send("s1", "c1", Y3000, "r1", "spring", MRP, Channel.POST, Purpose.MARKETING));
        h.pipeRaw(h.topics.sendRequests(), utf8("c1"), send, min(1));
        h.pipe(send("s2", "c1", min(2), "r2", "spring", MRP, Channel.POST, Purpose.MARKETING));

        Map<String, Integer> byTopic = new java.util.TreeMap<>();
        for (TestRecord<byte[], DeadLetter> d : h.deadLetters()) {
            assertThat(d.value().getErrorClass()).isEqualTo(InvalidEventException.class.getName());
            assertThat(d.value().getErrorMessage()).isEqualTo(
                    "at: 3000-01-01T00:00:00Z is after 2100-01-01T00:00:00Z (consentry.ingest.max-event-time)");
            byTopic.merge(d.value().getSourceTopic(), 1, Integer::sum);
        }
        assertThat(byTopic).containsExactlyInAnyOrderEntriesOf(Map.of(h.topics.customerEvents(), 1,
                h.topics.consentEvents(), 1, h.topics.unsubscribeEvents(), 2, h.topics.orderEvents(), 1,
                h.topics.cartEvents(), 1, h.topics.sendRequests(), 1));
        assertThat(h.decisions()).extracting(d -> d.value().getRequestId() + "/" + d.value().getReason())
                .containsExactly("r2/OPT_OUT_MODEL");
        assertThat(h.cartsStore()).isEmpty();
        assertThat(h.suppressionStore()).isEmpty();
        assertThat(h.customerState("c1").history.orders).isEmpty();
        assertEveryTimestampCarriable();
    }

    @Test
    void theFarthestInstantsAcceptedStampNothingOutOfRangeAndTheOthersAreDeadLettered() {
        // accepted: dates in the years 1 to 9999, event times up to the bound, expiry far out or long past
        h.pipe(customer("p1", "c1", min(1)).setCountry("GB").setBirthDate(LocalDate.of(9999, 12, 31)).build());
        h.pipe(grant("e0", "c1", min(2), MRP, Channel.EMAIL));
        h.pipe(customer("p2", "c2", min(1)).setCountry("GB").setBirthDate(LocalDate.of(1, 1, 1)).build());
        h.pipe(consentBuilder("e1", "c2", min(2), MRP, Channel.EMAIL, ConsentStatus.GRANTED, "CHECKOUT")
                .setExpiresAt(Instant.parse("9999-12-31T23:59:59.999Z")).build());
        h.pipe(consentBuilder("e2", "c2", min(2), MRP, Channel.SMS, ConsentStatus.GRANTED, "CHECKOUT")
                .setExpiresAt(Instant.parse("0001-01-01T00:00:00Z")).build());
        // the latest event time accepted, in records stamped with it: an order's soft opt-in and a cart's
        // reminder fall due after it
        h.pipeKeepingClock(order("o1", "c3", LATEST, "order-1", MRP, OrderStatus.PLACED, null));
        h.pipeKeepingClock(added("k1", "c3", LATEST, "cart-1", TopologyHarness.NAP, "sku-1", 1));
        assertThat(h.deadLetters()).isEmpty();
        assertThat(row(lastView("c1"), MRP, Channel.EMAIL).getReason()).as("a minor until the year 10015")
                .isEqualTo(Reason.MINOR);
        assertThat(row(lastView("c2"), MRP, Channel.EMAIL).getReason()).isEqualTo(Reason.CONSENT);
        assertThat(row(lastView("c2"), MRP, Channel.SMS).getReason()).isEqualTo(Reason.EXPIRED);
        assertThat(h.reminderDueStore()).as("the cart's timer, due after the bound").hasSize(1);

        // refused: what the years 1 to 9999 do not hold, though the Avro types carry it
        byte[] expiry = h.serialize(consentBuilder("e3", "c2", min(3), MRP, Channel.PHONE, ConsentStatus.GRANTED,
                "CHECKOUT").setExpiresAt(Instant.ofEpochMilli(Long.MAX_VALUE)).build());
        h.pipeRaw(h.topics.consentEvents(), utf8("c2"), expiry, min(3));
        byte[] birth = h.serialize(customer("p3", "c2", min(3)).setBirthDate(LocalDate.ofEpochDay(Integer.MIN_VALUE))
                .build());
        h.pipeRaw(h.topics.customerEvents(), utf8("c2"), birth, min(3));
        assertThat(h.deadLetters()).extracting(d -> d.value().getErrorMessage()).containsExactly(
                "expiresAt: +292278994-08-17T07:12:55.807Z is outside 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z",
                "birthDate: -5877641-06-23 is outside 0001-01-01 to 9999-12-31");
        assertEveryTimestampCarriable();
    }

    private CustomerEligibility lastView(String customerId) {
        CustomerEligibility last = null;
        for (TestRecord<byte[], byte[]> r : h.producedTo(h.topics.customerEligibility())) {
            if (customerId.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                last = h.avro.eligibility().deserializer().deserialize(h.topics.customerEligibility(), r.value());
            }
        }
        assertThat(last).as("a view of " + customerId).isNotNull();
        return last;
    }

    /** No record written to any topic (outputs, internal topics, changelogs) has a timestamp Kafka would refuse. */
    private void assertEveryTimestampCarriable() {
        h.allProduced().forEach((topic, records) -> assertThat(records).as(topic)
                .allSatisfy(r -> assertThat(r.timestamp()).isBetween(0L, LATEST.toEpochMilli())));
    }
}
