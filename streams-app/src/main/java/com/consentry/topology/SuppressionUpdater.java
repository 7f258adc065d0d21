package com.consentry.topology;

import com.consentry.policy.Suppression;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps the global suppression store equal to the suppression topic, on every instance. */
final class SuppressionUpdater implements Processor<String, Suppression, Void, Void> {
    private KeyValueStore<String, Suppression> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.store = context.getStateStore(StoreNames.SUPPRESSIONS);
    }

    @Override
    public void process(Record<String, Suppression> record) {
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
