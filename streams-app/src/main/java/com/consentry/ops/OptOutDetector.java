package com.consentry.ops;

import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.EligibilityRow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the opt-outs a publication of the eligibility view honoured, for time-to-honour: rows that are
 * not eligible for an opt-out reason (UNSUBSCRIBED, WITHDRAWN, ADDRESS_SUPPRESSED) and that were
 * eligible in the customer's previous publication. The previous publication is remembered for the most
 * recently seen customers (a bounded LRU); for a row whose previous state is unknown (customer first seen
 * since start or evicted, or a row new in this publication) the row counts when the publication was
 * caused by the opt-out itself (its publishedAt is the opt-out's event time), which is what the topology
 * does when it publishes an opt-out. One result per opt-out
 * event, however many brand and channel rows it changed. Not thread-safe (one consumer thread).
 */
final class OptOutDetector {
    static final Set<String> OPT_OUT_REASONS = Set.of("UNSUBSCRIBED", "WITHDRAWN", "ADDRESS_SUPPRESSED");

    /** customerId -> (brand NUL channel -> eligible) of the last publication seen. */
    private final Map<String, Map<String, Boolean>> previous;

    OptOutDetector(int maxCustomers) {
        this.previous = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Map<String, Boolean>> eldest) {
                return size() > maxCustomers;
            }
        };
    }

    /**
     * @param view the published view, null for a tombstone (erasure)
     * @return the event times of the opt-outs this publication honoured, one per opt-out event
     */
    List<Instant> onPublished(String customerId, CustomerEligibility view) {
        if (view == null) {
            previous.remove(customerId);
            return List.of();
        }
        Map<String, Boolean> before = previous.getOrDefault(customerId, Map.of());
        Map<String, Boolean> now = new HashMap<>();
        Map<String, Instant> honoured = new LinkedHashMap<>();
        for (EligibilityRow row : view.getRows()) {
            String key = row.getBrand() + '\u0000' + row.getChannel();
            now.put(key, row.getEligible());
            if (row.getEligible()) {
                continue;
            }
            if (!OPT_OUT_REASONS.contains(row.getReason().name()) || row.getEvidence() == null) {
                continue;
            }
            Instant eventTime = row.getEvidence().getEventTime();
            Boolean wasEligible = before.get(key);
            boolean changed = wasEligible != null ? wasEligible : eventTime.equals(view.getPublishedAt());
            if (changed) {
                honoured.putIfAbsent(row.getEvidence().getEventId(), eventTime);
            }
        }
        previous.put(customerId, now);
        return new ArrayList<>(honoured.values());
    }

    int remembered() {
        return previous.size();
    }
}
