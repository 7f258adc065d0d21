package com.consentry.topology;

import com.consentry.avro.DeadLetter;
import com.consentry.ingest.EventTimeRules;
import com.consentry.ingest.Inbound;
import com.consentry.ingest.InboundMapper;
import com.consentry.serde.SchemaRegistryException;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Decodes one input topic: bytes to Avro to a validated {@link Inbound}. A record whose bytes do not
 * decode, or whose content violates the schema's meaning, goes to the dead-letter topic with its
 * original bytes, source topic, partition, offset, timestamp, error class and message; the stream goes
 * on. A record whose key and value together are larger than {@value #MAX_RECORD_BYTES_KEY} is not
 * decoded: its dead letter keeps neither, so that it stays small enough to write. A dead letter carries no
 * email address or phone number: {@link DeadLetterRedaction} masks them in its key, value and message. An
 * event time the service cannot carry ({@link EventTimeRules}) is such a violation: it would
 * stamp the outputs with a timestamp Kafka refuses. Registry outages are not the record's fault: they
 * are rethrown, so that the stream thread is replaced and the record retried.
 */
final class DecodeProcessor implements Processor<byte[], byte[], Object, Object> {
    static final String MAX_RECORD_BYTES_KEY = "consentry.ingest.max-record-bytes";
    private static final Logger LOG = LoggerFactory.getLogger(DecodeProcessor.class);
    private final Deserializer<?> deserializer;
    private final EventTimeRules times;
    private final int maxRecordBytes;
    private final InputBound bound;
    private final String customerChild;
    private final String addressChild;
    private final String deadLetterChild;
    private ProcessorContext<Object, Object> context;

    DecodeProcessor(Deserializer<?> deserializer, EventTimeRules times, int maxRecordBytes, InputBound bound,
                    String customerChild, String addressChild, String deadLetterChild) {
        this.deserializer = deserializer;
        this.times = times;
        this.maxRecordBytes = maxRecordBytes;
        this.bound = bound;
        this.customerChild = customerChild;
        this.addressChild = addressChild;
        this.deadLetterChild = deadLetterChild;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("?");
        if (!withinBound()) {
            return; // a replay reads the history as it was when it started, nothing after it
        }
        long size = length(record.key()) + length(record.value());
        if (size > maxRecordBytes) {
            // neither is read, nor kept: the dead letter of a record this large would be too large to write
            deadLetter(record, topic, new com.consentry.ingest.InvalidEventException("record: " + size
                    + " bytes (key and value) is more than " + MAX_RECORD_BYTES_KEY + " (" + maxRecordBytes
                    + "); the dead letter keeps neither"), false, null);
            return;
        }
        Inbound in;
        Object avro = null;
        try {
            if (record.value() == null) {
                throw new com.consentry.ingest.InvalidEventException("value: null (a tombstone is not an event)");
            }
            avro = deserializer.deserialize(topic, record.value());
            in = InboundMapper.map(avro, Instant.ofEpochMilli(record.timestamp()), times);
            checkKey(record.key(), in);
        } catch (RuntimeException e) {
            if (registryUnavailable(e)) {
                throw e;
            }
            deadLetter(record, topic, e, true, avro);
            return;
        }
        boolean addressOnly = in instanceof Inbound.Unsubscribe u && u.customerId() == null;
        context.forward(new Record<>(in.key(), in, record.timestamp()), addressOnly ? addressChild : customerChild);
    }

    private boolean withinBound() {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        return meta == null || bound.admits(meta.topic(), meta.partition(), meta.offset());
    }

    /** True when the registry could not answer (as opposed to: it does not know the schema id). */
    private static boolean registryUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException sre) {
                return !sre.isNotFound();
            }
        }
        return false;
    }

    /**
     * Per-customer state lives on the partition of the customerId: a record keyed otherwise would be
     * decided against the wrong state, so it is refused rather than guessed at.
     */
    private static void checkKey(byte[] key, Inbound in) {
        if (in instanceof Inbound.Unsubscribe u && u.customerId() == null) {
            return;
        }
        if (key == null) {
            throw new com.consentry.ingest.InvalidEventException("key: missing (input topics are keyed by customerId, here '"
                    + in.key() + "')");
        }
        if (!in.key().equals(new String(key, StandardCharsets.UTF_8))) {
            // the key itself stays out of the message: it may be an address (it is in the envelope's key bytes)
            throw new com.consentry.ingest.InvalidEventException("key: does not match customerId '"
                    + in.key() + "' (input topics are keyed by customerId)");
        }
    }

    private static long length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    /**
     * @param keepBytes whether the envelope keeps the record's key and value bytes (with their addresses masked)
     * @param avro      the value as decoded, or null when it did not decode
     */
    private void deadLetter(Record<byte[], byte[]> record, String topic, Exception e, boolean keepBytes, Object avro) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        DeadLetterRedaction redact = DeadLetterRedaction.of(avro);
        byte[] key = keepBytes ? redact.key(record.key()) : null;
        byte[] value = keepBytes ? redact.value(record.value(), avro != null) : null;
        String message = redact.message(String.valueOf(e.getMessage()));
        DeadLetter dl = DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setPartition(meta == null ? -1 : meta.partition())
                .setOffset(meta == null ? -1 : meta.offset())
                .setTimestamp(record.timestamp() < 0 ? null : Instant.ofEpochMilli(record.timestamp()))
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setErrorClass(e.getClass().getName())
                .setErrorMessage(message)
                .build();
        LOG.warn("dead-letter topic={} partition={} offset={} error={} reason=\"{}\"", topic, dl.getPartition(),
                dl.getOffset(), e.getClass().getSimpleName(), message);
        // a timestamp the service cannot carry (a broker that accepts any CreateTime) is not written again:
        // the envelope keeps it, the dead letter is stamped with the time it was written
        long ts = times.carries(record.timestamp()) ? record.timestamp() : context.currentSystemTimeMs();
        context.forward(new Record<>(key, dl, ts), deadLetterChild);
    }
}
