package com.consentry.service;

import com.consentry.config.AppConfig;
import com.consentry.ingest.ArrivalClock;
import com.consentry.serde.SchemaRegistry;
import com.consentry.simulate.ParsedLine;
import com.consentry.topology.AvroSerdes;
import com.consentry.topology.Topics;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Properties;
import java.util.concurrent.Future;

/**
 * Publishes input events to the real input topics: Avro in the Confluent wire format through the
 * registry, keyed as the topics expect (customerId, or the address of an address-only unsubscribe),
 * each record timestamped by an {@link ArrivalClock}: its event time, or just after the record published
 * before it, so that the service reads them in publishing order across topics. Used by {@code produce},
 * {@code dev}'s sample traffic, {@code bench} and {@code drill}.
 */
public final class EventPublisher implements AutoCloseable {
    private final Topics topics;
    private final AvroSerdes avro;
    private final KafkaProducer<String, byte[]> producer;
    private final ArrivalClock clock = new ArrivalClock();

    public EventPublisher(AppConfig config, SchemaRegistry registry) {
        this.topics = config.topics();
        this.avro = AvroSerdes.using(registry);
        Properties p = config.kafkaProperties();
        p.keySet().removeIf(k -> k.toString().startsWith("processing.") || k.toString().equals("auto.offset.reset"));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, config.get("consentry.application.id") + "-producer");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Publishes one event; stamping and sending are one step, so that timestamps rise in sending order. */
    public synchronized Future<RecordMetadata> publish(ParsedLine.Event e) {
        byte[] value = avro.inputSerializer(topics, e.topic()).serialize(e.topic(), e.avro());
        return producer.send(new ProducerRecord<>(e.topic(), null, clock.stamp(e.at()), e.inbound().key(), value));
    }

    /** Raw bytes, e.g. to show what happens to a record that is not Avro. */
    public Future<RecordMetadata> publishRaw(String topic, String key, byte[] value, long timestamp) {
        return producer.send(new ProducerRecord<>(topic, null, timestamp, key, value));
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
