package com.consentry.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;
import java.util.TreeSet;

/**
 * Keyed by address hash: which customers currently have this address. When the address is
 * suppressed, each of them gets a {@link Recheck}, so that their published view changes without
 * waiting for the next event about them. A customer linked after the suppression was processed here
 * gets one too: the link and the suppression come from different partitions (the customer's and the
 * unsubscribe's), and the customer's may lag, be restoring or reprocessing after a crash, so the link
 * can arrive after the suppression whatever their event times; or the profile event itself was late.
 */
final class AddressIndexProcessor implements Processor<String, AddressNotice, String, Recheck> {
    private ProcessorContext<String, Recheck> context;
    private KeyValueStore<String, TreeSet<String>> links;
    private KeyValueStore<String, Long> suppressedAt;

    @Override
    public void init(ProcessorContext<String, Recheck> context) {
        this.context = context;
        this.links = context.getStateStore(StoreNames.ADDRESS_LINKS);
        this.suppressedAt = context.getStateStore(StoreNames.ADDRESS_SUPPRESSED);
    }

    @Override
    public void process(Record<String, AddressNotice> record) {
        String hash = record.key();
        AddressNotice n = record.value();
        TreeSet<String> customers = links.get(hash);
        switch (n.op()) {
            case LINK -> {
                TreeSet<String> updated = customers == null ? new TreeSet<>() : customers;
                boolean added = updated.add(n.customerId());
                links.put(hash, updated);
                Long suppressed = suppressedAt.get(hash);
                if (added && suppressed != null) {
                    Instant at = Instant.ofEpochMilli(Math.max(suppressed, n.at().toEpochMilli()));
                    // stamped with the link's time: a recheck must not move the customer's stream time on
                    context.forward(new Record<>(n.customerId(), new Recheck(at, hash), record.timestamp()));
                }
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
                Long before = suppressedAt.get(hash);
                if (before == null || before < n.at().toEpochMilli()) {
                    suppressedAt.put(hash, n.at().toEpochMilli());
                }
                if (customers != null) {
                    for (String customerId : customers) {
                        context.forward(new Record<>(customerId, new Recheck(n.at(), hash), record.timestamp()));
                    }
                }
            }
        }
    }
}
