package com.consentry.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.TreeSet;

/**
 * Keyed by address hash: which customers currently have this address. When the address is
 * suppressed, each of them gets a {@link Recheck}, so that their published view changes without
 * waiting for the next event about them.
 */
final class AddressIndexProcessor implements Processor<String, AddressNotice, String, Recheck> {
    private ProcessorContext<String, Recheck> context;
    private KeyValueStore<String, TreeSet<String>> links;

    @Override
    public void init(ProcessorContext<String, Recheck> context) {
        this.context = context;
        this.links = context.getStateStore(StoreNames.ADDRESS_LINKS);
    }

    @Override
    public void process(Record<String, AddressNotice> record) {
        String hash = record.key();
        AddressNotice n = record.value();
        TreeSet<String> customers = links.get(hash);
        switch (n.op()) {
            case LINK -> {
                TreeSet<String> updated = customers == null ? new TreeSet<>() : customers;
                updated.add(n.customerId());
                links.put(hash, updated);
            }
            case UNLINK -> {
                if (customers != null && customers.remove(n.customerId())) {
                    if (customers.isEmpty()) {
                        links.delete(hash);
                    } else {
                        links.put(hash, customers);
                    }
                }
            }
            case SUPPRESSED -> {
                if (customers != null) {
                    for (String customerId : customers) {
                        context.forward(new Record<>(customerId, new Recheck(n.at(), hash), record.timestamp()));
                    }
                }
            }
        }
    }
}
