package com.consentry.topology;

import com.consentry.policy.Suppression;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global suppression store equal to the suppression topic, on every instance; progress markers
 * ({@link SuppressionProgress}) are kept per partition of the topic.
 */
final class SuppressionUpdater implements Processor<String, Suppression, Void, Void> {
    private KeyValueStore<String, Suppression> store;
    private ProcessorContext<Void, Void> context;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(StoreNames.SUPPRESSIONS);
    }

    @Override
    public void process(Record<String, Suppression> record) {
        String key = record.key();
        if (SuppressionProgress.isMarker(key)) {
            // one marker per partition it came on: each partition of the topic is applied in its own order
            key = SuppressionProgress.storeKey(key, context.recordMetadata().map(m -> m.partition()).orElse(0));
        }
        if (record.value() == null) {
            store.delete(key);
        } else {
            store.put(key, record.value());
        }
    }
}
