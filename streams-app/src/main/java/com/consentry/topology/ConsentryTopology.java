package com.consentry.topology;


import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.Stores;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole service as one {@link Topology}, a pure function of its topics, settings and serdes:
 *
 * <pre>
 * input topics --decode-*--> customer-processor --> customer-eligibility, send-decisions, cart-reminders
 *        \         \--(bad records)--> consentry-dead-letter
 *         \--(address-only unsubscribes)--> address-unsubscribes
 * unsubscribe-events --> unsubscribe-progress (how far the partition is processed, on the wall clock)
 * customer-processor, address-unsubscribes, unsubscribe-progress --> consentry-suppressions (global store)
 *                                          --> consentry-address-index --> address-index --> consentry-customer-rechecks
 * consentry-customer-rechecks --> customer-processor
 * </pre>
 *
 * Every node and store is named, so that changelog and internal topics keep their names when the
 * topology changes.
 */
public final class ConsentryTopology {
    public static final String CUSTOMER_PROCESSOR = "customer-processor";
    public static final String ADDRESS_UNSUBSCRIBES = "address-unsubscribes";
    public static final String ADDRESS_INDEX = "address-index";
    public static final String UNSUBSCRIBE_PROGRESS = "unsubscribe-progress";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";

    private ConsentryTopology() {
    }

    public static Topology build(Topics topics, TopologySettings settings, AvroSerdes avro) {
        return build(topics, settings, avro, () -> new CustomerProcessor(settings));
    }

