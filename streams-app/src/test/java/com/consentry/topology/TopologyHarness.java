package com.consentry.topology;

import com.consentry.avro.CartAction;
import com.consentry.avro.CartEvent;
import com.consentry.avro.CartReminder;
import com.consentry.avro.Channel;
import com.consentry.avro.ConsentEvent;
import com.consentry.avro.ConsentStatus;
import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.CustomerEvent;
import com.consentry.avro.CustomerEventType;
import com.consentry.avro.DeadLetter;
import com.consentry.avro.EligibilityRow;
import com.consentry.avro.OrderEvent;
import com.consentry.avro.OrderStatus;
import com.consentry.avro.Purpose;
import com.consentry.avro.SendDecision;
import com.consentry.avro.SendRequest;
import com.consentry.avro.UnsubscribeEvent;
import com.consentry.avro.UnsubscribeSource;
import com.consentry.config.AppConfig;
import com.consentry.policy.Suppression;
import com.consentry.serde.InMemorySchemaRegistry;
import com.consentry.serde.JsonSerde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.apache.kafka.streams.test.TestRecord;
import org.apache.kafka.common.utils.Bytes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Drives the real {@link ConsentryTopology} in a {@link TopologyTestDriver}: builds Avro input records,
 * pipes them (timestamp = event time, Confluent wire format through an {@link InMemorySchemaRegistry}),
 * moves the injected wall clock, and reads every produced topic and state store.
 *
 * <p>{@link #pipe} first moves the wall clock to the event's time when that is later (as the service's
 * clock would be when the event arrives), so that reminders and sweeps due by then fire first;
 * {@link #pipeKeepingClock} leaves the clock where it is.
 *
 * <p>Every produced record (outputs, internal topics, changelogs) is captured once and kept, so that a
 * test can read "what is new" per topic and still scan everything ever produced at the end.
 */
final class TopologyHarness implements AutoCloseable {
    static final String MRP = "MR PORTER";
    static final String NAP = "NET-A-PORTER";
    static final String OUTNET = "THE OUTNET";
    static final String SECRET = "topology-test-secret";
    static final String APP_ID = "consentry-topology-test";
    private static final ObjectMapper JSON = JsonSerde.newObjectMapper();

    final Path stateDir;
    final AppConfig config;
    final Topics topics;
    final TopologySettings settings;
    final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    final AvroSerdes avro = AvroSerdes.using(registry);

    private TopologyTestDriver driver;
    private CustomerProcessor lastCustomerProcessor;
    private CustomerProcessor revived;
    private Instant wallClock;
    /** topic -> every record produced to it, in order, captured from the driver. */
    private final Map<String, List<TestRecord<byte[], byte[]>>> produced = new LinkedHashMap<>();
    /** topic -> how many of its captured records a reader has already been given. */
    private final Map<String, Integer> read = new HashMap<>();

    private TopologyHarness(Path stateDir, Instant start, Instant sweepAnchor, Map<String, String> overrides) {
        this(stateDir, start, sweepAnchor, overrides, SuppressionBarrier.NONE, InputBound.NONE, InputBacklog.NONE);
    }

    private TopologyHarness(Path stateDir, Instant start, Instant sweepAnchor, Map<String, String> overrides,
                            SuppressionBarrier barrier, InputBound bound, InputBacklog backlog) {
        this.stateDir = stateDir;
        Map<String, String> all = new HashMap<>();
        all.put("consentry.suppression.secret", SECRET);
        // the tests' wall clock stands for the events' clock, as in simulate: unless a test sets the bound
        // (consentry.punctuate.max-lead), the wall clock may fire any distance ahead of the newest event time
        all.put("consentry.punctuate.max-lead", "P36500D");
        all.putAll(overrides);
        this.config = AppConfig.of(all);
        this.topics = config.topics();
        TopologySettings plain = config.topologySettings(sweepAnchor).withInputBound(bound).withInputBacklog(backlog);
        this.settings = barrier == SuppressionBarrier.NONE ? plain : plain.withSuppressionBarrier(barrier);
        open(start);
    }

    /** A driver whose wall clock starts at {@code start}; sweeps run at start + k * sweep interval. */
    static TopologyHarness start(Path stateDir, Instant start) {
        return new TopologyHarness(stateDir, start, start, Map.of());
    }

    /** Decisions wait on {@code barrier}, as in the service (where it is the suppression watch). */
    static TopologyHarness start(Path stateDir, Instant start, SuppressionBarrier barrier) {
        return new TopologyHarness(stateDir, start, start, Map.of(), barrier, InputBound.NONE, InputBacklog.NONE);
    }

    /** The wall clock asks {@code backlog} whether a task's inputs hold records not fetched yet, as in the service. */
    static TopologyHarness start(Path stateDir, Instant start, Map<String, String> overrides, InputBacklog backlog) {
        return new TopologyHarness(stateDir, start, start, overrides, SuppressionBarrier.NONE, InputBound.NONE, backlog);
    }

    static TopologyHarness start(Path stateDir, Instant start, Map<String, String> overrides) {
        return new TopologyHarness(stateDir, start, start, overrides);
    }

    /** A driver that processes only the input records within {@code bound}, as a replay's shadow does. */
    static TopologyHarness start(Path stateDir, Instant start, InputBound bound) {
        return new TopologyHarness(stateDir, start, start, Map.of(), SuppressionBarrier.NONE, bound, InputBacklog.NONE);
    }

    private void open(Instant wallClockStart) {
        open(wallClockStart, null);
    }

    /** {@code reuse}: the customer processor the new driver's task gets (built first: the builder asks for others). */
    private void open(Instant wallClockStart, CustomerProcessor reuse) {
        Properties props = config.kafkaProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP_ID);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "topology-test.invalid:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        org.apache.kafka.streams.Topology topology = ConsentryTopology.build(topics, settings, avro, this::customerProcessor);
        revived = reuse;
        driver = new TopologyTestDriver(topology, props, wallClockStart);
        assertThat(reuse == null || lastCustomerProcessor == reuse).as("the revived task's processor").isTrue();
        wallClock = wallClockStart;
        capture();
    }

    /** A new customer processor, or the one kept by {@link #reviveCustomerTask} for the next driver's task. */
    private CustomerProcessor customerProcessor() {
        CustomerProcessor p = revived != null ? revived : new CustomerProcessor(settings);
        revived = null;
        lastCustomerProcessor = p;
        return p;
    }

    /**
     * Stops this driver and starts a new one with empty stores whose task re-initialises the same customer
     * processor, as Kafka Streams revives a task it found corrupted (closed dirty, its state wiped and restored
     * to its last commit, its records from there processed again by the processors it already had). The test
     * pipes the records again. The wall clock starts again at {@code wallClockStart}.
     */
    void reviveCustomerTask(Instant wallClockStart) {
        capture();
        driver.close();
        open(wallClockStart, lastCustomerProcessor);
    }

    /**
     * Stops this driver and starts a new one on the same state directory, its wall clock at
     * {@code wallClockStart} (never earlier than now): a restarted instance.
     *
     * <p>TopologyTestDriver deletes its state directory on close and never restores from changelogs, so
     * the harness does what Kafka Streams does for an instance whose local state is gone (with
     * exactly-once, after any unclean stop): every store is restored from its changelog topic, and the
     * global suppression store from its source topic, record by record, before the new driver sees any
     * input or clock move. The schema registry is kept too, as a real one would be.
     */
    void restart(Instant wallClockStart) {
        assertThat(wallClockStart).isAfterOrEqualTo(wallClock);
        capture();
        driver.close();
        open(wallClockStart);
        restoreStores();
    }

    private void restoreStores() {
        for (Map.Entry<String, StateStore> e : driver.getAllStateStores().entrySet()) {
            String name = e.getKey();
            if (name.equals(StoreNames.SUPPRESSIONS)) {
                for (TestRecord<byte[], byte[]> r : producedTo(topics.suppressions())) {
                    pipeRaw(topics.suppressions(), r.key(), r.value(), r.getRecordTime());
                }
                continue;
            }
            String changelog = APP_ID + "-" + name + "-changelog";
            StateStore inner = e.getValue();
            while (inner instanceof WrappedStateStore<?, ?, ?> w) {
                inner = w.wrapped();
            }
            @SuppressWarnings("unchecked")
            KeyValueStore<Bytes, byte[]> bytes = (KeyValueStore<Bytes, byte[]>) inner;
            for (TestRecord<byte[], byte[]> r : producedTo(changelog)) {
                if (r.value() == null) {
                    bytes.delete(Bytes.wrap(r.key()));
                } else {
                    bytes.put(Bytes.wrap(r.key()), r.value());
                }
            }
        }
    }

    /** Closes the driver without keeping its state. */
    @Override
    public void close() {
        if (driver != null) {
            driver.close();
            driver = null;
        }
    }

    // ---------------------------------------------------------------- the clock

    Instant now() {
        return wallClock;
    }

    /** Moves the wall clock forward to {@code t} (no-op when t is not later): due reminders and sweeps fire. */
    void advanceTo(Instant t) {
        if (t.isAfter(wallClock)) {
            driver.advanceWallClockTime(Duration.between(wallClock, t));
            wallClock = t;
        }
        capture();
    }

    void advanceBy(Duration d) {
        advanceTo(wallClock.plus(d));
    }

    // ---------------------------------------------------------------- input

    /** Moves the wall clock to the event's time (when later), then pipes it, keyed as its topic is. */
    void pipe(SpecificRecord event) {
        advanceTo(eventTime(event));
        pipeKeepingClock(event);
    }

    void pipeAll(SpecificRecord... events) {
        for (SpecificRecord e : events) {
            pipe(e);
        }
    }

    /** Pipes the event without moving the wall clock (an event that arrives before the clock reaches its time). */
    @SuppressWarnings("unchecked")
    void pipeKeepingClock(SpecificRecord event) {
        String topic = topicOf(event);
        Serializer<SpecificRecord> serializer = (Serializer<SpecificRecord>) serializerFor(event);
        byte[] value = serializer.serialize(topic, event);
        pipeRaw(topic, keyOf(event).getBytes(StandardCharsets.UTF_8), value, eventTime(event));
    }

    /** The Confluent wire-format bytes the harness would pipe for this event. */
    @SuppressWarnings("unchecked")
    byte[] serialize(SpecificRecord event) {
        return ((Serializer<SpecificRecord>) serializerFor(event)).serialize(topicOf(event), event);
    }

    /** Pipes raw bytes, timestamped {@code at}, without moving the wall clock. */
    void pipeRaw(String topic, byte[] key, byte[] value, Instant at) {
        driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer())
                .pipeInput(key, value, at);
        capture();
    }

    String topicOf(SpecificRecord e) {
        if (e instanceof CustomerEvent) {
            return topics.customerEvents();
        } else if (e instanceof ConsentEvent) {
            return topics.consentEvents();
        } else if (e instanceof UnsubscribeEvent) {
            return topics.unsubscribeEvents();
        } else if (e instanceof OrderEvent) {
            return topics.orderEvents();
        } else if (e instanceof CartEvent) {
            return topics.cartEvents();
        } else if (e instanceof SendRequest) {
            return topics.sendRequests();
        }
        throw new IllegalArgumentException("not an input event: " + e);
    }

    private Serializer<?> serializerFor(SpecificRecord e) {
        if (e instanceof CustomerEvent) {
            return avro.customerEvent().serializer();
        } else if (e instanceof ConsentEvent) {
            return avro.consentEvent().serializer();
        } else if (e instanceof UnsubscribeEvent) {
            return avro.unsubscribeEvent().serializer();
        } else if (e instanceof OrderEvent) {
            return avro.orderEvent().serializer();
        } else if (e instanceof CartEvent) {
            return avro.cartEvent().serializer();
        } else if (e instanceof SendRequest) {
            return avro.sendRequest().serializer();
        }
        throw new IllegalArgumentException("not an input event: " + e);
    }

    /** Input topics are keyed by customerId; an address-only unsubscribe by its address. */
    static String keyOf(SpecificRecord e) {
        if (e instanceof UnsubscribeEvent u && (u.getCustomerId() == null || u.getCustomerId().isBlank())) {
            return u.getAddress();
        }
        return (String) e.get(e.getSchema().getField("customerId").pos());
    }

    static Instant eventTime(SpecificRecord e) {
        return (Instant) e.get(e.getSchema().getField("eventTime").pos());
    }

    // ---------------------------------------------------------------- event builders

    static CustomerEvent.Builder customer(String eventId, String customerId, Instant at) {
        return CustomerEvent.newBuilder().setEventId(eventId).setCustomerId(customerId).setEventTime(at)
                .setType(CustomerEventType.UPSERT);
    }

    static CustomerEvent erasure(String eventId, String customerId, Instant at) {
        return CustomerEvent.newBuilder().setEventId(eventId).setCustomerId(customerId).setEventTime(at)
                .setType(CustomerEventType.ERASURE_REQUESTED).build();
    }

    static ConsentEvent.Builder consentBuilder(String eventId, String customerId, Instant at, String brand,
                                               Channel channel, ConsentStatus status, String source) {
        return ConsentEvent.newBuilder().setEventId(eventId).setCustomerId(customerId).setEventTime(at)
                .setBrand(brand).setChannel(channel).setStatus(status).setSource(source);
    }

    static ConsentEvent consent(String eventId, String customerId, Instant at, String brand, Channel channel,
                                ConsentStatus status, String source) {
        return consentBuilder(eventId, customerId, at, brand, channel, status, source).build();
    }

    static ConsentEvent grant(String eventId, String customerId, Instant at, String brand, Channel channel) {
        return consent(eventId, customerId, at, brand, channel, ConsentStatus.GRANTED, "CHECKOUT");
    }

    static UnsubscribeEvent.Builder unsubscribeBuilder(String eventId, String customerId, Instant at, String brand,
                                                       UnsubscribeSource source) {
        return UnsubscribeEvent.newBuilder().setEventId(eventId).setCustomerId(customerId).setEventTime(at)
                .setBrand(brand).setSource(source);
    }

    /** An unsubscribe of a customer from one brand (or {@code *}), every channel. */
    static UnsubscribeEvent unsubscribe(String eventId, String customerId, Instant at, String brand,
                                        UnsubscribeSource source) {
        return unsubscribeBuilder(eventId, customerId, at, brand, source).build();
    }

    /** An unsubscribe that names only an address (no customerId), every brand. */
    static UnsubscribeEvent addressUnsubscribe(String eventId, String address, Instant at, UnsubscribeSource source) {
        return UnsubscribeEvent.newBuilder().setEventId(eventId).setCustomerId(null).setEventTime(at).setBrand("*")
                .setSource(source).setAddress(address).build();
    }

    static OrderEvent order(String eventId, String customerId, Instant at, String orderId, String brand,
                            OrderStatus status, String cartId) {
        return OrderEvent.newBuilder().setEventId(eventId).setCustomerId(customerId).setEventTime(at)
                .setOrderId(orderId).setBrand(brand).setStatus(status).setCartId(cartId).build();
    }

    static CartEvent cart(String eventId, String customerId, Instant at, String cartId, String brand,
                          CartAction action, String sku, Integer quantity) {
        return CartEvent.newBuilder().setEventId(eventId).setCustomerId(customerId).setEventTime(at)
                .setCartId(cartId).setBrand(brand).setAction(action).setSku(sku).setQuantity(quantity).build();
    }

    static CartEvent added(String eventId, String customerId, Instant at, String cartId, String brand, String sku,
                           int quantity) {
        return cart(eventId, customerId, at, cartId, brand, CartAction.ITEM_ADDED, sku, quantity);
    }

    static SendRequest send(String eventId, String customerId, Instant at, String requestId, String campaignId,
                            String brand, Channel channel, Purpose purpose) {
        return SendRequest.newBuilder().setEventId(eventId).setCustomerId(customerId).setEventTime(at)
                .setRequestId(requestId).setCampaignId(campaignId).setBrand(brand).setChannel(channel)
                .setPurpose(purpose).build();
    }

    // ---------------------------------------------------------------- output

    /** Reads whatever the driver produced since the last capture into {@link #produced}. */
    private void capture() {
        if (driver == null) {
            return;
        }
        for (String topic : driver.producedTopicNames()) {
            List<TestRecord<byte[], byte[]>> fresh = driver
                    .createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                    .readRecordsToList();
            produced.computeIfAbsent(topic, t -> new ArrayList<>()).addAll(fresh);
        }
    }

    /** Every record ever produced to {@code topic}, raw. */
    List<TestRecord<byte[], byte[]>> producedTo(String topic) {
        capture();
        return List.copyOf(produced.getOrDefault(topic, List.of()));
    }

    /**
     * Removes from a store's changelog the records whose key matches, as if they had never been written
     * (e.g. by a release that did not have them): the next {@link #restart} restores without them.
     */
    void dropFromChangelog(String store, java.util.function.Predicate<String> key) {
        capture();
        produced.getOrDefault(APP_ID + "-" + store + "-changelog", new ArrayList<>())
                .removeIf(r -> key.test(string(r.key())));
    }

    /** Every topic anything was produced to (outputs, internal topics, changelogs). */
    Map<String, List<TestRecord<byte[], byte[]>>> allProduced() {
        capture();
        return produced;
    }

    private <K, V> List<TestRecord<K, V>> fresh(String topic, Function<byte[], K> key, Function<byte[], V> value) {
        capture();
        List<TestRecord<byte[], byte[]>> all = produced.getOrDefault(topic, List.of());
        int from = read.getOrDefault(topic, 0);
        read.put(topic, all.size());
        List<TestRecord<K, V>> out = new ArrayList<>();
        for (TestRecord<byte[], byte[]> r : all.subList(from, all.size())) {
            out.add(new TestRecord<>(key.apply(r.key()), value.apply(r.value()), r.headers(), r.getRecordTime()));
        }
        return out;
    }

    private static String string(byte[] b) {
        return b == null ? null : new StringDeserializer().deserialize(null, b);
    }

    /** The customer-eligibility records produced since the last call (a tombstone has a null value). */
    List<TestRecord<String, CustomerEligibility>> eligibility() {
        String t = topics.customerEligibility();
        return fresh(t, TopologyHarness::string, v -> avro.eligibility().deserializer().deserialize(t, v));
    }

    List<TestRecord<String, SendDecision>> decisions() {
        String t = topics.sendDecisions();
        return fresh(t, TopologyHarness::string, v -> avro.decision().deserializer().deserialize(t, v));
    }

    List<TestRecord<String, CartReminder>> reminders() {
        String t = topics.cartReminders();
        return fresh(t, TopologyHarness::string, v -> avro.reminder().deserializer().deserialize(t, v));
    }

    List<TestRecord<byte[], DeadLetter>> deadLetters() {
        String t = topics.deadLetter();
        return fresh(t, k -> k, v -> avro.deadLetter().deserializer().deserialize(t, v));
    }

    /** Asserts nothing new was published on any of the four output topics. */
    void assertNoNewOutput() {
        assertThat(eligibility()).as("new customer-eligibility records").isEmpty();
        assertThat(decisions()).as("new send-decisions records").isEmpty();
        assertThat(reminders()).as("new cart-reminders records").isEmpty();
        assertThat(deadLetters()).as("new dead letters").isEmpty();
    }

    /** The row for (brand, channel) of a published view; fails when there is none. */
    static EligibilityRow row(CustomerEligibility view, String brand, Channel channel) {
        return view.getRows().stream()
                .filter(r -> r.getBrand().equals(brand) && r.getChannel() == channel)
                .findFirst()
                .orElseGet(() -> fail("no row for " + brand + "/" + channel + " in " + view));
    }

    /** "brand/channel" -> "eligible/REASON" for every row of a view, for whole-view assertions. */
    static Map<String, String> answers(CustomerEligibility view) {
        Map<String, String> out = new LinkedHashMap<>();
        for (EligibilityRow r : view.getRows()) {
            String key = r.getBrand() + "/" + r.getChannel();
            assertThat(out).as("duplicate row " + key).doesNotContainKey(key);
            out.put(key, r.getEligible() + "/" + r.getReason());
        }
        return out;
    }

    // ---------------------------------------------------------------- state stores

    CustomerState customerState(String customerId) {
        KeyValueStore<String, CustomerState> s = driver.getKeyValueStore(StoreNames.CUSTOMERS);
        return s.get(customerId);
    }

    List<KeyValue<String, CustomerState>> customersStore() {
        return entries(StoreNames.CUSTOMERS);
    }

    CartState cartState(String customerId, String cartId) {
        KeyValueStore<String, CartState> s = driver.getKeyValueStore(StoreNames.CARTS);
        return s.get(CartState.key(customerId, cartId));
    }

    List<KeyValue<String, CartState>> cartsStore() {
        return entries(StoreNames.CARTS);
    }

    /** The pending reminder timers: due-key -> cart key. */
    List<KeyValue<String, String>> reminderDueStore() {
        return entries(StoreNames.REMINDER_DUE);
    }

    List<KeyValue<String, SendGate.Seen>> seenStore() {
        return entries(StoreNames.SEND_REQUESTS);
    }

    List<KeyValue<String, Suppression>> suppressionStore() {
        return entries(StoreNames.SUPPRESSIONS);
    }

    List<KeyValue<String, java.util.TreeSet<String>>> addressLinksStore() {
        return entries(StoreNames.ADDRESS_LINKS);
    }

    /** A store of the running driver, to read or (simulating an older release's state) to change. */
    <K, V> KeyValueStore<K, V> store(String store) {
        return driver.getKeyValueStore(store);
    }

    <K, V> List<KeyValue<K, V>> entries(String store) {
        KeyValueStore<K, V> s = driver.getKeyValueStore(store);
        List<KeyValue<K, V>> out = new ArrayList<>();
        try (KeyValueIterator<K, V> it = s.all()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    Map<String, StateStore> allStores() {
        return driver.getAllStateStores();
    }

    /** The keyed hash the service keeps for an already normalised address. */
    String hashOf(String normalisedAddress) {
        return settings.addresses().hash(normalisedAddress);
    }

    /**
     * Asserts that no record ever produced to any topic (keys and values, raw bytes) and no key or value
     * of any state store contains any of {@code clearTexts}, compared case-insensitively.
     */
    void assertNowhereInClear(String... clearTexts) {
        int scanned = 0;
        for (Map.Entry<String, List<TestRecord<byte[], byte[]>>> e : allProduced().entrySet()) {
            for (TestRecord<byte[], byte[]> r : e.getValue()) {
                for (byte[] b : new byte[][] {r.key(), r.value()}) {
                    if (b != null) {
                        assertClean("topic " + e.getKey(), new String(b, StandardCharsets.ISO_8859_1), clearTexts);
                        scanned++;
                    }
                }
            }
        }
        for (Map.Entry<String, StateStore> e : allStores().entrySet()) {
            if (!(e.getValue() instanceof KeyValueStore<?, ?>)) {
                fail("unexpected store kind " + e.getKey());
            }
            for (KeyValue<Object, Object> kv : this.<Object, Object>entries(e.getKey())) {
                assertClean("store " + e.getKey() + " key", json(kv.key), clearTexts);
                assertClean("store " + e.getKey() + " value", json(kv.value), clearTexts);
                scanned++;
            }
        }
        assertThat(scanned).as("records and store entries scanned").isPositive();
    }

    private static void assertClean(String where, String text, String... clearTexts) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String c : clearTexts) {
            assertThat(lower).as(where + " must not contain '" + c + "'").doesNotContain(c.toLowerCase(Locale.ROOT));
        }
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
