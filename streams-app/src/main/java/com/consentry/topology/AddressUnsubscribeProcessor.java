package com.consentry.topology;

import com.consentry.ingest.Inbound;
import com.consentry.policy.Suppression;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * An unsubscribe that names an address but no customer: the address goes on the suppression list
 * (as a keyed hash) for the event's channel, or by default for EMAIL (an email) or SMS and PHONE (a
 * phone), and the customers who have that address are asked to re-evaluate.
 */
final class AddressUnsubscribeProcessor implements Processor<Object, Object, Object, Object> {
    private final FactRecorder recorder;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, Suppression> localSuppressions;

    AddressUnsubscribeProcessor(TopologySettings settings) {
        this.recorder = new FactRecorder(settings.addresses());
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.localSuppressions = context.getStateStore(StoreNames.LOCAL_SUPPRESSIONS);
    }

    @Override
    public void process(Record<Object, Object> record) {
        Inbound.Unsubscribe u = (Inbound.Unsubscribe) record.value();
        String hash = recorder.addressHash(u.address(), null);
        Suppression s = new Suppression(hash, FactRecorder.channelsFor(u), u.at(), u.eventId(),
                u.source() == null ? "UNSUBSCRIBE" : u.source().name(), CustomerProcessor.origin(context));
        long ts = u.at().toEpochMilli();
        localSuppressions.put(GlobalSuppressionList.key(s), s);
        context.forward(new Record<>(GlobalSuppressionList.key(s), s, ts), CustomerProcessor.SUPPRESSIONS_SINK);
        context.forward(new Record<>(hash, new AddressNotice(AddressNotice.Op.SUPPRESSED, null, u.at()), ts),
                CustomerProcessor.ADDRESS_INDEX_SINK);
    }
}