    /** As {@link #build(Topics, TopologySettings, AvroSerdes)}, with the customer processors from {@code customers}. */
    static Topology build(Topics topics, TopologySettings settings, AvroSerdes avro,
                          ProcessorSupplier<Object, Object, Object, Object> customers) {
        Topology t = new Topology();
        List<String> customerParents = new ArrayList<>();
        addInput(t, topics.customerEvents(), avro.customerEvent().deserializer(), settings, customerParents);
        addInput(t, topics.consentEvents(), avro.consentEvent().deserializer(), settings, customerParents);
        addInput(t, topics.unsubscribeEvents(), avro.unsubscribeEvent().deserializer(), settings, customerParents);
        addInput(t, topics.orderEvents(), avro.orderEvent().deserializer(), settings, customerParents);
        addInput(t, topics.cartEvents(), avro.cartEvent().deserializer(), settings, customerParents);
        addInput(t, topics.sendRequests(), avro.sendRequest().deserializer(), settings, customerParents);
        List<String> decoders = List.copyOf(customerParents);

        t.addSource("source-rechecks", new StringDeserializer(), StateSerdes.recheck().deserializer(),
                topics.customerRechecks());
        customerParents.add("source-rechecks");
        t.addProcessor(CUSTOMER_PROCESSOR, customers, customerParents.toArray(String[]::new));
        t.addProcessor(ADDRESS_UNSUBSCRIBES, () -> new AddressUnsubscribeProcessor(settings),
                decodeName(topics.unsubscribeEvents()));
        // the record cache (statestore.cache.max.bytes) folds repeated puts of a key within a commit into one
        // RocksDB write and one changelog record
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.CUSTOMERS),
                Serdes.String(), StateSerdes.customers()).withCachingEnabled(), CUSTOMER_PROCESSOR);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.CARTS),
                Serdes.String(), StateSerdes.carts()).withCachingEnabled(), CUSTOMER_PROCESSOR);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.REMINDER_DUE),
                Serdes.String(), Serdes.String()), CUSTOMER_PROCESSOR);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.SEND_REQUESTS),
                Serdes.String(), StateSerdes.seen()).withCachingEnabled(), CUSTOMER_PROCESSOR);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.LOCAL_SUPPRESSIONS),
                Serdes.String(), StateSerdes.suppression()), CUSTOMER_PROCESSOR, ADDRESS_UNSUBSCRIBES);
        // not cached: an output is held until the suppression list catches up, which mostly takes a commit, so its
        // put and its delete seldom fall in one commit for the cache to fold, and the cache's lookups cost more
        // than it saves (docs/benchmark.md, "The record cache's size is not a lever")
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.HELD_OUTPUTS),
                Serdes.String(), StateSerdes.held()), CUSTOMER_PROCESSOR);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.SWEEP_DUE),
                Serdes.String(), Serdes.String()), CUSTOMER_PROCESSOR);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.RETENTION_DUE),
                Serdes.String(), Serdes.String()), CUSTOMER_PROCESSOR);
        // written as often as stream time moves: the record cache turns that into one changelog record per commit
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.SCHEDULE),
                Serdes.String(), Serdes.Long()).withCachingEnabled(), CUSTOMER_PROCESSOR);

        t.addSink(DEAD_LETTER_SINK, topics.deadLetter(), new ByteArraySerializer(), avro.deadLetter().serializer(),
                decoders.toArray(String[]::new));
        t.addSink(CustomerProcessor.ELIGIBILITY_SINK, topics.customerEligibility(), new StringSerializer(),
                avro.eligibility().serializer(), CUSTOMER_PROCESSOR);
        t.addSink(CustomerProcessor.DECISIONS_SINK, topics.sendDecisions(), new StringSerializer(),
                avro.decision().serializer(), CUSTOMER_PROCESSOR);
        t.addSink(CustomerProcessor.REMINDERS_SINK, topics.cartReminders(), new StringSerializer(),
                avro.reminder().serializer(), CUSTOMER_PROCESSOR);
        t.addProcessor(UNSUBSCRIBE_PROGRESS, () -> new UnsubscribeProgressProcessor(settings.suppressionWait()),
                "source-" + topics.unsubscribeEvents());
        t.addSink(CustomerProcessor.SUPPRESSIONS_SINK, topics.suppressions(), new StringSerializer(),
                StateSerdes.suppression().serializer(), SuppressionProgress.partitioner(), CUSTOMER_PROCESSOR,
                ADDRESS_UNSUBSCRIBES, UNSUBSCRIBE_PROGRESS);
        t.addSink(CustomerProcessor.ADDRESS_INDEX_SINK, topics.addressIndex(), new StringSerializer(),
                StateSerdes.addressNotice().serializer(), CUSTOMER_PROCESSOR, ADDRESS_UNSUBSCRIBES);

        t.addSource("source-address-index", new StringDeserializer(), StateSerdes.addressNotice().deserializer(),
                topics.addressIndex());
        t.addProcessor(ADDRESS_INDEX, AddressIndexProcessor::new, "source-address-index");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.ADDRESS_LINKS),
                Serdes.String(), StateSerdes.addressLinks()), ADDRESS_INDEX);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.ADDRESS_SUPPRESSED),
                Serdes.String(), Serdes.Long()), ADDRESS_INDEX);
        t.addSink("rechecks-sink", topics.customerRechecks(), new StringSerializer(),
                StateSerdes.recheck().serializer(), ADDRESS_INDEX);

        t.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.SUPPRESSIONS),
                                Serdes.String(), StateSerdes.suppression()).withLoggingDisabled(),
                "source-suppressions", new StringDeserializer(), StateSerdes.suppression().deserializer(),
                topics.suppressions(), "suppressions-updater", SuppressionUpdater::new);
        return t;
    }

    private static void addInput(Topology t, String topic, Deserializer<?> deserializer, TopologySettings settings,
                                 List<String> decoders) {
        String source = "source-" + topic;
        t.addSource(source, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topic);
        t.addProcessor(decodeName(topic), () -> new DecodeProcessor(deserializer, settings.eventTimes(),
                settings.maxRecordBytes(), settings.inputBound(), CUSTOMER_PROCESSOR, ADDRESS_UNSUBSCRIBES, DEAD_LETTER_SINK), source);
        decoders.add(decodeName(topic));
    }

    private static String decodeName(String topic) {
        return "decode-" + topic;
    }
}
